/**
 * The spectral fit as a least-squares problem for the Levenberg–Marquardt solver.
 *
 * C enters the Bouligand model linearly, so for any (β, z_t, Δz) its best value is closed-form:
 * the weighted mean of Phi − model (pulled towards a normal prior's mean). Solving for C inside
 * every evaluation (variable projection, Golub & Pereyra 1973) leaves a 3-parameter problem that
 * is far better conditioned: without it, fits from PyCurious's start C = 5 (the data want ≈ −18)
 * slide into the degenerate valley Δz → 0, where C and ln Δz trade off. A prior on C that is not
 * normal keeps C as a fourth free parameter.
 */
import { bouligand2009WithGradient, type Bouligand2009Gradient } from '../models/bouligand.js';
import type { Bounds } from './fit.js';
import type { LeastSquaresProblem } from './levenberg-marquardt.js';
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
    const up = prior.logpdf(x + h), mid = prior.logpdf(x), down = prior.logpdf(x - h);
    gradient = -(up - down) / (2 * h);
    curvature = -(up - 2 * mid + down) / (h * h);
  }
  return { gradient: Number.isFinite(gradient) ? gradient : 0, curvature: curvature > 0 ? curvature : 0 };
}

/** Build the least-squares problem of fitting `objective` within `bounds`. */
export function spectralProblem(objective: Objective, bounds: Bounds): SpectralProblem {
  const { k, Phi, weights, priors } = objective;
  const points = k.length;
  const cPrior = priors[3];
  const cNormal = asNormal(cPrior);
  const eliminateC = cPrior === undefined || cNormal !== undefined;
  const size = eliminateC ? 3 : 4;
  const penalised = priors.slice(0, size);
  const model: Bouligand2009Gradient = { phi: new Float64Array(points), dBeta: new Float64Array(points), dZt: new Float64Array(points), dDz: new Float64Array(points), dC: new Float64Array(points) };
  const w2 = new Float64Array(points);
  let w2Sum = 0;
  for (let i = 0; i < points; i++) {
    w2[i] = weights ? weights[i] * weights[i] : 1;
    w2Sum += w2[i];
  }
  // A normal prior on C adds ½((C − μ)/s)²: one more residual, (C − μ)/s.
  const precision = cNormal ? 1 / (cNormal.sd * cNormal.sd) : 0;
  let bestC = NaN;

  /** C minimising the misfit for the current model (C = 0 in it), clamped to its bounds; and whether it moved freely. */
  const solveC = (): boolean => {
    let sum = 0;
    for (let i = 0; i < points; i++) sum += w2[i] * (Phi[i] - model.phi[i]);
    const free = (sum + (cNormal ? cNormal.mean * precision : 0)) / (w2Sum + precision);
    bestC = Math.min(bounds.upper[3], Math.max(bounds.lower[3], free));
    return bestC === free;
  };

  return {
    size,
    points: eliminateC && cNormal ? points + 1 : points,
    lower: bounds.lower.slice(0, size),
    upper: bounds.upper.slice(0, size),
    reduce: (parameters) => Float64Array.from(Array.from(parameters).slice(0, size)),
    expand(variables) {
      if (!eliminateC) return Float64Array.from(variables);
      bouligand2009WithGradient(k, variables[0], variables[1], variables[2], 0, model);
      solveC();
      return Float64Array.of(variables[0], variables[1], variables[2], bestC);
    },
    residuals(x, residual, jacobian) {
      bouligand2009WithGradient(k, x[0], x[1], x[2], eliminateC ? 0 : x[3], model);
      let dC0 = 0, dC1 = 0, dC2 = 0, C = 0;
      if (eliminateC) {
        const freeC = solveC();
        C = bestC;
        if (freeC) {
          // dC*/dθ = −Σ w² ∂model/∂θ / (Σ w² + precision)
          for (let i = 0; i < points; i++) {
            dC0 -= w2[i] * model.dBeta[i];
            dC1 -= w2[i] * model.dZt[i];
            dC2 -= w2[i] * model.dDz[i];
          }
          const scale = 1 / (w2Sum + precision);
          dC0 *= scale;
          dC1 *= scale;
          dC2 *= scale;
        }
      }
      let sum = 0;
      for (let i = 0; i < points; i++) {
        const w = weights ? weights[i] : 1;
        const r = (model.phi[i] + C - Phi[i]) * w;
        residual[i] = r;
        sum += r * r;
        const row = size * i;
        jacobian[row] = (model.dBeta[i] + dC0) * w;
        jacobian[row + 1] = (model.dZt[i] + dC1) * w;
        jacobian[row + 2] = (model.dDz[i] + dC2) * w;
        if (!eliminateC) jacobian[row + 3] = w;
      }
      if (eliminateC && cNormal) {
        const s = cNormal.sd;
        const r = (C - cNormal.mean) / s;
        residual[points] = r;
        sum += r * r;
        const row = size * points;
        jacobian[row] = dC0 / s;
        jacobian[row + 1] = dC1 / s;
        jacobian[row + 2] = dC2 / s;
      }
      const half = 0.5 * sum;
      return Number.isFinite(half) ? half : Infinity;
    },
    penalty(x, gradient, curvature) {
      let total = 0;
      for (let j = 0; j < size; j++) {
        const prior = penalised[j];
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
    },
  };
}
