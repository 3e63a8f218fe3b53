import { describe, expect, it } from 'vitest';
import { CurieError } from '../../src/errors.js';
import { computeTanaka, tanaka1999 } from '../../src/models/tanaka.js';
import { CurieOptimiser } from '../../src/CurieOptimiser.js';
import { synthesiseAnomaly } from '../../src/synthetic/index.js';

describe('tanaka1999', () => {
  // A spectrum that is exactly linear in f on both ranges recovers the slopes exactly.
  const f = Array.from({ length: 40 }, (_, i) => 0.01 + 0.005 * i);
  const k = f.map((x) => 2 * Math.PI * x);
  const topSlope = -3,
    centroidSlope = -8;
  // Top fit: Phi = b + Ztr·f. Centroid fit: ln(e^Phi/(2πf)) = b' + Zor·f, i.e. Phi = b' + Zor·f + ln(2πf).
  const Phi = f.map((x) => (x <= 0.05 ? 1 + topSlope * x : 2 + centroidSlope * x + Math.log(2 * Math.PI * x)));
  const sigma = f.map((_, i) => 0.5 + 0.01 * i);

  it('recovers exact slopes and intercepts of linear spectra (PyCurious 1.1: the slopes against f)', () => {
    const fit = tanaka1999(k, Phi, sigma, [0.01, 0.05], [0.06, 0.2], { convention: 'pycurious-1.1' });
    expect(fit.Ztr).toBeCloseTo(topSlope, 10);
    expect(fit.btr).toBeCloseTo(1, 10);
    expect(fit.Zor).toBeCloseTo(centroidSlope, 10);
    expect(fit.bor).toBeCloseTo(2, 10);
    expect(computeTanaka(fit.Ztr, fit.dZtr, fit.Zor, fit.dZor)).toEqual({
      Zb: Math.abs(2 * fit.Zor - fit.Ztr),
      eZb: 2 * fit.dZor + fit.dZtr,
    });
    expect(computeTanaka(-3, 0.5, -8, 0.25)).toEqual({ Zb: 13, eZb: 1 });
  });

  it('by default gives depths in km: the slopes against f divided by 2π', () => {
    const byDefault = tanaka1999(k, Phi, sigma, [0.01, 0.05], [0.06, 0.2]);
    const slopes = tanaka1999(k, Phi, sigma, [0.01, 0.05], [0.06, 0.2], { convention: 'pycurious-1.1' });
    expect(byDefault.Ztr).toBeCloseTo(topSlope / (2 * Math.PI), 10);
    expect(byDefault.Zor).toBeCloseTo(centroidSlope / (2 * Math.PI), 10);
    expect(byDefault.dZtr).toBeCloseTo(slopes.dZtr / (2 * Math.PI), 12);
    expect(byDefault.btr).toBe(slopes.btr);
  });

  it("recovers the Curie depth of Tanaka's own model spectrum (z_t 1 km, Δz 10 km: Z_0 6 km, Z_b 11 km)", () => {
    // ln|F| = c − |k| z_t + ln(1 − e^{−|k|Δz}), amplitude spectrum (power 1), k in rad/km.
    const kk = Array.from({ length: 1000 }, (_, i) => 0.0005 * 2 * Math.PI * (i + 1));
    const lnF = kk.map((x) => 3 - x * 1 + Math.log(1 - Math.exp(-x * 10)));
    const fit = tanaka1999(
      kk,
      lnF,
      kk.map(() => 0.3),
      [0.2, 0.5],
      [0.0005, 0.003],
    );
    expect(-fit.Ztr).toBeCloseTo(1, 4); // e^{−|k|Δz} ≤ 4e-6 over the top range
    // The centroid line is Tanaka's small-k approximation: second order in kΔz/2 ≤ 0.1.
    expect(-fit.Zor).toBeGreaterThan(6 * 0.97);
    expect(-fit.Zor).toBeLessThan(6 * 1.03);
    const { Zb } = computeTanaka(fit.Ztr, fit.dZtr, fit.Zor, fit.dZor);
    expect(Zb).toBeGreaterThan(11 * 0.97);
    expect(Zb).toBeLessThan(11 * 1.03);
  });

  it('is an E_ARGUMENT error, not NaN, when a range holds fewer than 2 points', () => {
    expect(() => tanaka1999(k, Phi, sigma, [0.011, 0.014], [0.06, 0.2])).toThrowError(CurieError);
    try {
      tanaka1999(k, Phi, sigma, [0.05, 0.2], [0.9, 1.0]);
    } catch (e) {
      expect((e as CurieError).code).toBe('E_ARGUMENT');
      expect((e as CurieError).message).toContain('kmaxRange 0.9…1 cycles/km holds 0 spectrum points');
    }
    expect.assertions(3);
  });

  it('rejects mismatched arrays and inverted ranges', () => {
    expect(() => tanaka1999(k, Phi.slice(1), sigma)).toThrow(/one spectrum/);
    expect(() => tanaka1999(k, Phi, sigma, [0.2, 0.05])).toThrow(/low < high/);
  });
});

describe('Tanaka on a synthetic anomaly: the power of the spectrum', () => {
  it('power 0.5 (PyCurious 1.1) halves the top depth that the amplitude spectrum (power 1, the default) gives', () => {
    const raster = synthesiseAnomaly({
      rows: 401,
      cols: 401,
      spacing: 1000,
      zt: 2,
      dz: 10,
      beta: 0,
      seed: 1,
      amplitudes: 'random',
    });
    const optimiser = CurieOptimiser.fromRaster(raster);
    const xc = (raster.xmin + raster.xmax) / 2,
      yc = (raster.ymin + raster.ymax) / 2;
    const ranges = { kminRange: [0.05, 0.2] as const, kmaxRange: [0.01, 0.04] as const };
    const amplitude = optimiser.tanaka(400e3, xc, yc, ranges); // the default: ln|F|
    const half = optimiser.tanaka(400e3, xc, yc, { ...ranges, power: 0.5 });
    // Phi scales with the power and the weights 1/σ⁴ all by the same factor: the slope exactly.
    expect(half.Ztr / amplitude.Ztr).toBeCloseTo(0.5, 12);
    expect(amplitude.Ztr).toBeLessThan(0);
  });
});
