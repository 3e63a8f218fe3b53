import ndarray from 'ndarray';
import { CurieError, fmt } from '../errors.js';
import { type CrsInput, transformCoordinates } from '../io/crs.js';
import type { Extent } from '../io/extent.js';
import { type Raster, sharedFloat64 } from '../io/raster.js';
import { cloughTocher, estimateGradients } from './clough-tocher.js';
import { type Lattice, type LatticeSpec, makeLattice } from './lattice.js';
import { convexHull } from './convex-hull.js';
import { triangulate } from './triangulation.js';

/** Scattered data points: coordinates (metres when projected) and one value per point. */
export interface ScatteredPoints {
  /** x of every point (eastings in metres for a projected CRS, longitudes in degrees for a geographic one). */
  x: ArrayLike<number>;
  /** y of every point (northings in metres, or latitudes in degrees); as many as `x`. */
  y: ArrayLike<number>;
  /** Value at every point (e.g. nT); NaN values are allowed and spread NaN to what they touch. */
  values: ArrayLike<number>;
}

/** Extent `[xmin, xmax, ymin, ymax]` of the output nodes, inclusive, in the output CRS's units. */
export type GridExtent = Extent;

/**
 * The output lattice (see {@link LatticeSpec}): an extent of node coordinates (inclusive, in the
 * output CRS) and a `spacing` or a `shape` `[rows, cols]`; without an extent, the points' bounding
 * box (after projection) trimmed inwards to whole multiples of the spacing.
 */
export type GridTarget = LatticeSpec;

/** Gridding methods of {@link gridScattered}. */
export type GridMethod = 'linear' | 'nearest' | 'cubic';

/** Options of {@link gridScattered}. */
export interface GridScatteredOptions {
  /**
   * `'linear'` (default): Delaunay triangulation of the points and barycentric (planar)
   * interpolation in each triangle, NaN outside the convex hull, as scipy's
   * `griddata(method='linear')`. `'nearest'`: the value of the nearest point (every node gets one).
   * `'cubic'`: the Clough–Tocher C1 cubic on the same triangulation, NaN outside the hull, as
   * scipy's `griddata(method='cubic')` (`CloughTocher2DInterpolator`).
   */
  method?: GridMethod;
  /** CRS of the points (`'EPSG:4326'` for lon/lat); with `to`, they are projected before gridding. */
  from?: CrsInput;
  /** CRS of the output raster; the extent and spacing are in its units. Needs `from`. */
  to?: CrsInput;
  /** CRS recorded on the raster when neither `from` nor `to` is given (the points are in it already). */
  crs?: string;
  /**
   * `'linear'` with more points than this (default 2 000 000) grids tile by tile, each tile
   * triangulating only its own points: the same values, a fraction of the memory (10 million points
   * peak at ~3× their own bytes plus the output's instead of ~5×).
   */
  tilePoints?: number;
}

/**
 * Interpolate scattered points onto a regular raster, as PyCurious's `grid` does with
 * `scipy.interpolate.griddata` (`'linear'`, `'nearest'` or `'cubic'`).
 *
 * With `from` and `to`, the points are first projected (PyCurious triangulates the projected
 * points too); the extent and spacing are then in `to`'s units and the raster's CRS is `to`.
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
 * `'cubic'` is scipy's Clough–Tocher interpolant: vertex gradients by scipy's own global estimate
 * (Nielson's minimum-energy Gauss–Seidel sweeps, tolerance 1e-6, at most 400 sweeps, in the same
 * point order), then a C1 piecewise cubic on each triangle split at its centroid. scipy's stopping
 * rule is absolute (no gradient component moves by more than 1e-6 value units per coordinate unit
 * in a sweep), so in metre coordinates the sweeps stop early and a plane comes back only to ~1e-6
 * of its range, in scipy as here; kept so that the results are scipy's. Where a triangulation
 * tie is broken differently from Qhull's, the neighbours and so the gradients differ near there
 * (on the EMAG2 subset in UTM 23S, up to 0.4 % of the data range), as between two scipy builds.
 *
 * `'nearest'` gives each node the value of the nearest point (Euclidean distance; on a tie, the
 * point that comes first), outside the hull too.
 *
 * @example
 * const raster = gridScattered(points, { spacing: 5e3, from: 'EPSG:4326', to: 'EPSG:32723', method: 'cubic' });
 * // or, points already in UTM 23S:
 * gridScattered({ x, y, values }, { extent: [520e3, 1020e3, 9520e3, 9880e3], spacing: 5e3 }); // shape [73, 101]
 * @param points coordinates (metres for projected data, degrees for lon/lat) and values.
 * @param target extent `[xmin, xmax, ymin, ymax]` of the nodes (optional) plus a `spacing` (same units)
 *   or a `shape`; the options below may be given here too.
 * @param options method (default `'linear'`), `from`/`to` CRSs, or the CRS to record on the raster.
 * @throws CurieError `E_ARGUMENT` for lengths that differ, fewer than 3 points, a non-finite
 *   coordinate (naming the point), points all on one line (linear, cubic), a reversed or non-finite
 *   extent, a spacing ≤ 0 or one that does not divide the extent, fewer than 2 nodes along an axis
 *   or more than 5e8 in all, an unknown method, `to` without `from`; `E_CRS` for an unknown CRS.
 */
export function gridScattered(
  points: ScatteredPoints,
  target: GridTarget & GridScatteredOptions,
  options: GridScatteredOptions = {},
): Raster {
  const settings = { ...target, ...options };
  const method = settings.method ?? 'linear';
  if (method !== 'linear' && method !== 'nearest' && method !== 'cubic') {
    throw new CurieError(
      'E_ARGUMENT',
      `method = "${String(method)}" is not a gridding method; use 'linear', 'nearest' or 'cubic'`,
    );
  }
  if (settings.to !== undefined && settings.from === undefined) {
    throw new CurieError(
      'E_ARGUMENT',
      `to = ${String(settings.to)} needs from, the CRS of the points (e.g. from: 'EPSG:4326')`,
    );
  }
  const projected =
    settings.to !== undefined && settings.from !== undefined
      ? { ...transformCoordinates(points.x, points.y, settings.from, settings.to), values: points.values }
      : points;
  const checked = checkPoints(projected);
  const lattice = makeLattice(settings, () => [checked.xlo, checked.xhi, checked.ylo, checked.yhi]);
  const out = sharedFloat64(lattice.rows * lattice.cols);
  if (method === 'nearest') gridNearest(shifted(checked), lattice, out);
  else gridTriangulated(checked, lattice, out, method, tilePointsOf(settings.tilePoints));
  const raster: Raster = {
    data: ndarray(out, [lattice.rows, lattice.cols]),
    xmin: lattice.xmin,
    xmax: lattice.xmax,
    ymin: lattice.ymin,
    ymax: lattice.ymax,
  };
  const crs = settings.to ?? settings.from ?? settings.crs;
  if (crs !== undefined) raster.crs = canonicalCrs(crs);
  return raster;
}

/** `'EPSG:n'` for an EPSG code given as a number or in any case, else the string as given. */
export function canonicalCrs(crs: CrsInput): string {
  const match = /^\s*(?:epsg:)?(\d+)\s*$/i.exec(String(crs));
  return match ? `EPSG:${match[1]}` : String(crs);
}

/** Checked points: the caller's coordinates (not copied), values as a Float64Array, their box and centre. */
interface CheckedPoints {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  values: Float64Array;
  count: number;
  /** Centre of the bounding box: coordinates are shifted by it before any geometry (precision). */
  cx: number;
  cy: number;
  xlo: number;
  xhi: number;
  ylo: number;
  yhi: number;
}

/** Points as Float64Arrays, coordinates relative to (cx, cy). */
interface ShiftedPoints extends CheckedPoints {
  x: Float64Array;
  y: Float64Array;
}

/** Linear gridding of more points than this goes tile by tile (see {@link gridLinearTiled}). */
const TILE_POINTS = 2_000_000;

function tilePointsOf(value: number | undefined): number {
  if (value === undefined) return TILE_POINTS;
  if (!(Number.isInteger(value) && value >= 3))
    throw new CurieError('E_ARGUMENT', `tilePoints = ${String(value)} must be a whole number of points ≥ 3`);
  return value;
}

/**
 * Check the points and find their bounding box. Coordinates are not copied (gridding 10 million
 * points must stay within a few times their own memory); values are used as given when they are
 * a Float64Array already.
 */
function checkPoints(points: ScatteredPoints): CheckedPoints {
  const { x, y, values } = points;
  if (x.length !== y.length || x.length !== values.length) {
    throw new CurieError(
      'E_ARGUMENT',
      `points have ${x.length} x, ${y.length} y and ${values.length} values; give one x, y and value per point`,
    );
  }
  const count = x.length;
  if (count < 3)
    throw new CurieError('E_ARGUMENT', `${count} point${count === 1 ? '' : 's'} given; gridding needs at least 3`);
  let xlo = Infinity;
  let xhi = -Infinity;
  let ylo = Infinity;
  let yhi = -Infinity;
  for (let i = 0; i < count; i++) {
    const xi = x[i];
    const yi = y[i];
    if (!Number.isFinite(xi) || !Number.isFinite(yi)) {
      throw new CurieError(
        'E_ARGUMENT',
        `point ${i} has x = ${fmt(xi)}, y = ${fmt(yi)}; every coordinate must be a finite number (drop or fix that point)`,
      );
    }
    if (xi < xlo) xlo = xi;
    if (xi > xhi) xhi = xi;
    if (yi < ylo) ylo = yi;
    if (yi > yhi) yhi = yi;
  }
  const v = values instanceof Float64Array ? values : Float64Array.from(values);
  return { x, y, values: v, count, cx: 0.5 * (xlo + xhi), cy: 0.5 * (ylo + yhi), xlo, xhi, ylo, yhi };
}

/** The points with coordinates shifted by the centre, as two Float64Arrays. */
function shifted(points: CheckedPoints): ShiftedPoints {
  const { x, y, count, cx, cy } = points;
  const sx = new Float64Array(count);
  const sy = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    sx[i] = x[i] - cx;
    sy[i] = y[i] - cy;
  }
  return { ...points, x: sx, y: sy };
}

/** Shifted coordinates interleaved `[x0, y0, x1, y1, …]` (delaunator's input) of all points. */
function interleaved(points: CheckedPoints): Float64Array {
  const { x, y, count, cx, cy } = points;
  const coords = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) {
    coords[2 * i] = x[i] - cx;
    coords[2 * i + 1] = y[i] - cy;
  }
  return coords;
}

/**
 * Linear or Clough–Tocher cubic interpolation on the Delaunay triangulation of the points (see
 * {@link triangulate} for how nodes are located); nodes outside the hull are NaN.
 */
function gridTriangulated(
  points: CheckedPoints,
  lattice: Lattice,
  out: Float64Array,
  method: 'linear' | 'cubic',
  tilePoints: number,
): void {
  if (method === 'linear' && points.count > tilePoints) return gridLinearTiled(points, lattice, out, tilePoints);
  const { values, cx, cy } = points;
  const tri = triangulate(interleaved(points));
  const { triangles, weights } = tri;
  let cubic: ReturnType<typeof cloughTocher> | undefined;
  if (method === 'cubic') {
    const { x, y } = shifted(points);
    cubic = cloughTocher(x, y, values, estimateGradients(x, y, values, tri), tri);
  }
  const { rows, cols, xs, ys } = lattice;
  let rowStart = 0;
  for (let r = 0; r < rows; r++) {
    const qy = ys[r] - cy;
    tri.startAt(rowStart); // the first node of a row is next to the first node of the row before
    for (let c = 0; c < cols; c++) {
      const t = tri.locate(xs[c] - cx, qy);
      if (c === 0) rowStart = tri.current();
      if (t < 0) out[r * cols + c] = NaN;
      else if (cubic) out[r * cols + c] = cubic.evaluate(t, weights);
      else
        out[r * cols + c] =
          weights[0] * values[triangles[3 * t]] +
          weights[1] * values[triangles[3 * t + 1]] +
          weights[2] * values[triangles[3 * t + 2]];
    }
  }
}

/**
 * Linear gridding of many points tile by tile, with the global triangulation's values. The output
 * lattice is cut into tiles of about `tilePoints` points; each tile triangulates only the
 * points in its box widened by a margin. A triangle of that subset whose circumcircle lies inside
 * the box (or crosses only sides beyond which there are no points) has no point of the whole set
 * in its circumcircle, so it is a triangle of the global Delaunay triangulation too (up to the
 * choice of diagonal among cocircular points) and the node's value is the global one; nodes whose
 * triangle fails this are redone with the margin doubled. Nodes outside the convex hull of all the
 * points (found once, without sorting them all) are NaN. Memory: a tile's points, not all of them.
 */
function gridLinearTiled(points: CheckedPoints, lattice: Lattice, out: Float64Array, tilePoints: number): void {
  const { x, y, values, count, cx, cy } = points;
  const hull = convexHull(x, y, count, cx, cy);
  const { rows, cols, xs, ys } = lattice;
  const tilesPerSide = Math.ceil(Math.sqrt(count / tilePoints));
  const width = points.xhi - points.xlo,
    height = points.yhi - points.ylo;
  const startMargin = 8 * Math.sqrt(Math.max(width * height, Number.MIN_VALUE) / count);
  const weights = new Float64Array(3);
  for (let tr = 0; tr < tilesPerSide; tr++) {
    const r0 = Math.floor((tr * rows) / tilesPerSide),
      r1 = Math.floor(((tr + 1) * rows) / tilesPerSide) - 1;
    for (let tc = 0; tc < tilesPerSide; tc++) {
      const c0 = Math.floor((tc * cols) / tilesPerSide),
        c1 = Math.floor(((tc + 1) * cols) / tilesPerSide) - 1;
      if (r1 < r0 || c1 < c0) continue;
      let pending: number[] = [];
      for (let r = r0; r <= r1; r++) {
        for (let c = c0; c <= c1; c++) {
          if (hull.contains(xs[c] - cx, ys[r] - cy)) pending.push(r * cols + c);
          else out[r * cols + c] = NaN;
        }
      }
      for (let margin = startMargin; pending.length > 0; margin *= 2) {
        const box = [xs[c0] - margin, xs[c1] + margin, ys[r0] - margin, ys[r1] + margin];
        // a side beyond the data has no points past it: circumcircles may cross it
        const open = [box[0] <= points.xlo, box[1] >= points.xhi, box[2] <= points.ylo, box[3] >= points.yhi];
        const everything = open.every(Boolean);
        let m = 0;
        for (let i = 0; i < count; i++) if (x[i] >= box[0] && x[i] <= box[1] && y[i] >= box[2] && y[i] <= box[3]) m++;
        const coords = new Float64Array(2 * m);
        const subset = new Uint32Array(m);
        for (let i = 0, k = 0; i < count; i++) {
          if (x[i] >= box[0] && x[i] <= box[1] && y[i] >= box[2] && y[i] <= box[3]) {
            coords[2 * k] = x[i] - cx;
            coords[2 * k + 1] = y[i] - cy;
            subset[k++] = i;
          }
        }
        let tri: ReturnType<typeof triangulate> | undefined;
        try {
          if (m >= 3) tri = triangulate(coords);
        } catch (error) {
          if (everything) throw error;
        }
        const retry: number[] = [];
        for (const node of pending) {
          const qx = xs[node % cols] - cx,
            qy = ys[Math.floor(node / cols)] - cy;
          const t = tri ? tri.locate(qx, qy) : -1;
          if (tri && t >= 0 && (everything || circumcircleInside(coords, tri.triangles, t, box, open, cx, cy))) {
            weights.set(tri.weights);
            const a = subset[tri.triangles[3 * t]],
              b = subset[tri.triangles[3 * t + 1]],
              c = subset[tri.triangles[3 * t + 2]];
            out[node] = weights[0] * values[a] + weights[1] * values[b] + weights[2] * values[c];
          } else if (everything) out[node] = NaN;
          else retry.push(node);
        }
        pending = retry;
      }
    }
  }
}

/** Whether triangle t's circumcircle lies inside `box` (unshifted) except across its open sides. */
function circumcircleInside(
  coords: Float64Array,
  triangles: Uint32Array,
  t: number,
  box: number[],
  open: boolean[],
  cx: number,
  cy: number,
): boolean {
  const a = triangles[3 * t],
    b = triangles[3 * t + 1],
    c = triangles[3 * t + 2];
  const ax = coords[2 * a],
    ay = coords[2 * a + 1];
  const bx = coords[2 * b] - ax,
    by = coords[2 * b + 1] - ay;
  const qx = coords[2 * c] - ax,
    qy = coords[2 * c + 1] - ay;
  const d = 2 * (bx * qy - by * qx);
  if (d === 0) return false;
  const b2 = bx * bx + by * by,
    q2 = qx * qx + qy * qy;
  const ux = (qy * b2 - by * q2) / d,
    uy = (bx * q2 - qx * b2) / d;
  const radius = Math.sqrt(ux * ux + uy * uy) * (1 + 1e-9);
  const centreX = ax + ux + cx,
    centreY = ay + uy + cy;
  return (
    (open[0] || centreX - radius >= box[0]) &&
    (open[1] || centreX + radius <= box[1]) &&
    (open[2] || centreY - radius >= box[2]) &&
    (open[3] || centreY + radius <= box[3])
  );
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
  const area = Math.max(width * height, Math.max(width, height) ** 2 / count, Number.MIN_VALUE);
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
