import ndarray from 'ndarray';
import { CurieError, fmt } from '../errors.js';
import { checkAllocation } from '../memory-budget.js';
import { type Raster, sharedFloat64 } from './raster.js';

/**
 * Parse an `x y value` text grid (XYZ) into a {@link Raster}.
 *
 * Format: one point per line, three columns separated by spaces, tabs or commas (any run of them
 * counts as one separator); blank lines and lines starting with `#` are skipped; the first
 * non-comment line may be a header (it is recognised by its x or y not being a number). Values
 * may be `nan`/`NaN` (missing). Lines may come in any order.
 *
 * The points must form a complete regular lattice: every x within tolerance of `xmin + i·dx`
 * (same for y) and every node present exactly once. The tolerance is 1e-6 × spacing, widened to
 * two float32 ulps of the largest coordinate (at most 1 % of the spacing) because real files are
 * often written from single-precision grids (e.g. −44.9500008 for −44.95).
 *
 * The result is geographic: row 0 is the smallest y, column 0 the smallest x, so a file whose
 * first column varies slowest (PyCurious's `test_mag_data.txt`) loads as the transpose of the
 * array PyCurious builds by `reshape`. `xmin…ymax` are the smallest and largest coordinates in the
 * file (node coordinates, in the file's units: metres for projected data).
 *
 * @param text the whole file.
 * @param source name of the file for error messages (default `'text grid'`).
 * @throws CurieError `E_FORMAT` for a line that is not three numbers (naming the line),
 *   `E_LATTICE` for points off the lattice, repeated or missing nodes.
 */
export function parseXYZ(text: string, source = 'text grid', options: TextGridOptions = {}): Raster {
  return rasterFromPoints(readPoints(text, source, options), source);
}

/**
 * {@link parseXYZ} of a file's bytes (UTF-8), read in chunks: a text larger than JavaScript's
 * longest string (512 MiB) loads too, with memory proportional to its number of points.
 * @throws CurieError as {@link parseXYZ}; `E_MEMORY` when the points or the lattice exceed the memory budget
 */
export function parseXYZBytes(bytes: Uint8Array, source = 'text grid', options: TextGridOptions = {}): Raster {
  return rasterFromPoints(readPointsFromBytes(bytes, source, options), source);
}

/** Options of the text readers. */
export interface TextGridOptions {
  /**
   * 1-based columns of x, y and the value (default `[1, 2, 3]`: lines of exactly three columns);
   * with columns given, lines may hold more columns than these (e.g. `[2, 3, 5]` of a 5-column file).
   */
  columns?: readonly [x: number, y: number, value: number];
}

/** Check `columns`: three whole numbers ≥ 1 (`E_ARGUMENT` otherwise). */
function checkColumns(columns: readonly number[]): void {
  if (!Array.isArray(columns) || columns.length !== 3 || !columns.every((c) => Number.isInteger(c) && c >= 1))
    throw new CurieError(
      'E_ARGUMENT',
      `columns ${JSON.stringify(columns)} must be three column numbers from 1 (x, y, value), e.g. [1, 2, 3]`,
    );
}

/** The lattice holding `points` as a raster (see {@link parseXYZ}); `points` come from an {@link XyzPointReader}. */
export function rasterFromPoints(points: Points, source: string): Raster {
  const xAxis = latticeAxis(points.x, points.count, 'x', source, points.line);
  const yAxis = latticeAxis(points.y, points.count, 'y', source, points.line);
  const values = placeOnLattice(points, xAxis, yAxis, source);
  return {
    data: ndarray(values, [yAxis.nodes, xAxis.nodes]),
    xmin: xAxis.min,
    xmax: xAxis.max,
    ymin: yAxis.min,
    ymax: yAxis.max,
  };
}

/** The points of the file in file order, with the line each came from (1-based). */
export interface Points {
  count: number;
  x: Float64Array;
  y: Float64Array;
  value: Float64Array;
  line: Int32Array;
}

/** One lattice axis: nodes at `min + i·spacing`, i = 0 … nodes − 1. */
interface Axis {
  name: 'x' | 'y';
  min: number;
  max: number;
  spacing: number;
  nodes: number;
  tolerance: number;
}

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const COMMA = 44;
const HASH = 35;

function isSeparator(code: number): boolean {
  return code === SPACE || code === TAB || code === COMMA || code === CR;
}

/** Bytes of memory per point: the points' arrays (28) and the lattice step's sort copy and index (12). */
const BYTES_PER_POINT = 40;
/** A line longer than this is not an `x y value` line: refused rather than held whole in memory. */
const MAX_LINE_LENGTH = 16 * 2 ** 20;

/**
 * The points of an `x y value` text, read chunk by chunk ({@link XyzPointReader.push}) so that a
 * file of any size is never held as one string: memory grows with the number of points (typed
 * arrays that double, checked against the memory budget), not with the text. Chunks may end
 * anywhere, mid-line, mid-number or mid-character (UTF-8 is decoded as a stream); the points,
 * line numbers and messages are those of the whole text read at once.
 *
 * Tokenising scans character codes (no regex split, no per-line array): nothing is allocated per
 * line but the numbers (`npm run bench` times the 93 025-line reference file).
 */
export class XyzPointReader {
  readonly #source: string;
  readonly #decoder = new TextDecoder('utf-8');
  #points: Points;
  #capacity: number;
  /** The text after the last line break seen (a line still being read). */
  #carry = '';
  #lineNumber = 0;
  #headerAllowed = true;
  /** 0-based token of x, y and the value; whether lines must hold exactly three tokens. */
  readonly #picks: readonly [number, number, number];
  readonly #exact: boolean;
  readonly #starts: number[];
  readonly #ends: number[];

  /**
   * @param source name of the input for error messages
   * @param expectedPoints how many points to make room for at first (they grow by doubling):
   *   e.g. the number of lines when the whole file is at hand
   * @param options `columns` of x, y and the value (see {@link TextGridOptions})
   */
  constructor(source: string, expectedPoints = 0, options: TextGridOptions = {}) {
    if (options.columns !== undefined) checkColumns(options.columns);
    const columns = options.columns ?? [1, 2, 3];
    this.#picks = [columns[0] - 1, columns[1] - 1, columns[2] - 1];
    this.#exact = options.columns === undefined;
    this.#starts = new Array<number>(Math.max(...columns)).fill(0);
    this.#ends = new Array<number>(Math.max(...columns)).fill(0);
    this.#source = source;
    this.#capacity = Math.max(16, expectedPoints);
    this.#checkBudget(this.#capacity);
    this.#points = allocatePoints(this.#capacity);
  }

  /** Read the next chunk of the file's bytes. */
  push(bytes: Uint8Array): void {
    this.pushText(this.#decoder.decode(bytes, { stream: true }));
  }

  /** Read the next chunk of already decoded text (for {@link parseXYZ}). */
  pushText(text: string): void {
    const last = text.lastIndexOf('\n');
    if (last === -1) {
      this.#carry += text;
      if (this.#carry.length > MAX_LINE_LENGTH) {
        throw new CurieError(
          'E_FORMAT',
          `${this.#source}: line ${this.#lineNumber + 1} is longer than ${MAX_LINE_LENGTH} characters; expected "x y value" lines`,
        );
      }
      return;
    }
    // The pending line and this chunk's whole lines are scanned as one text; the rest waits.
    const whole = this.#carry === '' ? text : this.#carry + text;
    const end = whole.length - (text.length - last);
    this.#carry = text.slice(last + 1);
    this.#scan(whole, end + 1);
  }

  /** The points of the whole text, after its last chunk. */
  finish(): Points {
    const rest = this.#carry + this.#decoder.decode();
    this.#carry = '';
    if (rest !== '') this.#scan(rest, rest.length);
    const points = this.#points;
    if (points.count === 0)
      throw new CurieError('E_FORMAT', `${this.#source} has no data lines (expected "x y value" lines)`);
    return points;
  }

  #checkBudget(capacity: number): void {
    checkAllocation(
      `reading ${fmt(capacity)} points of ${this.#source}`,
      capacity * BYTES_PER_POINT,
      'crop or thin the input',
    );
  }

  /** Read the lines of `text` before `limit` (the text after a line break, or the end of the input). */
  #scan(text: string, limit: number): void {
    const starts = this.#starts;
    const ends = this.#ends;
    const source = this.#source;
    for (let lineStart = 0; lineStart < limit;) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd === -1 || lineEnd > limit) lineEnd = limit;
      const lineNumber = ++this.#lineNumber;
      let tokens = 0;
      for (let p = lineStart; p < lineEnd;) {
        while (p < lineEnd && isSeparator(text.charCodeAt(p))) p++;
        if (p === lineEnd) break;
        const start = p;
        while (p < lineEnd && !isSeparator(text.charCodeAt(p))) p++;
        if (tokens < starts.length) {
          starts[tokens] = start;
          ends[tokens] = p;
        }
        tokens++;
      }
      const thisLineStart = lineStart;
      lineStart = lineEnd + 1;
      if (tokens === 0 || text.charCodeAt(starts[0]) === HASH) continue;

      const [ix, iy, iv] = this.#picks;
      const token = (i: number) => text.slice(starts[i], ends[i]);
      const x = tokens > ix ? Number(token(ix)) : NaN;
      const y = tokens > iy ? Number(token(iy)) : NaN;
      if (this.#headerAllowed && (Number.isNaN(x) || Number.isNaN(y))) {
        this.#headerAllowed = false; // a header line: column names, skipped
        continue;
      }
      this.#headerAllowed = false;
      const where = `${source}: line ${lineNumber}`;
      if (this.#exact ? tokens !== 3 : tokens < starts.length) {
        const line = text.slice(thisLineStart, lineEnd).trim();
        const expected = this.#exact
          ? '3 columns (x y value)'
          : `at least ${starts.length} columns (x, y, value in columns ${ix + 1}, ${iy + 1}, ${iv + 1})`;
        throw new CurieError(
          'E_FORMAT',
          `${where}: expected ${expected}, found ${tokens} in "${clip(line)}"${this.#exact && tokens > 3 ? '; choose the columns of x, y and the value (columns option, --columns)' : ''}`,
        );
      }
      if (!Number.isFinite(x)) throw notFinite(where, 'x', token(ix));
      if (!Number.isFinite(y)) throw notFinite(where, 'y', token(iy));
      const value = parseValue(token(iv));
      if (value === undefined) {
        throw new CurieError(
          'E_FORMAT',
          `${where}: value = "${clip(token(iv))}" is not a number (use nan for missing values)`,
        );
      }
      let points = this.#points;
      if (points.count === this.#capacity) {
        this.#capacity *= 2;
        this.#checkBudget(this.#capacity);
        points = this.#points = growPoints(points, this.#capacity);
      }
      const k = points.count++;
      points.x[k] = x;
      points.y[k] = y;
      points.value[k] = value;
      points.line[k] = lineNumber;
    }
  }
}

/** The points of a whole text (see {@link XyzPointReader}). */
export function readPoints(text: string, source: string, options: TextGridOptions = {}): Points {
  const reader = new XyzPointReader(source, Math.min(text.length >> 4, 1 << 24), options);
  reader.pushText(text);
  return reader.finish();
}

/** Bytes fed to a text reader at a time: large enough to amortise calls, small next to the string limit. */
const CHUNK_BYTES = 8 * 2 ** 20;

/** Line breaks in `bytes`, plus one: room for every point a file can hold, so its arrays never regrow. */
function lineCount(bytes: Uint8Array): number {
  let lines = 1;
  for (let at = bytes.indexOf(LF); at !== -1; at = bytes.indexOf(LF, at + 1)) lines++;
  return lines;
}

/** The points of a whole file's bytes, read in chunks (see {@link XyzPointReader}). */
export function readPointsFromBytes(bytes: Uint8Array, source: string, options: TextGridOptions = {}): Points {
  const reader = new XyzPointReader(source, lineCount(bytes), options);
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) reader.push(bytes.subarray(at, at + CHUNK_BYTES));
  return reader.finish();
}

function notFinite(where: string, name: 'x' | 'y', token: string): CurieError {
  return new CurieError('E_FORMAT', `${where}: ${name} = "${clip(token)}" is not a finite number`);
}

/** A finite number or NaN (`nan`, `NaN`, `-nan`, …); undefined when the token is not a number. */
function parseValue(token: string): number | undefined {
  const value = Number(token);
  if (Number.isFinite(value)) return value;
  return /^[+-]?nan$/i.test(token) ? NaN : undefined;
}

/**
 * Find the lattice along one axis. Repeated coordinates of one node are merged when they differ by
 * less than half the smallest spacing a complete lattice of `count` points can have; the spacing is
 * then the median gap between distinct coordinates (robust to a stray point or a missing column),
 * refined to `(max − min)/(nodes − 1)` so that nodes far from `min` do not accumulate its error.
 */
function latticeAxis(
  coordinates: Float64Array,
  count: number,
  name: 'x' | 'y',
  source: string,
  lines: ArrayLike<number>,
): Axis {
  const sorted = coordinates.slice(0, count).sort();
  const min = sorted[0];
  const max = sorted[count - 1];
  const range = max - min;
  if (range === 0) {
    throw new CurieError(
      'E_LATTICE',
      `${source}: every point has ${name} = ${fmt(min)}; a grid needs at least 2 distinct ${name} values`,
    );
  }
  // The span of the central 98 % of the points: a stray point far outside must not set the scale
  // below which repeats of one node are merged (it would merge every node into one).
  const bulk = sorted[Math.floor(0.99 * (count - 1))] - sorted[Math.ceil(0.01 * (count - 1))];
  const mergeBelow = (0.5 * (bulk > 0 ? bulk : range)) / (count - 1);
  let widest = 0,
    widestAt = 0;
  for (let k = 1; k < count; k++)
    if (sorted[k] - sorted[k - 1] > widest) {
      widest = sorted[k] - sorted[k - 1];
      widestAt = k;
    }
  const strayBelow = widestAt <= count - widestAt;
  const others = strayBelow ? [sorted[widestAt], max] : [min, sorted[widestAt - 1]];
  // The gaps reuse the sorted copy's front (a gap is written at or before the value it follows).
  let distinct = 0;
  for (let k = 1; k < count; k++) {
    const gap = sorted[k] - sorted[k - 1];
    if (gap > mergeBelow) sorted[distinct++] = gap;
  }
  const typicalGap = sorted.subarray(0, distinct).sort()[distinct >> 1];
  // One gap far wider than the lattice's step with few points beyond it: those points are strays
  // (a typo, a point of another file), not a lattice with missing columns. Blame the stray's line.
  const beyond = Math.min(widestAt, count - widestAt);
  if (widest > 4 * typicalGap && beyond <= Math.max(1, 0.01 * count)) {
    const stray = strayBelow ? min : max;
    const k = coordinates.subarray(0, count).indexOf(stray);
    throw new CurieError(
      'E_LATTICE',
      `${source}: line ${lines[k]}: ${name} = ${fmt(stray)} is ${fmt(widest)} away from the other points, whose ${name} runs ${fmt(others[0])} … ${fmt(others[1])} every ${fmt(typicalGap)}; fix or remove that line`,
    );
  }
  const steps = range / typicalGap;
  const nodes = Math.round(steps) + 1;
  // A stray point at either end would stretch the refined spacing and make every other point look
  // off the lattice: refine only when the range is a whole number of typical gaps.
  const spacing = Math.abs(steps - Math.round(steps)) <= 0.01 ? range / (nodes - 1) : typicalGap;
  const largest = Math.max(Math.abs(min), Math.abs(max));
  const tolerance = Math.max(1e-6 * spacing, Math.min(2 * float32Ulp(largest), 0.01 * spacing));
  return { name, min, max, spacing, nodes, tolerance };
}

/** Spacing of float32 numbers near `magnitude` (> 0). */
function float32Ulp(magnitude: number): number {
  return magnitude > 0 ? 2 ** (Math.floor(Math.log2(magnitude)) - 23) : 0;
}

/** Lattice index of `coordinate`, or −1 when it is not within tolerance of a node. */
function nodeIndex(coordinate: number, axis: Axis): number {
  const i = Math.round((coordinate - axis.min) / axis.spacing);
  return Math.abs(coordinate - (axis.min + i * axis.spacing)) <= axis.tolerance ? i : -1;
}

/** Put every value at its node (row = y index, column = x index), checking the lattice is complete. */
function placeOnLattice(points: Points, xAxis: Axis, yAxis: Axis, source: string): Float64Array {
  const nx = xAxis.nodes;
  const ny = yAxis.nodes;
  const index = new Int32Array(points.count);
  for (let k = 0; k < points.count; k++) {
    const ix = nodeIndex(points.x[k], xAxis);
    const iy = nodeIndex(points.y[k], yAxis);
    if (ix < 0 || iy < 0) {
      const axis = ix < 0 ? xAxis : yAxis;
      const coordinate = ix < 0 ? points.x[k] : points.y[k];
      throw new CurieError(
        'E_LATTICE',
        `${source}: line ${points.line[k]}: ${axis.name} = ${fmt(coordinate)} is not on the ${fmt(axis.spacing)}-spaced lattice starting at ${fmt(axis.min)}; text grids must be regular`,
      );
    }
    index[k] = iy * nx + ix;
  }
  const lattice = `the ${nx} × ${ny} lattice (spacing ${fmt(xAxis.spacing)} × ${fmt(yAxis.spacing)})`;
  // Far more nodes than points: some are missing for sure; do not allocate a huge table to find which.
  if (nx * ny > 4 * points.count + 1_000_000) {
    throw new CurieError(
      'E_LATTICE',
      `${source}: ${points.count} points cannot fill ${lattice}; text grids must have every node exactly once`,
    );
  }
  checkAllocation(`${lattice} of ${source}`, 12 * nx * ny, 'crop the input');
  const lineAt = new Int32Array(nx * ny); // 0 = no point yet
  const values = sharedFloat64(nx * ny);
  for (let k = 0; k < points.count; k++) {
    const node = index[k];
    if (lineAt[node] !== 0) {
      throw new CurieError(
        'E_LATTICE',
        `${source}: line ${points.line[k]}: node x = ${fmt(points.x[k])}, y = ${fmt(points.y[k])} repeats line ${lineAt[node]}; text grids must have every node exactly once`,
      );
    }
    lineAt[node] = points.line[k];
    values[node] = points.value[k];
  }
  const missing = lineAt.indexOf(0);
  if (missing !== -1) {
    const x = xAxis.min + (missing % nx) * xAxis.spacing;
    const y = yAxis.min + Math.floor(missing / nx) * yAxis.spacing;
    throw new CurieError(
      'E_LATTICE',
      `${source}: no point for node x = ${fmt(x)}, y = ${fmt(y)} of ${lattice}; text grids must have every node exactly once`,
    );
  }
  return values;
}

function allocatePoints(capacity: number): Points {
  return {
    count: 0,
    x: new Float64Array(capacity),
    y: new Float64Array(capacity),
    value: new Float64Array(capacity),
    line: new Int32Array(capacity),
  };
}

function growPoints(points: Points, capacity: number): Points {
  const grown = allocatePoints(capacity);
  grown.count = points.count;
  grown.x.set(points.x);
  grown.y.set(points.y);
  grown.value.set(points.value);
  grown.line.set(points.line);
  return grown;
}

/** Keep quoted input short in a one-line message. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
