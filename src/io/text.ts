import ndarray from 'ndarray';
import { CurieError, fmt } from '../errors.js';
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
export function parseXYZ(text: string, source = 'text grid'): Raster {
  const points = readPoints(text, source);
  const xAxis = latticeAxis(points.x, points.count, 'x', source);
  const yAxis = latticeAxis(points.y, points.count, 'y', source);
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
const CR = 13;
const SPACE = 32;
const COMMA = 44;
const HASH = 35;

function isSeparator(code: number): boolean {
  return code === SPACE || code === TAB || code === COMMA || code === CR;
}

/**
 * Tokenise by scanning character codes (no regex split, no per-line array): this keeps the
 * 93 025-line reference file well under 100 ms.
 */
export function readPoints(text: string, source: string): Points {
  let capacity = Math.max(16, text.length >> 4);
  let points: Points = allocatePoints(capacity);
  const starts = [0, 0, 0];
  const ends = [0, 0, 0];
  let headerAllowed = true;
  let lineNumber = 0;
  for (let lineStart = 0; lineStart < text.length; ) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    lineNumber++;
    let tokens = 0;
    for (let p = lineStart; p < lineEnd; ) {
      while (p < lineEnd && isSeparator(text.charCodeAt(p))) p++;
      if (p === lineEnd) break;
      const start = p;
      while (p < lineEnd && !isSeparator(text.charCodeAt(p))) p++;
      if (tokens < 3) {
        starts[tokens] = start;
        ends[tokens] = p;
      }
      tokens++;
    }
    const thisLineStart = lineStart;
    lineStart = lineEnd + 1;
    if (tokens === 0 || text.charCodeAt(starts[0]) === HASH) continue;

    const token = (i: number) => text.slice(starts[i], ends[i]);
    const x = tokens > 0 ? Number(token(0)) : NaN;
    const y = tokens > 1 ? Number(token(1)) : NaN;
    if (headerAllowed && (Number.isNaN(x) || Number.isNaN(y))) {
      headerAllowed = false; // a header line: column names, skipped
      continue;
    }
    headerAllowed = false;
    const where = `${source}: line ${lineNumber}`;
    if (tokens !== 3) {
      const line = text.slice(thisLineStart, lineEnd).trim();
      throw new CurieError('E_FORMAT', `${where}: expected 3 columns (x y value), found ${tokens} in "${clip(line)}"`);
    }
    if (!Number.isFinite(x)) throw notFinite(where, 'x', token(0));
    if (!Number.isFinite(y)) throw notFinite(where, 'y', token(1));
    const value = parseValue(token(2));
    if (value === undefined) {
      throw new CurieError('E_FORMAT', `${where}: value = "${clip(token(2))}" is not a number (use nan for missing values)`);
    }
    if (points.count === capacity) {
      capacity *= 2;
      points = growPoints(points, capacity);
    }
    const k = points.count++;
    points.x[k] = x;
    points.y[k] = y;
    points.value[k] = value;
    points.line[k] = lineNumber;
  }
  if (points.count === 0) throw new CurieError('E_FORMAT', `${source} has no data lines (expected "x y value" lines)`);
  return points;
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
function latticeAxis(coordinates: Float64Array, count: number, name: 'x' | 'y', source: string): Axis {
  const sorted = coordinates.slice(0, count).sort();
  const min = sorted[0];
  const max = sorted[count - 1];
  const range = max - min;
  if (range === 0) {
    throw new CurieError('E_LATTICE', `${source}: every point has ${name} = ${fmt(min)}; a grid needs at least 2 distinct ${name} values`);
  }
  const mergeBelow = (0.5 * range) / (count - 1);
  const gaps: number[] = [];
  for (let k = 1; k < count; k++) {
    const gap = sorted[k] - sorted[k - 1];
    if (gap > mergeBelow) gaps.push(gap);
  }
  gaps.sort((a, b) => a - b);
  const typicalGap = gaps[gaps.length >> 1];
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
    throw new CurieError('E_LATTICE', `${source}: ${points.count} points cannot fill ${lattice}; text grids must have every node exactly once`);
  }
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
