// The filters on fields whose answers are known in closed form, so that `npm test` checks them
// without the PyCurious fixtures (the parity suite compares them with PyCurious too).
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { removeTrendLinear } from '../../src/filters/detrend.js';
import { reduceToPole } from '../../src/filters/reduce-to-pole.js';
import { upwardContinuation } from '../../src/filters/upward-continuation.js';
import { expectCurieError } from '../helpers/errors.js';
import { seededRandom } from '../helpers/random.js';

const rows = 48,
  cols = 64,
  dx = 1000;
const grid = (f: (r: number, c: number) => number) =>
  ndarray(
    Float64Array.from({ length: rows * cols }, (_, i) => f(Math.floor(i / cols), i % cols)),
    [rows, cols],
  );
const largestDifference = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('removeTrendLinear', () => {
  it('removes a plane exactly, whatever its slopes and offset', () => {
    const plane = grid((r, c) => 3.5 * c - 1.25 * r + 40);
    expect(largestDifference(removeTrendLinear(plane).data, new Float64Array(rows * cols))).toBeLessThan(1e-10);
  });
  it('leaves a field orthogonal to every plane as it is (a checkerboard of zero mean and no trend)', () => {
    const field = grid((r, c) => ((r + c) % 2 === 0 ? 1 : -1) * 7);
    const plane = grid((r, c) => 0.2 * c + 0.1 * r - 5);
    const sum = ndarray(
      Float64Array.from(field.data, (v, i) => v + plane.data[i]),
      [rows, cols],
    );
    expect(largestDifference(removeTrendLinear(sum).data, field.data)).toBeLessThan(1e-10);
  });
});

describe('upwardContinuation', () => {
  it('multiplies one harmonic by e^{−h·k} (k = 2π·m/(n·dx)), exactly on its Fourier bin', () => {
    const m = 5; // cycles across the columns
    const k = (2 * Math.PI * m) / (cols * dx); // rad/m
    const wave = grid((_, c) => Math.cos((2 * Math.PI * m * c) / cols));
    for (const height of [500, 2000, 10_000]) {
      const up = upwardContinuation(wave, height, dx);
      const expected = Float64Array.from(wave.data, (v) => v * Math.exp(-height * k));
      expect(largestDifference(up.data, expected), `h = ${height} m`).toBeLessThan(1e-12);
    }
  });
  it('keeps the mean (k = 0 passes) and is linear', () => {
    const rnd = seededRandom(3);
    const a = grid(() => rnd() - 0.5),
      b = grid(() => rnd() - 0.5);
    const sum = ndarray(
      Float64Array.from(a.data, (v, i) => 2 * v + b.data[i] + 9),
      [rows, cols],
    );
    const [ua, ub, us] = [a, b, sum].map((g) => upwardContinuation(g, 1500, dx).data);
    expect(
      largestDifference(
        us,
        Float64Array.from(ua, (v, i) => 2 * v + ub[i] + 9),
      ),
    ).toBeLessThan(1e-12);
  });
});

describe('reduceToPole', () => {
  it('at inclination 90° (already at the pole) is the identity, less the mean it cannot carry', () => {
    const rnd = seededRandom(8);
    const field = grid(() => rnd() * 100 - 30);
    let mean = 0;
    for (const v of field.data) mean += v / (rows * cols);
    for (const dec of [0, 37, -120]) {
      const reduced = reduceToPole(field, 90, dec, dx);
      expect(
        largestDifference(
          reduced.data,
          Float64Array.from(field.data, (v) => v - mean),
        ),
        `declination ${dec}°`,
      ).toBeLessThan(1e-10);
    }
  });

  it('takes the source direction and the row spacing by name; the defaults are the field’s direction and dx', () => {
    const rnd = seededRandom(9);
    const field = grid(() => rnd() - 0.5);
    const plain = reduceToPole(field, 60, 10, dx).data;
    expect(reduceToPole(field, 60, 10, dx, { sinc: 60, sdec: 10, dy: dx }).data).toEqual(plain);
    // Half a direction is not one: the field's is used, as PyCurious does.
    expect(reduceToPole(field, 60, 10, dx, { sinc: 45 }).data).toEqual(plain);
    expect(largestDifference(reduceToPole(field, 60, 10, dx, { sinc: 45, sdec: -20 }).data, plain)).toBeGreaterThan(
      0.01,
    );
    expect(largestDifference(reduceToPole(field, 60, 10, dx, { dy: 2 * dx }).data, plain)).toBeGreaterThan(0.01);
  });

  it('refuses a spacing that is not a positive number of metres, naming it', () => {
    const field = grid(() => 1);
    expectCurieError(
      () => reduceToPole(field, 60, 10, 0),
      'E_ARGUMENT',
      'reduceToPole: spacing dx = 0 must be a positive number of metres',
    );
    expectCurieError(() => reduceToPole(field, 60, 10, dx, { dy: NaN }), 'E_ARGUMENT', 'spacing dy = NaN');
    expectCurieError(() => upwardContinuation(field, 100, dx, -5), 'E_ARGUMENT', 'upwardContinuation: spacing dy = -5');
  });
});
