import Delaunator from 'delaunator';
import ndarray from 'ndarray';
import { CurieError, fmt } from '../errors.js';
import { type Raster, sharedFloat64 } from '../io/raster.js';
import { checkAllocation } from '../memory-budget.js';

/** Scattered data points: coordinates (metres when projected) and one value per point. */
export interface ScatteredPoints {
  /** x of every point (eastings in metres for a projected CRS). */
  x: ArrayLike<number>;
  /** y of every point (northings in metres); as many as `x`. */
  y: ArrayLike<number>;
  /** Value at every point (e.g. nT); NaN values are allowed and spread NaN to what they touch. */
  values: ArrayLike<number>;
}

/** Extent `[xmin, xmax, ymin, ymax]` of the output nodes, inclusive, in the points' units. */
export type GridExtent = readonly [xmin: number, xmax: number, ymin: number, ymax: number];

/**
 * The output lattice: an extent of node coordinates (inclusive) and either one `spacing` for x and y
 * (the extent must be a whole number of spacings: 520 000…1 020 000 m at 5 000 m is 101 columns)
 * or a `shape` `[rows, cols]` (nodes at `linspace(xmin, xmax, cols)`, `linspace(ymin, ymax, rows)`).
 */
export type GridTarget =
  | { extent: GridExtent; spacing: number; shape?: undefined }
  | { extent: GridExtent; shape: readonly [rows: number, cols: number]; spacing?: undefined };

/** Options of {@link gridScattered}. */
export interface GridScatteredOptions {
  /**
   * `'linear'` (default): Delaunay triangulation of the points and barycentric (planar)
   * interpolation in each triangle, NaN outside the convex hull, as scipy's
   * `griddata(method='linear')`. `'nearest'`: the value of the nearest point (every node gets one).
   */
  method?: 'linear' | 'nearest';
  /** CRS recorded on the raster (e.g. `'EPSG:32723'`); the points are taken to be in it already. */
  crs?: string;
}

/** Barycentric tolerance (scipy's `eps = 100·DBL_EPSILON`): a node this close to a triangle is in it. */
const EPS = 100 * Number.EPSILON;
/** Nodes beyond which the output would not fit in memory anyway: an error, not a RangeError. */
const MAX_NODES = 500_000_000;

/**
 * Interpolate scattered points onto a regular raster, as PyCurious's pipeline does with
 * `scipy.interpolate.griddata` (`'linear'` or `'nearest'`).
 *
 * The raster follows the package's conventions: row 0 is `ymin` (south), column 0 `xmin` (west),
 * the extent holds node coordinates, and the values are on a SharedArrayBuffer.
 *
 * `'linear'` triangulates the points (Delaunay, with delaunator) and interpolates linearly in the
 * triangle holding each node; nodes outside the convex hull are NaN. It reproduces a plane
 * `a + b·x + c·y` exactly (to rounding). Where four points are cocircular (a lon/lat lattice is
 * nearly so in every cell) either diagonal may be chosen, as in scipy; a node on an edge gets the
 * same value from both triangles. Of points at the same place, one is used. Nodes are located by
 * walking the triangulation from the previous node's triangle, so a grid takes milliseconds.
 *
 * `'nearest'` gives each node the value of the nearest point (Euclidean distance; on a tie, the
 * point that comes first), outside the hull too.
 *
 * @example
 * const { x, y } = transformCoordinates(lon, lat, 'EPSG:4326', 'EPSG:32723');
 * const raster = gridScattered({ x, y, values }, { extent: [520e3, 1020e3, 9520e3, 9880e3], spacing: 5e3 });
 * // raster.data.shape = [73, 101]
 * @param points coordinates (metres for projected data) and values.
 * @param target extent `[xmin, xmax, ymin, ymax]` of the nodes plus a `spacing` (same units) or a `shape`.
 * @param options method (default `'linear'`) and the CRS to record on the raster.
 * @throws CurieError `E_ARGUMENT` for lengths that differ, fewer than 3 points, a non-finite
 *   coordinate (naming the point), points all on one line (linear), a reversed or non-finite
 *   extent, a spacing ≤ 0 or one that does not divide the extent, a shape below 2 × 2, or an unknown method.
 */
export function gridScattered(points: ScatteredPoints, target: GridTarget, options: GridScatteredOptions = {}): Raster {
  const method = options.method ?? 'linear';
  if (method !== 'linear' && method !== 'nearest') {
    throw new CurieError('E_ARGUMENT', `method = "${String(method)}" is not a gridding method; use 'linear' or 'nearest'`);
  }
  const shifted = checkPoints(points);
  const lattice = checkTarget(target);
  const out = sharedFloat64(lattice.rows * lattice.cols);
  if (method === 'linear') gridLinear(shifted, lattice, out);
  else gridNearest(shifted, lattice, out);
  const raster: Raster = {
    data: ndarray(out, [lattice.rows, lattice.cols]),
    xmin: lattice.xmin,
    xmax: lattice.xmax,
    ymin: lattice.ymin,
    ymax: lattice.ymax,
  };
  if (options.crs !== undefined) raster.crs = options.crs;
  return raster;
}

/** Points as Float64Arrays, coordinates relative to (cx, cy). */
interface ShiftedPoints {
  x: Float64Array;
  y: Float64Array;
  values: Float64Array;
  count: number;
  cx: number;
  cy: number;
}

/** The nodes of the output: `xs[c]`, `ys[r]` as numpy's `linspace`. */
interface Lattice {
  rows: number;
  cols: number;
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
  xs: Float64Array;
  ys: Float64Array;
}

/**
 * The points' coordinates shifted by the centre of their bounding box (so that barycentric
 * coordinates of metre-scale UTM data keep their precision), and the values, as Float64Arrays.
 */
function checkPoints(points: ScatteredPoints): ShiftedPoints {
  const { x, y, values } = points;
  if (x.length !== y.length || x.length !== values.length) {
    throw new CurieError('E_ARGUMENT', `points have ${x.length} x, ${y.length} y and ${values.length} values; give one x, y and value per point`);
  }
  const count = x.length;
  if (count < 3) throw new CurieError('E_ARGUMENT', `${count} point${count === 1 ? '' : 's'} given; gridding needs at least 3`);
  let xlo = Infinity;
  let xhi = -Infinity;
  let ylo = Infinity;
  let yhi = -Infinity;
  for (let i = 0; i < count; i++) {
    const xi = x[i];
    const yi = y[i];
    if (!Number.isFinite(xi) || !Number.isFinite(yi)) {
      throw new CurieError('E_ARGUMENT', `point ${i} has x = ${fmt(xi)}, y = ${fmt(yi)}; every coordinate must be a finite number (drop or fix that point)`);
    }
    if (xi < xlo) xlo = xi;
    if (xi > xhi) xhi = xi;
    if (yi < ylo) ylo = yi;
    if (yi > yhi) yhi = yi;
  }
  const cx = 0.5 * (xlo + xhi);
  const cy = 0.5 * (ylo + yhi);
  const sx = new Float64Array(count);
  const sy = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    sx[i] = x[i] - cx;
    sy[i] = y[i] - cy;
  }
  return { x: sx, y: sy, values: Float64Array.from(values), count, cx, cy };
}

function checkTarget(target: GridTarget): Lattice {
  const extent = target?.extent;
  if (!extent || extent.length !== 4) {
    throw new CurieError('E_ARGUMENT', `extent = ${JSON.stringify(extent)} is not [xmin, xmax, ymin, ymax]`);
  }
  const [xmin, xmax, ymin, ymax] = extent;
  for (const [name, value] of [['xmin', xmin], ['xmax', xmax], ['ymin', ymin], ['ymax', ymax]] as const) {
    if (!Number.isFinite(value)) throw new CurieError('E_ARGUMENT', `extent ${name} = ${fmt(value)} is not a finite number`);
  }
  if (!(xmax > xmin)) throw new CurieError('E_ARGUMENT', `extent xmin = ${fmt(xmin)} is not below xmax = ${fmt(xmax)}; give [xmin, xmax, ymin, ymax]`);
  if (!(ymax > ymin)) throw new CurieError('E_ARGUMENT', `extent ymin = ${fmt(ymin)} is not below ymax = ${fmt(ymax)}; give [xmin, xmax, ymin, ymax]`);
  let rows: number;
  let cols: number;
  if (target.spacing !== undefined) {
    if (target.shape !== undefined) throw new CurieError('E_ARGUMENT', 'give either spacing or shape, not both');
    const spacing = target.spacing;
    if (!(Number.isFinite(spacing) && spacing > 0)) throw new CurieError('E_ARGUMENT', `spacing = ${fmt(spacing)} must be a positive number`);
    cols = stepsOf(xmax - xmin, spacing, 'x', xmin, xmax) + 1;
    rows = stepsOf(ymax - ymin, spacing, 'y', ymin, ymax) + 1;
  } else if (target.shape !== undefined) {
    [rows, cols] = target.shape;
    if (!(Number.isInteger(rows) && Number.isInteger(cols) && rows >= 2 && cols >= 2)) {
      throw new CurieError('E_ARGUMENT', `shape = [${fmt(rows)}, ${fmt(cols)}] must be whole numbers of rows and columns, at least 2 each`);
    }
  } else {
    throw new CurieError('E_ARGUMENT', 'give a spacing or a shape [rows, cols] with the extent');
  }
  if (rows * cols > MAX_NODES) {
    throw new CurieError('E_ARGUMENT', `a ${rows} × ${cols} raster has more than ${MAX_NODES} nodes; use a coarser spacing or a smaller extent`);
  }
  checkAllocation(`gridScattered onto a ${rows} × ${cols} raster`, 16 * rows * cols, 'use a coarser spacing or a smaller extent');
  return { rows, cols, xmin, xmax, ymin, ymax, xs: linspace(xmin, xmax, cols), ys: linspace(ymin, ymax, rows) };
}

/** Whole number of `spacing` steps in `range` (within 1e-6 of a step), else an error. */
function stepsOf(range: number, spacing: number, axis: 'x' | 'y', lo: number, hi: number): number {
  const steps = range / spacing;
  const whole = Math.round(steps);
  if (Math.abs(steps - whole) > 1e-6 || whole < 1) {
    const fitted = lo + Math.max(1, Math.floor(steps + 1e-6)) * spacing;
    throw new CurieError(
      'E_ARGUMENT',
      `extent ${axis} ${fmt(lo)}…${fmt(hi)} is not a whole number of spacings ${fmt(spacing)} (${fmt(steps)}); use ${axis}max = ${fmt(fitted)} or give a shape`,
    );
  }
  if (whole + 1 > MAX_NODES) throw new CurieError('E_ARGUMENT', `spacing = ${fmt(spacing)} gives ${whole + 1} nodes along ${axis}; use a coarser spacing`);
  return whole;
}

/** numpy's `linspace(a, b, n)`: `a + i·(b − a)/(n − 1)`, the last node exactly `b`. */
function linspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const step = (b - a) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = a + i * step;
  out[n - 1] = b;
  return out;
}

/**
 * Linear interpolation on the Delaunay triangulation. Each node is found by a directed walk from the
 * triangle of the previous node (scipy's `_find_simplex_directed`): in the current triangle,
 * compute the barycentric coordinates; if one is below −EPS, step across the edge opposite that
 * vertex (the most negative one); a hull edge there means the node is outside the hull. A walk
 * that does not finish (rounding on nearly degenerate triangles) falls back to scanning them all.
 */
function gridLinear(points: ShiftedPoints, lattice: Lattice, out: Float64Array): void {
  const { x, y, values, count, cx, cy } = points;
  const coords = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) {
    coords[2 * i] = x[i];
    coords[2 * i + 1] = y[i];
  }
  const delaunay = new Delaunator(coords);
  const triangles = delaunay.triangles;
  const halfedges = delaunay.halfedges;
  const nTriangles = triangles.length / 3;
  if (nTriangles === 0) {
    throw new CurieError('E_ARGUMENT', `the ${count} points lie on one line (or at one place); linear gridding needs points that span an area (use method 'nearest')`);
  }
  const weights = new Float64Array(3);

  /** Barycentric coordinates of (qx, qy) in triangle t into `weights`; false if t is degenerate. */
  const barycentric = (t: number, qx: number, qy: number): boolean => {
    const a = triangles[3 * t];
    const b = triangles[3 * t + 1];
    const c = triangles[3 * t + 2];
    const ax = x[a];
    const ay = y[a];
    const bax = x[b] - ax;
    const bay = y[b] - ay;
    const cax = x[c] - ax;
    const cay = y[c] - ay;
    const det = bax * cay - bay * cax;
    if (det === 0) return false;
    const qax = qx - ax;
    const qay = qy - ay;
    const wb = (qax * cay - qay * cax) / det;
    const wc = (bax * qay - bay * qax) / det;
    weights[0] = 1 - wb - wc;
    weights[1] = wb;
    weights[2] = wc;
    return true;
  };

  const bruteForce = (qx: number, qy: number): number => {
    for (let t = 0; t < nTriangles; t++) {
      if (barycentric(t, qx, qy) && weights[0] >= -EPS && weights[1] >= -EPS && weights[2] >= -EPS) return t;
    }
    return -1;
  };

  // Triangle the last walk ended in (inside or at the hull): the next node starts there.
  let current = 0;
  const maxSteps = 64 + nTriangles;
  /** Triangle holding (qx, qy) with its weights in `weights`, or −1 outside the hull. */
  const locate = (qx: number, qy: number): number => {
    let t = current;
    for (let step = 0; step < maxSteps; step++) {
      if (!barycentric(t, qx, qy)) break;
      let worst = -1;
      let worstWeight = -EPS;
      for (let k = 0; k < 3; k++) {
        if (weights[k] < worstWeight) {
          worstWeight = weights[k];
          worst = k;
        }
      }
      if (worst === -1) {
        current = t;
        return t;
      }
      // The edge opposite vertex k runs from vertex k+1 to vertex k+2: half-edge 3t + (k+1) % 3.
      const opposite = halfedges[3 * t + ((worst + 1) % 3)];
      if (opposite === -1) {
        current = t;
        return -1; // beyond a hull edge, and the hull is convex: outside it
      }
      t = Math.floor(opposite / 3);
    }
    const found = bruteForce(qx, qy);
    if (found >= 0) {
      current = found;
      barycentric(found, qx, qy);
    }
    return found;
  };

  const { rows, cols, xs, ys } = lattice;
  let rowStart = 0;
  for (let r = 0; r < rows; r++) {
    const qy = ys[r] - cy;
    current = rowStart; // the first node of a row is next to the first node of the row before
    for (let c = 0; c < cols; c++) {
      const t = locate(xs[c] - cx, qy);
      if (c === 0) rowStart = current;
      out[r * cols + c] =
        t < 0
          ? NaN
          : weights[0] * values[triangles[3 * t]] + weights[1] * values[triangles[3 * t + 1]] + weights[2] * values[triangles[3 * t + 2]];
    }
  }
}

/**
 * Nearest point for every node, with a bucket grid of the points (about two per cell): search
 * rings of cells around the node's cell until the ring is farther than the best distance found.
 * Ties go to the lowest point index.
 */
function gridNearest(points: ShiftedPoints, lattice: Lattice, out: Float64Array): void {
  const { x, y, values, count, cx, cy } = points;
  let xlo = Infinity;
  let xhi = -Infinity;
  let ylo = Infinity;
  let yhi = -Infinity;
  for (let i = 0; i < count; i++) {
    xlo = Math.min(xlo, x[i]);
    xhi = Math.max(xhi, x[i]);
    ylo = Math.min(ylo, y[i]);
    yhi = Math.max(yhi, y[i]);
  }
  const width = xhi - xlo;
  const height = yhi - ylo;
  // Square cells sized for ~2 points each over the bounding box (a line of points gets a row of cells).
  const area = Math.max(width * height, (Math.max(width, height) ** 2) / count, Number.MIN_VALUE);
  const cell = Math.max(Math.sqrt((2 * area) / count), Number.MIN_VALUE);
  const nbx = Math.min(Math.max(1, Math.floor(width / cell) + 1), 4096);
  const nby = Math.min(Math.max(1, Math.floor(height / cell) + 1), 4096);
  const sizeX = width > 0 ? width / nbx : 1;
  const sizeY = height > 0 ? height / nby : 1;
  const bucketX = (v: number) => Math.min(nbx - 1, Math.max(0, Math.floor((v - xlo) / sizeX)));
  const bucketY = (v: number) => Math.min(nby - 1, Math.max(0, Math.floor((v - ylo) / sizeY)));
  // Counting sort of the point indices by bucket (stable: indices ascend within a bucket).
  const startOf = new Int32Array(nbx * nby + 1);
  const bucketOf = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const b = bucketY(y[i]) * nbx + bucketX(x[i]);
    bucketOf[i] = b;
    startOf[b + 1]++;
  }
  for (let b = 0; b < nbx * nby; b++) startOf[b + 1] += startOf[b];
  const fill = startOf.slice(0, nbx * nby);
  const sorted = new Int32Array(count);
  for (let i = 0; i < count; i++) sorted[fill[bucketOf[i]]++] = i;

  const { rows, cols, xs, ys } = lattice;
  for (let r = 0; r < rows; r++) {
    const qy = ys[r] - cy;
    for (let c = 0; c < cols; c++) {
      const qx = xs[c] - cx;
      const bx = bucketX(qx);
      const by = bucketY(qy);
      let best = -1;
      let bestD2 = Infinity;
      const maxRing = Math.max(nbx, nby);
      for (let ring = 0; ring <= maxRing; ring++) {
        // Every point outside rings 0…ring−1 is at least this far from the node.
        if (ring > 0) {
          const gapX = Math.max(0, Math.min(qx - (xlo + (bx - ring + 1) * sizeX), xlo + (bx + ring) * sizeX - qx));
          const gapY = Math.max(0, Math.min(qy - (ylo + (by - ring + 1) * sizeY), ylo + (by + ring) * sizeY - qy));
          const reach = Math.min(gapX, gapY);
          if (best >= 0 && reach * reach > bestD2) break;
        }
        const y0 = by - ring;
        const y1 = by + ring;
        for (let j = Math.max(0, y0); j <= Math.min(nby - 1, y1); j++) {
          const edgeRow = j === y0 || j === y1;
          for (let i = Math.max(0, bx - ring); i <= Math.min(nbx - 1, bx + ring); i++) {
            if (!edgeRow && i !== bx - ring && i !== bx + ring) continue;
            const b = j * nbx + i;
            for (let s = startOf[b]; s < startOf[b + 1]; s++) {
              const p = sorted[s];
              const dx = x[p] - qx;
              const dy = y[p] - qy;
              const d2 = dx * dx + dy * dy;
              if (d2 < bestD2 || (d2 === bestD2 && p < best)) {
                bestD2 = d2;
                best = p;
              }
            }
          }
        }
      }
      out[r * cols + c] = values[best];
    }
  }
}
