/**
 * Reduction to the pole (Blakely 1996, eq. 12.31): the anomaly as it would be with vertical
 * magnetisation and a vertical inducing field.
 */
import type { NdArray } from 'ndarray';
import { CurieError, fmt, warn } from '../errors.js';
import { applyWavenumberFilter } from './fourier-filter.js';

/** Unit vector (north, east, down) of inclination `inc` (down positive) and declination `dec` (clockwise from north), degrees. */
function directionCosines(inc: number, dec: number): [number, number, number] {
  const i = (Math.PI / 180) * inc,
    d = (Math.PI / 180) * dec;
  return [Math.cos(i) * Math.cos(d), Math.cos(i) * Math.sin(d), Math.sin(i)];
}

/** Inclinations closer to the equator than this (degrees) make the filter blow up along one direction. */
const LOW_INCLINATION = 15;

/** Optional arguments of {@link reduceToPole}. */
export interface ReduceToPoleOptions {
  /**
   * Inclination (down positive) and declination (clockwise from north) of the source
   * magnetisation, degrees. Used only when both are given; otherwise the field's (induced
   * magnetisation), as PyCurious.
   */
  sinc?: number;
  sdec?: number;
  /** Row spacing, metres; default dx. */
  dy?: number;
}

/**
 * Reduce a total-field anomaly to the pole with Blakely's filter
 * `|k|² / (a1 kx² + a2 ky² + a3 kx ky + i|k|(b1 kx + b2 ky))` (kx along rows = north, ky along
 * columns = east), zero at k = 0 and wherever the denominator vanishes. PyCurious writes |k| for |k|²
 * and √|k| for |k|, which scales its output wrongly; this is the published filter.
 * @param data grid `[rows, cols]`, no NaN
 * @param inc inclination of the inducing field, degrees, down positive
 * @param dec declination of the inducing field, degrees, clockwise from north
 * @param dx column spacing, metres
 * @param options the source magnetisation's direction and the row spacing
 * @returns the reduced grid, same shape
 * @throws CurieError `E_ARGUMENT` for an angle that is not finite or a spacing that is not positive
 */
export function reduceToPole(
  data: NdArray,
  inc: number,
  dec: number,
  dx: number,
  options: ReduceToPoleOptions = {},
): NdArray<Float64Array> {
  const { sinc, sdec, dy = dx } = options;
  for (const [name, value] of Object.entries({ inc, dec, sinc, sdec }))
    if (value !== undefined && !Number.isFinite(value))
      throw new CurieError('E_ARGUMENT', `${name} = ${value} must be a finite angle in degrees`);
  const [fx, fy, fz] = directionCosines(inc, dec);
  const [mx, my, mz] = sinc === undefined || sdec === undefined ? [fx, fy, fz] : directionCosines(sinc, sdec);
  const smallest = Math.min(Math.abs(inc), sinc === undefined || sdec === undefined ? 90 : Math.abs(sinc));
  if (smallest < LOW_INCLINATION)
    warn(
      'CURIE_RTP_LOW_INCLINATION',
      `reduction to the pole at inclination ${fmt(smallest)}° (below ${LOW_INCLINATION}°) is unstable: the filter is zeroed where it vanishes`,
    );
  const a1 = mz * fz - mx * fx,
    a2 = mz * fz - my * fy,
    a3 = -my * fx - mx * fy;
  const b1 = mx * fz + mz * fx,
    b2 = my * fz + mz * fy;
  return applyWavenumberFilter(
    data,
    dy,
    dx,
    (kx, ky, out) => {
      const k2 = kx * kx + ky * ky;
      const re = a1 * kx * kx + a2 * ky * ky + a3 * kx * ky;
      const im = Math.sqrt(k2) * (b1 * kx + b2 * ky);
      const d2 = re * re + im * im;
      if (k2 === 0 || d2 === 0) {
        out[0] = 0;
        out[1] = 0;
        return;
      }
      // k² / (re + i·im) = k²(re − i·im)/(re² + im²)
      out[0] = (k2 * re) / d2;
      out[1] = (-k2 * im) / d2;
    },
    'reduceToPole',
  );
}
