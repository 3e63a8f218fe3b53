/**
 * Sensitivity analysis (PyCurious's `sensitivity`): refit many perturbed copies of a spectrum.
 */
import type { Convention } from '../spectrum/convention.js';
import type { Bounds } from './bounds.js';
import { fitGlobal } from './global-fit.js';
import { checkCount, checkSamples } from './mcmc.js';
import type { Objective } from './objective.js';
import { recentre } from './priors.js';
import { createRng } from '../rng.js';
import { type ParameterSamples, parameterSamples } from './summary.js';

/**
 * For each of `nsim` runs: move every prior to a draw from itself (see `recentre`), perturb the
 * spectrum to `Phi + sigma·N(0, 1)` and refit it globally (`start` a hint). `sigma` should be the
 * error of each bin's mean (RadialSpectrum.sigmaMean): PyCurious 1.1 perturbs by the scatter of
 * the cells, sigmaPhi, about 9 times too much for a 200 km window. Seeded: the same seed gives the
 * same runs. Returns the fitted parameters of every run and their summaries.
 */
export function sensitivity(
  objective: Objective,
  start: ArrayLike<number>,
  bounds: Bounds,
  sigma: ArrayLike<number>,
  nsim: number,
  seed = 0,
  convention: Convention = 'default',
): ParameterSamples {
  checkCount(nsim, 'nsim');
  checkSamples(nsim);
  const rng = createRng(seed);
  const rows = new Float64Array(4 * nsim);
  for (let run = 0; run < nsim; run++) {
    const priors = objective.priors.map((prior) => (prior ? recentre(prior, prior.sample(rng)) : undefined));
    const Phi = objective.Phi.map((value, i) => value + sigma[i] * rng.normal());
    const fit = fitGlobal({ k: objective.k, Phi, sigmaPhi: sigma }, priors, bounds, start, {
      convention,
      intervals: false,
    });
    rows.set([fit.beta, fit.zt, fit.dz, fit.C], 4 * run);
  }
  return parameterSamples(rows, nsim);
}
