/**
 * `curie map`: fit every window of a raster and write the map, streaming rows in window order.
 */
import { createHash, type Hash } from 'node:crypto';
import { CurieOptimiser } from '../CurieOptimiser.js';
import { CurieError, fmt, warn } from '../errors.js';
import type { Raster } from '../io/raster.js';
import { ndjsonLine } from '../io/write-table.js';
import type { Taper } from '../spectrum/taper.js';
import { parseDistance } from './distance.js';
import { parsePriors } from './prior-option.js';
import { readInput } from './input.js';
import { phase } from './phase.js';
import { createProgress, progressMode } from './progress.js';
import { bouligandRecord, fieldsOf, type Method, tanakaRecord } from './records.js';
import { parseShard, type Shard } from './shard.js';
import { formatFor, type MapDescription, openSink, type Sink } from './sinks.js';
import { openOutput } from '../io/output.js';
import { checkOutput } from '../io/output-target.js';
import { checkLevel } from '../inversion/global-fit.js';
import { VERDICTS } from '../inversion/verdict.js';
import { checkConvention, tanakaPower } from '../spectrum/convention.js';

/** One line counting a map's verdicts, e.g. `120 windows: 41 resolved, 52 lower-bound, 27 unresolved (90 % intervals)`. */
export function verdictSummary(verdicts: Uint8Array, level: number): string {
  const counts = VERDICTS.map((_, code) => verdicts.reduce((n, v) => n + (v === code ? 1 : 0), 0));
  return `${verdicts.length} windows: ${VERDICTS.map((name, code) => `${counts[code]} ${name}`).join(', ')} (${fmt(Number((100 * level).toPrecision(6)))} % intervals)`;
}

/** Options of `curie map` as commander gives them (strings, as typed). */
export interface MapCommandOptions {
  /** Text grids: the columns of x, y and the value (`--columns 2,3,5`). */
  columns?: string;
  window: string;
  /** NetCDF: the variable to read. */
  variable?: string;
  spacing?: string;
  method: string;
  workers?: string;
  taper: string;
  power?: string;
  beta?: string;
  zt?: string;
  dz?: string;
  C?: string;
  prior: string[];
  kminRange?: string;
  kmaxRange?: string;
  shard?: string;
  out?: string;
  format?: string;
  progress?: string;
  quiet?: boolean;
  level?: string;
  convention?: string;
  to?: string;
  from?: string;
  cell?: string;
  resample?: string;
}

/** First line of a shard's part file: what run it belongs to. */
export interface PartHeader {
  curie_part: 1;
  shard: number;
  shards: number;
  total: number;
  /** Digest of the input and of every option that changes results: parts of one run share it. */
  run: string;
  format: string;
  description: Omit<MapDescription, 'xc' | 'yc'> & { xc: number[]; yc: number[] };
}

export { parsePriors };

/** `--taper` text → taper. */
export function parseTaper(text: string): Taper {
  if (text === 'hanning' || text === 'hamming' || text === 'none') return text;
  const tukey = /^tukey:([0-9.eE+-]+)$/.exec(text);
  if (tukey && Number.isFinite(Number(tukey[1])) && Number(tukey[1]) >= 0 && Number(tukey[1]) <= 1) return { tukey: Number(tukey[1]) };
  throw new CurieError('E_ARGUMENT', `--taper '${text}' must be hanning, hamming, none or tukey:ALPHA with 0 ≤ ALPHA ≤ 1`);
}

/** A finite number option, or undefined when absent. */
export function parseNumber(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new CurieError('E_ARGUMENT', `${what} '${text}' must be a number`);
  return value;
}

function parseRange(text: string | undefined, what: string): [number, number] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',').map((p) => Number(p));
  if (parts.length !== 2 || !parts.every(Number.isFinite) || !(parts[0] < parts[1])) throw new CurieError('E_ARGUMENT', `${what} '${text}' must be LOW,HIGH in cycles/km with LOW < HIGH`);
  return [parts[0], parts[1]];
}

/** Digest of the input bytes (`input`: the hash state after them) and the options that change the results. */
function runDigest(input: Hash, settings: unknown): string {
  return input.copy().update(JSON.stringify(settings)).digest('hex');
}

/** Bytes hashed per turn of the event loop: a slice is short enough that a signal waits little for its turn. */
const HASH_SLICE = 8 << 20;

/** The SHA-256 state after `bytes`, fed in slices so that a signal or abort is handled meanwhile. */
async function hashBytes(bytes: Uint8Array, signal: AbortSignal): Promise<Hash> {
  const hash = createHash('sha256');
  for (let start = 0; start < bytes.length; start += HASH_SLICE) {
    hash.update(bytes.subarray(start, start + HASH_SLICE));
    await new Promise((resolve) => setImmediate(resolve));
    signal.throwIfAborted();
  }
  return hash;
}

/** The path of shard I of N's part file for output `out`. */
export function partPath(out: string, shard: Shard): string {
  return `${out}.part-${shard.index}-of-${shard.count}.ndjson`;
}

/** Run `curie map`. Rejects with CurieError for bad input; an AbortError when `signal` aborts. */
export async function runMap(inputPath: string, options: MapCommandOptions, signal: AbortSignal): Promise<void> {
  const window = parseDistance(options.window, '--window');
  const spacing = options.spacing === undefined ? undefined : parseDistance(options.spacing, '--spacing');
  if (options.method !== 'bouligand' && options.method !== 'tanaka') throw new CurieError('E_ARGUMENT', `--method '${options.method}' must be bouligand or tanaka`);
  const method: Method = options.method;
  const workers = options.workers === undefined ? undefined : parseNumber(options.workers, '--workers');
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0)) throw new CurieError('E_ARGUMENT', `--workers '${options.workers}' must be a whole number ≥ 0`);
  const taper = parseTaper(options.taper);
  const convention = checkConvention(options.convention ?? 'default');
  const level = checkLevel(parseNumber(options.level, '--level') ?? 0.9);
  const power = parseNumber(options.power, '--power') ?? (method === 'tanaka' ? tanakaPower(convention) : 2);
  const start = { beta: parseNumber(options.beta, '--beta'), zt: parseNumber(options.zt, '--zt'), dz: parseNumber(options.dz, '--dz'), C: parseNumber(options.C, '--C') };
  const priors = parsePriors(options.prior);
  const kminRange = parseRange(options.kminRange, '--kmin-range') ?? [0.05, 0.2];
  const kmaxRange = parseRange(options.kmaxRange, '--kmax-range') ?? [0.05, 0.2];
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  if (shard && options.out === undefined) throw new CurieError('E_ARGUMENT', '--shard needs --out FILE: each shard writes FILE.part-I-of-N.ndjson for curie merge');
  const format = formatFor(options.out, options.format);
  if (options.progress !== undefined && !['bar', 'lines', 'none'].includes(options.progress))
    throw new CurieError('E_ARGUMENT', `--progress '${options.progress}' must be bar, lines or none`);

  const reprojection = parseReprojection(options);
  // The output is examined before anything is read or computed: an input given as output, a
  // directory, are refused now rather than after the map.
  if (options.out !== undefined) await checkOutput(shard ? partPath(options.out, shard) : options.out, [inputPath]);

  const input = await readInput(inputPath, { variable: options.variable, columns: options.columns, signal });
  const bytes = input.bytes;
  const inputHash = await hashBytes(bytes, signal);
  const raster = reprojection ? await reprojectInput(input.raster, reprojection) : input.raster;
  const lonLat = await centreLonLat(raster.crs);
  const optimiser = CurieOptimiser.fromRaster(raster, { priors, convention });
  try {
    if (spacing !== undefined && spacing < optimiser.dx * (1 - 1e-9))
      throw new CurieError('E_ARGUMENT', `--spacing ${fmt(spacing)} m is below the grid's cell size ${fmt(optimiser.dx)} m; use at least the cell size`);
    // Arguments every window shares are checked once, before any output is opened.
    optimiser.checkArguments(method === 'bouligand' ? 'optimise' : 'tanaka', window, { taper, power, ...start, level, kminRange, kmaxRange });
    const { xc, yc } = optimiser.createCentroidList(window, spacing === undefined ? {} : { spacingX: spacing, spacingY: spacing });
    const settings = { method, window, spacing: spacing ?? null, taper, power, start, priors, convention, level: method === 'bouligand' ? level : null, kminRange: method === 'tanaka' ? kminRange : null, kmaxRange: method === 'tanaka' ? kmaxRange : null, ...(reprojection ? { reprojection } : {}) };
    const centres = lonLat?.(xc, yc);
    const description: MapDescription = {
      method,
      fields: fieldsOf(method, centres !== undefined),
      xc,
      yc,
      spacing: { spacingX: spacing ?? optimiser.dx, spacingY: spacing ?? optimiser.dy },
      crs: raster.crs,
      metadata: { ...settings, windows: xc.length, crs: raster.crs ?? null, grid: { rows: optimiser.ny, cols: optimiser.nx, xmin: optimiser.xmin, xmax: optimiser.xmax, ymin: optimiser.ymin, ymax: optimiser.ymax }, input_sha256: inputHash.copy().digest('hex') },
    };
    // This process's windows: all, or those i with i mod N = I.
    const indices = Array.from(xc, (_, i) => i).filter((i) => !shard || i % shard.count === shard.index);
    const mine = { xc: Float64Array.from(indices, (i) => xc[i]), yc: Float64Array.from(indices, (i) => yc[i]) };

    let sink: Sink;
    // Opening waits for the reader of a FIFO, as `cat > fifo` does.
    phase('opening', options.out ?? 'standard output');
    if (shard) {
      const file = await openOutput(partPath(options.out!, shard));
      const header: PartHeader = { curie_part: 1, shard: shard.index, shards: shard.count, total: xc.length, run: runDigest(inputHash, settings), format, description: { ...description, xc: Array.from(xc), yc: Array.from(yc) } };
      await file.write(`${JSON.stringify(header)}\n`);
      sink = {
        write: (i, r) => file.write(ndjsonLine({ i, ...r })),
        close: () => file.commit(),
        abort: () => file.abort(),
      };
    } else sink = await openSink(format, options.out, description);

    const progress = createProgress(progressMode(options.progress, options.quiet ?? false), shard ? `curie map (shard ${shard.index}/${shard.count})` : 'curie map');
    // Rows are written in window order by one chain of promises, so back-pressure paces the map.
    // A failed write (disk full, reader gone) stops the map at once: nothing more can be delivered.
    let writing = Promise.resolve();
    let writeFailure: unknown;
    const stopWriting = new AbortController();
    const emit = (local: number, record: Record<string, number | string | null>) => {
      const i = indices[local];
      const row = centres ? { ...record, lon: centres.lon[i], lat: centres.lat[i] } : record;
      writing = writing
        .then(() => (writeFailure === undefined ? sink.write(i, row) : undefined))
        .catch((error: unknown) => {
          writeFailure ??= error;
          stopWriting.abort(error);
        });
    };
    const common = { workers, signal: AbortSignal.any([signal, stopWriting.signal]), taper, power, onProgress: ({ done, total }: { done: number; total: number }) => progress.update(done, total) };
    phase('fitting', `${indices.length} windows`);
    try {
      if (method === 'bouligand') {
        const map = await optimiser.optimiseRoutine(window, mine.xc, mine.yc, { ...common, ...start, level, onWindow: (i, row) => emit(i, bouligandRecord(mine.xc[i], mine.yc[i], row)) });
        progress.stop();
        if (!options.quiet) process.stderr.write(`${verdictSummary(map.verdict, level)}\n`);
      }
      else
        await optimiser.parallelise('tanaka', window, mine.xc, mine.yc, {
          ...common,
          kminRange,
          kmaxRange,
          onResult: (i, result) => emit(i, tanakaRecord(mine.xc[i], mine.yc[i], result)),
        });
      await writing;
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the sink's own failure, rethrown as it came
      if (writeFailure !== undefined) throw writeFailure;
      phase('writing', options.out ?? 'standard output');
      await sink.close();
    } catch (error) {
      await writing;
      await sink.abort();
      throw writeFailure ?? error;
    } finally {
      progress.stop();
    }
  } finally {
    await optimiser.close();
  }
}

/** `--to`, `--cell`, `--from`, `--resample` of `curie map`: reproject the input before mapping. */
interface Reprojection {
  to: string;
  from: string | null;
  /** Grid cell (node spacing) of the reprojected grid, metres. */
  cell: number;
  method: 'bilinear' | 'cubic' | 'nearest';
}

function parseReprojection(options: MapCommandOptions): Reprojection | undefined {
  if (options.to === undefined) {
    for (const [flag, value] of [['--cell', options.cell], ['--from', options.from], ['--resample', options.resample]] as const)
      if (value !== undefined) throw new CurieError('E_ARGUMENT', `${flag} reprojects the input and needs --to EPSG:CODE, the CRS to map in`);
    return undefined;
  }
  if (options.cell === undefined) throw new CurieError('E_ARGUMENT', `--to ${options.to} needs --cell, the grid cell of the reprojected grid (e.g. --cell 5km); --spacing is the spacing of window centres`);
  const method = options.resample ?? 'bilinear';
  if (method !== 'bilinear' && method !== 'cubic' && method !== 'nearest') throw new CurieError('E_ARGUMENT', `--resample '${method}' must be bilinear, cubic or nearest`);
  return { to: options.to, from: options.from ?? null, cell: parseDistance(options.cell, '--cell'), method };
}

// proj4 is slow to load: the CLI loads the projection code only for maps that need it.
async function reprojectInput(raster: Raster, r: Reprojection): Promise<Raster> {
  const { reproject } = await import('../grid/reproject.js');
  return reproject(raster, r.to, { spacing: r.cell, method: r.method, ...(r.from ? { from: r.from } : {}) });
}

/**
 * The WGS84 lon/lat of window centres in the grid's CRS, or undefined when the grid has no CRS.
 * A CRS proj4 cannot use (a WKT without an EPSG code) drops the columns with a warning rather than
 * the map.
 */
async function centreLonLat(crs: string | undefined): Promise<((x: Float64Array, y: Float64Array) => { lon: Float64Array; lat: Float64Array }) | undefined> {
  if (crs === undefined) return undefined;
  const { resolveCrs, toLonLat } = await import('../io/crs.js');
  try {
    resolveCrs(crs);
  } catch (error) {
    warn('CURIE_NO_LONLAT', `no lon/lat columns: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  return (x, y) => toLonLat(x, y, crs);
}
