/**
 * Square windows of a grid and the lattice of their centres (PyCurious's `subgrid` and
 * `create_centroid_list`), as pure functions of a {@link GridGeometry}.
 */
import type { NdArray } from 'ndarray';
import { CurieError, describeValue, fmt } from '../errors.js';
import type { GridGeometry } from './geometry.js';
import { arange, arangeLength } from './sequences.js';
import { checkAllocation } from '../memory-budget.js';

/** Python's `round`: halves go to the even neighbour. */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Half-width of a window, in nodes: `⌊round(window/dx)/2⌋`; a window spans `2h + 1` nodes a side.
 * @param window window side, metres
 * @param dx node spacing, metres
 */
export function windowHalfWidth(window: number, dx: number): number {
  if (typeof window !== 'number' || !(window > 0) || !Number.isFinite(window))
    throw new CurieError('E_ARGUMENT', `window ${describeValue(window)} must be a positive size in metres`);
  return Math.floor(roundHalfEven(window / dx) / 2);
}

/** Index of the coordinate nearest to `value` in an evenly spaced ascending array (first one on a tie, as numpy's argmin). */
export function nearestIndex(coords: Float64Array, value: number): number {
  const n = coords.length;
  const step = (coords[n - 1] - coords[0]) / (n - 1);
  const guess = Math.min(n - 1, Math.max(0, Math.round((value - coords[0]) / step)));
  let best = Math.max(0, guess - 1);
  for (let i = best + 1; i <= Math.min(n - 1, guess + 1); i++)
    if (Math.abs(coords[i] - value) < Math.abs(coords[best] - value)) best = i;
  return best;
}

/**
 * The square window of side `window` (metres) centred on the node nearest to (xc, yc): a view of
 * `data` (no copy) of `2h + 1` nodes a side, h = ⌊round(window/dx)/2⌋.
 * @throws CurieError `E_OUTSIDE` when (xc, yc) is outside the grid, `E_WINDOW` when the window does not fit
 */
export function subgrid(data: NdArray, geometry: GridGeometry, window: number, xc: number, yc: number): NdArray {
  const { xmin, xmax, ymin, ymax, dx, nx, ny } = geometry;
  if (!(xc >= xmin && xc <= xmax && yc >= ymin && yc <= ymax))
    throw new CurieError(
      'E_OUTSIDE',
      `point (${fmt(xc)}, ${fmt(yc)}) is outside the grid x ${fmt(xmin)}…${fmt(xmax)}, y ${fmt(ymin)}…${fmt(ymax)}; choose a centre inside it`,
    );
  const h = windowHalfWidth(window, dx);
  const ix = nearestIndex(geometry.xcoords, xc);
  const iy = nearestIndex(geometry.ycoords, yc);
  if (ix - h < 0 || ix + h + 1 > nx || iy - h < 0 || iy + h + 1 > ny)
    throw new CurieError(
      'E_WINDOW',
      `window ${fmt(window)} m at (${fmt(xc)}, ${fmt(yc)}) exceeds the grid (${2 * h + 1} nodes a side from column ${ix - h}, row ${iy - h} of ${nx} × ${ny}); use a smaller window or a centre further inside`,
    );
  return data.lo(iy - h, ix - h).hi(2 * h + 1, 2 * h + 1);
}

/**
 * Check that a window of side `window` metres fits somewhere in the grid.
 * @returns its half-width h in nodes (see {@link windowHalfWidth})
 * @throws CurieError `E_ARGUMENT` for a window that is not a positive number, `E_WINDOW` when it is
 *   larger than the grid
 */
export function checkWindowFits(geometry: GridGeometry, window: number): number {
  const h = windowHalfWidth(window, geometry.dx);
  if (2 * h + 1 > geometry.nx || 2 * h + 1 > geometry.ny)
    throw new CurieError(
      'E_WINDOW',
      `window ${fmt(window)} m (${2 * h + 1} nodes) does not fit in the ${geometry.ny} × ${geometry.nx} grid; use a window of at most ${fmt((Math.min(geometry.nx, geometry.ny) - 1) * geometry.dx)} m`,
    );
  return h;
}

/** Options of {@link createCentroidList}. */
export interface CentroidOptions {
  /** Spacing of centres along x, metres; default every node. */
  spacingX?: number;
  /** Spacing of centres along y, metres; default every node. */
  spacingY?: number;
}

function centresAlong(coords: Float64Array, h: number, spacing: number | undefined, axis: string): Float64Array {
  const inner = coords.subarray(h, coords.length - h);
  if (spacing === undefined) return inner;
  if (!(spacing > 0) || !Number.isFinite(spacing))
    throw new CurieError('E_ARGUMENT', `spacing${axis} ${spacing} must be a positive distance in metres`);
  const count = arangeLength(inner[0], inner[inner.length - 1], spacing);
  checkAllocation(
    `createCentroidList with spacing${axis} ${fmt(spacing)} m (${fmt(count)} centres along ${axis.toLowerCase()})`,
    8 * count,
    'use a larger spacing',
  );
  const list = arange(inner[0], inner[inner.length - 1], spacing);
  // numpy's arange excludes its end, so one possible centre gives none; keep that one.
  return list.length > 0 ? list : inner.slice(0, 1);
}

/**
 * Centres of every window of side `window` (metres) that fits in the grid, y outer and x inner
 * (numpy's `meshgrid` then `ravel`). With a spacing, centres are `first + i·spacing` while below
 * the last possible centre (numpy's `arange`).
 * @returns `xc`, `yc` in metres, one entry per window
 * @throws CurieError `E_WINDOW` when not even one window fits; `E_MEMORY` when the spacings imply
 *   more centres than the memory budget holds
 */
export function createCentroidList(
  geometry: GridGeometry,
  window: number,
  options: CentroidOptions = {},
): { xc: Float64Array; yc: Float64Array } {
  const h = checkWindowFits(geometry, window);
  const xs = centresAlong(geometry.xcoords, h, options.spacingX, 'X');
  const ys = centresAlong(geometry.ycoords, h, options.spacingY, 'Y');
  checkAllocation(
    `createCentroidList: ${xs.length} × ${ys.length} window centres`,
    16 * xs.length * ys.length,
    'use a larger spacing of centres',
  );
  const xc = new Float64Array(xs.length * ys.length);
  const yc = new Float64Array(xs.length * ys.length);
  for (let j = 0; j < ys.length; j++)
    for (let i = 0; i < xs.length; i++) {
      xc[j * xs.length + i] = xs[i];
      yc[j * xs.length + i] = ys[j];
    }
  return { xc, yc };
}
