/**
 * One damped step and what follows from it: Marquardt's scaled system, the gain ratio of an
 * accepted step, and Nielsen's update of the damping.
 */
import { choleskySolve } from './cholesky.js';
import type { NormalEquations } from './normal-equations.js';

/** Scratch of {@link dampedStep}. */
export interface StepSpace {
  /** The damped matrix. */
  A: Float64Array;
  minusG: Float64Array;
  /** The step found. */
  step: Float64Array;
}

/** Empty step scratch for n variables. */
export function stepSpace(n: number): StepSpace {
  return { A: new Float64Array(n * n), minusG: new Float64Array(n), step: new Float64Array(n) };
}

/**
 * Solve `(H + λ·diag H) p = −g` over the free variables (Marquardt's scaling; a diagonal below
 * 1e-12 counts as 1e-12), p zero elsewhere, into `space.step`. False when the damped matrix is not
 * positive definite.
 */
export function dampedStep(
  equations: NormalEquations,
  n: number,
  free: number[],
  lambda: number,
  space: StepSpace,
): boolean {
  const { g, H } = equations;
  const { A, minusG, step } = space;
  A.set(H);
  for (const j of free) A[j * n + j] += lambda * Math.max(H[j * n + j], 1e-12);
  for (let j = 0; j < n; j++) minusG[j] = -g[j];
  return choleskySolve(A, n, minusG, free, step);
}

/**
 * Gain ratio of a step from x to `trial` that lowered the objective by `decrease`: the decrease
 * over the one the quadratic model predicted for the step as projected into the bounds (1 when the
 * model predicted none).
 */
export function gainRatio(
  equations: NormalEquations,
  n: number,
  x: Float64Array,
  trial: Float64Array,
  decrease: number,
): number {
  const { g, H } = equations;
  let predicted = 0;
  for (let a = 0; a < n; a++) {
    const da = trial[a] - x[a];
    let hd = 0;
    for (let b = 0; b < n; b++) hd += H[a * n + b] * (trial[b] - x[b]);
    predicted -= da * g[a] + 0.5 * da * hd;
  }
  return predicted > 0 ? decrease / predicted : 1;
}

/** The damping λ and the factor it grows by after the next rejected step. */
export interface Damping {
  lambda: number;
  growth: number;
}

/** Nielsen's update after an accepted step: shrink λ a lot when the quadratic model was good (gain ratio rho). */
export function afterAcceptedStep(damping: Damping, rho: number): void {
  damping.lambda = Math.max(damping.lambda * Math.max(1 / 3, 1 - (2 * rho - 1) ** 3), 1e-15);
  damping.growth = 2;
}

/** After a step that did not lower the objective: λ grows, and grows faster each time running. */
export function afterRejectedStep(damping: Damping): void {
  damping.lambda *= damping.growth;
  damping.growth *= 2;
}
