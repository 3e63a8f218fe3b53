import { describe, expect, it } from 'vitest';
import { fft1d, fft2d } from '../../src/spectrum/fft.js';
import { rfft2dHalf } from '../../src/spectrum/fft-engine.js';
import { maxRelativeToPeak, seededRandom } from '../helpers/random.js';

/** cos and sin of 2πp/n for p < n: the direct DFT's twiddles, looked up at the exact index jk mod n (kept by adding k, mod n, at each step). */
function twiddleTable(n: number): { cos: Float64Array; sin: Float64Array } {
  const cos = new Float64Array(n),
    sin = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    cos[p] = Math.cos((2 * Math.PI * p) / n);
    sin[p] = Math.sin((2 * Math.PI * p) / n);
  }
  return { cos, sin };
}

/** Direct O(N²) 2-D DFT (numpy's sign convention), the reference the FFT must equal. */
function directDft2(re: Float64Array, im: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(2 * rows * cols);
  const byRow = twiddleTable(rows),
    byCol = twiddleTable(cols);
  // Separable: first along columns index (within each row), then along rows, each a direct sum.
  const tmp = new Float64Array(2 * rows * cols);
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < cols; k++) {
      let sr = 0,
        si = 0;
      for (let c = 0, p = 0; c < cols; c++, p = p + k < cols ? p + k : p + k - cols) {
        const cr = byCol.cos[p],
          ci = -byCol.sin[p];
        const xr = re[r * cols + c],
          xi = im[r * cols + c];
        sr += xr * cr - xi * ci;
        si += xr * ci + xi * cr;
      }
      tmp[2 * (r * cols + k)] = sr;
      tmp[2 * (r * cols + k) + 1] = si;
    }
  for (let k = 0; k < cols; k++)
    for (let l = 0; l < rows; l++) {
      let sr = 0,
        si = 0;
      for (let r = 0, p = 0; r < rows; r++, p = p + l < rows ? p + l : p + l - rows) {
        const cr = byRow.cos[p],
          ci = -byRow.sin[p];
        const xr = tmp[2 * (r * cols + k)],
          xi = tmp[2 * (r * cols + k) + 1];
        sr += xr * cr - xi * ci;
        si += xr * ci + xi * cr;
      }
      out[2 * (l * cols + k)] = sr;
      out[2 * (l * cols + k) + 1] = si;
    }
  return out;
}

function randomArrays(rows: number, cols: number, seed: number) {
  const rnd = seededRandom(seed);
  const re = Float64Array.from({ length: rows * cols }, () => rnd() * 2 - 1);
  const im = Float64Array.from({ length: rows * cols }, () => rnd() * 2 - 1);
  return { re, im };
}

function interleave(re: Float64Array, im: Float64Array): Float64Array {
  const z = new Float64Array(2 * re.length);
  for (let i = 0; i < re.length; i++) {
    z[2 * i] = re[i];
    z[2 * i + 1] = im[i];
  }
  return z;
}

const sizes: Array<[number, number]> = [];
for (let n = 1; n <= 64; n++) sizes.push([n, n]);
for (const [r, c] of [
  [1, 7],
  [7, 1],
  [2, 3],
  [5, 64],
  [64, 5],
  [31, 17],
  [12, 45],
  [63, 64],
] as const)
  sizes.push([r, c]);
sizes.push([201, 201], [301, 301], [305, 305], [201, 305]);

describe('fft2d equals the direct DFT to 1e-10 of the peak', () => {
  it.each(sizes)('complex %i × %i, forward and inverse', (rows, cols) => {
    const { re, im } = randomArrays(rows, cols, rows * 1000 + cols);
    const expected = directDft2(re, im, rows, cols);
    const z = fft2d(interleave(re, im), rows, cols);
    expect(maxRelativeToPeak(z, expected)).toBeLessThan(1e-10);
    // The inverse gives the input back.
    fft2d(z, rows, cols, true);
    expect(maxRelativeToPeak(z, interleave(re, im))).toBeLessThan(1e-12);
  });

  it.each(sizes)('real input %i × %i: the non-redundant half', (rows, cols) => {
    const { re } = randomArrays(rows, cols, 7 + rows * 31 + cols);
    const expected = directDft2(re, new Float64Array(rows * cols), rows, cols);
    const half = (cols >> 1) + 1;
    const got = rfft2dHalf(re, rows, cols);
    expect(got.length).toBe(2 * rows * half);
    const expectedHalf = new Float64Array(2 * rows * half);
    for (let r = 0; r < rows; r++)
      for (let k = 0; k < half; k++) {
        expectedHalf[2 * (r * half + k)] = expected[2 * (r * cols + k)];
        expectedHalf[2 * (r * half + k) + 1] = expected[2 * (r * cols + k) + 1];
      }
    expect(maxRelativeToPeak(got, expectedHalf)).toBeLessThan(1e-10);
  });
});

describe('fft1d', () => {
  it('transforms a known signal exactly: a unit impulse at 1 gives e^{-2πik/n}', () => {
    const n = 201;
    const z = new Float64Array(2 * n);
    z[2] = 1;
    fft1d(z);
    for (let k = 0; k < n; k++) {
      expect(z[2 * k]).toBeCloseTo(Math.cos((2 * Math.PI * k) / n), 13);
      expect(z[2 * k + 1]).toBeCloseTo(-Math.sin((2 * Math.PI * k) / n), 13);
    }
  });

  it('round-trips through the inverse for prime, power-of-two and composite lengths', () => {
    for (const n of [2, 3, 67, 128, 199, 1000]) {
      const { re, im } = randomArrays(1, n, n);
      const z = interleave(re, im);
      fft1d(fft1d(z), true);
      expect(maxRelativeToPeak(z, interleave(re, im))).toBeLessThan(1e-13);
    }
  });
});

describe("rfft2dHalf (the spectra's engine) equals fft2d (fft.js, one vector at a time)", () => {
  // rfft2dHalf runs the three passes every radial spectrum runs (fft-engine.ts): sizes other than
  // powers of two on fft-batched.ts, the others one vector at a time through fftPlan. Sizes chosen
  // to reach every shape of the batched kernel: M = 8 (n = 3, kernel product alone), 16 (middle
  // radix-2), 32 (middle radix-4), 64, 128, 512 (201), 1024 (301, 305, 401); row pairs in one batch
  // and in several of unequal sizes, odd row counts (the last row transformed alone), and power-of-two
  // sizes on the other axis.
  const pairs: Array<[number, number]> = [
    [201, 201],
    [301, 301],
    [305, 305],
    [401, 401],
    [201, 305],
    [305, 201],
    [3, 3],
    [5, 5],
    [7, 7],
    [9, 9],
    [15, 15],
    [17, 17],
    [33, 33],
    [63, 63],
    [1, 7],
    [2, 3],
    [3, 5],
    [4, 9],
    [5, 3],
    [3, 201],
    [201, 3],
    [64, 201],
    [201, 64],
  ];
  it.each(pairs)('%i × %i', (rows, cols) => {
    const { re } = randomArrays(rows, cols, 5 + rows * 7 + cols);
    const full = fft2d(interleave(re, new Float64Array(rows * cols)), rows, cols);
    const half = (cols >> 1) + 1;
    const expected = new Float64Array(2 * rows * half);
    for (let r = 0; r < rows; r++) expected.set(full.subarray(2 * r * cols, 2 * (r * cols + half)), 2 * r * half);
    expect(maxRelativeToPeak(rfft2dHalf(re, rows, cols), expected)).toBeLessThan(1e-12);
  });

  it('reuses its scratch and `out` across calls and sizes, and takes plain arrays', () => {
    const a = randomArrays(201, 201, 1).re,
      b = randomArrays(301, 301, 2).re;
    const first = rfft2dHalf(a, 201, 201).slice();
    rfft2dHalf(b, 301, 301);
    const out = new Float64Array(2 * 201 * 101);
    expect(rfft2dHalf(a, 201, 201, out)).toBe(out);
    expect(out).toEqual(first);
    expect(rfft2dHalf(Array.from(a), 201, 201)).toEqual(first);
    expect(() => rfft2dHalf(a, 200, 201)).toThrow(/40401 values is not 200 × 201/);
  });
});
