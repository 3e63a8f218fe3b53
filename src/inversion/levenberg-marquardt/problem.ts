/**
 * What the Levenberg–Marquardt solver minimises, and the workspace one evaluation fills.
 */

/** A problem `min ½Σ r(x)² + penalty(x)` subject to `lower ≤ x ≤ upper`. */
export interface LeastSquaresProblem {
  /** Number of parameters. */
  size: number;
  /** Number of residuals. */
  points: number;
  /** Lower bound of each parameter (−Infinity for none). */
  lower: ArrayLike<number>;
  /** Upper bound of each parameter (Infinity for none). */
  upper: ArrayLike<number>;
  /**
   * Residuals and their Jacobian (row-major `[points, size]`) at x; returns ½Σr², or Infinity
   * where they are not finite.
   */
  residuals(x: Float64Array, residual: Float64Array, jacobian: Float64Array): number;
  /** Penalty at x; with arrays, also its gradient and a non-negative curvature (Hessian diagonal). */
  penalty(x: Float64Array, gradient?: Float64Array, curvature?: Float64Array): number;
}

/** Residuals and Jacobian of one point: two of these are swapped as trial points are accepted. */
export interface Evaluation {
  residual: Float64Array;
  /** Row-major `[points, size]`. */
  jacobian: Float64Array;
}

/** An empty {@link Evaluation} sized for `problem`. */
export function evaluationSpace(problem: LeastSquaresProblem): Evaluation {
  return { residual: new Float64Array(problem.points), jacobian: new Float64Array(problem.points * problem.size) };
}

/**
 * The objective ½Σr² + penalty at x, filling `into` with the residuals and Jacobian; Infinity
 * when any of them is not finite, so that such a point is never accepted.
 */
export function evaluate(problem: LeastSquaresProblem, x: Float64Array, into: Evaluation): number {
  const data = problem.residuals(x, into.residual, into.jacobian);
  if (!Number.isFinite(data)) return Infinity;
  for (let i = 0; i < into.jacobian.length; i++) if (!Number.isFinite(into.jacobian[i])) return Infinity;
  const total = data + problem.penalty(x);
  return Number.isFinite(total) ? total : Infinity;
}

/** `values` projected into the problem's box, component by component. */
export function projectIntoBounds(problem: LeastSquaresProblem, values: ArrayLike<number>): Float64Array {
  const { lower, upper } = problem;
  return Float64Array.from(values, (value, j) => Math.min(upper[j], Math.max(lower[j], value)));
}
