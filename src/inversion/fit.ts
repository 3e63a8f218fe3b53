/**
 * Fitting the Bouligand et al. (2009) model to one radial spectrum from a start: the types of a
 * fit and the local, bounded Levenberg–Marquardt (in place of PyCurious's L-BFGS-B) that polishes
 * the global fit's best basins.
 */
import { type Bounds, checkStart, defaultBounds } from './bounds.js';
import { levenbergMarquardt, type LevenbergMarquardtOptions } from './levenberg-marquardt/index.js';
import { misfit, type Objective } from './objective.js';
import { spectralProblem } from './spectral-problem.js';

/** Result of one fit: parameters, Curie depth = z_t + Δz (km), misfit, convergence. */
export interface FitResult {
  beta: number;
  /** Depth to the top of the magnetic layer, km. */
  zt: number;
  /** Thickness of the magnetic layer, km. */
  dz: number;
  C: number;
  /** z_t + Δz, km. */
  curieDepth: number;
  /** Misfit at the result (½Σ(Φ_model − Phi)² plus priors). */
  misfit: number;
  /** Iterations of the optimiser, summed over restarts. */
  iterations: number;
  /** False when no start converged: the best point found is returned all the same. */
  converged: boolean;
  /** Probability of the intervals (e.g. 0.9). */
  level?: number;
  /**
   * Posterior interval `[low, high]` of each parameter at `level` (z_t, Δz, Curie depth in km);
   * `high` is Infinity where the data do not bound it (never a bound's or the lattice's value).
   */
  interval?: { beta: [number, number]; zt: [number, number]; dz: [number, number]; curieDepth: [number, number] };
  /** 'resolved' (bounded interval), 'lower-bound' (bounded below only) or 'unresolved' (values kept, not constrained). */
  verdict?: 'resolved' | 'lower-bound' | 'unresolved';
  /** The numbers behind the verdict, one sentence each. */
  reasons?: string[];
  /** χ² of the fit per degree of freedom, against each bin's standard error (σ_mean). */
  chi2PerDof?: number;
  /** Why `converged` is false, when the fit knows (e.g. Δz on its plateau). */
  note?: string;
  /**
   * Multitaper fits: the bias of the taper's spectral window, per bin, removed from the spectrum's
   * `Phi` before the fit (see spectral-window.ts). The misfit is of `Phi − spectrumBias`.
   */
  spectrumBias?: Float64Array;
}

/**
 * Fit [β, z_t, Δz, C] to a spectrum from `start` within `bounds` by Levenberg–Marquardt (C solved
 * in closed form at every step): a local fit, the polish of the global one (global-fit.ts). From a
 * far start it can stop on the plateau of Δz; a fit out of iterations returns its best point with
 * `converged: false`.
 * @param solver stopping rules (defaults: see LevenbergMarquardtOptions)
 */
export function fitSpectrum(
  objective: Objective,
  start: ArrayLike<number>,
  bounds: Bounds = defaultBounds(),
  solver: LevenbergMarquardtOptions = {},
): FitResult {
  checkStart(start, bounds);
  const problem = spectralProblem(objective, bounds);
  const result = levenbergMarquardt(problem, problem.reduce(start), solver);
  const x = problem.expand(result.x);
  const [beta, zt, dz, C] = x;
  // Report PyCurious's misfit itself (same value as the solver's, without its rounding path).
  return {
    beta,
    zt,
    dz,
    C,
    curieDepth: zt + dz,
    misfit: misfit(objective, x),
    iterations: result.iterations,
    converged: result.converged && Number.isFinite(result.f),
  };
}
