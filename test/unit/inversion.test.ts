import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { CurieOptimiser } from '../../src/CurieOptimiser.js';
import { defaultBounds } from '../../src/inversion/bounds.js';
import { fitSpectrum } from '../../src/inversion/fit.js';
import { fitGlobal } from '../../src/inversion/global-fit.js';
import { cellSizeFactor } from '../../src/inversion/likelihood-scale.js';
import { type LeastSquaresProblem, levenbergMarquardt } from '../../src/inversion/levenberg-marquardt/index.js';
import { metropolisHastings } from '../../src/inversion/mcmc.js';
import { createObjective, misfit } from '../../src/inversion/objective.js';
import { lognormal, normal, toDistribution, uniform } from '../../src/inversion/priors.js';
import { createRng, deriveSeed, xoshiro128ss } from '../../src/rng.js';
import { sensitivity } from '../../src/inversion/sensitivity.js';
import { spectralProblem } from '../../src/inversion/spectral-problem.js';
import { summarise } from '../../src/inversion/summary.js';
import { bouligand2009 } from '../../src/models/bouligand.js';
import { expectCurieError } from '../helpers/errors.js';
import { seededRandom } from '../helpers/random.js';

/** A 99-point spectrum like a 200 km window's (k = 0.046…4.6 rad/km) from known parameters, with optional deterministic noise. */
function modelSpectrum(truth: [number, number, number, number], noise = 0, seed = 1) {
  const k = Float64Array.from({ length: 99 }, (_, i) => ((2 * Math.PI) / 200) * (1.5 + i));
  const rnd = seededRandom(seed);
  const Phi = bouligand2009(k, ...truth).map((v) => v + noise * (rnd() - 0.5));
  const sigmaPhi = Float64Array.from({ length: 99 }, (_, i) => 0.5 + 0.3 * Math.sin(i));
  return { k, Phi, sigmaPhi };
}

describe('analytic Jacobian of the spectral problem equals finite differences', () => {
  const cases = [
    ['C eliminated, unweighted, no priors', [undefined, undefined, undefined, undefined], false],
    [
      'C eliminated with a normal prior on C, weighted, prior on β',
      [normal(3, 0.2), undefined, undefined, normal(-17, 0.5)],
      true,
    ],
    [
      'C a free parameter (log-normal prior on C is not closed-form)',
      [undefined, lognormal(0, 1), undefined, lognormal(2.9, 0.1)],
      false,
    ],
  ] as const;
  it.each(cases)('%s', (_, priors, weighted) => {
    const spectrum = modelSpectrum([2.8, 0.4, 9, 18], 0.3);
    const problem = spectralProblem(createObjective(spectrum, priors, weighted), defaultBounds());
    const x = Float64Array.from([2.6, 0.5, 7.5, 17.5].slice(0, problem.size));
    const residual = new Float64Array(problem.points),
      jacobian = new Float64Array(problem.points * problem.size);
    problem.residuals(x, residual, jacobian);
    let worst = 0;
    for (let j = 0; j < problem.size; j++) {
      const h = 1e-6 * Math.max(1, Math.abs(x[j]));
      const up = new Float64Array(problem.points),
        down = new Float64Array(problem.points),
        scratch = new Float64Array(jacobian.length);
      const xu = x.slice(),
        xd = x.slice();
      xu[j] += h;
      xd[j] -= h;
      problem.residuals(xu, up, scratch);
      problem.residuals(xd, down, scratch);
      for (let i = 0; i < problem.points; i++)
        worst = Math.max(
          worst,
          Math.abs((up[i] - down[i]) / (2 * h) - jacobian[i * problem.size + j]) /
            (1 + Math.abs(jacobian[i * problem.size + j])),
        );
    }
    expect(worst).toBeLessThan(1e-6);
  });
});

describe('levenbergMarquardt on a problem with a known answer', () => {
  // Residuals r = (x0 + 2·x1 − 4, 3·x0 − x1 − 5, x0 − 1): a linear least-squares problem whose
  // normal equations [[11, −1], [−1, 5]]·x = [20, 3] give x = (103/54, 53/54).
  const linear = (lower: [number, number], upper: [number, number], penaltyWeight = 0): LeastSquaresProblem => ({
    size: 2,
    points: 3,
    lower,
    upper,
    residuals(x, r, J) {
      r[0] = x[0] + 2 * x[1] - 4;
      r[1] = 3 * x[0] - x[1] - 5;
      r[2] = x[0] - 1;
      J.set([1, 2, 3, -1, 1, 0]);
      return 0.5 * (r[0] ** 2 + r[1] ** 2 + r[2] ** 2);
    },
    penalty(x, gradient, curvature) {
      // ½·w·x1², a prior pulling x1 towards 0.
      if (gradient && curvature) {
        gradient.set([0, penaltyWeight * x[1]]);
        curvature.set([0, penaltyWeight]);
      }
      return 0.5 * penaltyWeight * x[1] ** 2;
    },
  });

  it('reaches the least-squares solution from a far start', () => {
    const result = levenbergMarquardt(linear([-Infinity, -Infinity], [Infinity, Infinity]), [40, -30]);
    expect(result.converged).toBe(true);
    // To the default tolerances: f stops falling by more than 1e-9 of itself.
    expect(result.x[0]).toBeCloseTo(103 / 54, 7);
    expect(result.x[1]).toBeCloseTo(53 / 54, 7);
    expect(result.activeBounds).toEqual([]);
  });

  it('adds the penalty: ½·x1² moves the solution to the normal equations [[11, −1], [−1, 6]]·x = [20, 3]', () => {
    const result = levenbergMarquardt(linear([-Infinity, -Infinity], [Infinity, Infinity], 1), [0, 0]);
    expect(result.x[0]).toBeCloseTo(123 / 65, 9);
    expect(result.x[1]).toBeCloseTo(53 / 65, 9);
  });

  it('ends on a bound the optimum lies beyond, holding that variable and solving for the other', () => {
    // x1 ≤ 0.5: with x1 fixed at 0.5, 11·x0 = 20 + 0.5.
    const result = levenbergMarquardt(linear([-Infinity, -Infinity], [Infinity, 0.5]), [0, 0]);
    expect(result.converged).toBe(true);
    expect(result.x[1]).toBe(0.5);
    expect(result.x[0]).toBeCloseTo(20.5 / 11, 7);
    expect(result.activeBounds).toEqual([1]);
  });

  it('checks its stopping rules, start and bounds in one place, naming the value', () => {
    const free = linear([-Infinity, -Infinity], [Infinity, Infinity]);
    expectCurieError(
      () => levenbergMarquardt(free, [0, 0], { maxIterations: 2.5 }),
      'E_ARGUMENT',
      'maxIterations 2.5 must be a whole number ≥ 0',
    );
    expectCurieError(
      () => levenbergMarquardt(free, [0, 0], { relativeTolerance: -1 }),
      'E_ARGUMENT',
      'relativeTolerance -1 must be a finite number ≥ 0',
    );
    expectCurieError(
      () => levenbergMarquardt(free, [0, 0, 0]),
      'E_ARGUMENT',
      'start has 3 values for a problem of 2 parameters',
    );
    expectCurieError(
      () => levenbergMarquardt(linear([1, 0], [0, 1]), [0, 0]),
      'E_ARGUMENT',
      'bounds of parameter 1 [1, 0] must have lower ≤ upper',
    );
  });
});

describe('fitSpectrum', () => {
  it('recovers the parameters of a noise-free model spectrum from PyCurious’s start', () => {
    const truth: [number, number, number, number] = [2.7, 0.35, 8, -18];
    const fit = fitSpectrum(
      createObjective(modelSpectrum(truth), [undefined, undefined, undefined, undefined]),
      [3, 1, 10, 5],
    );
    expect(fit.converged).toBe(true);
    expect(fit.beta).toBeCloseTo(truth[0], 5);
    expect(fit.zt).toBeCloseTo(truth[1], 5);
    expect(fit.dz).toBeCloseTo(truth[2], 4);
    expect(fit.C).toBeCloseTo(truth[3], 4);
    expect(fit.curieDepth).toBeCloseTo(truth[1] + truth[2], 4);
    expect(fit.misfit).toBeLessThan(1e-12);
  });

  it('returns the best point found, with converged: false, when the iterations run out', () => {
    const objective = createObjective(modelSpectrum([2.7, 0.35, 8, -18], 0.4), [
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const start = [3, 1, 10, 5];
    const capped = fitSpectrum(objective, start, defaultBounds(), { maxIterations: 2 });
    expect(capped.converged).toBe(false);
    expect([capped.beta, capped.zt, capped.dz, capped.C].every(Number.isFinite)).toBe(true);
    // Better than where it started (C solved for), worse than a full fit.
    expect(capped.misfit).toBeLessThan(misfit(objective, [3, 1, 10, -18]));
    expect(capped.misfit).toBeGreaterThan(fitSpectrum(objective, start).misfit);
  });

  it('respects user bounds, ending on the bound when the optimum lies beyond it', () => {
    const bounds = defaultBounds();
    bounds.upper[0] = 2.5; // the data want β = 2.7
    const fit = fitSpectrum(
      createObjective(modelSpectrum([2.7, 0.35, 8, -18]), [undefined, undefined, undefined, undefined]),
      [2, 1, 10, 5],
      bounds,
    );
    expect(fit.beta).toBe(2.5);
    expect(fit.converged).toBe(true);
  });

  it('rejects starting values outside the bounds, NaN spectra and too few points', () => {
    const objective = createObjective(modelSpectrum([2.7, 0.35, 8, -18]), [undefined, undefined, undefined, undefined]);
    expectCurieError(
      () => fitSpectrum(objective, [3, -1, 10, 5]),
      'E_ARGUMENT',
      'starting zt = -1 is outside its bounds',
    );
    const spectrum = modelSpectrum([2.7, 0.35, 8, -18]);
    spectrum.Phi[4] = NaN;
    expectCurieError(() => createObjective(spectrum, []), 'E_NAN', '1 NaN');
    expectCurieError(
      () => createObjective({ k: [1, 2, 3], Phi: [1, 2, 3], sigmaPhi: [1, 1, 1] }, []),
      'E_ARGUMENT',
      'fewer than the 4 parameters',
    );
  });
});

describe('priors', () => {
  it('give PyCurious’s misfit terms', () => {
    expect(-normal(3, 0.5).logpdf(4)).toBeCloseTo(0.5 * 4, 14);
    expect(uniform(0, 2).logpdf(1)).toBe(0);
    expect(-uniform(0, 2).logpdf(3)).toBe(Infinity);
    expect(-lognormal(0, 2).logpdf(Math.E)).toBeCloseTo(0.5 * 0.25 + 1, 14);
  });

  it('reject bad parameters and objects that are not distributions', () => {
    expectCurieError(() => normal(3, 0), 'E_ARGUMENT', 'sd = 0');
    expectCurieError(() => normal(3, -1), 'E_ARGUMENT', 'sd = -1');
    expectCurieError(() => uniform(2, 2), 'E_ARGUMENT', 'lower 2 must be below upper 2');
    expectCurieError(() => lognormal(0, 0), 'E_ARGUMENT', 'sigma = 0');
    expectCurieError(() => toDistribution({ mean: 3 } as never, 'beta'), 'E_ARGUMENT', 'is not a distribution');
    const optimiser = new CurieOptimiser(
      [
        [0, 1],
        [1, 0],
      ],
      0,
      1000,
      0,
      1000,
    );
    expectCurieError(() => optimiser.addPrior({ depth: [1, 2] } as never), 'E_ARGUMENT', "unknown parameter 'depth'");
    expectCurieError(() => optimiser.addPrior({ beta: [3, 0] }), 'E_ARGUMENT', 'sd = 0');
  });

  it('show as PyCurious’s prior dictionary, and reset', () => {
    const optimiser = new CurieOptimiser(
      [
        [0, 1],
        [1, 0],
      ],
      0,
      1000,
      0,
      1000,
      { priors: { beta: [3, 0.5], dz: uniform(1, 50) } },
    );
    expect(optimiser.prior).toEqual({ beta: [3, 0.5], zt: null, dz: [1, 50], C: null });
    optimiser.resetPriors();
    expect(optimiser.prior).toEqual({ beta: null, zt: null, dz: null, C: null });
  });
});

describe('bounds', () => {
  it('accept PyCurious’s pair list with null for none, and reject lower ≥ upper', () => {
    const optimiser = new CurieOptimiser(
      [
        [0, 1],
        [1, 0],
      ],
      0,
      1000,
      0,
      1000,
    );
    optimiser.bounds = [
      [0, 5],
      [0, null],
      [1, 60],
      [null, null],
    ];
    expect(optimiser.bounds).toEqual({ lower: [0, 0, 1, -Infinity], upper: [5, Infinity, 60, Infinity] });
    expectCurieError(
      () =>
        (optimiser.bounds = [
          [0, 5],
          [0, null],
          [60, 1],
          [null, null],
        ]),
      'E_ARGUMENT',
      'bounds of dz',
    );
  });
});

describe('seeded random source', () => {
  it('runs xoshiro128** exactly (reference outputs from state 1, 2, 3, 4)', () => {
    const next = xoshiro128ss([1, 2, 3, 4]);
    expect([next(), next(), next(), next(), next(), next()]).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ]);
  });

  it('repeats for a seed, differs between seeds, and has the right moments', () => {
    const a = createRng(42),
      b = createRng(42),
      c = createRng(43);
    const draws = Array.from({ length: 20000 }, () => a.normal());
    expect(Array.from({ length: 20000 }, () => b.normal())).toEqual(draws);
    expect(c.normal()).not.toBe(draws[0]);
    const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
    const variance = draws.reduce((s, v) => s + (v - mean) ** 2, 0) / draws.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
    const u = Array.from({ length: 10000 }, () => a.uniform());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expectCurieError(() => createRng(NaN), 'E_ARGUMENT', 'seed NaN');
  });

  it('derives the same seed from the same coordinates, whatever their position', () => {
    expect(deriveSeed(7, 152500, 100500)).toBe(deriveSeed(7, 152500, 100500));
    expect(deriveSeed(7, 152500, 100500)).not.toBe(deriveSeed(7, 100500, 152500));
    expect(deriveSeed(0, -0)).toBe(deriveSeed(0, 0));
  });
});

describe('metropolisHastings and sensitivity', () => {
  const objective = createObjective(modelSpectrum([2.7, 0.35, 8, -18], 0.5), [
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
  const bounds = defaultBounds();

  it('gives identical chains for a seed and other chains for another seed', () => {
    const a = metropolisHastings(objective, [3, 1, 10, -17], bounds, 300, 100, {
      xScale: [0.05, 0.05, 0.5, 0.2],
      seed: 5,
    });
    const b = metropolisHastings(objective, [3, 1, 10, -17], bounds, 300, 100, {
      xScale: [0.05, 0.05, 0.5, 0.2],
      seed: 5,
    });
    const c = metropolisHastings(objective, [3, 1, 10, -17], bounds, 300, 100, {
      xScale: [0.05, 0.05, 0.5, 0.2],
      seed: 6,
    });
    expect(b.beta).toEqual(a.beta);
    expect(b.dz).toEqual(a.dz);
    expect(c.beta).not.toEqual(a.beta);
  });

  it('never leaves the bounds, however wide the proposals', () => {
    const tight = defaultBounds();
    tight.lower = [2, 0.1, 5, -30];
    tight.upper = [3.5, 1.5, 15, 0];
    const chain = metropolisHastings(objective, [3, 1, 10, -17], tight, 2000, 0, { xScale: [3, 3, 30, 30], seed: 1 });
    for (const [values, j] of [
      [chain.beta, 0],
      [chain.zt, 1],
      [chain.dz, 2],
      [chain.C, 3],
    ] as const) {
      expect(Math.min(...values)).toBeGreaterThanOrEqual(tight.lower[j]);
      expect(Math.max(...values)).toBeLessThanOrEqual(tight.upper[j]);
    }
  });

  it('rejects nsim ≤ 0, a negative burn-in and bad proposal scales', () => {
    expectCurieError(() => metropolisHastings(objective, [3, 1, 10, -17], bounds, 0, 10), 'E_ARGUMENT', 'nsim = 0');
    expectCurieError(() => metropolisHastings(objective, [3, 1, 10, -17], bounds, 10, -1), 'E_ARGUMENT', 'burnin = -1');
    expectCurieError(
      () => metropolisHastings(objective, [3, 1, 10, -17], bounds, 10, 1, { xScale: [1, 1] }),
      'E_ARGUMENT',
      'xScale',
    );
    expectCurieError(
      () => sensitivity(objective, [3, 1, 10, -17], bounds, objective.Phi, -2),
      'E_ARGUMENT',
      'nsim = -2',
    );
  });

  it('sensitivity scatters fits around the truth, repeatably', () => {
    const spectrum = modelSpectrum([2.7, 0.35, 8, -18]);
    const clean = createObjective(spectrum, [undefined, undefined, undefined, undefined]);
    const small = spectrum.sigmaPhi.map((s) => s * 0.01);
    const a = sensitivity(clean, [3, 1, 10, 5], bounds, small, 20, 9);
    const b = sensitivity(clean, [3, 1, 10, 5], bounds, small, 20, 9);
    expect(b.dz).toEqual(a.dz);
    expect(Math.abs(a.summary.beta.q50 - 2.7)).toBeLessThan(0.02);
    expect(Math.abs(a.summary.curieDepth.q50 - 8.35)).toBeLessThan(0.5);
    // The spread follows the perturbation: twice the errors, twice the scatter (same seed, same draws).
    const twice = sensitivity(
      clean,
      [3, 1, 10, 5],
      bounds,
      small.map((s) => 2 * s),
      20,
      9,
    );
    expect(twice.summary.beta.sd / a.summary.beta.sd).toBeGreaterThan(1.7);
    expect(twice.summary.beta.sd / a.summary.beta.sd).toBeLessThan(2.3);
    expect(a.summary.beta.sd).toBeLessThan(0.02);
  });
});

describe('summaries use numpy’s conventions', () => {
  it('population sd and linearly interpolated quantiles', () => {
    const s = summarise([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]);
    expect(s.mean).toBe(5.5);
    expect(s.sd).toBeCloseTo(Math.sqrt(8.25), 14);
    expect(s.q05).toBeCloseTo(1.45, 14);
    expect(s.q50).toBe(5.5);
    expect(s.q95).toBeCloseTo(9.55, 14);
  });
});

const NO_PRIORS = [undefined, undefined, undefined, undefined];

describe('fitGlobal: the global fit, its interval and its verdict', () => {
  // modelSpectrum's sigmaPhi stands in for the error of each bin's mean (sigmaMean absent).
  const truth: [number, number, number, number] = [2.7, 0.35, 8, -18];
  const starts = [
    [3, 1, 10, 5],
    [0.5, 5, 100, 0],
    [6, 0, 0.5, -30],
  ];

  it('recovers a noise-free model spectrum from any start: the start is only a hint', () => {
    const spectrum = modelSpectrum(truth);
    for (const start of starts) {
      const fit = fitGlobal(spectrum, NO_PRIORS, defaultBounds(), start, { convention: 'default' });
      expect(fit.beta).toBeCloseTo(truth[0], 5);
      expect(fit.zt).toBeCloseTo(truth[1], 5);
      expect(fit.dz).toBeCloseTo(truth[2], 4);
      expect(fit.C).toBeCloseTo(truth[3], 4);
      expect(fit.misfit).toBeLessThan(1e-12);
      expect(fit.converged).toBe(true);
    }
    // …where the local fit from a far start walks onto the plateau of Δz and stops there.
    const local = fitSpectrum(createObjective(spectrum, NO_PRIORS), starts[1]);
    expect(local.dz).toBeGreaterThan(1000);
    expect(local.misfit).toBeGreaterThan(0.1);
  });

  it.each([0.3, 0.05])(
    'noise %s: the same fit from every start, a resolved 90 %% interval holding the truth',
    (noise) => {
      const spectrum = modelSpectrum(truth, noise, 3);
      const fits = starts.map((start) =>
        fitGlobal(spectrum, NO_PRIORS, defaultBounds(), start, { convention: 'default' }),
      );
      for (const fit of fits.slice(1)) expect(fit).toEqual(fits[0]);
      const fit = fits[0];
      // At or below the local fit from PyCurious's start (the convention's misfit: weighted).
      expect(fit.misfit).toBeLessThanOrEqual(
        fitSpectrum(createObjective(spectrum, NO_PRIORS, true), starts[0]).misfit * (1 + 1e-9),
      );
      expect(fit.level).toBe(0.9);
      expect(fit.verdict).toBe('resolved');
      const { interval } = fit;
      expect(interval).toBeDefined();
      for (const [name, value] of [
        ['beta', truth[0]],
        ['zt', truth[1]],
        ['dz', truth[2]],
        ['curieDepth', truth[1] + truth[2]],
      ] as const) {
        const [low, high] = interval![name];
        expect(Array.isArray(interval![name])).toBe(true);
        expect(Number.isFinite(high), name).toBe(true);
        expect(value, `${name} in [${low}, ${high}]`).toBeGreaterThanOrEqual(low);
        expect(value, `${name} in [${low}, ${high}]`).toBeLessThanOrEqual(high);
      }
      // Not wider than the depth itself where Δz is resolvable.
      expect(interval!.curieDepth[1] - interval!.curieDepth[0]).toBeLessThan(truth[1] + truth[2]);
      expect(fit.reasons!.some((r) => r.includes('k_min·Δz'))).toBe(true);
      expect(fit.reasons!.some((r) => r.includes('π·Δz/dx'))).toBe(true);
      // Uniform noise of width `noise` has variance noise²/12: χ²/dof is that over σ², averaged.
      const meanInverseVariance = spectrum.sigmaPhi.reduce((s, sigma) => s + 1 / sigma ** 2, 0) / spectrum.k.length;
      const expected = ((noise * noise) / 12) * meanInverseVariance * (spectrum.k.length / (spectrum.k.length - 4));
      expect(fit.chi2PerDof! / expected).toBeGreaterThan(0.5);
      expect(fit.chi2PerDof! / expected).toBeLessThan(2);
    },
  );

  it('narrower intervals at lower levels, each inside the next', () => {
    const spectrum = modelSpectrum(truth, 0.3, 3);
    const [half, ninety, most] = [0.5, 0.9, 0.99].map(
      (level) =>
        fitGlobal(spectrum, NO_PRIORS, defaultBounds(), starts[0], { convention: 'default', level }).interval!
          .curieDepth,
    );
    expect(half[0]).toBeGreaterThanOrEqual(ninety[0]);
    expect(half[1]).toBeLessThanOrEqual(ninety[1]);
    expect(ninety[0]).toBeGreaterThanOrEqual(most[0]);
    expect(ninety[1]).toBeLessThanOrEqual(most[1]);
    expect(ninety[1] - ninety[0]).toBeGreaterThan(half[1] - half[0]);
  });

  it('a layer too thick for the window (k_min·Δz ≫ 1) is not resolved: its interval is open above, never closed by the lattice', () => {
    for (const deep of [
      [2.7, 0.35, 300, -18],
      [3, 1, 30, -18],
    ] as const) {
      const fit = fitGlobal(modelSpectrum([...deep], 0.3, 3), NO_PRIORS, defaultBounds(), starts[0], {
        convention: 'default',
      });
      expect(fit.verdict).not.toBe('resolved');
      expect(fit.interval!.curieDepth[1]).toBe(Infinity);
      expect(fit.interval!.dz[1]).toBe(Infinity);
      expect(fit.interval!.curieDepth[0]).toBeLessThanOrEqual(deep[1] + deep[2]);
      // z_t, read off the high wavenumbers, stays bounded and right.
      expect(fit.zt).toBeCloseTo(deep[1], 1);
    }
  });

  it("under 'pycurious-1.1' it minimises PyCurious's unweighted misfit, to or below the local fit's", () => {
    const spectrum = modelSpectrum(truth, 0.3, 3);
    const objective = createObjective(spectrum, NO_PRIORS);
    const fit = fitGlobal(spectrum, NO_PRIORS, defaultBounds(), starts[0], { convention: 'pycurious-1.1' });
    expect(fit.misfit).toBe(misfit(objective, [fit.beta, fit.zt, fit.dz, fit.C]));
    expect(fit.misfit).toBeLessThanOrEqual(fitSpectrum(objective, starts[0]).misfit * (1 + 1e-9));
    expect(['resolved', 'lower-bound', 'unresolved']).toContain(fit.verdict);
  });

  it('respects user bounds, ending on the bound when the optimum lies beyond it', () => {
    const bounds = defaultBounds();
    bounds.upper[0] = 2.5; // the data want β = 2.7
    const fit = fitGlobal(modelSpectrum(truth), NO_PRIORS, bounds, [2, 1, 10, 5], { convention: 'default' });
    expect(fit.beta).toBeCloseTo(2.5, 12);
    expect(fit.beta).toBeLessThanOrEqual(2.5);
  });

  it('rejects levels outside (0, 1), NaN or inverted bounds, a prior with no support inside the bounds, a start outside them', () => {
    const spectrum = modelSpectrum(truth, 0.3);
    for (const level of [0, 1, 1.5, -0.1, NaN])
      expectCurieError(
        () => fitGlobal(spectrum, NO_PRIORS, defaultBounds(), starts[0], { convention: 'default', level }),
        'E_ARGUMENT',
        `level ${level}`,
      );
    const nan = defaultBounds();
    nan.upper[2] = NaN;
    expectCurieError(
      () => fitGlobal(spectrum, NO_PRIORS, nan, [3, 1, 1, 5], { convention: 'default' }),
      'E_ARGUMENT',
      'dz',
    );
    const bounds = defaultBounds();
    bounds.upper[2] = 50;
    expectCurieError(
      () =>
        fitGlobal(spectrum, [undefined, undefined, uniform(60, 80), undefined], bounds, starts[0], {
          convention: 'default',
        }),
      'E_ARGUMENT',
      'prior of dz',
      'no support',
    );
    expectCurieError(
      () => fitGlobal(spectrum, NO_PRIORS, defaultBounds(), [3, -1, 10, 5], { convention: 'default' }),
      'E_ARGUMENT',
      'starting zt = -1',
    );
    const optimiser = new CurieOptimiser(
      [
        [0, 1],
        [1, 0],
      ],
      0,
      1000,
      0,
      1000,
    );
    expectCurieError(() => optimiser.optimise(1000, 500, 500, { level: 2 }), 'E_ARGUMENT', 'level 2');
  });
});

describe('CurieOptimiser', () => {
  const n = 61,
    rnd = seededRandom(4);
  const values = Float64Array.from({ length: n * n }, () => rnd() - 0.5);

  it('optimise and minFunc agree: weighted by sigmaMean by default, unweighted under pycurious-1.1; a bad window is a CurieError', () => {
    const optimiser = new CurieOptimiser(ndarray(values, [n, n]), 0, 60_000, 0, 60_000);
    const fit = optimiser.optimise(50_000, 30_000, 30_000);
    const raw = optimiser.radialSpectrum(optimiser.subgrid(50_000, 30_000, 30_000));
    // The default multitaper's fit is of the spectrum less its spectral window's bias.
    expect(fit.spectrumBias).toHaveLength(raw.k.length);
    expect(Math.max(...fit.spectrumBias!.map(Math.abs))).toBeGreaterThan(1e-3);
    const spectrum = { ...raw, Phi: raw.Phi.map((value, i) => value - fit.spectrumBias![i]) };
    const x = [fit.beta, fit.zt, fit.dz, fit.C];
    expect(optimiser.minFunc(x, spectrum.k, spectrum.Phi, spectrum.sigmaMean)).toBe(fit.misfit);
    // The default misfit is ½Σ((Φ_model − Φ)/σ)², by hand.
    const model = bouligand2009(spectrum.k, fit.beta, fit.zt, fit.dz, fit.C);
    let byHand = 0,
      unweighted = 0;
    for (let i = 0; i < model.length; i++) {
      byHand += 0.5 * ((model[i] - spectrum.Phi[i]) / spectrum.sigmaMean[i]) ** 2;
      unweighted += 0.5 * (model[i] - spectrum.Phi[i]) ** 2;
    }
    expect(fit.misfit).toBeCloseTo(byHand, 9);
    expect(optimiser.minFunc(x, spectrum.k, spectrum.Phi, spectrum.sigmaMean, { weighted: false })).toBeCloseTo(
      unweighted,
      12,
    );

    const old = new CurieOptimiser(ndarray(values, [n, n]), 0, 60_000, 0, 60_000, { convention: 'pycurious-1.1' });
    expect(old.convention).toBe('pycurious-1.1');
    const oldFit = old.optimise(50_000, 30_000, 30_000);
    expect(oldFit.spectrumBias).toBeUndefined();
    const oldSpectrum = old.radialSpectrum(old.subgrid(50_000, 30_000, 30_000));
    const oldX = [oldFit.beta, oldFit.zt, oldFit.dz, oldFit.C];
    // PyCurious's min_func ignores sigma: any sigma gives the same number.
    expect(old.minFunc(oldX, oldSpectrum.k, oldSpectrum.Phi, oldSpectrum.sigmaPhi)).toBe(oldFit.misfit);
    expect(old.minFunc(oldX, oldSpectrum.k, oldSpectrum.Phi, oldSpectrum.sigmaMean)).toBe(oldFit.misfit);
    expect(oldFit.misfit).toBe(misfit(createObjective(oldSpectrum, []), oldX));
    expect(old.minFunc(oldX, oldSpectrum.k, oldSpectrum.Phi, oldSpectrum.sigmaMean, { weighted: true })).not.toBe(
      oldFit.misfit,
    );

    expectCurieError(() => optimiser.optimise(70_000, 30_000, 30_000), 'E_WINDOW');
    expectCurieError(() => optimiser.optimise(50_000, 30_000, 30_000, { dz: -1 }), 'E_ARGUMENT', 'starting dz = -1');
    expect(misfit(createObjective(spectrum, []), [3, 1, 0, 5])).toBe(1e99);
  });

  it('optimise returns the fit with its interval, level and verdict; the starting values are a hint', () => {
    const optimiser = new CurieOptimiser(ndarray(values, [n, n]), 0, 60_000, 0, 60_000, {
      bounds: [
        [0, 8],
        [0, null],
        [0, null],
        [null, null],
      ],
    });
    const fit = optimiser.optimise(50_000, 30_000, 30_000);
    expect(fit.level).toBe(0.9);
    expect(['resolved', 'lower-bound', 'unresolved']).toContain(fit.verdict);
    for (const name of ['beta', 'zt', 'dz', 'curieDepth'] as const) {
      const [low, high] = fit.interval![name];
      expect(low).toBeLessThanOrEqual(high);
      // An open end is Infinity, never the bound of 8 on β or a lattice edge.
      if (name === 'beta') expect(high).toBeLessThanOrEqual(8);
    }
    if (fit.verdict === 'resolved') expect(Number.isFinite(fit.interval!.curieDepth[1])).toBe(true);
    else expect(fit.interval!.curieDepth[1]).toBe(Infinity);
    expect(optimiser.optimise(50_000, 30_000, 30_000, { beta: 1, zt: 3, dz: 40, C: -10 })).toEqual(fit);
    const wider = optimiser.optimise(50_000, 30_000, 30_000, { level: 0.99 });
    expect(wider.level).toBe(0.99);
    expect(wider.interval!.curieDepth[0]).toBeLessThanOrEqual(fit.interval!.curieDepth[0]);
  });
});

describe('the likelihood scale by cell size', () => {
  it('is the calibrated table at its cell sizes, constant beyond its ends, log-linear between', () => {
    // The table: 1 km → 1, 2.5 km → 0.7, 5 km → 0.5.
    for (const [spacingKm, factor] of [
      [0.25, 1],
      [1, 1],
      [2.5, 0.7],
      [5, 0.5],
      [10, 0.5],
    ])
      expect(cellSizeFactor(spacingKm)).toBeCloseTo(factor, 12);
    // Halfway in ln(dx) between 1 and 2.5 km (√2.5 km) is halfway between their factors.
    expect(cellSizeFactor(Math.sqrt(2.5))).toBeCloseTo(0.85, 12);
    expect(cellSizeFactor(Math.sqrt(2.5 * 5))).toBeCloseTo(0.6, 12);
  });
});
