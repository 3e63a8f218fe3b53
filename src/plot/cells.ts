/**
 * Values on a lattice of points as the cells a heatmap draws: each point's cell is centred on it,
 * one lattice step wide, in km. Shared by the map charts.
 */
import { CurieError, fmt } from '../errors.js';
import type { Raster } from '../io/raster.js';
import { finiteOrNull } from './spec.js';

/** One heatmap cell: its edges (km), value and index in the source. */
export interface Cell {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  value: number | null;
  index: number;
}

/** Axis units of coordinates: km for projected metres, degrees for what looks like longitude/latitude. */
export interface AxisUnits {
  /** Divide coordinates by this (1000 for metres → km). */
  divisor: number;
  x: string;
  y: string;
}

/** Units of an extent: degrees when it fits in ±180 × ±90 with a step below 1, else metres shown as km. */
export function unitsOf(x: ArrayLike<number>, y: ArrayLike<number>): AxisUnits {
  let big = false;
  for (let i = 0; i < x.length && !big; i++) big = Math.abs(x[i]) > 180 || Math.abs(y[i]) > 90;
  const degrees = !big && step(x, 1) < 1;
  return degrees ? { divisor: 1, x: 'longitude (°)', y: 'latitude (°)' } : { divisor: 1000, x: 'x (km)', y: 'y (km)' };
}

/** Largest number of cells a side a raster is drawn with: finer grids are sampled every s-th node. */
const MAX_CELLS_A_SIDE = 200;

/** The smallest positive gap between sorted distinct values (the lattice step), or `fallback`. */
function step(values: ArrayLike<number>, fallback: number): number {
  const sorted = Float64Array.from(values).filter(Number.isFinite).sort();
  let best = Infinity;
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i] - sorted[i - 1];
    if (gap > 1e-9 * Math.max(1, Math.abs(sorted[i])) && gap < best) best = gap;
  }
  return Number.isFinite(best) ? best : fallback;
}

/**
 * Cells of values at points (x[i], y[i]), in `units` (metres → km unless degrees).
 * @throws CurieError `E_ARGUMENT` when lengths differ or there is nothing to draw
 */
export function pointCells(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  value: (i: number) => number,
  units: AxisUnits = unitsOf(x, y),
): Cell[] {
  if (!x || !y || x.length !== y.length)
    throw new CurieError('E_ARGUMENT', `x and y must be lists of the same length; got ${x?.length} and ${y?.length}`);
  if (x.length === 0) throw new CurieError('E_ARGUMENT', 'the map has no windows to draw');
  const dx = step(x, step(y, 1)),
    dy = step(y, dx);
  const d = units.divisor;
  return Array.from(x, (xi, i) => ({
    x0: (xi - dx / 2) / d,
    x1: (xi + dx / 2) / d,
    y0: (y[i] - dy / 2) / d,
    y1: (y[i] + dy / 2) / d,
    value: finiteOrNull(value(i)),
    index: i,
  }));
}

/** Cells of a raster's nodes (in `units`), every s-th node a side when it has more than {@link MAX_CELLS_A_SIDE}. */
export function rasterCells(raster: Raster, units: AxisUnits): { cells: Cell[]; stride: number } {
  const [rows, cols] = raster.data.shape;
  const stride = Math.max(1, Math.ceil(Math.max(rows, cols) / MAX_CELLS_A_SIDE));
  const dx = (raster.xmax - raster.xmin) / (cols - 1),
    dy = (raster.ymax - raster.ymin) / (rows - 1);
  const cells: Cell[] = [];
  for (let r = 0; r < rows; r += stride)
    for (let c = 0; c < cols; c += stride) {
      const x = raster.xmin + c * dx,
        y = raster.ymin + r * dy;
      const d = units.divisor;
      cells.push({
        x0: (x - (stride * dx) / 2) / d,
        x1: (x + (stride * dx) / 2) / d,
        y0: (y - (stride * dy) / 2) / d,
        y1: (y + (stride * dy) / 2) / d,
        value: finiteOrNull(raster.data.get(r, c)),
        index: r * cols + c,
      });
    }
  if (cells.length === 0)
    throw new CurieError('E_ARGUMENT', `the raster of ${fmt(rows)} × ${fmt(cols)} nodes has nothing to draw`);
  return { cells, stride };
}

/** The x/y/x2/y2 encoding of cells, axes titled with their units. */
export function cellEncoding(axisNames: { x: string; y: string }) {
  return {
    x: { field: 'x0', type: 'quantitative', title: axisNames.x, scale: { zero: false, nice: false } },
    x2: { field: 'x1' },
    y: { field: 'y0', type: 'quantitative', title: axisNames.y, scale: { zero: false, nice: false } },
    y2: { field: 'y1' },
  };
}
