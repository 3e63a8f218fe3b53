import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { CurieOptimiser } from '../../src/CurieOptimiser.js';
import { createRng } from '../../src/rng.js';
import { bouligand2009 } from '../../src/models/bouligand.js';
import { fft1d, fft2d } from '../../src/spectrum/fft.js';
import type { Convention } from '../../src/spectrum/convention.js';
import { radialSpectrum } from '../../src/spectrum/radial.js';
import {
  DEFAULT_SPECTRAL_C,
  LAYERED_CM,
  layeredAnomalyPower,
  layeredAnomalySpectrum,
  layeredLayout,
  type LayeredParameters,
  spectralPower,
  synthesiseAnomaly,
  type SynthesiseOptions,
} from '../../src/synthetic/index.js';
import { squaredFrequencies } from '../../src/synthetic/fourier-grid.js';
import { expectCurieError } from '../helpers/errors.js';
import { maxRelativeToPeak } from '../helpers/random.js';

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function sd(values: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i];
  mean /= values.length;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] - mean) ** 2;
  return Math.sqrt(sum / values.length);
}

function expectArgumentError(f: () => unknown, fragment: string): void {
  expectCurieError(f, 'E_ARGUMENT', fragment);
}

/**
 * A real field whose DFT is exactly √power (zero phase): its radial spectrum without a taper is the
 * bin average of ln(power), the expected spectrum of the random fields with that power less γ.
 * Fitting it gives what the fit converges to over many realisations: the method's bias alone.
 */
function expectedSpectrumOptimiser(
  power: Float64Array,
  n: number,
  spacing: number,
  convention: Convention = 'default',
): CurieOptimiser {
  const spectrum = new Float64Array(2 * n * n);
  for (let i = 0; i < power.length; i++) spectrum[2 * i] = Math.sqrt(power[i]);
  fft2d(spectrum, n, n, true);
  const field = Float64Array.from({ length: n * n }, (_, i) => spectrum[2 * i]);
  const end = (n - 0.5) * spacing;
  return new CurieOptimiser(ndarray(field, [n, n]), spacing / 2, end, spacing / 2, end, { convention });
}

/** In-place n-D DFT of an interleaved complex row-major array (numpy's `fftn`), one axis at a time with `fft1d`. */
function fftn(data: Float64Array, shape: number[], inverse = false): void {
  const total = shape.reduce((a, b) => a * b, 1);
  let stride = total;
  for (const n of shape) {
    stride /= n;
    const line = new Float64Array(2 * n);
    for (let start = 0; start < total; start++) {
      // `start` is the first element of a line along this axis when its index along the axis is 0.
      if (Math.floor(start / stride) % n !== 0) continue;
      for (let j = 0; j < n; j++)
        line.set(data.subarray(2 * (start + j * stride), 2 * (start + j * stride) + 2), 2 * j);
      fft1d(line, inverse);
      for (let j = 0; j < n; j++) data.set(line.subarray(2 * j, 2 * j + 2), 2 * (start + j * stride));
    }
  }
}

/**
 * PyCurious's script step by step, for the same noise spectrum `fftn(W)` (layout [rows][cols][L]):
 * filter by (f²)^(−β/4) (0 at f = 0), inverse 3-D FFT, then for each slab j its 2-D FFT times
 * 2π·c_m·(e^{−|k|z₁} − e^{−|k|z₂}), inverse 2-D FFT, summed; the real part.
 */
function layeredBruteForce(p: LayeredParameters, noiseSpectrum: Float64Array): Float64Array {
  const { slabs, slabThickness, depthPeriod: L } = layeredLayout(p.rows, p.cols, p.spacingKm, p.dz);
  const fy2 = squaredFrequencies(p.rows, p.spacingKm),
    fx2 = squaredFrequencies(p.cols, p.spacingKm),
    fz2 = squaredFrequencies(L, slabThickness);
  const volume = noiseSpectrum.slice();
  for (let u = 0; u < p.rows; u++)
    for (let v = 0; v < p.cols; v++)
      for (let kz = 0; kz < L; kz++) {
        const f2 = fy2[u] + fx2[v] + fz2[kz];
        const factor = f2 === 0 ? 0 : f2 ** (-p.beta / 4);
        const i = 2 * ((u * p.cols + v) * L + kz);
        volume[i] *= factor;
        volume[i + 1] *= factor;
      }
  fftn(volume, [p.rows, p.cols, L], true);
  const anomaly = new Float64Array(2 * p.rows * p.cols);
  for (let j = 0; j < slabs; j++) {
    const slab = new Float64Array(2 * p.rows * p.cols);
    for (let i = 0; i < p.rows * p.cols; i++) slab.set(volume.subarray(2 * (i * L + j), 2 * (i * L + j) + 2), 2 * i);
    fft2d(slab, p.rows, p.cols);
    const z1 = p.zt + j * slabThickness,
      z2 = z1 + slabThickness;
    for (let u = 0; u < p.rows; u++)
      for (let v = 0; v < p.cols; v++) {
        const k = 2 * Math.PI * Math.sqrt(fy2[u] + fx2[v]);
        const filter = 2 * Math.PI * LAYERED_CM * (Math.exp(-k * z1) - Math.exp(-k * z2));
        const i = 2 * (u * p.cols + v);
        slab[i] *= filter;
        slab[i + 1] *= filter;
      }
    fft2d(slab, p.rows, p.cols, true);
    for (let i = 0; i < anomaly.length; i++) anomaly[i] += slab[i];
  }
  return Float64Array.from({ length: p.rows * p.cols }, (_, i) => anomaly[2 * i]);
}

const base: SynthesiseOptions = { rows: 10, cols: 12, spacing: 1000, zt: 1, dz: 10, beta: 3, seed: 1 };

describe('synthesiseAnomaly: grid, determinism, arguments', () => {
  it('puts nodes at (i + ½)·spacing from 0, row 0 south, and records a crs only when given', () => {
    const r = synthesiseAnomaly({ ...base, spacing: 2000 });
    expect(r.data.shape).toEqual([10, 12]);
    expect(r.data.data).toBeInstanceOf(Float64Array);
    expect([r.xmin, r.xmax, r.ymin, r.ymax]).toEqual([1000, 23000, 1000, 19000]);
    expect('crs' in r).toBe(false);
    expect(synthesiseAnomaly({ ...base, crs: 'EPSG:32723' }).crs).toBe('EPSG:32723');
    // PyCurious's test grid: 305 nodes at 500 … 304 500 m.
    const p = synthesiseAnomaly({ ...base, rows: 305, cols: 305, method: 'layered', zt: 0.305 });
    expect([p.xmin, p.xmax, p.ymin, p.ymax]).toEqual([500, 304500, 500, 304500]);
    expect(CurieOptimiser.fromRaster(p).dx).toBe(1000);
  });

  for (const method of ['spectral', 'layered'] as const) {
    it(`${method}: the same seed gives the same bits, another seed another field; finite, zero mean`, () => {
      const options = { ...base, rows: 48, cols: 40, method };
      const a = synthesiseAnomaly(options).data.data;
      const b = synthesiseAnomaly(options).data.data;
      const c = synthesiseAnomaly({ ...options, seed: 2 }).data.data;
      expect(sameBits(a, b)).toBe(true);
      expect(sameBits(a, c)).toBe(false);
      expect(a.every(Number.isFinite)).toBe(true);
      // F(0) = 0: the mean is rounding of the inverse FFT, far below the spread.
      const mean = a.reduce((s, v) => s + v, 0) / a.length;
      expect(Math.abs(mean)).toBeLessThan(1e-12 * sd(a));
    });
  }

  it('rejects bad arguments with E_ARGUMENT naming the value', () => {
    expectArgumentError(() => synthesiseAnomaly({ ...base, rows: 7 }), 'rows = 7');
    expectArgumentError(() => synthesiseAnomaly({ ...base, cols: 12.5 }), 'cols = 12.5');
    expectArgumentError(() => synthesiseAnomaly({ ...base, rows: NaN }), 'rows = NaN');
    expectArgumentError(() => synthesiseAnomaly({ ...base, spacing: 0 }), 'spacing = 0');
    expectArgumentError(() => synthesiseAnomaly({ ...base, spacing: Infinity }), 'spacing = Infinity');
    expectArgumentError(() => synthesiseAnomaly({ ...base, zt: -0.5 }), 'zt = -0.5');
    expectArgumentError(() => synthesiseAnomaly({ ...base, dz: 0 }), 'dz = 0');
    expectArgumentError(() => synthesiseAnomaly({ ...base, beta: NaN }), 'beta = NaN');
    expectArgumentError(() => synthesiseAnomaly({ ...base, beta: -1 }), 'beta = -1');
    expectArgumentError(() => synthesiseAnomaly({ ...base, seed: Infinity }), 'seed = Infinity');
    expectArgumentError(() => synthesiseAnomaly({ ...base, C: NaN }), 'C = NaN');
    expectArgumentError(() => synthesiseAnomaly({ ...base, C: 1, method: 'layered' }), 'C = 1');
    expectArgumentError(() => synthesiseAnomaly({ ...base, method: 'fractal' as never }), "'fractal'");
    expectArgumentError(() => synthesiseAnomaly({ ...base, crs: '' }), 'crs');
    expectArgumentError(() => synthesiseAnomaly({ ...base, C: 2000 }), 'non-finite power');
    // β ≤ −1 is fine for the layered model (only the spectral formula needs β > −1).
    expect(synthesiseAnomaly({ ...base, beta: -2, method: 'layered' }).data.data.every(Number.isFinite)).toBe(true);
  });

  it('gives anomalies of the documented size', () => {
    // Spectral, default C = 12: sd ≈ 110 for β 3, z_t 1 km, Δz 10 km (measured over seeds and
    // grids of 305²/401² at 0.5–2 km, within ±15 %): 60…200 allows for one realisation.
    const s = synthesiseAnomaly({ ...base, rows: 401, cols: 401, spacing: 500 });
    expect(sd(s.data.data)).toBeGreaterThan(60);
    expect(sd(s.data.data)).toBeLessThan(200);
    // C + 2 ln a scales the field by a, bit for bit apart from rounding.
    const scaled = synthesiseAnomaly({ ...base, rows: 64, cols: 64, C: DEFAULT_SPECTRAL_C + 2 * Math.log(3) }).data
      .data;
    const unit = synthesiseAnomaly({ ...base, rows: 64, cols: 64 }).data.data;
    expect(
      maxRelativeToPeak(
        scaled,
        unit.map((v) => 3 * v),
      ),
    ).toBeLessThan(1e-13);
    // Layered, PyCurious's parameters: its test grid (numpy's random numbers) has sd 5.13e-7; ours
    // are 5.6–5.9e-7 over seeds 1–5 (PyCurious's filter leaves the last plane of each axis of its
    // volume unfiltered, which removes a little power). 4e-7…8e-7 checks the constants 2π·c_m,
    // σ = 0.2 A/m and the cycles/km frequencies, which would move it by orders of magnitude.
    const l = synthesiseAnomaly({
      rows: 305,
      cols: 305,
      spacing: 1000,
      zt: 0.305,
      dz: 10,
      beta: 3,
      seed: 1,
      method: 'layered',
    });
    expect(sd(l.data.data)).toBeGreaterThan(4e-7);
    expect(sd(l.data.data)).toBeLessThan(8e-7);
  });
});

describe('spectral method: the expected radial spectrum is the Bouligand model', () => {
  it('radialSpectrum (no taper, whole grid) − bouligand2009 is the constant ln N − 2 ln h in every bin', () => {
    const n = 401,
      spacing = 500,
      h = spacing / 1000;
    const params = { beta: 3, zt: 1, dz: 10 };
    const raster = synthesiseAnomaly({ rows: n, cols: n, spacing, ...params, seed: 7 });
    // The generator puts power at the DFT wavenumbers 2π·m/(n·h): the default dk labels them so,
    // and the model is compared at the spectrum's own k.
    const { k, Phi } = radialSpectrum(raster.data, spacing, { taper: 'none' });
    const model = bouligand2009(k, params.beta, params.zt, params.dz, DEFAULT_SPECTRAL_C);
    const offset = Math.log(n * n) - 2 * Math.log(h);
    // Only the phases are random, so the difference is deterministic: what remains is averaging the
    // curved ln Φ over a bin rather than taking it at the bin's mean k (< 0.06 in bin 0 for β 1.5…3,
    // < 3e-4 above bin 5, measured on the noise-free spectrum).
    for (let i = 0; i < k.length; i++)
      expect(Math.abs(Phi[i] - model[i] - offset), `bin ${i}`).toBeLessThan(i < 5 ? 0.07 : 1e-3);
    // PyCurious 1.1's dk = 2π/((n−1)·h) labels the same bins n/(n−1) too high: the model matches
    // only once that is undone.
    const old = radialSpectrum(raster.data, spacing, { taper: 'none', convention: 'pycurious-1.1' });
    expect(Array.from(old.Phi)).toEqual(Array.from(Phi));
    const relabelled = bouligand2009(
      old.k.map((v) => (v * (n - 1)) / n),
      params.beta,
      params.zt,
      params.dz,
      DEFAULT_SPECTRAL_C,
    );
    const misplaced = bouligand2009(old.k, params.beta, params.zt, params.dz, DEFAULT_SPECTRAL_C);
    for (let i = 5; i < k.length; i++) expect(Math.abs(Phi[i] - relabelled[i] - offset), `bin ${i}`).toBeLessThan(1e-3);
    expect(Math.max(...Array.from(old.k, (_, i) => Math.abs(Phi[i] - misplaced[i] - offset)).slice(5))).toBeGreaterThan(
      1e-2,
    );
  });

  it('fitting the expected (noise-free) spectrum returns the parameters it was made with', () => {
    const n = 401,
      truth = { beta: 3, zt: 1, dz: 10, C: 4 };
    const power = spectralPower(n, n, 1, truth);
    const fit = expectedSpectrumOptimiser(power, n, 1000).optimise(400e3, 200500, 200500, { taper: 'none' });
    // The default dk labels the bins at their true wavenumbers: the truth comes back (measured: β
    // 3.0001, z_t 0.99998, Δz 10.0009, C − ln N 4.000004), inside its interval.
    expect(fit.beta).toBeCloseTo(3, 3);
    expect(fit.zt).toBeCloseTo(1, 3);
    expect(fit.dz).toBeCloseTo(10, 2);
    expect(fit.C - Math.log(n * n)).toBeCloseTo(truth.C, 4);
    expect(fit.verdict).toBe('resolved');
    expect(fit.interval!.curieDepth[0]).toBeLessThanOrEqual(11);
    expect(fit.interval!.curieDepth[1]).toBeGreaterThanOrEqual(11);
    // PyCurious 1.1's n/(n−1) labels move it: lengths by −1/400 (z_t, Δz −0.25 %), C by
    // (β−1)·ln(n/(n−1)) = +0.005 on top of ln N.
    const old = expectedSpectrumOptimiser(power, n, 1000, 'pycurious-1.1').optimise(400e3, 200500, 200500, {
      taper: 'none',
    });
    expect(old.beta).toBeCloseTo(3, 3);
    expect(old.zt).toBeCloseTo(1 - 1 / 400, 4);
    expect(old.dz).toBeCloseTo(10 - 10 / 400, 2);
    expect(old.C - Math.log(n * n)).toBeCloseTo(truth.C + 0.005, 3);
  });
});

describe("spectral method: amplitudes 'exact' (default) or 'random' (a Gaussian random field)", () => {
  const base: SynthesiseOptions = { rows: 201, cols: 201, spacing: 1000, zt: 1, dz: 10, beta: 3, seed: 4 };

  it("'exact' is the default, bit for bit; 'random' repeats for a seed and differs from 'exact'", () => {
    const byDefault = synthesiseAnomaly(base).data.data;
    expect(sameBits(synthesiseAnomaly({ ...base, amplitudes: 'exact' }).data.data, byDefault)).toBe(true);
    const random = synthesiseAnomaly({ ...base, amplitudes: 'random' }).data.data;
    expect(sameBits(synthesiseAnomaly({ ...base, amplitudes: 'random' }).data.data, random)).toBe(true);
    expect(sameBits(random, byDefault)).toBe(false);
    expectArgumentError(() => synthesiseAnomaly({ ...base, amplitudes: 'rayleigh' as never }), "'rayleigh'");
    expectCurieError(
      () => synthesiseAnomaly({ ...base, method: 'layered', amplitudes: 'random' }),
      'E_ARGUMENT',
      "'random'",
      'spectral',
    );
  });

  it("'random': ln|F|² scatters as ln of an exponential variable, sd π/√6 about the model − γ", () => {
    const n = 201;
    const spectrumOf = (amplitudes: 'exact' | 'random') =>
      radialSpectrum(synthesiseAnomaly({ ...base, amplitudes }).data, 1000, { taper: 'none' });
    const random = spectrumOf('random'),
      exact = spectrumOf('exact');
    const model = bouligand2009(random.k, 3, 1, 10, DEFAULT_SPECTRAL_C);
    const offset = Math.log(n * n);
    let bias = 0,
      scatter = 0,
      exactScatter = 0,
      bins = 0;
    for (let i = 5; i < random.k.length; i++, bins++) {
      bias += random.Phi[i] - model[i] - offset;
      scatter += random.sigmaPhi[i];
      exactScatter += exact.sigmaPhi[i];
    }
    // E ln X = −γ and sd ln X = π/√6 for X exponential with mean 1 (the field's |F|² over its model).
    expect(bias / bins).toBeCloseTo(-0.5772156649, 1);
    expect(scatter / bins).toBeCloseTo(Math.PI / Math.sqrt(6), 1);
    expect(exactScatter / bins).toBeLessThan(0.1);
  });
});

describe('spectral method: recovery from one realisation', () => {
  it('a 400 km window recovers β, z_t and the Curie depth within 1 % (whole periodic grid, no taper)', () => {
    // The field's spectrum is the model's exactly (random phases only), so the fit returns the
    // parameters less bin averaging (PyCurious 1.1's n/(n−1) labelling would take 0.25 % off lengths).
    const raster = synthesiseAnomaly({ rows: 401, cols: 401, spacing: 1000, zt: 1, dz: 10, beta: 3, seed: 1 });
    const fit = CurieOptimiser.fromRaster(raster).optimise(400e3, 200500, 200500, { taper: 'none' });
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.beta - 3)).toBeLessThan(0.01);
    expect(Math.abs(fit.zt / 1 - 1)).toBeLessThan(0.01);
    expect(Math.abs(fit.curieDepth / 11 - 1)).toBeLessThan(0.01);
    expect(fit.verdict).toBe('resolved');
    expect(fit.interval!.curieDepth[0]).toBeLessThanOrEqual(11);
    expect(fit.interval!.curieDepth[1]).toBeGreaterThanOrEqual(11);
  });

  it('400 km windows with the default hanning taper: the median Curie depth of 9 realisations within 15 %', () => {
    // A window inside a larger grid is not periodic, and the taper's leakage smooths the steep
    // spectrum, so single windows scatter: seeds 1–9 (measured, global fit, default convention) give
    // β 2.95…3.10, z_t 0.97…1.02 km, Curie depth 8.8…13.5 km, median 11.4 km for a true 11 km, all
    // resolved. The median of 9 is the robust check; the 90 % intervals held the truth in 7 of 9
    // (the calibration suite measures coverage; ≥ 6 of 9 fails a calibrated interval 1 time in 100).
    const depths: number[] = [];
    let covered = 0;
    for (let seed = 1; seed <= 9; seed++) {
      const raster = synthesiseAnomaly({ rows: 601, cols: 601, spacing: 1000, zt: 1, dz: 10, beta: 3, seed });
      const fit = CurieOptimiser.fromRaster(raster).optimise(400e3, 300500, 300500);
      expect(fit.converged).toBe(true);
      expect(Math.abs(fit.beta - 3)).toBeLessThan(0.3);
      expect(Math.abs(fit.zt - 1)).toBeLessThan(0.15);
      expect(fit.verdict).toBe('resolved');
      const [low, high] = fit.interval!.curieDepth;
      if (low <= 11 && 11 <= high) covered++;
      depths.push(fit.curieDepth);
    }
    depths.sort((a, b) => a - b);
    expect(Math.abs(depths[4] / 11 - 1)).toBeLessThan(0.15);
    expect(covered).toBeGreaterThanOrEqual(6);
  });
});

describe('layered method: the 3-D forward model', () => {
  const cases: LayeredParameters[] = [
    { rows: 8, cols: 9, spacingKm: 1, beta: 3, zt: 0.305, dz: 3 }, // 3 slabs, L = 9
    { rows: 6, cols: 5, spacingKm: 0.5, beta: 2.5, zt: 1, dz: 3.4 }, // 7 slabs of 0.486 km, L = 7
    { rows: 8, cols: 6, spacingKm: 2, beta: 3.5, zt: 0, dz: 7 }, // 4 slabs, all sizes even (Nyquist planes)
  ];
  for (const p of cases) {
    it(`the slabs summed in closed form equal PyCurious's slab-by-slab sum (${p.rows}×${p.cols}, Δz ${p.dz} km)`, () => {
      const { depthPeriod: L } = layeredLayout(p.rows, p.cols, p.spacingKm, p.dz);
      const rng = createRng(11);
      const noise = new Float64Array(2 * p.rows * p.cols * L);
      for (let i = 0; i < noise.length; i += 2) noise[i] = 0.2 * rng.normal();
      fftn(noise, [p.rows, p.cols, L]);
      const reference = layeredBruteForce(p, noise);
      const spectrum = layeredAnomalySpectrum(p, (u, v, _self, column) =>
        column.set(noise.subarray(2 * (u * p.cols + v) * L, 2 * (u * p.cols + v + 1) * L)),
      );
      fft2d(spectrum, p.rows, p.cols, true);
      const closedForm = Float64Array.from({ length: p.rows * p.cols }, (_, i) => spectrum[2 * i]);
      // Both are sums of the same few hundred terms: rounding only.
      expect(maxRelativeToPeak(closedForm, reference)).toBeLessThan(1e-12);
      expect(sd(reference)).toBeGreaterThan(0);
    });
  }

  it('layeredAnomalyPower is the variance of the anomaly coefficients, N₃σ² Σ|a(kz)|²', () => {
    // a(kz) from unit impulses through the explicit sum; the power from the closed form.
    const p: LayeredParameters = { rows: 7, cols: 8, spacingKm: 1, beta: 3, zt: 0.5, dz: 4 };
    const { depthPeriod: L } = layeredLayout(p.rows, p.cols, p.spacingKm, p.dz);
    const sum = new Float64Array(p.rows * p.cols);
    const visited = new Set<number>();
    for (let kz = 0; kz < L; kz++) {
      const spectrum = layeredAnomalySpectrum(p, (u, v, self, column) => {
        column.fill(0);
        column[2 * kz] = 1;
        if (!self) visited.add(u * p.cols + v);
      });
      for (const i of visited) sum[i] += spectrum[2 * i] ** 2 + spectrum[2 * i + 1] ** 2;
    }
    const power = layeredAnomalyPower(p);
    const variance = 0.2 ** 2 * p.rows * p.cols * L;
    expect(visited.size).toBeGreaterThan(20);
    for (const i of visited) expect(Math.abs(power[i] / (variance * sum[i]) - 1)).toBeLessThan(1e-12);
    expect(power[0]).toBe(0);
  });

  it("fitting its expected spectrum shows the method's bias on PyCurious's grid (β 3, z_t 0.305, Δz 10 km)", () => {
    // The Bouligand formula is the continuous limit of this model; with 1 km slabs and cells it
    // is biased, with no noise at all (deterministic, so the tolerances are only for the
    // optimiser's convergence). PyCurious 1.1's unweighted misfit: β 2.903 (−0.10), z_t 0.337 km
    // (+0.032), Δz 11.28 km (+13 %), Curie depth 11.61 km (+12.7 %). PyCurious's one realisation
    // (hanning, 304 km) gave β 2.74, z_t 0.39, Δz 8.58: within the realisation spread below.
    const n = 305;
    const power = layeredAnomalyPower({ rows: n, cols: n, spacingKm: 1, beta: 3, zt: 0.305, dz: 10 });
    const old = expectedSpectrumOptimiser(power, n, 1000, 'pycurious-1.1').optimise(304e3, 152500, 152500, {
      taper: 'none',
    });
    expect(old.beta).toBeCloseTo(2.903, 2);
    expect(old.zt).toBeCloseTo(0.337, 2);
    expect(old.dz).toBeCloseTo(11.28, 1);
    expect(old.curieDepth).toBeCloseTo(11.61, 1);
    // The default misfit weights each bin by the error of its mean, so the many-celled high-k bins,
    // where 1 km cells and slabs depart most from the continuous model, dominate: the bias grows
    // to β 2.786, z_t 0.373 km, Δz 15.33 km, Curie depth 15.71 km (+52 %), with χ²/dof ≈ 88 (the
    // model error shows). Measured, not a target: the intervals do not cover a model error.
    const fit = expectedSpectrumOptimiser(power, n, 1000).optimise(304e3, 152500, 152500, { taper: 'none' });
    expect(fit.beta).toBeCloseTo(2.786, 2);
    expect(fit.zt).toBeCloseTo(0.373, 2);
    expect(fit.dz).toBeCloseTo(15.33, 1);
    expect(fit.curieDepth).toBeCloseTo(15.71, 1);
    expect(fit.chi2PerDof).toBeGreaterThan(10);
  });

  it("realisations on PyCurious's grid recover β, z_t and the Curie depth within the method's spread", () => {
    // 305 × 305, 1 km, z_t 0.305 km, Δz 10 km, β 3; whole grid (304 km window), no taper. Over
    // seeds 1–30: β 2.89 ± 0.073, z_t 0.343 ± 0.024 km, Curie depth 12.7 ± 3.2 km (7.5…20.1),
    // skewed upwards around the noise-free 11.6 km. Bands: β 2.6…3.2 and z_t 0.25…0.45 (~4 sd
    // about the biased means), Curie depth 6…25 km (the truth 10.3 is inside, the bias and skew
    // put +3.5 sd at 24 km).
    for (const seed of [1, 2, 3]) {
      const raster = synthesiseAnomaly({
        rows: 305,
        cols: 305,
        spacing: 1000,
        zt: 0.305,
        dz: 10,
        beta: 3,
        seed,
        method: 'layered',
      });
      const fit = CurieOptimiser.fromRaster(raster).optimise(304e3, 152500, 152500, { taper: 'none' });
      expect(fit.beta).toBeGreaterThan(2.6);
      expect(fit.beta).toBeLessThan(3.2);
      expect(fit.zt).toBeGreaterThan(0.25);
      expect(fit.zt).toBeLessThan(0.45);
      expect(fit.curieDepth).toBeGreaterThan(6);
      expect(fit.curieDepth).toBeLessThan(25);
    }
  });

  it("a 300 km centre window with PyCurious's hanning taper recovers β and z_t", () => {
    // Over seeds 1–30: β 2.88 ± 0.13, z_t 0.346 ± 0.040 km: bands β 2.4…3.3, z_t 0.2…0.5 (3.5 sd).
    // The Curie depth is not checked: its distribution is heavy-tailed with the taper (median
    // 10.3 km, 5 of 30 seeds above 17 km, one fit running off to Δz ~ 10⁵ km).
    const raster = synthesiseAnomaly({
      rows: 305,
      cols: 305,
      spacing: 1000,
      zt: 0.305,
      dz: 10,
      beta: 3,
      seed: 1,
      method: 'layered',
    });
    const fit = CurieOptimiser.fromRaster(raster).optimise(300e3, 152500, 152500);
    expect(fit.beta).toBeGreaterThan(2.4);
    expect(fit.beta).toBeLessThan(3.3);
    expect(fit.zt).toBeGreaterThan(0.2);
    expect(fit.zt).toBeLessThan(0.5);
  });
});
