/**
 * The spectral fit as a least-squares problem for the Levenberg–Marquardt solver.
 *
 * C is solved for in closed form inside every evaluation (eliminated-c.ts), which leaves a
 * 3-parameter problem that is far better conditioned: without it, fits from PyCurious's start C = 5
 * (the data want ≈ −18) slide into the degenerate valley Δz → 0, where C and ln Δz trade off. A
 * prior on C that is not normal keeps C as a fourth free parameter.
 */
import { bouligand2009WithGradient, type Bouligand2009Gradient } from '../models/bouligand.js';
import type { Bounds } from './bounds.js';
import { type CElimination, cElimination, cGradient, clampC, unconstrainedC } from './eliminated-c.js';
import type { LeastSquaresProblem } from './levenberg-marquardt/index.js';
import type { Objective } from './objective.js';
import { asNormal, type Distribution } from './priors.js';

/** A least-squares problem plus the map from its variables back to `[β, z_t, Δz, C]`. */
export interface SpectralProblem extends LeastSquaresProblem {
  /** The solver's variables for a full parameter vector (drops C when it is eliminated). */
  reduce(parameters: ArrayLike<number>): Float64Array;
  /** The full `[β, z_t, Δz, C]` for the solver's variables. */
  expand(variables: Float64Array): Float64Array;
}

/** Gradient and non-negative curvature of −logpdf, from dlogpdf or central differences. */
function priorDerivatives(prior: Distribution, x: number): { gradient: number; curvature: number } {
  const h = 1e-5 * Math.max(1, Math.abs(x));
  let gradient: number, curvature: number;
  if (prior.dlogpdf) {
    gradient = -prior.dlogpdf(x);
    curvature = -(prior.dlogpdf(x + h) - prior.dlogpdf(x - h)) / (2 * h);
  } else {
    const up = prior.logpdf(x + h),
      mid = prior.logpdf(x),
      down = prior.logpdf(x - h);
    gradient = -(up - down) / (2 * h);
    curvature = -(up - 2 * mid + down) / (h * h);
  }
  return { gradient: Number.isFinite(gradient) ? gradient : 0, curvature: curvature > 0 ? curvature : 0 };
}

/** Σ −logpdf of the priors of the solver's `size` variables; with arrays, also its gradient and curvature. */
function priorsPenalty(
  priors: ReadonlyArray<Distribution | undefined>,
  size: number,
  x: Float64Array,
  gradient?: Float64Array,
  curvature?: Float64Array,
): number {
  let total = 0;
  for (let j = 0; j < size; j++) {
    const prior = priors[j];
    if (gradient) gradient[j] = 0;
    if (curvature) curvature[j] = 0;
    if (!prior) continue;
    total -= prior.logpdf(x[j]);
    if (gradient && curvature) {
      const d = priorDerivatives(prior, x[j]);
      gradient[j] = d.gradient;
      curvature[j] = d.curvature;
    }
  }
  return total;
}

/**
 * The weighted residuals `(Φ_model + C − Phi)·w` of the spectrum's bins and their Jacobian rows
 * (`size` columns; the derivatives of an eliminated C, `dC`, added to β, z_t, Δz's); returns Σr².
 */
function binResiduals(
  objective: Objective,
  model: Bouligand2009Gradient,
  C: number,
  dC: Float64Array,
  size: number,
  residual: Float64Array,
  jacobian: Float64Array,
): number {
  const { k, Phi, weights } = objective;
  let sum = 0;
  for (let i = 0; i < k.length; i++) {
    const w = weights ? weights[i] : 1;
    const r = (model.phi[i] + C - Phi[i]) * w;
    residual[i] = r;
    sum += r * r;
    const row = size * i;
    jacobian[row] = (model.dBeta[i] + dC[0]) * w;
    jacobian[row + 1] = (model.dZt[i] + dC[1]) * w;
    jacobian[row + 2] = (model.dDz[i] + dC[2]) * w;
    if (size === 4) jacobian[row + 3] = w;
  }
  return sum;
}

/**
 * A normal prior on an eliminated C as one more residual, (C − μ)/s, in row `row`, with its
 * Jacobian row (`dC/s`, 3 columns); returns its square.
 */
function cPriorResidual(
  prior: { mean: number; sd: number },
  C: number,
  dC: Float64Array,
  row: number,
  residual: Float64Array,
  jacobian: Float64Array,
): number {
  const s = prior.sd;
  const r = (C - prior.mean) / s;
  residual[row] = r;
  const at = 3 * row;
  jacobian[at] = dC[0] / s;
  jacobian[at + 1] = dC[1] / s;
  jacobian[at + 2] = dC[2] / s;
  return r * r;
}

/** Build the least-squares problem of fitting `objective` within `bounds`. */
export function spectralProblem(objective: Objective, bounds: Bounds): SpectralProblem {
  const { k, Phi, weights, priors } = objective;
  const points = k.length;
  const cNormal = asNormal(priors[3]);
  const eliminateC = priors[3] === undefined || cNormal !== undefined;
  const size = eliminateC ? 3 : 4;
  const penalised = priors.slice(0, size);
  const model: Bouligand2009Gradient = {
    phi: new Float64Array(points),
    dBeta: new Float64Array(points),
    dZt: new Float64Array(points),
    dDz: new Float64Array(points),
    dC: new Float64Array(points),
  };
  const elimination: CElimination = cElimination(weights, points, cNormal, bounds.lower[3], bounds.upper[3]);
  /** dC/d(β, z_t, Δz) of an eliminated C that moves freely, zero otherwise. */
  const dC = new Float64Array(3);

  /** The model at β, z_t, Δz (C = 0 when eliminated), and the eliminated C for it (0 when C is a variable). */
  const modelAt = (x: ArrayLike<number>): number => {
    bouligand2009WithGradient(k, x[0], x[1], x[2], eliminateC ? 0 : x[3], model);
    dC.fill(0);
    if (!eliminateC) return 0;
    const free = unconstrainedC(elimination, Phi, model.phi);
    const C = clampC(elimination, free);
    if (C === free) cGradient(elimination, model, dC);
    return C;
  };

  return {
    size,
    points: eliminateC && cNormal ? points + 1 : points,
    lower: bounds.lower.slice(0, size),
    upper: bounds.upper.slice(0, size),
    reduce: (parameters) => Float64Array.from(Array.from(parameters).slice(0, size)),
    expand(variables) {
      if (!eliminateC) return Float64Array.from(variables);
      return Float64Array.of(variables[0], variables[1], variables[2], modelAt(variables));
    },
    residuals(x, residual, jacobian) {
      const C = modelAt(x);
      let sum = binResiduals(objective, model, C, dC, size, residual, jacobian);
      if (eliminateC && cNormal) sum += cPriorResidual(cNormal, C, dC, points, residual, jacobian);
      const half = 0.5 * sum;
      return Number.isFinite(half) ? half : Infinity;
    },
    penalty: (x, gradient, curvature) => priorsPenalty(penalised, size, x, gradient, curvature),
  };
}
