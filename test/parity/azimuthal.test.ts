import fs from 'node:fs';
import path from 'node:path';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { azimuthalSpectrum } from '../../src/spectrum/azimuthal.js';
import { maxRelativeToPeak } from '../helpers/random.js';

interface FiltersFixture {
  shape: [number, number];
  dx: number;
  /** The 51 × 51 window PyCurious was given, flat row-major (its subgrid, untransposed). */
  input: number[];
  azimuthal_spectrum_theta5: { k: number[]; theta: number[]; S: number[]; S_shape: [number, number] };
}

const fixture: FiltersFixture = JSON.parse(
  fs.readFileSync(path.resolve(process.cwd(), '../shared/reference/pycurious/filters.json'), 'utf8'),
);

describe("azimuthalSpectrum under convention 'pycurious-1.1' against PyCurious (51 × 51 centre window, θ = 5°, hanning, power 2)", () => {
  const expected = fixture.azimuthal_spectrum_theta5;
  const window = ndarray(Float64Array.from(fixture.input), fixture.shape);
  const got = azimuthalSpectrum(window, fixture.dx, {
    taper: 'hanning',
    power: 2,
    theta: 5,
    convention: 'pycurious-1.1',
  });

  it('has PyCurious shapes', () => {
    expect(got.S.shape).toEqual(expected.S_shape);
    expect(got.k.length).toBe(expected.k.length);
    expect(got.theta.length).toBe(expected.theta.length);
  });

  it('gives k (rad/km) and theta (degrees) to 1e-12', () => {
    expect(maxRelativeToPeak(got.k, expected.k)).toBeLessThan(1e-12);
    expect(maxRelativeToPeak(got.theta, expected.theta)).toBeLessThan(1e-12);
  });

  it('gives S to 1e-6 of its largest magnitude', () => {
    expect(maxRelativeToPeak(got.S.data, expected.S)).toBeLessThan(1e-6);
  });

  it('the default convention changes k alone: k_i = i · 2π/(n·dx), the same S', () => {
    const n = fixture.shape[0];
    const byDefault = azimuthalSpectrum(window, fixture.dx, { taper: 'hanning', power: 2, theta: 5 });
    const dk = (2 * Math.PI) / n / (fixture.dx / 1000);
    expect(
      maxRelativeToPeak(
        byDefault.k,
        expected.k.map((_, i) => (i + 1) * dk),
      ),
    ).toBeLessThan(1e-12);
    expect(
      maxRelativeToPeak(
        byDefault.k,
        expected.k.map((v) => (v * (n - 1)) / n),
      ),
    ).toBeLessThan(1e-12);
    expect(maxRelativeToPeak(byDefault.S.data, expected.S)).toBeLessThan(1e-6);
  });
});
