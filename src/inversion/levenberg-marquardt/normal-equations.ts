/**
 * The quadratic model at the current point: gradient and Gauss–Newton Hessian of ½Σr² plus the
 * penalty's, and which variables are free to move.
 */
import type { Evaluation, LeastSquaresProblem } from './problem.js';

/** Gradient `g = Jᵀr + ∇penalty` and Hessian `H = JᵀJ + diag(penalty curvature)` (row-major n × n). */
export interface NormalEquations {
  g: Float64Array;
  H: Float64Array;
  /** Scratch for the penalty's gradient and curvature. */
  penaltyGradient: Float64Array;
  penaltyCurvature: Float64Array;
}

/** Empty normal equations for n variables. */
export function normalEquationsSpace(n: number): NormalEquations {
  return {
    g: new Float64Array(n),
    H: new Float64Array(n * n),
    penaltyGradient: new Float64Array(n),
    penaltyCurvature: new Float64Array(n),
  };
}

/** Fill `into` with the normal equations at x, from x's residuals and Jacobian in `at`. */
export function formNormalEquations(
  problem: LeastSquaresProblem,
  x: Float64Array,
  at: Evaluation,
  into: NormalEquations,
): void {
  const { size: n, points } = problem;
  const { residual, jacobian } = at;
  const { g, H, penaltyGradient, penaltyCurvature } = into;
  g.fill(0);
  H.fill(0);
  for (let i = 0; i < points; i++) {
    const row = n * i,
      r = residual[i];
    for (let a = 0; a < n; a++) {
      const ja = jacobian[row + a];
      g[a] += ja * r;
      for (let b = 0; b <= a; b++) H[a * n + b] += ja * jacobian[row + b];
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) H[b * n + a] = H[a * n + b];
  problem.penalty(x, penaltyGradient, penaltyCurvature);
  for (let a = 0; a < n; a++) {
    g[a] += penaltyGradient[a];
    H[a * n + a] += penaltyCurvature[a];
  }
}

/**
 * The variables free to move: all but those on a bound whose gradient pushes outward (the active
 * set, as in L-BFGS-B's projected-gradient view).
 */
export function freeVariables(problem: LeastSquaresProblem, x: Float64Array, g: Float64Array): number[] {
  const { lower, upper } = problem;
  const free: number[] = [];
  for (let j = 0; j < problem.size; j++)
    if (!((x[j] <= lower[j] && g[j] > 0) || (x[j] >= upper[j] && g[j] < 0))) free.push(j);
  return free;
}

/** Largest component of the gradient over the free variables (0 when none is free). */
export function projectedGradient(g: Float64Array, free: number[]): number {
  let largest = 0;
  for (const j of free) largest = Math.max(largest, Math.abs(g[j]));
  return largest;
}
