/**
 * Bound-constrained Levenberg–Marquardt for small nonlinear least-squares problems with a smooth
 * penalty (the priors). Variables at a bound whose gradient pushes outward are held fixed (an
 * active set, recomputed every iteration, as in L-BFGS-B's projected-gradient view); the others
 * take a damped Gauss–Newton step that is then projected into the box.
 *
 * One step per file: the problem and its evaluation (problem.ts), the checks of the input
 * (options.ts), the quadratic model (normal-equations.ts), the damped step and the damping's
 * update (step.ts, cholesky.ts); this file is the loop that ties them together.
 */
import { formNormalEquations, freeVariables, normalEquationsSpace, projectedGradient } from './normal-equations.js';
import { checkOptions, type LevenbergMarquardtOptions } from './options.js';
import { evaluate, evaluationSpace, type LeastSquaresProblem, projectIntoBounds } from './problem.js';
import { afterAcceptedStep, afterRejectedStep, dampedStep, type Damping, gainRatio, stepSpace } from './step.js';

export type { LeastSquaresProblem } from './problem.js';
export type { LevenbergMarquardtOptions } from './options.js';

/** Outcome of {@link levenbergMarquardt}. */
export interface LevenbergMarquardtResult {
  /** Best point found, inside the bounds. */
  x: Float64Array;
  /** Objective at x. */
  f: number;
  /** Iterations used. */
  iterations: number;
  /** Whether a stopping rule was met (false: iteration limit, or no finite start). */
  converged: boolean;
  /** Parameters that ended held on a bound (gradient pushing outward). */
  activeBounds: number[];
}

/** Above this λ a Hessian that stays indefinite however it is damped ends the solve (not converged). */
const LAMBDA_INDEFINITE = 1e20;
/** Above this λ no step, however short, lowers f: x is a minimum to working precision. */
const LAMBDA_STALLED = 1e16;
/** Accepted steps in a row that lower f by less than the relative tolerance before it stops. */
const SMALL_DECREASES_TO_STOP = 2;

/**
 * Minimise a {@link LeastSquaresProblem} from `start` (projected into the bounds).
 * @throws CurieError `E_ARGUMENT` for bad stopping rules, bounds or start (see options.ts)
 */
export function levenbergMarquardt(
  problem: LeastSquaresProblem,
  start: ArrayLike<number>,
  options: LevenbergMarquardtOptions = {},
): LevenbergMarquardtResult {
  const { maxIterations, gradientTolerance, relativeTolerance } = checkOptions(problem, start, options);
  const n = problem.size;
  let current = evaluationSpace(problem),
    spare = evaluationSpace(problem);
  let x = projectIntoBounds(problem, start);
  let f = evaluate(problem, x, current);
  if (!Number.isFinite(f)) return { x, f, iterations: 0, converged: false, activeBounds: [] };
  const equations = normalEquationsSpace(n);
  const space = stepSpace(n);
  formNormalEquations(problem, x, current, equations);
  let free = freeVariables(problem, x, equations.g);

  const damping: Damping = { lambda: 1e-3, growth: 2 };
  let iterations = 0,
    converged = false,
    smallDecreases = 0;
  while (iterations < maxIterations) {
    if (projectedGradient(equations.g, free) <= gradientTolerance * (1 + Math.abs(f))) {
      converged = true;
      break;
    }
    iterations++;
    if (!dampedStep(equations, n, free, damping.lambda, space)) {
      damping.lambda *= 10;
      if (damping.lambda > LAMBDA_INDEFINITE) break;
      continue;
    }
    const trial = projectIntoBounds(
      problem,
      x.map((value, j) => value + space.step[j]),
    );
    const fTrial = evaluate(problem, trial, spare);
    if (!(fTrial < f)) {
      afterRejectedStep(damping);
      if (damping.lambda > LAMBDA_STALLED) {
        converged = true;
        break;
      }
      continue;
    }
    const decrease = f - fTrial;
    const rho = gainRatio(equations, n, x, trial, decrease);
    x = trial;
    f = fTrial;
    [current, spare] = [spare, current];
    afterAcceptedStep(damping, rho);
    formNormalEquations(problem, x, current, equations);
    free = freeVariables(problem, x, equations.g);
    smallDecreases = decrease <= relativeTolerance * Math.abs(f) ? smallDecreases + 1 : 0;
    if (smallDecreases >= SMALL_DECREASES_TO_STOP) {
      converged = true;
      break;
    }
  }
  const activeBounds: number[] = [];
  for (let j = 0; j < n; j++) if (!free.includes(j)) activeBounds.push(j);
  return { x, f, iterations, converged, activeBounds };
}
