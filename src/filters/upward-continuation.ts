/**
 * Upward continuation of a potential field (Blakely 1996).
 */
import type { NdArray } from 'ndarray';
import { CurieError, fmt, warn } from '../errors.js';
import { applyWavenumberFilter } from './fourier-filter.js';

/**
 * Continue a potential field upward by `height`: `F{h_up} = F{h}·e^{−height·|k|}`.
 * @param data grid `[rows, cols]`, no NaN
 * @param height continuation height, metres (≤ 0 means downward continuation: allowed, but unstable, and warned)
 * @param dx column spacing, metres
 * @param dy row spacing, metres (default dx)
 * @returns the continued grid, same shape
 */
export function upwardContinuation(data: NdArray, height: number, dx: number, dy = dx): NdArray<Float64Array> {
  if (!Number.isFinite(height))
    throw new CurieError('E_ARGUMENT', `continuation height ${height} must be a finite number of metres`);
  if (height <= 0)
    warn('CURIE_DOWNWARD', `continuation height ${fmt(height)} m ≤ 0 is downward continuation, which is unstable`);
  return applyWavenumberFilter(
    data,
    dy,
    dx,
    (kx, ky, out) => {
      out[0] = Math.exp(-height * Math.hypot(kx, ky));
      out[1] = 0;
    },
    'upwardContinuation',
  );
}
