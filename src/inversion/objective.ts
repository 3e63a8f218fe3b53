/**
 * The misfit PyCurious minimises (`min_func`): half the sum of squared differences between the
 * Bouligand et al. (2009) model and a radial spectrum, plus the priors' negative log densities.
 */
import { CurieError, fmt } from '../errors.js';
import { bouligand2009 } from '../models/bouligand.js';
import type { Distribution } from './priors.js';

/** Names of the fitted parameters, in the order of a parameter vector `[β, z_t, Δz, C]`. */
export const PARAMETERS = ['beta', 'zt', 'dz', 'C'] as const;
/** One of {@link PARAMETERS}. */
export type ParameterName = (typeof PARAMETERS)[number];

/** PyCurious's misfit where the model is not finite (e.g. Δz = 0). */
const MISFIT_CEILING = 1e99;

/** A radial spectrum to fit: `k` in rad/km, `Phi`, `sigmaPhi`. */
export interface SpectrumToFit {
  k: ArrayLike<number>;
  Phi: ArrayLike<number>;
  sigmaPhi: ArrayLike<number>;
}

/** Everything the misfit depends on besides the parameters. */
export interface Objective {
  k: Float64Array;
  Phi: Float64Array;
  /** 1/sigmaPhi per point when weighted, else undefined (PyCurious ignores sigmaPhi: weight 1). */
  weights: Float64Array | undefined;
  /** Prior of each parameter, in {@link PARAMETERS} order (undefined = none). */
  priors: ReadonlyArray<Distribution | undefined>;
}

/**
 * Check a spectrum and build the objective. Throws `E_NAN` for NaN in the spectrum, `E_ARGUMENT`
 * for arrays of different lengths, fewer points than the 4 parameters, or (weighted) sigmaPhi ≤ 0.
 */
export function createObjective(
  spectrum: SpectrumToFit,
  priors: ReadonlyArray<Distribution | undefined>,
  weighted = false,
): Objective {
  const { k, Phi, sigmaPhi } = spectrum;
  if (k.length !== Phi.length || k.length !== sigmaPhi.length)
    throw new CurieError(
      'E_ARGUMENT',
      `k, Phi and sigmaPhi have ${k.length}, ${Phi.length} and ${sigmaPhi.length} entries; they must be one spectrum`,
    );
  if (k.length < PARAMETERS.length)
    throw new CurieError(
      'E_ARGUMENT',
      `the spectrum has ${k.length} points, fewer than the ${PARAMETERS.length} parameters to fit; use a larger window`,
    );
  let nan = 0;
  for (let i = 0; i < k.length; i++)
    if (!Number.isFinite(k[i]) || !Number.isFinite(Phi[i]) || !Number.isFinite(sigmaPhi[i])) nan++;
  if (nan > 0)
    throw new CurieError(
      'E_NAN',
      `the spectrum has ${nan} NaN or infinite point${nan === 1 ? '' : 's'}; check the window for gaps`,
    );
  let weights: Float64Array | undefined;
  if (weighted) {
    weights = new Float64Array(k.length);
    for (let i = 0; i < k.length; i++) {
      if (!(sigmaPhi[i] > 0))
        throw new CurieError(
          'E_ARGUMENT',
          `weighted misfit needs sigmaPhi > 0, but point ${i} has ${fmt(sigmaPhi[i])}; fit unweighted`,
        );
      weights[i] = 1 / sigmaPhi[i];
    }
  }
  return { k: Float64Array.from(k), Phi: Float64Array.from(Phi), weights, priors };
}

/** Σ −logpdf over the parameters that have a prior. */
function priorPenalty(priors: ReadonlyArray<Distribution | undefined>, x: ArrayLike<number>): number {
  let penalty = 0;
  for (let j = 0; j < priors.length; j++) {
    const prior = priors[j];
    if (prior) penalty -= prior.logpdf(x[j]);
  }
  return penalty;
}

/**
 * The misfit at x = [β, z_t, Δz, C]: `½ Σ (Φ_model − Phi)²` (each term divided by sigmaPhi² when
 * weighted) plus each prior's −logpdf; {@link MISFIT_CEILING} where it is not finite, as PyCurious.
 */
export function misfit(objective: Objective, x: ArrayLike<number>): number {
  const model = bouligand2009(objective.k, x[0], x[1], x[2], x[3]);
  let sum = 0;
  for (let i = 0; i < model.length; i++) {
    const r = (model[i] - objective.Phi[i]) * (objective.weights ? objective.weights[i] : 1);
    sum += r * r;
  }
  const total = 0.5 * sum + priorPenalty(objective.priors, x);
  return Number.isFinite(total) ? total : MISFIT_CEILING;
}
