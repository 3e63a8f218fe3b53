/**
 * Solving for C in closed form. C enters the Bouligand model linearly, so for any (β, z_t, Δz) the
 * C that minimises ½Σw²(Φ_model + C − Phi)² (plus a normal prior's ½((C − μ)/s)²) is a weighted
 * mean; eliminating it this way is variable projection (Golub & Pereyra 1973).
 */
import type { Bouligand2009Gradient } from '../models/bouligand.js';

/** What solving for C needs, fixed for one spectrum. */
export interface CElimination {
  /** Each bin's squared weight (1 unweighted). */
  w2: Float64Array;
  w2Sum: number;
  /** 1/s² of a normal prior on C, 0 without one. */
  precision: number;
  /** μ/s² of a normal prior on C, 0 without one. */
  priorPull: number;
  /** C's bounds. */
  lower: number;
  upper: number;
}

/**
 * The fixed parts of solving for C over `points` bins.
 * @param weights per-bin weights, or undefined for none
 * @param prior a normal prior on C, or undefined
 */
export function cElimination(
  weights: ArrayLike<number> | undefined,
  points: number,
  prior: { mean: number; sd: number } | undefined,
  lower: number,
  upper: number,
): CElimination {
  const w2 = new Float64Array(points);
  let w2Sum = 0;
  for (let i = 0; i < points; i++) {
    w2[i] = weights ? weights[i] * weights[i] : 1;
    w2Sum += w2[i];
  }
  const precision = prior ? 1 / (prior.sd * prior.sd) : 0;
  return { w2, w2Sum, precision, priorPull: prior ? prior.mean * precision : 0, lower, upper };
}

/** The C minimising the misfit for the model `phi` (computed with C = 0), ignoring C's bounds. */
export function unconstrainedC(elimination: CElimination, Phi: ArrayLike<number>, phi: Float64Array): number {
  const { w2, w2Sum, precision, priorPull } = elimination;
  let sum = 0;
  for (let i = 0; i < phi.length; i++) sum += w2[i] * (Phi[i] - phi[i]);
  return (sum + priorPull) / (w2Sum + precision);
}

/** C clamped to its bounds. */
export function clampC(elimination: CElimination, C: number): number {
  return Math.min(elimination.upper, Math.max(elimination.lower, C));
}

/**
 * The derivatives of the unconstrained C with respect to β, z_t and Δz, into `out`:
 * dC/dθ = −Σ w² ∂model/∂θ / (Σ w² + precision).
 */
export function cGradient(elimination: CElimination, model: Bouligand2009Gradient, out: Float64Array): void {
  const { w2, w2Sum, precision } = elimination;
  let dC0 = 0,
    dC1 = 0,
    dC2 = 0;
  for (let i = 0; i < w2.length; i++) {
    dC0 -= w2[i] * model.dBeta[i];
    dC1 -= w2[i] * model.dZt[i];
    dC2 -= w2[i] * model.dDz[i];
  }
  const scale = 1 / (w2Sum + precision);
  out[0] = dC0 * scale;
  out[1] = dC1 * scale;
  out[2] = dC2 * scale;
}
