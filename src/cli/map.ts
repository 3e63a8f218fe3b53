/**
 * `curie map`: fit every window of a raster and write the map, streaming rows in window order.
 * In four steps: the options are parsed and checked ({@link parseMapOptions}), the input read
 * (and reprojected), the windows planned ({@link planMap}), then fitted and written in order
 * ({@link fitAndWrite}).
 */
import { createHash, type Hash } from 'node:crypto';
import { CurieOptimiser } from '../CurieOptimiser.js';
import { CurieError, fmt, warn } from '../errors.js';
import type { Raster } from '../io/raster.js';
import type { TanakaResult } from '../inversion/window-routines.js';
import type { Taper } from '../spectrum/taper.js';
import type { CommandContext } from './context.js';
import { parseDistance } from './distance.js';
import { parseChoice, parseLevel, parseNumber, parseRange, parseTaper, parseWorkers } from './options.js';
import { openPartSink, partPath } from './part-file.js';
import { parsePriors } from './prior-option.js';
import { readInput } from './input.js';
import { phase } from './phase.js';
import { createProgress, progressMode } from './progress.js';
import { bouligandRecord, fieldsOf, type Method, tanakaRecord } from './records.js';
import { parseShard, type Shard } from './shard.js';
import { type Format, formatFor, type MapDescription, openSink, type Sink } from './sinks.js';
import { checkOutput } from '../io/output-target.js';
import { VERDICTS } from '../inversion/verdict.js';
import { TANAKA_RANGE } from '../models/tanaka.js';
import { checkConvention, type Convention, defaultTaper, tanakaPower } from '../spectrum/convention.js';

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
  taper?: string;
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

/** `--to`, `--cell`, `--from`, `--resample` of `curie map`: reproject the input before mapping. */
interface Reprojection {
  to: string;
  from: string | null;
  /** Grid cell (node spacing) of the reprojected grid, metres. */
  cell: number;
  method: 'bilinear' | 'cubic' | 'nearest';
}

/** The options of `curie map` parsed and checked: everything that can be judged before reading the input. */
interface MapSettings {
  method: Method;
  /** Window side and centre spacing (undefined: every node), metres. */
  window: number;
  spacing: number | undefined;
  workers: number | undefined;
  taper: Taper;
  convention: Convention;
  level: number;
  power: number;
  /** Starting values of the fit (undefined: the library's). */
  start: { beta?: number; zt?: number; dz?: number; C?: number };
  priors: ReturnType<typeof parsePriors>;
  /** Tanaka's frequency ranges, cycles/km. */
  kminRange: [number, number];
  kmaxRange: [number, number];
  shard: Shard | undefined;
  out: string | undefined;
  format: Format;
  reprojection: Reprojection | undefined;
}

/**
 * Parse and check every option of `curie map`: a mistake ends the command before the input is read.
 * @throws CurieError `E_ARGUMENT` naming the option
 */
function parseMapOptions(options: MapCommandOptions): MapSettings {
  const window = parseDistance(options.window, '--window');
  const spacing = options.spacing === undefined ? undefined : parseDistance(options.spacing, '--spacing');
  const method = parseChoice(options.method, '--method', ['bouligand', 'tanaka'] as const);
  const workers = parseWorkers(options.workers);
  const convention = checkConvention(options.convention ?? 'default');
  const taper = parseTaper(options.taper) ?? defaultTaper(convention);
  const level = parseLevel(options.level);
  const power = parseNumber(options.power, '--power') ?? (method === 'tanaka' ? tanakaPower(convention) : 2);
  const start = {
    beta: parseNumber(options.beta, '--beta'),
    zt: parseNumber(options.zt, '--zt'),
    dz: parseNumber(options.dz, '--dz'),
    C: parseNumber(options.C, '--C'),
  };
  const priors = parsePriors(options.prior);
  const kminRange = parseRange(options.kminRange, '--kmin-range') ?? [...TANAKA_RANGE];
  const kmaxRange = parseRange(options.kmaxRange, '--kmax-range') ?? [...TANAKA_RANGE];
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  if (shard && options.out === undefined)
    throw new CurieError(
      'E_ARGUMENT',
      '--shard needs --out FILE: each shard writes FILE.part-I-of-N.ndjson for curie merge',
    );
  const format = formatFor(options.out, options.format);
  if (options.progress !== undefined) parseChoice(options.progress, '--progress', ['bar', 'lines', 'none']);
  const reprojection = parseReprojection(options);
  return {
    method,
    window,
    spacing,
    workers,
    taper,
    convention,
    level,
    power,
    start,
    priors,
    kminRange,
    kmaxRange,
    shard,
    out: options.out,
    format,
    reprojection,
  };
}

function parseReprojection(options: MapCommandOptions): Reprojection | undefined {
  if (options.to === undefined) {
    for (const [flag, value] of [
      ['--cell', options.cell],
      ['--from', options.from],
      ['--resample', options.resample],
    ] as const)
      if (value !== undefined)
        throw new CurieError('E_ARGUMENT', `${flag} reprojects the input and needs --to EPSG:CODE, the CRS to map in`);
    return undefined;
  }
  if (options.cell === undefined)
    throw new CurieError(
      'E_ARGUMENT',
      `--to ${options.to} needs --cell, the grid cell of the reprojected grid (e.g. --cell 5km); --spacing is the spacing of window centres`,
    );
  const method = parseChoice(options.resample ?? 'bilinear', '--resample', ['bilinear', 'cubic', 'nearest'] as const);
  return { to: options.to, from: options.from ?? null, cell: parseDistance(options.cell, '--cell'), method };
}

/** Bytes hashed per turn of the event loop (~20 ms): a 200 MB input takes about half a second. */
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

// proj4 takes ~0.2 s to load: the CLI loads the projection code only for maps that need it.
async function reprojectInput(raster: Raster, r: Reprojection): Promise<Raster> {
  const { reproject } = await import('../grid/reproject.js');
  return reproject(raster, r.to, { spacing: r.cell, method: r.method, ...(r.from ? { from: r.from } : {}) });
}

/** Lon/lat (WGS84 degrees) of window centres given in the grid's CRS. */
type CentreLonLat = (x: Float64Array, y: Float64Array) => { lon: Float64Array; lat: Float64Array };

/**
 * The WGS84 lon/lat of window centres in the grid's CRS, or undefined when the grid has no CRS.
 * A CRS proj4 cannot use (a WKT without an EPSG code) drops the columns with a warning rather than
 * the map.
 */
async function centreLonLat(crs: string | undefined): Promise<CentreLonLat | undefined> {
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

/** The windows of a map and how its output describes them. */
interface MapPlan {
  /** Centres of all windows of the map, metres. */
  xc: Float64Array;
  yc: Float64Array;
  /** This process's windows (all, or those i with i mod N = I of a shard), as indices into xc, yc. */
  indices: number[];
  /** Lon/lat of every centre, when the grid has a CRS proj4 knows. */
  centres: { lon: Float64Array; lat: Float64Array } | undefined;
  /** The options that change the results, as recorded in the output's metadata and the run digest. */
  recorded: Record<string, unknown>;
  description: MapDescription;
}

/**
 * The map's windows, after checking once what every window shares (the spacing, a window too
 * small or too large, starting values, the power): an error now is one line before any output.
 */
function planMap(
  optimiser: CurieOptimiser,
  s: MapSettings,
  raster: Raster,
  inputHash: Hash,
  lonLat: CentreLonLat | undefined,
): MapPlan {
  const { method, window, spacing } = s;
  if (spacing !== undefined && spacing < optimiser.dx * (1 - 1e-9))
    throw new CurieError(
      'E_ARGUMENT',
      `--spacing ${fmt(spacing)} m is below the grid's cell size ${fmt(optimiser.dx)} m; use at least the cell size`,
    );
  optimiser.checkArguments(method === 'bouligand' ? 'optimise' : 'tanaka', window, {
    taper: s.taper,
    power: s.power,
    ...s.start,
    level: s.level,
    kminRange: s.kminRange,
    kmaxRange: s.kmaxRange,
  });
  const { xc, yc } = optimiser.createCentroidList(
    window,
    spacing === undefined ? {} : { spacingX: spacing, spacingY: spacing },
  );
  const tanaka = method === 'tanaka';
  const recorded = {
    method,
    window,
    spacing: spacing ?? null,
    taper: s.taper,
    power: s.power,
    start: s.start,
    priors: s.priors,
    convention: s.convention,
    level: tanaka ? null : s.level,
    kminRange: tanaka ? s.kminRange : null,
    kmaxRange: tanaka ? s.kmaxRange : null,
    ...(s.reprojection ? { reprojection: s.reprojection } : {}),
  };
  const centres = lonLat?.(xc, yc);
  const grid = {
    rows: optimiser.ny,
    cols: optimiser.nx,
    xmin: optimiser.xmin,
    xmax: optimiser.xmax,
    ymin: optimiser.ymin,
    ymax: optimiser.ymax,
  };
  const description: MapDescription = {
    method,
    fields: fieldsOf(method, centres !== undefined),
    xc,
    yc,
    spacing: { spacingX: spacing ?? optimiser.dx, spacingY: spacing ?? optimiser.dy },
    crs: raster.crs,
    metadata: {
      ...recorded,
      windows: xc.length,
      crs: raster.crs ?? null,
      grid,
      input_sha256: inputHash.copy().digest('hex'),
    },
  };
  const shard = s.shard;
  const indices = Array.from(xc, (_, i) => i).filter((i) => !shard || i % shard.count === shard.index);
  return { xc, yc, indices, centres, recorded, description };
}

/** Where the rows go: the whole map's output, or a shard's part file (its header names the run). */
async function openMapSink(s: MapSettings, plan: MapPlan, inputHash: Hash, context: CommandContext): Promise<Sink> {
  if (!s.shard) return openSink(s.format, s.out, plan.description, context.io.stdout);
  // Digest of the input and of every option that changes results: parts of one run share it.
  const run = inputHash.copy().update(JSON.stringify(plan.recorded)).digest('hex');
  return openPartSink(s.out!, s.shard, { run, format: s.format, description: plan.description });
}

/**
 * Rows handed to `sink` in window order by one chain of promises, so that back-pressure paces the
 * map. A failed write (disk full, reader gone) aborts `stopped` at once: nothing more can be delivered.
 */
function orderedWriter(sink: Sink) {
  let writing = Promise.resolve();
  let failure: unknown;
  const stop = new AbortController();
  return {
    stopped: stop.signal,
    write(i: number, row: Record<string, number | string | null>) {
      writing = writing
        .then(() => (failure === undefined ? sink.write(i, row) : undefined))
        .catch((error: unknown) => {
          failure ??= error;
          stop.abort(error);
        });
    },
    /** Wait for every write; the first write error, if any, as `failure`. */
    async settle(): Promise<{ failure: unknown }> {
      await writing;
      return { failure };
    },
  };
}

/** Fit this process's windows, each row written as soon as it and those before it are done; then close the sink. */
async function fitAndWrite(
  optimiser: CurieOptimiser,
  s: MapSettings,
  plan: MapPlan,
  sink: Sink,
  quiet: boolean,
  progressOption: string | undefined,
  context: CommandContext,
): Promise<void> {
  const { indices, centres } = plan;
  const mine = { xc: Float64Array.from(indices, (i) => plan.xc[i]), yc: Float64Array.from(indices, (i) => plan.yc[i]) };
  const stderr = context.io.stderr;
  const label = s.shard ? `curie map (shard ${s.shard.index}/${s.shard.count})` : 'curie map';
  const progress = createProgress(progressMode(progressOption, quiet, stderr), label, stderr);
  const writer = orderedWriter(sink);
  const emit = (local: number, record: Record<string, number | string | null>) => {
    const i = indices[local];
    writer.write(i, centres ? { ...record, lon: centres.lon[i], lat: centres.lat[i] } : record);
  };
  const common = {
    workers: s.workers,
    signal: AbortSignal.any([context.signal, writer.stopped]),
    taper: s.taper,
    power: s.power,
    onProgress: ({ done, total }: { done: number; total: number }) => progress.update(done, total),
  };
  phase('fitting', `${indices.length} windows`);
  try {
    if (s.method === 'bouligand') {
      const map = await optimiser.optimiseRoutine(s.window, mine.xc, mine.yc, {
        ...common,
        ...s.start,
        level: s.level,
        onWindow: (i, row) => emit(i, bouligandRecord(mine.xc[i], mine.yc[i], row)),
      });
      progress.stop();
      if (!quiet) stderr.write(`${verdictSummary(map.verdict, s.level)}\n`);
    } else
      await optimiser.parallelise('tanaka', s.window, mine.xc, mine.yc, {
        ...common,
        kminRange: s.kminRange,
        kmaxRange: s.kmaxRange,
        onResult: (i, result) =>
          emit(i, tanakaRecord(mine.xc[i], mine.yc[i], result as TanakaResult | { status: number; message: string })),
      });
    const { failure } = await writer.settle();
    if (failure !== undefined)
      throw failure instanceof Error ? failure : new Error(`writing the map failed: ${JSON.stringify(failure)}`);
    phase('writing', s.out ?? 'standard output');
    await sink.close();
  } catch (error) {
    const { failure } = await writer.settle();
    await sink.abort();
    throw failure ?? error;
  } finally {
    progress.stop();
  }
}

/** Run `curie map`. Rejects with CurieError for bad input; an AbortError when `context.signal` aborts. */
export async function runMap(inputPath: string, options: MapCommandOptions, context: CommandContext): Promise<void> {
  const s = parseMapOptions(options);
  const { signal } = context;
  // The output is examined before anything is read or computed: an input given as output, a
  // directory, are refused now rather than after the map.
  if (s.out !== undefined) await checkOutput(s.shard ? partPath(s.out, s.shard) : s.out, [inputPath]);

  const input = await readInput(inputPath, {
    variable: options.variable,
    columns: options.columns,
    signal,
    stdin: context.io.stdin,
  });
  const inputHash = await hashBytes(input.bytes, signal);
  const raster = s.reprojection ? await reprojectInput(input.raster, s.reprojection) : input.raster;
  const lonLat = await centreLonLat(raster.crs);
  const optimiser = CurieOptimiser.fromRaster(raster, { priors: s.priors, convention: s.convention });
  try {
    const plan = planMap(optimiser, s, raster, inputHash, lonLat);
    // Opening waits for the reader of a FIFO, as `cat > fifo` does.
    phase('opening', s.out ?? 'standard output');
    const sink = await openMapSink(s, plan, inputHash, context);
    await fitAndWrite(optimiser, s, plan, sink, options.quiet ?? false, options.progress, context);
  } finally {
    await optimiser.close();
  }
}
