/**
 * Sensitivity analysis (PyCurious's `sensitivity`): refit many perturbed copies of a spectrum.
 */
import { type Bounds, fitSpectrum } from './fit.js';
import { checkCount } from './mcmc.js';
import type { Objective } from './objective.js';
import { recentre } from './priors.js';
import { createRng } from './rng.js';
import { type ParameterSamples, parameterSamples } from './summary.js';

/**
 * For each of `nsim` runs: move every prior to a draw from itself (see `recentre`), perturb the
 * spectrum to `Phi + sigmaPhi·N(0, 1)`, and refit from `start`. Seeded: the same seed gives the
 * same runs. Returns the fitted parameters of every run and their summaries.
 */
export function sensitivity(objective: Objective, start: ArrayLike<number>, bounds: Bounds, sigmaPhi: ArrayLike<number>, nsim: number, seed = 0): ParameterSamples {
  checkCount(nsim, 'nsim');
  const rng = createRng(seed);
  const rows = new Float64Array(4 * nsim);
  for (let run = 0; run < nsim; run++) {
    const priors = objective.priors.map((prior) => (prior ? recentre(prior, prior.sample(rng)) : undefined));
    const Phi = objective.Phi.map((value, i) => value + sigmaPhi[i] * rng.normal());
    const fit = fitSpectrum({ ...objective, Phi, priors }, start, bounds);
    rows.set([fit.beta, fit.zt, fit.dz, fit.C], 4 * run);
  }
  return parameterSamples(rows, nsim);
}
