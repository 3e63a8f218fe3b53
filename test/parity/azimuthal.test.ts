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

describe('azimuthalSpectrum against PyCurious (51 × 51 centre window, θ = 5°, hanning, power 2)', () => {
  const expected = fixture.azimuthal_spectrum_theta5;
  const window = ndarray(Float64Array.from(fixture.input), fixture.shape);
  const got = azimuthalSpectrum(window, fixture.dx, { taper: 'hanning', power: 2, theta: 5 });

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
});
