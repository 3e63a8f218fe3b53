import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { CurieError } from '../../src/errors.js';
import { azimuthalSpectrum } from '../../src/spectrum/azimuthal.js';
import { radon2d } from '../../src/spectrum/radon.js';
import { taperWeights } from '../../src/spectrum/taper.js';
import { maxRelativeToPeak, seededRandom } from '../helpers/random.js';
import { expectCurieError } from '../helpers/errors.js';

function randomGrid(n: number, seed: number): Float64Array {
  const rnd = seededRandom(seed);
  return Float64Array.from({ length: n * n }, () => rnd() * 2 - 1);
}

const radians = (degrees: number[]) => Float64Array.from(degrees, (d) => (Math.PI * d) / 180);

/** Trapezoid sum (end samples weighted ½) of `n` values `value(j)`. */
function trapezoid(n: number, value: (j: number) => number): number {
  let sum = 0;
  for (let j = 0; j < n; j++) sum += value(j) * (j === 0 || j === n - 1 ? 0.5 : 1);
  return sum;
}

/** PyCurious's ray r at angle θ: the points p with p·(cos θ, sin θ) = (n/2)(cos θ + sin θ − 1) + r. */
function rayOffset(n: number, theta: number, r: number): number {
  return (n / 2) * (Math.cos(theta) + Math.sin(theta) - 1) + r;
}

/** Length inside the node box [0, n−1]² of the line p·(cos θ, sin θ) = offset (independent clipping). */
function chordLength(n: number, theta: number, offset: number): number {
  const c = Math.cos(theta),
    s = Math.sin(theta);
  // p = offset·u + t·v with u = (c, s), v = (−s, c); intersect the t-intervals of both slabs.
  let lo = -Infinity,
    hi = Infinity;
  for (const [origin, dir] of [
    [offset * c, -s],
    [offset * s, c],
  ]) {
    if (Math.abs(dir) < 1e-15) {
      if (origin < -1e-9 || origin > n - 1 + 1e-9) return 0;
      continue;
    }
    const t0 = (0 - origin) / dir,
      t1 = (n - 1 - origin) / dir;
    lo = Math.max(lo, Math.min(t0, t1));
    hi = Math.min(hi, Math.max(t0, t1));
  }
  return Math.max(0, hi - lo);
}

/**
 * What PyCurious's ray measures on a field of ones. Between 0 and 90° (and at 90°) it is the chord
 * through the node box. Beyond 90° radon.pyx does not clip the start at y = 0: a ray that passes
 * below the box's corner (n−1, 0) runs from (n−1, y < 0) to where it meets y = 0, counted in the
 * corner cell up to that cell's edge x = n − ½ (past it PyCurious reads beyond its arrays; here
 * that part counts nothing).
 */
function onesRayValue(n: number, theta: number, r: number): number {
  const offset = rayOffset(n, theta, r);
  if (theta <= Math.PI / 2) return chordLength(n, theta, offset);
  const c = Math.cos(theta),
    s = Math.sin(theta);
  const yAt = (x: number) => (offset - c * x) / s;
  if (yAt(n - 1) >= 0) return chordLength(n, theta, offset);
  const xEnd = Math.min(offset / c, n - 0.5);
  return Math.hypot(xEnd - (n - 1), yAt(xEnd) - yAt(n - 1));
}

describe('radon2d', () => {
  const n = 21;
  const data = randomGrid(n, 1);

  it('at 0° sums each row (rays along the columns), end cells half: the trapezoid rule', () => {
    const sino = radon2d(data, n, radians([0, 90]));
    for (let r = 0; r < n; r++)
      expect(sino[r * 2]).toBeCloseTo(
        trapezoid(n, (j) => data[r * n + j]),
        12,
      );
  });

  it('at 90° sums each column', () => {
    const sino = radon2d(data, n, radians([0, 90]));
    for (let c = 0; c < n; c++)
      expect(sino[c * 2 + 1]).toBeCloseTo(
        trapezoid(n, (i) => data[i * n + c]),
        12,
      );
  });

  it('of a constant field: each ray is the constant times its length (the chord through the node box)', () => {
    for (const size of [20, 51]) {
      const degrees = [...Array.from({ length: 36 }, (_, i) => 5 * i), 179, 179.5];
      const sino = radon2d(new Float64Array(size * size).fill(3), size, radians(degrees));
      degrees.forEach((d, a) => {
        for (let r = 0; r < size; r++)
          expect(sino[r * degrees.length + a]).toBeCloseTo(3 * onesRayValue(size, (Math.PI * d) / 180, r), 10);
      });
    }
  });

  it('is linear in the data', () => {
    const other = randomGrid(n, 2);
    const sum = data.map((v, i) => 2 * v - other[i]);
    const angles = radians([0, 17, 45, 90, 133, 179]);
    const a = radon2d(data, n, angles),
      b = radon2d(other, n, angles),
      c = radon2d(sum, n, angles);
    expect(
      maxRelativeToPeak(
        c,
        a.map((v, i) => 2 * v - b[i]),
      ),
    ).toBeLessThan(1e-13);
  });

  it('rejects angles outside [0, π) and a grid that is not n × n', () => {
    expect(() => radon2d(data, n, Float64Array.of(Math.PI))).toThrow(expect.objectContaining({ code: 'E_ARGUMENT' }));
    expect(() => radon2d(data, n, Float64Array.of(-0.1))).toThrow(expect.objectContaining({ code: 'E_ARGUMENT' }));
    expect(() => radon2d(data, n + 1, Float64Array.of(0))).toThrow(expect.objectContaining({ code: 'E_ARGUMENT' }));
  });
});

/** A unit plane wave `cos(2π (row·cos φ + col·sin φ)/λ)` on an n × n grid. */
function planeWave(n: number, phiDegrees: number, wavelength: number) {
  const phi = (Math.PI * phiDegrees) / 180;
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      values[i * n + j] = Math.cos((2 * Math.PI * (i * Math.cos(phi) + j * Math.sin(phi))) / wavelength);
  return ndarray(values, [n, n]);
}

describe('azimuthalSpectrum', () => {
  it('returns PyCurious shapes: angles 0, θ, … < 180 and k = dk, 2dk, … in rad/km (dk = 2π/(n·dx) by default)', () => {
    const { k, S, theta } = azimuthalSpectrum(ndarray(randomGrid(51, 3), [51, 51]), 1000);
    expect(Array.from(theta)).toEqual(Array.from({ length: 36 }, (_, i) => 5 * i));
    expect(k.length).toBe(25);
    expect(k[0]).toBeCloseTo((2 * Math.PI) / 51, 14);
    expect(k[24]).toBeCloseTo((25 * 2 * Math.PI) / 51, 13);
    expect(S.shape).toEqual([36, 25]);
    expect(S.data.every(Number.isFinite)).toBe(true);
    const seven = azimuthalSpectrum(ndarray(randomGrid(51, 3), [51, 51]), 500, { theta: 7 });
    expect(seven.theta.length).toBe(26);
    expect(seven.theta[25]).toBe(175);
    expect(seven.k[0]).toBeCloseTo((2 * 2 * Math.PI) / 51, 14); // dx 500 m: twice the wavenumbers
  });

  it("under convention 'pycurious-1.1': PyCurious's dk = 2π/((n−1)·dx), the same S", () => {
    const grid = ndarray(randomGrid(51, 3), [51, 51]);
    const old = azimuthalSpectrum(grid, 1000, { convention: 'pycurious-1.1' });
    const byDefault = azimuthalSpectrum(grid, 1000);
    expect(old.k.length).toBe(25);
    expect(old.k[0]).toBeCloseTo((2 * Math.PI) / 50, 14);
    expect(old.k[24]).toBeCloseTo((25 * 2 * Math.PI) / 50, 13);
    old.k.forEach((v, i) => expect(byDefault.k[i]).toBeCloseTo((v * 50) / 51, 13));
    expect(Array.from(byDefault.S.data)).toEqual(Array.from(old.S.data));
    expect(Array.from(byDefault.theta)).toEqual(Array.from(old.theta));
    expectCurieError(
      () => azimuthalSpectrum(grid, 1000, { convention: 'pycurious-2' as never }),
      'E_ARGUMENT',
      'convention',
    );
  });

  it('peaks at the direction of a plane wave (0° along rows, 90° along columns)', () => {
    for (const phi of [0, 45, 90, 135]) {
      const { S, theta } = azimuthalSpectrum(planeWave(101, phi, 8), 1000);
      let best = -Infinity,
        bestAngle = -1;
      for (let a = 0; a < theta.length; a++)
        for (let f = 0; f < S.shape[1]; f++)
          if (S.get(a, f) > best) {
            best = S.get(a, f);
            bestAngle = theta[a];
          }
      expect(bestAngle).toBe(phi);
    }
  });

  it('is power · ln |DFT| of the tapered projection at length 1 + 2·len(k): truncated or zero-padded', () => {
    // n = 50: len(k) = 24, FFT length 49 < 50 (truncates); n = 44: len(k) = 22, length 45 > 44 (pads).
    for (const [n, expectedBins] of [
      [51, 25],
      [50, 24],
      [44, 22],
    ]) {
      const values = randomGrid(n, n);
      const { S, theta, k } = azimuthalSpectrum(ndarray(values, [n, n]), 1000, { power: 0.5, theta: 30 });
      expect(k.length).toBe(expectedBins);
      const sino = radon2d(values, n, radians(Array.from(theta)));
      const w = taperWeights('hanning', n);
      const nk = 1 + 2 * k.length;
      for (let a = 0; a < theta.length; a++)
        for (let f = 1; f <= k.length; f++) {
          let re = 0,
            im = 0;
          for (let r = 0; r < Math.min(n, nk); r++) {
            const x = w[r] * sino[r * theta.length + a];
            re += x * Math.cos((2 * Math.PI * f * r) / nk);
            im -= x * Math.sin((2 * Math.PI * f * r) / nk);
          }
          expect(S.get(a, f - 1)).toBeCloseTo(0.5 * Math.log(Math.hypot(re, im)), 10);
        }
    }
  });

  it('reads strided views: a transposed view equals a transposed copy', () => {
    const n = 31;
    const values = randomGrid(n, 5);
    const copy = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) copy[j * n + i] = values[i * n + j];
    const fromView = azimuthalSpectrum(ndarray(values, [n, n]).transpose(1, 0), 1000, { taper: 'none' });
    const fromCopy = azimuthalSpectrum(ndarray(copy, [n, n]), 1000, { taper: 'none' });
    expect(Array.from(fromView.S.data)).toEqual(Array.from(fromCopy.S.data));
  });

  it('rejects bad input with clear codes', () => {
    const square = ndarray(randomGrid(11, 6), [11, 11]);
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        expect(error).toBeInstanceOf(CurieError);
        return [(error as CurieError).code, (error as CurieError).message];
      }
      return ['no error', ''];
    };
    const [code, message] = codeOf(() => azimuthalSpectrum(ndarray(new Float64Array(20 * 21), [20, 21]), 1000));
    expect(code).toBe('E_ARGUMENT');
    expect(message).toContain('20 × 21');
    for (const theta of [0, -5, 180, 200, Number.NaN, Number.POSITIVE_INFINITY])
      expect(codeOf(() => azimuthalSpectrum(square, 1000, { theta }))[0]).toBe('E_ARGUMENT');
    for (const dx of [0, -1000, Number.NaN]) expect(codeOf(() => azimuthalSpectrum(square, dx))[0]).toBe('E_ARGUMENT');
    expect(codeOf(() => azimuthalSpectrum(square, 1000, { power: Number.NaN }))[0]).toBe('E_ARGUMENT');
    expect(codeOf(() => azimuthalSpectrum(ndarray(new Float64Array(4), [2, 2]), 1000))[0]).toBe('E_ARGUMENT');
    const gappy = randomGrid(11, 7);
    gappy[3] = gappy[50] = gappy[99] = Number.NaN;
    const [nanCode, nanMessage] = codeOf(() => azimuthalSpectrum(ndarray(gappy, [11, 11]), 1000));
    expect(nanCode).toBe('E_NAN');
    expect(nanMessage).toContain('3 NaN');
  });
});
