import { CurieError, fmt } from '../errors.js';
import { type Extent, checkExtent } from '../io/extent.js';
import { checkAllocation } from '../memory-budget.js';
import { linspace } from './sequences.js';

/** Nodes beyond which an output raster would not fit in memory anyway: an error, not a RangeError. */
export const MAX_NODES = 500_000_000;

/** A grid's size and node extent: `rows × cols` nodes from (xmin, ymin) to (xmax, ymax), metres or degrees. */
export interface NodeExtent {
  rows: number;
  cols: number;
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
}

/** The nodes of an output raster: `xs[c]`, `ys[r]` as numpy's `linspace`, row 0 at `ymin`. */
export interface Lattice extends NodeExtent {
  xs: Float64Array;
  ys: Float64Array;
}

/**
 * How an output raster's nodes are given: an `extent` of node coordinates (first and last node,
 * inclusive) and either one `spacing` for x and y (the extent must be a whole number of spacings:
 * 520 000…1 020 000 m at 5 000 m is 101 columns) or a `shape` `[rows, cols]` (nodes at
 * `linspace(xmin, xmax, cols)`, `linspace(ymin, ymax, rows)`). Without an extent, the data's
 * bounding box trimmed inwards to whole multiples of the spacing.
 */
export interface LatticeSpec {
  /** `[xmin, xmax, ymin, ymax]` of the first and last nodes, in the output CRS's units (metres when projected). */
  extent?: Extent;
  /** Node spacing along x and y, same units. */
  spacing?: number;
  /** `[rows, cols]`, instead of a spacing. */
  shape?: readonly [rows: number, cols: number];
}

/**
 * The extent of whole multiples of `spacing` inside a bounding box (nodes at round coordinates:
 * 500 000…1 055 000 m at 5 km for data spanning 500 000…1 057 002 m).
 */
function snapInside(bounds: Extent, spacing: number): [number, number, number, number] {
  return [
    Math.ceil(bounds[0] / spacing - 1e-9) * spacing,
    Math.floor(bounds[1] / spacing + 1e-9) * spacing,
    Math.ceil(bounds[2] / spacing - 1e-9) * spacing,
    Math.floor(bounds[3] / spacing + 1e-9) * spacing,
  ];
}

/**
 * Build the output lattice from a {@link LatticeSpec}; `dataBounds` gives the default extent.
 * @throws CurieError `E_ARGUMENT` for a malformed extent, a spacing ≤ 0 or one that does not divide
 *   the extent, a spacing or shape giving fewer than 2 nodes along an axis or more than
 *   {@link MAX_NODES} in all, both or neither of spacing and shape.
 */
export function makeLattice(spec: LatticeSpec, dataBounds: () => Extent): Lattice {
  const { spacing, shape } = spec;
  if (spacing !== undefined && shape !== undefined)
    throw new CurieError('E_ARGUMENT', 'give either spacing or shape, not both');
  if (spacing === undefined && shape === undefined)
    throw new CurieError('E_ARGUMENT', 'give a spacing or a shape [rows, cols] for the output raster');
  if (spacing !== undefined && !(typeof spacing === 'number' && Number.isFinite(spacing) && spacing > 0)) {
    throw new CurieError('E_ARGUMENT', `spacing = ${String(spacing)} must be a positive number`);
  }
  let extent = spec.extent;
  if (extent === undefined) {
    const bounds = dataBounds();
    if (spacing === undefined) extent = bounds;
    else {
      extent = snapInside(bounds, spacing);
      if (!(extent[1] > extent[0] && extent[3] > extent[2])) {
        throw new CurieError(
          'E_ARGUMENT',
          `spacing = ${fmt(spacing)} gives fewer than 2 nodes along ${extent[1] > extent[0] ? 'y' : 'x'} over the data x ${fmt(bounds[0])}…${fmt(bounds[1])}, y ${fmt(bounds[2])}…${fmt(bounds[3])}; use a finer spacing`,
        );
      }
    }
  }
  checkExtent(extent);
  const [xmin, xmax, ymin, ymax] = extent;
  let rows: number;
  let cols: number;
  if (spacing !== undefined) {
    cols = stepsOf(xmax - xmin, spacing, 'x', xmin, xmax) + 1;
    rows = stepsOf(ymax - ymin, spacing, 'y', ymin, ymax) + 1;
  } else {
    [rows, cols] = shape!;
    if (!(Number.isInteger(rows) && Number.isInteger(cols) && rows >= 2 && cols >= 2)) {
      throw new CurieError(
        'E_ARGUMENT',
        `shape = [${String(rows)}, ${String(cols)}] must be whole numbers of rows and columns, at least 2 each`,
      );
    }
  }
  if (rows * cols > MAX_NODES) {
    const given =
      spacing === undefined
        ? `shape = [${rows}, ${cols}]`
        : `spacing = ${fmt(spacing)} gives a ${rows} × ${cols} raster, which`;
    throw new CurieError(
      'E_ARGUMENT',
      `${given} has more than ${MAX_NODES} nodes; use a coarser spacing or a smaller extent`,
    );
  }
  // The raster's values and the gridding's per-node work arrays: 16 bytes a node.
  checkAllocation(`a ${rows} × ${cols} output raster`, 16 * rows * cols, 'use a coarser spacing or a smaller extent');
  return { rows, cols, xmin, xmax, ymin, ymax, xs: linspace(xmin, xmax, cols), ys: linspace(ymin, ymax, rows) };
}

/** Whole number of `spacing` steps in `range` (within 1e-6 of a step), else an error. */
function stepsOf(range: number, spacing: number, axis: 'x' | 'y', lo: number, hi: number): number {
  const steps = range / spacing;
  if (steps + 1 > MAX_NODES)
    throw new CurieError(
      'E_ARGUMENT',
      `spacing = ${fmt(spacing)} gives ${fmt(Math.floor(steps) + 1)} nodes along ${axis}; use a coarser spacing`,
    );
  const whole = Math.round(steps);
  if (whole < 1) {
    throw new CurieError(
      'E_ARGUMENT',
      `spacing = ${fmt(spacing)} gives fewer than 2 nodes along ${axis} over ${fmt(lo)}…${fmt(hi)}; use a finer spacing`,
    );
  }
  if (Math.abs(steps - whole) > 1e-6) {
    const fitted = lo + Math.max(1, Math.floor(steps + 1e-6)) * spacing;
    throw new CurieError(
      'E_ARGUMENT',
      `extent ${axis} ${fmt(lo)}…${fmt(hi)} is not a whole number of spacings ${fmt(spacing)} (${fmt(steps)}); use ${axis}max = ${fmt(fitted)} or give a shape`,
    );
  }
  return whole;
}
