/**
 * Checking a grid window (its shape, NaN, a constant window) and reading it out of an ndarray into
 * a contiguous buffer: the first step of the filters, the azimuthal spectrum and the map routines
 * (radial spectra read windows in place: spectrum/window-fft.ts).
 */
import type { NdArray } from 'ndarray';
import { CurieError, fmt } from '../errors.js';

/** Rows and columns of a 2-D ndarray; `E_ARGUMENT` for any other dimensionality. */
export function shape2d(data: NdArray, what: string): [number, number] {
  if (!data || !Array.isArray(data.shape) || data.shape.length !== 2)
    throw new CurieError(
      'E_ARGUMENT',
      `${what} needs a 2-D ndarray [rows, cols]; got shape ${JSON.stringify(data?.shape)}`,
    );
  return [data.shape[0], data.shape[1]];
}

/** Side of a square window; `E_ARGUMENT` naming the shape when it is not square. */
export function squareSide(data: NdArray, what: string): number {
  const [rows, cols] = shape2d(data, what);
  if (rows !== cols)
    throw new CurieError('E_ARGUMENT', `${what} needs a square window; got ${rows} × ${cols} (use subgrid to cut one)`);
  return rows;
}

/**
 * Copy a 2-D ndarray (any strides) into a row-major Float64Array. Throws `E_NAN` naming how many
 * values are NaN (or infinite): a spectrum or filter of a window with gaps is meaningless.
 */
export function readWindow(data: NdArray, what = 'window'): Float64Array {
  const [rows, cols] = shape2d(data, what);
  const out = new Float64Array(rows * cols);
  const src = data.data as ArrayLike<number>;
  const [s0, s1] = data.stride;
  let bad = 0;
  for (let r = 0; r < rows; r++) {
    const base = data.offset + r * s0;
    for (let c = 0; c < cols; c++) {
      const value = src[base + c * s1];
      if (!Number.isFinite(value)) bad++;
      out[r * cols + c] = value;
    }
  }
  if (bad > 0) throw new CurieError('E_NAN', nanMessage(what, rows, cols, bad));
  return out;
}

/** The `E_NAN` message for `bad` NaN or infinite values in a `rows × cols` window. */
export function nanMessage(what: string, rows: number, cols: number, bad: number): string {
  return `${what} of ${rows} × ${cols} contains ${bad} NaN or infinite value${bad === 1 ? '' : 's'}; choose a window inside the data or fill the gaps first`;
}

/**
 * Relative spread below which a window counts as constant: far below any measured anomaly (nT data
 * are stored to ~0.01 nT on values of ~100 nT), far above rounding in a constant's arithmetic.
 */
const CONSTANT_SPREAD = 1e-10;

/**
 * Check that a window holds an anomaly: a constant window (all zero, or one value everywhere, to
 * 1e-10 of its magnitude) has a spectrum made by the taper alone, and a fit to it is meaningless.
 * Windows with NaN are left to the NaN check.
 * @param where e.g. `window at (x, y)`
 * @throws CurieError `E_NO_SIGNAL` naming the value
 */
export function checkSignal(data: NdArray, where: string): void {
  const [rows, cols] = shape2d(data, where);
  const src = data.data as ArrayLike<number>;
  const [s0, s1] = data.stride;
  let min = Infinity,
    max = -Infinity;
  const constant = () => max - min <= CONSTANT_SPREAD * Math.max(Math.abs(min), Math.abs(max));
  for (let r = 0; r < rows; r++) {
    const base = data.offset + r * s0;
    for (let c = 0; c < cols; c++) {
      const value = src[base + c * s1];
      if (value !== value) return;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    // Data vary within a row or two: no need to read the rest of the window.
    if (!constant()) return;
  }
  if (constant())
    throw new CurieError(
      'E_NO_SIGNAL',
      `${where} is constant (${min === max ? `every value ${fmt(min)}` : `values ${fmt(min)} … ${fmt(max)}`}): there is no anomaly to fit; choose a window with data, or check the input's nodata value`,
    );
}
