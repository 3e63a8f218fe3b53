/**
 * The multitaper spectrum (the default convention's) and the spectral-window bias its fits remove,
 * each checked against a direct computation written here from the definitions.
 */
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import {
  azimuthalSpectrum,
  bouligand2009,
  CurieGrid,
  CurieOptimiser,
  radialSpectrum,
  resolutionBound,
  synthesiseAnomaly,
  taperWeights,
} from '../../src/index.js';
import { fitGlobal } from '../../src/inversion/global-fit.js';
import { defaultBounds } from '../../src/inversion/bounds.js';
import { spectralWindowBias } from '../../src/inversion/spectral-window.js';
import { fft2d } from '../../src/spectrum/fft.js';
import { radialBins, taperInflation } from '../../src/spectrum/radial.js';
import { taperSet } from '../../src/spectrum/taper.js';
import { expectCurieError } from '../helpers/errors.js';
import { seededRandom } from '../helpers/random.js';

/** Bins of the radial spectrum as SPEC.md defines them: offsets (a, b) from the centre with (i+1)² ≤ a² + b² ≤ (i+2)². */
function binMembers(n: number): Array<Array<[number, number]>> {
  const c = (n - 1) / 2;
  const bins: Array<Array<[number, number]>> = Array.from({ length: c - 1 }, () => []);
  for (let a = -c; a <= c; a++)
    for (let b = -c; b <= c; b++)
      for (let i = 0; i < bins.length; i++)
        if ((i + 1) ** 2 <= a * a + b * b && a * a + b * b <= (i + 2) ** 2) bins[i].push([a, b]);
  return bins;
}

describe('multitaper sets', () => {
  it('K Hann-sine tapers: orthonormal, the first the Hann shape, all zero with zero slope at the ends', () => {
    const n = 41;
    const set = taperSet({ multitaper: 3 }, n);
    expect(set).toHaveLength(3);
    for (let p = 0; p < 3; p++)
      for (let q = 0; q < 3; q++) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += set[p][j] * set[q][j];
        expect(dot).toBeCloseTo(p === q ? 1 : 0, 12);
      }
    // sin²(π(j+1)/(n+1)) is numpy's hanning(n + 2) without its two zero ends.
    const hann = taperWeights('hanning', n + 2).slice(1, n + 1);
    const scale = set[0][20] / hann[20];
    for (let j = 0; j < n; j++) expect(set[0][j]).toBeCloseTo(scale * hann[j], 14);
    // Zero slope at the ends: the first sample is second order in 1/(n+1), not first.
    for (const taper of set) expect(Math.abs(taper[0]) / Math.max(...taper.map(Math.abs))).toBeLessThan(0.1);
  });

  it("taperInflation: Welch's (n Σw⁴/(Σw²)²)² for one taper, K n Σ(Σ_p t_p²)²/(Σ Σ t_p²)² squared for a set", () => {
    const n = 201;
    const hann = taperWeights('hanning', n);
    // Hann: (35/18)² in the limit of long windows.
    expect(taperInflation(hann)).toBeCloseTo((35 / 18) ** 2, 1);
    expect(taperInflation([hann])).toBe(taperInflation(hann));
    const set = taperSet({ multitaper: 2 }, n);
    let s4 = 0;
    for (let j = 0; j < n; j++) s4 += (set[0][j] ** 2 + set[1][j] ** 2) ** 2;
    expect(taperInflation(set)).toBeCloseTo(((2 * n * s4) / 4) ** 2, 12);
    expect(taperInflation(set)).toBeGreaterThan(taperInflation(hann));
  });

  it('bad sets are E_ARGUMENT naming K; a single-taper API refuses a set', () => {
    for (const K of [0, 5, 1.5, Number.NaN])
      expectCurieError(
        () => taperSet({ multitaper: K }, 21),
        'E_ARGUMENT',
        `multitaper ${String(K)} must be a whole number`,
      );
    expectCurieError(() => taperWeights({ multitaper: 2 }, 21), 'E_ARGUMENT', 'is a set of tapers, not one');
    const data = ndarray(Float64Array.from({ length: 21 * 21 }, seededRandom(3)), [21, 21]);
    expectCurieError(
      () => azimuthalSpectrum(data, 1000, { taper: { multitaper: 2 } }),
      'E_ARGUMENT',
      'is a set of tapers, not one',
    );
  });
});

describe('multitaper radial spectrum', () => {
  it('is the bin mean of ln of the mean of the K² periodograms of t_p(row)·t_q(column), by a direct 2-D DFT', () => {
    const n = 25,
      K = 2,
      random = seededRandom(11);
    const values = Float64Array.from({ length: n * n }, () => random() - 0.5);
    const spectrum = radialSpectrum(ndarray(values, [n, n]), 2000, { taper: { multitaper: K } });
    const set = taperSet({ multitaper: K }, n);
    const S = new Float64Array(n * n);
    for (const rowTaper of set)
      for (const columnTaper of set) {
        const z = new Float64Array(2 * n * n);
        for (let r = 0; r < n; r++)
          for (let c = 0; c < n; c++) z[2 * (r * n + c)] = values[r * n + c] * rowTaper[r] * columnTaper[c];
        fft2d(z, n, n);
        for (let u = 0; u < n * n; u++) S[u] += (z[2 * u] ** 2 + z[2 * u + 1] ** 2) / (K * K);
      }
    const bins = binMembers(n);
    const dk = (2 * Math.PI) / (n * 2);
    bins.forEach((members, i) => {
      const logs = members.map(([a, b]) => Math.log(S[((a + n) % n) * n + ((b + n) % n)]));
      const mean = logs.reduce((s, v) => s + v, 0) / logs.length;
      const sd = Math.sqrt(logs.reduce((s, v) => s + (v - mean) ** 2, 0) / logs.length);
      const k = (members.reduce((s, [a, b]) => s + Math.hypot(a, b), 0) / members.length) * dk;
      expect(spectrum.Phi[i]).toBeCloseTo(mean, 11);
      expect(spectrum.sigmaPhi[i]).toBeCloseTo(sd, 11);
      expect(spectrum.k[i]).toBeCloseTo(k, 13);
      expect(spectrum.count[i]).toBe(members.length);
    });
  });

  it('is the default under the default convention, Hann under pycurious-1.1', () => {
    const n = 31,
      random = seededRandom(5);
    const data = ndarray(
      Float64Array.from({ length: n * n }, () => random()),
      [n, n],
    );
    expect(Array.from(radialSpectrum(data, 1000).Phi)).toEqual(
      Array.from(radialSpectrum(data, 1000, { taper: { multitaper: 2 } }).Phi),
    );
    expect(Array.from(radialSpectrum(data, 1000, { convention: 'pycurious-1.1' }).Phi)).toEqual(
      Array.from(radialSpectrum(data, 1000, { convention: 'pycurious-1.1', taper: 'hanning' }).Phi),
    );
  });

  it('a window gives the same bits alone and in a map, and through an identity processSubgrid', async () => {
    const n = 61,
      random = seededRandom(8);
    const values = Float64Array.from({ length: n * n }, () => random() - 0.5);
    const optimiser = new CurieOptimiser(ndarray(values, [n, n]), 0, 60_000, 0, 60_000);
    const xc = Float64Array.from([15_000, 16_000, 30_000, 44_000]),
      yc = Float64Array.from([15_000, 17_000, 31_000, 40_000]);
    const map = await optimiser.optimiseRoutine(20_000, xc, yc, { workers: 0 });
    const hooked = await optimiser.optimiseRoutine(20_000, xc, yc, { workers: 0, processSubgrid: (window) => window });
    const alone = Array.from(xc, (x, i) => optimiser.optimise(20_000, x, yc[i]).curieDepth);
    expect(Array.from(map.curieDepth)).toEqual(alone);
    expect(Array.from(hooked.curieDepth)).toEqual(alone);
    expect(Array.from(map.curieDepthLow)).toEqual(Array.from(hooked.curieDepthLow));
  });
});

describe('spectral-window bias', () => {
  /**
   * The expected multitaper periodogram of a field whose spectrum is the model on a grid three times
   * finer in wavenumber (a window cut from a periodic grid three times its side), by the taper's
   * exact DTFT: E S(k) = Σ_q κ(k − q) P(q), κ = Σ_p |V_p|², binned as the radial spectrum bins.
   */
  function expectedBinnedLogSpectrum(
    n: number,
    dxKm: number,
    beta: number,
    zt: number,
    dz: number,
  ): { k: Float64Array; Phi: Float64Array } {
    const N = 3 * n,
      half = (N - 1) / 2,
      c = (n - 1) / 2;
    const dkBig = (2 * Math.PI) / (N * dxKm),
      dk = (2 * Math.PI) / (n * dxKm);
    const radii = new Float64Array(N * N);
    for (let x = 0; x < N; x++)
      for (let y = 0; y < N; y++) radii[x * N + y] = Math.hypot(x - half, y - half) * dkBig || 1;
    const lnP = bouligand2009(radii, beta, zt, dz, 0);
    const P = lnP.map((v, i) => (radii[i] === 1 && i === half * N + half ? 0 : Math.exp(v)));
    const set = taperSet({ multitaper: 2 }, n);
    const kernel = new Float64Array(n * N);
    for (let a = 0; a < n; a++)
      for (let q = 0; q < N; q++) {
        const omega = (a - c) * dk * dxKm - (q - half) * dkBig * dxKm;
        let sum = 0;
        for (const taper of set) {
          let re = 0,
            im = 0;
          for (let j = 0; j < n; j++) {
            re += taper[j] * Math.cos(omega * j);
            im -= taper[j] * Math.sin(omega * j);
          }
          sum += re * re + im * im;
        }
        kernel[a * N + q] = sum;
      }
    const rows = new Float64Array(n * N);
    for (let a = 0; a < n; a++)
      for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) rows[a * N + y] += kernel[a * N + x] * P[x * N + y];
    const bins = binMembers(n);
    const k = new Float64Array(bins.length),
      Phi = new Float64Array(bins.length);
    bins.forEach((members, i) => {
      for (const [a, b] of members) {
        let expected = 0;
        for (let y = 0; y < N; y++) expected += kernel[(b + c) * N + y] * rows[(a + c) * N + y];
        Phi[i] += Math.log(expected) / members.length;
        k[i] += (Math.hypot(a, b) * dk) / members.length;
      }
    });
    return { k, Phi };
  }

  const n = 61,
    dxKm = 5,
    truth = { beta: 3, zt: 2, dz: 16 };
  const expected = expectedBinnedLogSpectrum(n, dxKm, truth.beta, truth.zt, truth.dz);
  const bias = spectralWindowBias({
    ...truth,
    dk: (2 * Math.PI) / (n * dxKm),
    tapers: taperSet({ multitaper: 2 }, n),
    k: expected.k,
  });
  const model = bouligand2009(expected.k, truth.beta, truth.zt, truth.dz, 0);

  it('predicts the bias of each bin (direct sum over a 3× finer source) to 0.01 in ln Φ', () => {
    const direct = expected.Phi.map((v, i) => v - model[i]);
    // Up to a constant (C absorbs it): compare after removing the mean difference over the bins.
    const offset = direct.reduce((s, v, i) => s + v - bias[i], 0) / direct.length;
    const errors = direct.map((v, i) => Math.abs(v - offset - bias[i]));
    expect(Math.max(...errors)).toBeLessThan(0.01);
    expect(Math.max(...bias.map(Math.abs))).toBeGreaterThan(0.03);
  });

  it('removing it lets a fit of the expected spectrum find the Curie depth it was made with', () => {
    const sigma = new Float64Array(expected.k.length).fill(0.05);
    const fit = (Phi: Float64Array) =>
      fitGlobal({ k: expected.k, Phi, sigmaPhi: sigma, sigmaMean: sigma }, [], defaultBounds(), [3, 1, 10, 5], {
        convention: 'default',
        intervals: false,
      });
    const raw = fit(expected.Phi),
      corrected = fit(expected.Phi.map((v, i) => v - bias[i]));
    const depth = truth.zt + truth.dz;
    // Measured: corrected 0.15 km off, raw 0.38 km (the two discretise the spectral window differently).
    expect(Math.abs(corrected.curieDepth - depth)).toBeLessThan(0.01 * depth);
    expect(Math.abs(raw.curieDepth - depth)).toBeGreaterThan(2 * Math.abs(corrected.curieDepth - depth));
  });

  it('CurieGrid spectra and CurieOptimiser fits take the same default taper', () => {
    const values = ndarray(Float64Array.from({ length: 41 * 41 }, seededRandom(2)), [41, 41]);
    const grid = new CurieGrid(values, 0, 40_000, 0, 40_000);
    const optimiser = new CurieOptimiser(values, 0, 40_000, 0, 40_000);
    const window = grid.subgrid(30_000, 20_000, 20_000);
    expect(Array.from(grid.radialSpectrum(window).Phi)).toEqual(Array.from(optimiser.radialSpectrum(window).Phi));
    expect(Array.from(optimiser.radialSpectrum(window).Phi)).toEqual(
      Array.from(radialSpectrum(window, 1000, { taper: { multitaper: 2 } }).Phi),
    );
  });
});

describe('resolutionBound (Cramér–Rao)', () => {
  it('with β and Δz known, z_t and C are a straight line: var(z_t) = 1 / (4 Σ w (k − k̄_w)²) in closed form', () => {
    const options = { beta: 3, zt: 1, dz: 8, window: 100e3, spacing: 2000, taper: 'hanning' as const };
    const bound = resolutionBound({ ...options, known: ['beta', 'dz'] });
    const bins = radialBins(51, 2000, { taper: 'hanning' });
    const weights = Array.from(bins.count, (count) => Math.max(1, count / (2 * bins.inflation)) / (Math.PI ** 2 / 6));
    const total = weights.reduce((s, w) => s + w, 0);
    const mean = weights.reduce((s, w, i) => s + w * bins.k[i], 0) / total;
    const spread = weights.reduce((s, w, i) => s + w * (bins.k[i] - mean) ** 2, 0);
    expect(bound.sd.zt).toBeCloseTo(1 / Math.sqrt(4 * spread), 12);
    expect(bound.sd.curieDepth).toBe(bound.sd.zt);
    expect(bound.sd.beta).toBe(0);
    expect(bound.width / (2 * 1.6448536269514722 * bound.sd.zt)).toBeCloseTo(1, 7); // normalQuantile is good to ~1e-9
  });

  it('larger windows and more tapers bound tighter; β known tightens the base most', () => {
    const base = { beta: 3, zt: 1, dz: 15, spacing: 5000 };
    const small = resolutionBound({ ...base, window: 200e3 }),
      large = resolutionBound({ ...base, window: 400e3 });
    expect(large.width).toBeLessThan(small.width / 1.5);
    expect(resolutionBound({ ...base, window: 200e3, taper: 'hanning' }).width).toBeGreaterThan(1.3 * small.width);
    expect(resolutionBound({ ...base, window: 200e3, known: ['beta'] }).width).toBeLessThan(small.width / 3);
    expect(small.kMinDz).toBeCloseTo(radialBins(41, 5000).k[0] * 15, 12);
    expect(small.piDzOverDx).toBeCloseTo((Math.PI * 15) / 5, 12);
  });

  it('bad values are E_ARGUMENT naming them', () => {
    expectCurieError(
      () => resolutionBound({ beta: 3, zt: 1, dz: 0, window: 200e3, spacing: 1000 }),
      'E_ARGUMENT',
      'dz = 0',
    );
    expectCurieError(
      () => resolutionBound({ beta: 3, zt: -1, dz: 5, window: 200e3, spacing: 1000 }),
      'E_ARGUMENT',
      'zt = -1',
    );
    expectCurieError(
      () => resolutionBound({ beta: 3, zt: 1, dz: 5, window: 200e3, spacing: 1000, known: ['C' as 'zt'] }),
      'E_ARGUMENT',
      "known parameter 'C'",
    );
    expectCurieError(
      () => resolutionBound({ beta: 3, zt: 1, dz: 5, window: 200e3, spacing: 1000, level: 1 }),
      'E_ARGUMENT',
      'level 1',
    );
  });
});

describe('every Bouligand routine fits the corrected multitaper spectrum', () => {
  it('Metropolis–Hastings starts at optimise’s point fit (of Φ less spectrumBias), not at the raw spectrum’s', () => {
    const raster = synthesiseAnomaly({
      rows: 121,
      cols: 121,
      spacing: 1000,
      zt: 1,
      dz: 10,
      beta: 3,
      seed: 4,
      amplitudes: 'random',
    });
    const optimiser = CurieOptimiser.fromRaster(raster);
    const centre = raster.xmin + 60_000;
    const fit = optimiser.optimise(100e3, centre, centre);
    // Steps of 1e-12 leave the chain where it starts, accepted or not.
    const chain = optimiser.metropolisHastings(100e3, centre, centre, 1, 0, {
      xScale: [1e-12, 1e-12, 1e-12, 1e-12],
      seed: 1,
    });
    expect(chain.beta[0]).toBeCloseTo(fit.beta, 9);
    expect(chain.zt[0]).toBeCloseTo(fit.zt, 9);
    expect(chain.dz[0]).toBeCloseTo(fit.dz, 9);
    // The raw spectrum's fit is elsewhere: the correction reached the sampler.
    const raw = optimiser.radialSpectrum(optimiser.subgrid(100e3, centre, centre));
    const rawFit = fitGlobal(raw, [], defaultBounds(), [3, 1, 10, 5], { convention: 'default', intervals: false });
    expect(Math.abs(rawFit.zt + rawFit.dz - fit.curieDepth)).toBeGreaterThan(1e-6);
  });
});
