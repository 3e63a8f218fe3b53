/**
 * The smaller commands: `curie spectrum`, `curie synth`, `curie info`, `curie merge`.
 */
import path from 'node:path';
import type { Writable } from 'node:stream';
import { CurieOptimiser } from '../CurieOptimiser.js';
import { spectrumChart } from '../plot/spectrum-chart.js';
import { figureFormat, writeFigure } from './plot.js';
import { CurieError, fmt } from '../errors.js';
import { transformCoordinates } from '../io/crs.js';
import { isGeographicCrs } from '../io/crs-wkt.js';
import { isNetcdf, listNetcdfVariables, type NetcdfVariableInfo } from '../io/netcdf.js';
import { openOutput } from '../io/output.js';
import { checkOutput } from '../io/output-target.js';
import type { Raster } from '../io/raster.js';
import { csvHeader, csvRow } from '../io/write-table.js';
import type { CommandContext } from './context.js';
import { parseDistance } from './distance.js';
import { parseInput, readInput, readInputBytes } from './input.js';
import { synthesiseOffThread } from './off-thread.js';
import { numberList, parseChoice, parseInteger, parseNumber, parseTaper } from './options.js';
import { phase } from './phase.js';
import { type Part, readPart } from './part-file.js';
import { restoreNaN } from './records.js';
import { formatFor, openSink } from './sinks.js';

/** Write `text` to the file `out` (atomically) or to `stdout`, every write error one line. */
async function writeOut(out: string | undefined, text: string | Uint8Array, stdout: Writable): Promise<void> {
  const output = await openOutput(out, { stdout });
  try {
    await output.write(text);
    await output.commit();
  } catch (error) {
    await output.abort();
    throw error;
  }
}

/** `curie spectrum`: the radial spectrum of one window as CSV `k,Phi,sigma` (k in rad/km). */
export async function runSpectrum(
  input: string,
  options: {
    window: string;
    at: string;
    taper?: string;
    power?: string;
    out?: string;
    plot?: string;
    variable?: string;
  },
  context: CommandContext,
): Promise<void> {
  const window = parseDistance(options.window, '--window');
  const at = numberList(options.at, 2);
  if (!at) throw new CurieError('E_ARGUMENT', `--at '${options.at}' must be X,Y in the grid's coordinates (metres)`);
  if (options.plot !== undefined) figureFormat(options.plot);
  if (options.out !== undefined) await checkOutput(options.out, [input]);
  if (options.plot !== undefined) await checkOutput(options.plot, [input]);
  const grid = CurieOptimiser.fromRaster(
    (await readInput(input, { variable: options.variable, stdin: context.io.stdin })).raster,
  );
  const taper = parseTaper(options.taper),
    power = parseNumber(options.power, '--power');
  const spectrum = grid.radialSpectrum(grid.subgrid(window, at[0], at[1]), { taper, power });
  const { k, Phi, sigmaPhi } = spectrum;
  const fields = ['k', 'Phi', 'sigma'];
  await writeOut(
    options.out,
    csvHeader(fields) + Array.from(k, (_, i) => csvRow([k[i], Phi[i], sigmaPhi[i]])).join(''),
    context.io.stdout,
  );
  if (options.plot !== undefined) {
    // The fit drawn is the map's (power 2, Bouligand); with another power the spectrum is drawn alone.
    const fit = power === undefined || power === 2 ? grid.optimise(window, at[0], at[1], { taper }) : undefined;
    const title = `${path.basename(input)} at (${at[0]}, ${at[1]}), window ${window / 1000} km${fit ? `: Curie depth ${fit.curieDepth.toFixed(1)} km` : ''}`;
    await writeFigure(spectrumChart(spectrum, { ...(fit ? { fit } : {}), title }), options.plot);
  }
}

/** `curie synth`: a synthetic anomaly with known z_t, Δz, β as a GeoTIFF (same arguments, same bytes). */
export async function runSynth(
  options: {
    rows: string;
    cols: string;
    spacing: string;
    zt: string;
    dz: string;
    beta: string;
    seed: string;
    method: string;
    amplitudes?: string;
    crs?: string;
    out: string;
  },
  context: CommandContext,
): Promise<void> {
  const method = parseChoice(options.method, '--method', ['spectral', 'layered'] as const);
  const amplitudes = parseChoice(options.amplitudes ?? 'exact', '--amplitudes', ['random', 'exact'] as const);
  // A device or FIFO (/dev/null, a pipe) takes the GeoTIFF whatever its name.
  const target = await checkOutput(options.out, []);
  if (target.kind !== 'direct' && formatFor(options.out, undefined) !== 'geotiff')
    throw new CurieError('E_ARGUMENT', `--out '${options.out}' must be a .tif file`);
  // Synthesis (seconds to minutes for large grids) runs in a worker thread: a signal ends it at once.
  phase('synthesising', `${options.rows} × ${options.cols}`);
  const bytes = await synthesiseOffThread(
    {
      rows: parseInteger(options.rows, '--rows'),
      cols: parseInteger(options.cols, '--cols'),
      spacing: parseDistance(options.spacing, '--spacing'),
      // Depths in km unless a unit is given.
      zt: options.zt.trim() === '0' ? 0 : parseDistance(options.zt, '--zt', 'km') / 1000,
      dz: parseDistance(options.dz, '--dz', 'km') / 1000,
      beta: parseNumber(options.beta, '--beta')!,
      seed: parseNumber(options.seed, '--seed')!,
      method,
      ...(method === 'spectral' ? { amplitudes } : {}),
      ...(options.crs ? { crs: options.crs } : {}),
    },
    context.signal,
  );
  phase('writing', options.out);
  await writeOut(options.out, bytes, context.io.stdout);
}

/** The node extent in longitude/latitude (degrees): the raster's outline transformed point by point. */
function lonLatExtent(raster: Raster): { lonmin: number; lonmax: number; latmin: number; latmax: number } | string {
  const crs = raster.crs;
  if (crs === undefined) return 'none (no CRS)';
  if (isGeographicCrs(crs))
    return { lonmin: raster.xmin, lonmax: raster.xmax, latmin: raster.ymin, latmax: raster.ymax };
  // The outline, 50 points a side: a projected rectangle is curved in lon/lat, its extremes may lie mid-edge.
  const n = 50;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i <= n; i++) {
    const x = raster.xmin + ((raster.xmax - raster.xmin) * i) / n;
    const y = raster.ymin + ((raster.ymax - raster.ymin) * i) / n;
    xs.push(x, x, raster.xmin, raster.xmax);
    ys.push(raster.ymin, raster.ymax, y, y);
  }
  let lonLat: { x: Float64Array; y: Float64Array };
  try {
    lonLat = transformCoordinates(xs, ys, crs, 'EPSG:4326');
  } catch (error) {
    return `unknown (${error instanceof Error ? error.message.split(':')[0] : String(error)})`;
  }
  const finite = (a: Float64Array) => Array.from(a).filter(Number.isFinite);
  const lon = finite(lonLat.x);
  const lat = finite(lonLat.y);
  if (lon.length === 0 || lat.length === 0) return 'unknown (outside the projection)';
  return { lonmin: Math.min(...lon), lonmax: Math.max(...lon), latmin: Math.min(...lat), latmax: Math.max(...lat) };
}

function describeVariable(v: NetcdfVariableInfo): string {
  const label = [v.longName, v.units ? `[${v.units}]` : undefined].filter(Boolean).join(' ');
  return `  ${v.grid ? '*' : ' '} ${v.name}(${v.dimensions.map((d, i) => `${d}=${v.shape[i]}`).join(', ')})${label ? ` ${label}` : ''}`;
}

/**
 * `curie info`: size, spacing, extent (in the CRS and in lon/lat), CRS, NaN count, value range,
 * largest window that fits, and for a NetCDF file its format and variables (grids starred). The
 * variables are printed even when the grid cannot be chosen (several 2-D variables), before the error.
 */
export async function runInfo(
  input: string,
  options: { json?: boolean; variable?: string; columns?: string },
  context: CommandContext,
): Promise<void> {
  const { signal, io } = context;
  const { bytes, source } = await readInputBytes(input, io.stdin);
  const netcdf = isNetcdf(bytes) ? await listNetcdfVariables(bytes, source) : undefined;
  let raster: Raster;
  try {
    raster = (await parseInput(bytes, source, { variable: options.variable, columns: options.columns, signal })).raster;
  } catch (error) {
    if (netcdf && !options.json)
      io.stdout.write(
        `format: ${netcdf.format}\nvariables (* = grid):\n${netcdf.variables.map(describeVariable).join('\n')}\n`,
      );
    throw error;
  }
  const [rows, cols] = raster.data.shape;
  const values = raster.data.data;
  let nan = 0,
    min = Infinity,
    max = -Infinity;
  for (let i = 0; i < rows * cols; i++) {
    const v = values[i];
    if (Number.isNaN(v)) nan++;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const dx = (raster.xmax - raster.xmin) / (cols - 1),
    dy = (raster.ymax - raster.ymin) / (rows - 1);
  const lonLat = lonLatExtent(raster);
  const info = {
    rows,
    cols,
    spacing: { x: dx, y: dy },
    extent: { xmin: raster.xmin, xmax: raster.xmax, ymin: raster.ymin, ymax: raster.ymax },
    extentLonLat: typeof lonLat === 'string' ? null : lonLat,
    crs: raster.crs ?? null,
    nan,
    range: nan === rows * cols ? null : { min, max },
    // A window of 2h + 1 nodes fits when 2h + 1 ≤ min(rows, cols).
    largestWindow: 2 * Math.floor((Math.min(rows, cols) - 1) / 2) * dx,
    ...(netcdf ? { format: netcdf.format, variables: netcdf.variables } : {}),
  };
  if (options.json) {
    await writeOut(undefined, `${JSON.stringify(info, null, 2)}\n`, io.stdout);
    return;
  }
  const crsText =
    raster.crs === undefined ? 'none' : raster.crs.length > 100 ? `${raster.crs.slice(0, 97)}...` : raster.crs;
  await writeOut(
    undefined,
    [
      ...(netcdf
        ? [`format: ${netcdf.format}`, 'variables (* = grid):', ...netcdf.variables.map(describeVariable)]
        : []),
      `size: ${rows} rows × ${cols} columns`,
      `spacing: ${fmt(dx)} × ${fmt(dy)} (x × y)`,
      `extent: x ${fmt(raster.xmin)} … ${fmt(raster.xmax)}, y ${fmt(raster.ymin)} … ${fmt(raster.ymax)} (node coordinates)`,
      `extent in lon/lat: ${typeof lonLat === 'string' ? lonLat : `lon ${fmt(lonLat.lonmin)} … ${fmt(lonLat.lonmax)}, lat ${fmt(lonLat.latmin)} … ${fmt(lonLat.latmax)} (degrees)`}`,
      `crs: ${crsText}`,
      `NaN values: ${nan}`,
      `value range: ${info.range ? `${fmt(min)} … ${fmt(max)}` : 'none (all NaN)'}`,
      `largest window: ${fmt(info.largestWindow)} (${fmt(info.largestWindow / 1000)} km if metres)`,
      '',
    ].join('\n'),
    io.stdout,
  );
}

/** `curie merge`: join the parts of a sharded run into the file a single run writes, byte for byte. */
export async function runMerge(
  files: string[],
  options: { out: string; format?: string },
  context: CommandContext,
): Promise<void> {
  if (files.length === 0) throw new CurieError('E_ARGUMENT', 'curie merge needs the part files of a sharded run');
  await checkOutput(options.out, files);
  const parts = await Promise.all(files.map(readPart));
  const first = parts[0].header;
  const byShard = new Map<number, Part>();
  for (const part of parts) {
    const h = part.header;
    if (h.run !== first.run || h.shards !== first.shards || h.total !== first.total)
      throw new CurieError(
        'E_ARGUMENT',
        `${part.file} belongs to another run than ${parts[0].file} (different input, options or shard count)`,
      );
    if (byShard.has(h.shard))
      throw new CurieError(
        'E_ARGUMENT',
        `shard ${h.shard} of ${h.shards} is given twice (${byShard.get(h.shard)!.file} and ${part.file})`,
      );
    byShard.set(h.shard, part);
  }
  for (let s = 0; s < first.shards; s++)
    if (!byShard.has(s))
      throw new CurieError(
        'E_ARGUMENT',
        `shard ${s} of ${first.shards} is missing (expected ${files[0].replace(/part-\d+-of-/, `part-${s}-of-`)})`,
      );
  const records = new Array<Record<string, unknown> | undefined>(first.total);
  for (const part of parts)
    for (const line of part.lines) {
      // readPart checked that i is one of this shard's windows.
      const i = line.i as number;
      if (records[i]) throw new CurieError('E_FORMAT', `window ${i} appears twice (in ${part.file})`);
      records[i] = line;
    }
  const missing = records.findIndex((r) => r === undefined);
  if (missing >= 0 || records.length !== first.total)
    throw new CurieError(
      'E_FORMAT',
      `window ${missing} of ${first.total} is missing from shard ${missing % first.shards}'s part; was that shard's run complete?`,
    );
  const d = first.description;
  const description = { ...d, xc: Float64Array.from(d.xc), yc: Float64Array.from(d.yc) };
  const sink = await openSink(formatFor(options.out, options.format), options.out, description, context.io.stdout);
  try {
    for (let i = 0; i < first.total; i++) await sink.write(i, restoreNaN(records[i]!, d.fields));
    await sink.close();
  } catch (error) {
    await sink.abort();
    throw error;
  }
}
