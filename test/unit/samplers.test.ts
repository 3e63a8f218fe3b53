/**
 * What the samplers report about themselves: Metropolis–Hastings' acceptance rate and effective
 * sample sizes, summaries of samples that ran off, and sensitivity runs at the error of the bin mean.
 */
import { describe, expect, it } from 'vitest';
import { CurieOptimiser } from '../../src/CurieOptimiser.js';
import { defaultBounds } from '../../src/inversion/bounds.js';
import { metropolisHastings } from '../../src/inversion/mcmc.js';
import { createObjective } from '../../src/inversion/objective.js';
import { effectiveSampleSize, summarise } from '../../src/inversion/summary.js';
import { bouligand2009 } from '../../src/models/bouligand.js';
import { synthesiseAnomaly } from '../../src/synthetic/index.js';
import { seededRandom } from '../helpers/random.js';

/** An AR(1) chain x_i = φ x_{i−1} + ε_i, whose effective sample size is N (1 − φ)/(1 + φ). */
function autoregressive(phi: number, n: number, seed: number): Float64Array {
  const rnd = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const x = new Float64Array(n);
  for (let i = 1; i < n; i++) x[i] = phi * x[i - 1] + gauss();
  return x;
}

describe('effectiveSampleSize', () => {
  it.each([0, 0.5, 0.9])('of an AR(1) chain with φ = %s is N(1 − φ)/(1 + φ) within 8 %', (phi) => {
    const n = 200_000;
    const expected = (n * (1 - phi)) / (1 + phi);
    expect(Math.abs(effectiveSampleSize(autoregressive(phi, n, 3)) - expected) / expected).toBeLessThan(0.08);
  });

  it('is 0 for a chain that never moved', () => {
    expect(effectiveSampleSize(new Float64Array(100).fill(2.5))).toBe(0);
  });
});

describe('summaries of samples that ran off', () => {
  it('give quantiles and a flag, never a mean of 1e5 km', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => 10 + (i % 100) / 100);
    const tame = summarise(values);
    expect(tame.ranOff).toBe(false);
    expect(tame.mean).toBeCloseTo(10.495, 10);
    values[17] = 1e5;
    const wild = summarise(values);
    expect(wild.ranOff).toBe(true);
    expect(wild.mean).toBeNaN();
    expect(wild.sd).toBeNaN();
    expect(wild.q50).toBeCloseTo(tame.q50, 1);
    expect(wild.q95).toBeLessThan(11);
  });
});

describe('metropolisHastings reports its acceptance rate and effective sample sizes', () => {
  const k = Float64Array.from({ length: 60 }, (_, i) => ((2 * Math.PI) / 200) * (1.5 + i));
  const Phi = bouligand2009(k, 3, 1, 10, 5);
  const objective = createObjective(
    { k, Phi, sigmaPhi: new Float64Array(60).fill(0.1) },
    [undefined, undefined, undefined, undefined],
    true,
  );

  it('acceptance is the fraction of steps that moved; small proposals accept more and mix slower per step', () => {
    const small = metropolisHastings(objective, [3, 1, 10, 5], defaultBounds(), 4000, 200, {
      xScale: [0.002, 0.002, 0.02, 0.002],
      seed: 2,
    });
    const large = metropolisHastings(objective, [3, 1, 10, 5], defaultBounds(), 4000, 200, {
      xScale: [0.5, 0.5, 5, 0.5],
      seed: 2,
    });
    const moved = (s: typeof small) => {
      let count = 0;
      for (let i = 1; i < s.beta.length; i++) if (s.beta[i] !== s.beta[i - 1] || s.dz[i] !== s.dz[i - 1]) count++;
      return count;
    };
    // The first sample is the state after the first step: it moved or not from the burn-in's end.
    expect(Math.abs(small.acceptanceRate! * 4000 - moved(small))).toBeLessThanOrEqual(1);
    expect(Math.abs(large.acceptanceRate! * 4000 - moved(large))).toBeLessThanOrEqual(1);
    expect(small.acceptanceRate!).toBeGreaterThan(large.acceptanceRate!);
    for (const s of [small, large]) {
      for (const value of Object.values(s.effectiveSampleSize!)) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(4000);
      }
    }
    // Tiny steps: every sample follows the last, so far fewer than 4000 effective draws.
    expect(small.effectiveSampleSize!.beta).toBeLessThan(400);
  });
});

/** A resolvable synthetic window (401 km, 1 km cells, Δz 8 km, a Gaussian random field), an optimiser on it and its centre. */
const resolvable = (() => {
  const raster = synthesiseAnomaly({
    rows: 401,
    cols: 401,
    spacing: 1000,
    zt: 1,
    dz: 8,
    beta: 3,
    seed: 4,
    amplitudes: 'random',
  });
  return {
    raster,
    optimiser: CurieOptimiser.fromRaster(raster),
    xc: (raster.xmin + raster.xmax) / 2,
    yc: (raster.ymin + raster.ymax) / 2,
  };
})();

describe('sensitivity perturbs by the error of the bin mean', () => {
  it('gives a Curie-depth spread of kilometres on a resolvable synthetic window, not thousands', () => {
    const { optimiser, xc, yc } = resolvable;
    const runs = optimiser.sensitivity(200e3, xc, yc, 40, { seed: 1 });
    const { q05, q95 } = runs.summary.curieDepth;
    expect(q95 - q05).toBeGreaterThan(0.1);
    expect(q95 - q05).toBeLessThan(20);
    // The spread of the runs is of the size of the fit's own interval.
    const fit = optimiser.optimise(200e3, xc, yc);
    const width = fit.interval!.curieDepth[1] - fit.interval!.curieDepth[0];
    expect(q95 - q05).toBeLessThan(3 * width);
    expect(q95 - q05).toBeGreaterThan(width / 10);
  });
});

describe('metropolisHastings through CurieOptimiser', () => {
  it('under the default convention starts at the global fit, so the chain moves (from PyCurious’s start it never would)', () => {
    const { optimiser, xc, yc } = resolvable;
    const chain = optimiser.metropolisHastings(200e3, xc, yc, 3000, 300, { xScale: [0.05, 0.05, 0.5, 0.05], seed: 1 });
    expect(chain.acceptanceRate!).toBeGreaterThan(0.02);
    const fit = optimiser.optimise(200e3, xc, yc);
    expect(chain.summary.curieDepth.q05).toBeLessThanOrEqual(fit.curieDepth);
    expect(chain.summary.curieDepth.q95).toBeGreaterThanOrEqual(fit.curieDepth);
  });
});

describe('bounds narrower than PyCurious’s start', () => {
  it('move the default start inside them (it is only a hint); an interval that reaches a bound is open, never the bound', () => {
    const { raster, xc, yc } = resolvable;
    const optimiser = CurieOptimiser.fromRaster(raster, {
      bounds: [
        [0, null],
        [0, null],
        [0, 5],
        [null, null],
      ],
    });
    const fit = optimiser.optimise(200e3, xc, yc); // PyCurious's Δz start, 10 km, is outside [0, 5]
    expect(fit.dz).toBeLessThanOrEqual(5);
    expect(fit.verdict).not.toBe('resolved');
    expect(fit.interval!.curieDepth[1]).toBe(Infinity);
    expect(() => optimiser.optimise(200e3, xc, yc, { dz: 10 })).toThrow(/starting dz = 10 is outside its bounds/);
  });
});

describe('bounds narrower than the lattice’s coarse steps', () => {
  const { raster, xc, yc } = resolvable;

  it('keep the fit and every interval inside them (the lattice shrinks its steps to fit)', () => {
    const fit = CurieOptimiser.fromRaster(raster, {
      bounds: [
        [2.9, 3.1],
        [0, null],
        [0, null],
        [null, null],
      ],
    }).optimise(200e3, xc, yc);
    expect(fit.beta).toBeGreaterThanOrEqual(2.9);
    expect(fit.beta).toBeLessThanOrEqual(3.1);
    expect(fit.interval!.beta[0]).toBeGreaterThanOrEqual(2.9);
    expect(fit.interval!.beta[1]).toBeLessThanOrEqual(3.1);
    expect(fit.interval!.beta[1]).toBeGreaterThan(fit.interval!.beta[0]);
  });

  it('narrower than the finest step is an E_ARGUMENT naming the range', () => {
    const optimiser = CurieOptimiser.fromRaster(raster, {
      bounds: [
        [2.999, 3],
        [0, null],
        [0, null],
        [null, null],
      ],
    });
    expect(() => optimiser.optimise(200e3, xc, yc)).toThrow(
      /range of beta \[2\.999, 3\] is narrower than the fit's finest step/,
    );
  });
});
