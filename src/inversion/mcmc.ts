/**
 * Metropolis–Hastings sampling of [β, z_t, Δz, C] (PyCurious's `metropolis_hastings`), seeded.
 */
import { CurieError, fmt } from '../errors.js';
import { checkAllocation } from '../memory-budget.js';
import type { Bounds } from './bounds.js';
import { misfit, type Objective } from './objective.js';
import { createRng } from '../rng.js';
import { effectiveSampleSize, type ParameterSamples, parameterSamples } from './summary.js';

/** How a Metropolis–Hastings chain proposes and which random stream it draws from. */
export interface ChainOptions {
  /** Standard deviation of the Gaussian proposal for each parameter; default [1, 1, 1, 1] (PyCurious). */
  xScale?: ArrayLike<number>;
  /** Seed of the random stream; the same seed gives the same chain. Default 0. */
  seed?: number;
}

/** PyCurious clamps the current probability at 1e-99 before each ratio: ln(1e-99). */
const LOG_FLOOR = Math.log(1e-99);

/** Check sample counts: positive integers (burn-in may be 0). */
export function checkCount(value: number, name: string, allowZero = false): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < (allowZero ? 0 : 1))
    throw new CurieError(
      'E_ARGUMENT',
      `${name} = ${value} must be a ${allowZero ? 'non-negative' : 'positive'} whole number`,
    );
}

/** Check the proposal scales: 4 non-negative finite numbers (β, z_t, Δz, C); returns them as a Float64Array. */
export function checkScales(xScale: ArrayLike<number>): Float64Array {
  const scale = Array.from(xScale ?? []);
  if (scale.length !== 4 || !scale.every((s) => typeof s === 'number' && s >= 0 && Number.isFinite(s)))
    throw new CurieError(
      'E_ARGUMENT',
      `xScale ${JSON.stringify(scale)} must be 4 non-negative proposal scales for β, z_t, Δz, C`,
    );
  return Float64Array.from(scale);
}

/** Bytes per kept sample: the 4 parameters as rows and as columns, the Curie depths, sorted copies for the summary. */
export const BYTES_PER_SAMPLE = 96;
/** Most burn-in steps: they keep nothing, so only a cap bounds their time (1e8 steps is hours of misfits). */
const MAX_BURNIN = 1e8;

/** Check `nsim` kept samples against the memory budget (before the chain runs, not after). */
export function checkSamples(nsim: number): void {
  checkAllocation(`nsim = ${fmt(nsim)} samples`, BYTES_PER_SAMPLE * nsim, 'use a smaller nsim');
}

/** Check a chain's length: whole numbers, `nsim` within the memory budget, burn-in within {@link MAX_BURNIN}. */
export function checkChain(nsim: number, burnin: number): void {
  checkCount(nsim, 'nsim');
  checkCount(burnin, 'burnin', true);
  checkSamples(nsim);
  if (burnin > MAX_BURNIN)
    throw new CurieError(
      'E_ARGUMENT',
      `burnin = ${fmt(burnin)} exceeds ${fmt(MAX_BURNIN)} steps; a few thousand are usually enough`,
    );
}

/**
 * Sample the posterior exp(−misfit) from `start`. Burn-in first moves only downhill in the
 * tempered misfit/1000 (PyCurious's scheme), then `nsim` Metropolis steps with Gaussian proposals
 * scaled by `xScale`; every step's current state is a sample. Proposals outside `bounds` are
 * rejected (PyCurious lets its chains wander to β < 0).
 */
export function metropolisHastings(
  objective: Objective,
  start: ArrayLike<number>,
  bounds: Bounds,
  nsim: number,
  burnin: number,
  options: ChainOptions = {},
): ParameterSamples {
  checkChain(nsim, burnin);
  const scale = checkScales(options.xScale ?? [1, 1, 1, 1]);
  const rng = createRng(options.seed ?? 0);
  const inside = (x: Float64Array) => x.every((v, j) => v >= bounds.lower[j] && v <= bounds.upper[j]);
  let x = Float64Array.from(start);
  if (!inside(x))
    throw new CurieError(
      'E_ARGUMENT',
      `starting point [${Array.from(x, fmt).join(', ')}] is outside the bounds; start inside them`,
    );
  const proposal = new Float64Array(4);
  const propose = () => {
    for (let j = 0; j < 4; j++) proposal[j] = x[j] + rng.normal() * scale[j];
    return inside(proposal);
  };

  let f = misfit(objective, x);
  for (let i = 0; i < burnin; i++) {
    if (!propose()) continue;
    const fNew = misfit(objective, proposal);
    // exp(−f/1000) larger ⇔ f smaller.
    if (fNew < f) {
      x = Float64Array.from(proposal);
      f = fNew;
    }
  }
  const rows = new Float64Array(4 * nsim);
  let accepted = 0;
  for (let i = 0; i < nsim; i++) {
    if (propose()) {
      const fNew = misfit(objective, proposal);
      const logRatio = -fNew - Math.max(-f, LOG_FLOOR);
      if (Math.log(rng.uniform()) <= Math.min(logRatio, 0)) {
        x = Float64Array.from(proposal);
        f = fNew;
        accepted++;
      }
    }
    rows.set(x, 4 * i);
  }
  const samples = parameterSamples(rows, nsim);
  const { beta, zt, dz, C } = samples;
  return {
    ...samples,
    acceptanceRate: accepted / nsim,
    effectiveSampleSize: {
      beta: effectiveSampleSize(beta),
      zt: effectiveSampleSize(zt),
      dz: effectiveSampleSize(dz),
      C: effectiveSampleSize(C),
      curieDepth: effectiveSampleSize(zt.map((v, i) => v + dz[i])),
    },
  };
}
