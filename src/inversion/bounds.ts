/**
 * Bounds of the fitted parameters `[β, z_t, Δz, C]`, and the check of a start against them.
 */
import { CurieError, fmt } from '../errors.js';
import { PARAMETERS } from './objective.js';

/** Lower and upper bound of each parameter, in `[β, z_t, Δz, C]` order (z_t, Δz in km); ±Infinity for none. */
export interface Bounds {
  lower: [number, number, number, number];
  upper: [number, number, number, number];
}

/** PyCurious's bounds: β, z_t, Δz ≥ 0, C free. */
export function defaultBounds(): Bounds {
  return { lower: [0, 0, 0, -Infinity], upper: [Infinity, Infinity, Infinity, Infinity] };
}

/** Check a starting point `[β, z_t, Δz, C]` (km) against the bounds: `E_ARGUMENT` naming the parameter. */
export function checkStart(start: ArrayLike<number>, bounds: Bounds): void {
  for (let j = 0; j < PARAMETERS.length; j++) {
    const value = start[j];
    if (!Number.isFinite(value))
      throw new CurieError('E_ARGUMENT', `starting ${PARAMETERS[j]} = ${value} must be a finite number`);
    if (value < bounds.lower[j] || value > bounds.upper[j])
      throw new CurieError(
        'E_ARGUMENT',
        `starting ${PARAMETERS[j]} = ${fmt(value)} is outside its bounds [${fmt(bounds.lower[j])}, ${fmt(bounds.upper[j])}]; start inside them`,
      );
  }
}
