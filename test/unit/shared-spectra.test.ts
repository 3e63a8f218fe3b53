// Windows of one grid column share their row transforms (radialSpectraSharingColumns, windowSpectra):
// each window's spectrum must be bit-identical to radialSpectrum of its view alone, whatever windows
// it is computed with, and equal to the textbook tapered 2-D DFT.
import ndarray, { type NdArray } from 'ndarray';
import { describe, expect, it } from 'vitest';
import { CurieError } from '../../src/errors.js';
import { gridGeometry } from '../../src/grid/geometry.js';
import { subgrid } from '../../src/grid/windows.js';
import { windowSpectra, windowSpectrum } from '../../src/inversion/window-routines.js';
import { fft2d } from '../../src/spectrum/fft.js';
import { radialSpectraSharingColumns, radialSpectrum, type RadialSpectrumOptions } from '../../src/spectrum/radial.js';
import { taperWeights } from '../../src/spectrum/taper.js';
import { rowParity, taperedWindowSpectra } from '../../src/spectrum/window-fft.js';
import { maxRelativeToPeak, seededRandom } from '../helpers/random.js';

/** A rows × cols grid of smooth-ish random values (a random walk plus noise), row-major. */
function randomGrid(rows: number, cols: number, seed: number): NdArray<Float64Array> {
  const rnd = seededRandom(seed);
  const values = new Float64Array(rows * cols);
  let level = 0;
  for (let i = 0; i < values.length; i++) {
    level += rnd() - 0.5;
    values[i] = 100 * Math.sin(i * 0.013) + level + 5 * rnd();
  }
  return ndarray(values, [rows, cols]);
}

function expectSameBits(got: unknown, want: unknown) {
  expect(got).not.toBeInstanceOf(Error);
  expect(got).toEqual(want);
}

function alone(grid: NdArray, side: number, r0: number, c0: number, options: RadialSpectrumOptions = {}) {
  return radialSpectrum(grid.lo(r0, c0).hi(side, side), 1000, options);
}

describe('radialSpectraSharingColumns', () => {
  const grid = randomGrid(90, 70, 1);

  it.each([
    ['odd side, hanning', 31, {}],
    ['odd side, power 0.5, hamming', 33, { power: 0.5, taper: 'hamming' }],
    ['even side, Tukey', 30, { taper: { tukey: 0.3 } }],
    ['power-of-two side (fft.js per vector), no taper', 32, { taper: 'none' }],
    ['user taper function', 25, { taper: (n: number) => Float64Array.from({ length: n }, (_, j) => 1 + Math.sin(j)) }],
  ] as const)('gives each window the bits of radialSpectrum alone: %s', (_, side, options) => {
    // First rows of both parities, overlapping, repeated, far apart, at the grid's edges.
    const starts = [0, 1, 2, 5, 6, 7, 20, 21, 40, 90 - side, 90 - side - 1, 5];
    for (const c0 of [0, 3, 70 - side]) {
      const shared = radialSpectraSharingColumns(grid, 1000, side, c0, starts, options);
      starts.forEach((r0, i) => expectSameBits(shared[i], alone(grid, side, r0, c0, options)));
      // …and the same bits in any company and order.
      const few = radialSpectraSharingColumns(grid, 1000, side, c0, [starts[7], starts[3]], options);
      expect(few[0]).toEqual(shared[7]);
      expect(few[1]).toEqual(shared[3]);
    }
  });

  it('keeps NaN and infinite values to the windows that hold them, and counts them', () => {
    const holed = ndarray(grid.data.slice(), [90, 70]);
    holed.set(30, 10, NaN);
    holed.set(31, 12, NaN);
    holed.set(62, 5, Infinity);
    const starts = [0, 1, 31, 32, 40, 59];
    const bad = [1, 2, 1, 1, 1, 1]; // in rows r0 … r0 + 30
    const shared = radialSpectraSharingColumns(holed, 1000, 31, 0, starts);
    starts.forEach((r0, i) => {
      expect(shared[i]).toBeInstanceOf(CurieError);
      expect((shared[i] as CurieError).code).toBe('E_NAN');
      expect((shared[i] as CurieError).message).toContain(
        `contains ${bad[i]} NaN or infinite value${bad[i] === 1 ? ';' : 's;'}`,
      );
      expect(() => alone(holed, 31, r0, 0)).toThrow((shared[i] as CurieError).message);
    });
  });

  it('never pairs a window row with a row outside it (whose NaN would spread)', () => {
    const holed = ndarray(grid.data.slice(), [90, 70]);
    holed.set(30, 3, NaN); // even row: pairs with 31
    holed.set(41, 3, NaN); // odd row: pairs with 40
    // Rows 31…40: the first row's partner (30) and the last row's (41) are NaN, outside the window.
    const shared = radialSpectraSharingColumns(holed, 1000, 10, 0, [31, 20, 29]);
    expectSameBits(shared[0], alone(grid, 10, 31, 0));
    expectSameBits(shared[0], alone(holed, 10, 31, 0));
    expectSameBits(shared[1], alone(grid, 10, 20, 0)); // rows 20…29
    expectSameBits(
      radialSpectraSharingColumns(holed, 1000, 31, 0, [59, 32])[0],
      radialSpectraSharingColumns(holed, 1000, 31, 0, [59])[0],
    );
    expect((shared[2] as CurieError).code).toBe('E_NAN'); // rows 29…38 hold row 30
  });

  it('takes the logs of tiny amplitudes (subnormal |F|²) with Math.log, alone and shared alike', () => {
    const tiny = ndarray(
      Float64Array.from(grid.data, (v) => v * 1e-160),
      [90, 70],
    );
    const shared = radialSpectraSharingColumns(tiny, 1000, 31, 0, [0, 3]);
    expectSameBits(shared[0], alone(tiny, 31, 0, 0));
    expectSameBits(shared[1], alone(tiny, 31, 3, 0));
    // ln scales: Phi shifts by power·ln(1e-160) = 2·ln(1e-160), to the few bits of subnormal numbers.
    const reference = alone(grid, 31, 0, 0);
    (shared[0] as typeof reference).Phi.forEach((phi, b) =>
      expect(Math.abs(phi - reference.Phi[b] - 2 * Math.log(1e-160))).toBeLessThan(1e-5 * Math.abs(phi)),
    );
  });

  it('reads any strides: a transposed view equals its contiguous copy, alone and shared', () => {
    const transposed = grid.transpose(1, 0); // 70 × 90, row stride 1
    const copy = ndarray(new Float64Array(70 * 90), [70, 90]);
    for (let r = 0; r < 70; r++) for (let c = 0; c < 90; c++) copy.set(r, c, transposed.get(r, c));
    const starts = [0, 3, 8, 39];
    const viaView = radialSpectraSharingColumns(transposed, 1000, 31, 10, starts);
    starts.forEach((r0, i) => {
      expectSameBits(viaView[i], alone(transposed, 31, r0, 10));
      const reference = alone(copy, 31, r0, 10);
      const got = viaView[i] as { Phi: Float64Array };
      // Rows may pair differently (the view's row parity is not the copy's): rounding only.
      expect(maxRelativeToPeak(got.Phi, reference.Phi)).toBeLessThan(1e-13);
    });
  });

  it('takes grids that are not Float64Arrays (windows copied one by one, same bits)', () => {
    const plain = ndarray(Array.from(grid.data), [90, 70]);
    const shared = radialSpectraSharingColumns(plain, 1000, 31, 2, [0, 7]);
    expectSameBits(shared[0], alone(grid, 31, 0, 2));
    expectSameBits(shared[1], alone(grid, 31, 7, 2));
  });

  it('throws the errors common to all windows', () => {
    expect(() => radialSpectraSharingColumns(grid, 1000, 31, 50, [0])).toThrow(CurieError);
    expect(() => radialSpectraSharingColumns(grid, 1000, 31, 0, [70])).toThrow(/rows 70…100/);
    expect(() => radialSpectraSharingColumns(grid, 1000, 3, 0, [0])).toThrow(/too small/);
    expect(() => radialSpectraSharingColumns(grid, -1, 31, 0, [0])).toThrow(/dx/);
    expect(radialSpectraSharingColumns(grid, 1000, 31, 0, [])).toEqual([]);
  });
});

describe('taperedWindowSpectra equals the tapered 2-D DFT', () => {
  it.each([
    [31, 0],
    [31, 1],
    [30, 1],
    [32, 1],
    [16, 0],
  ])('side %i, row parity %i', (side, parity) => {
    const grid = randomGrid(60, side + 4, 9);
    const weights = taperWeights('hanning', side);
    const starts = [0, 1, 4, 7, 60 - side];
    const source = { data: grid.data, offset: 2, rowStride: side + 4, colStride: 1 };
    const seen = new Set<number>();
    // The reference goes through fft.js one vector at a time (fft2d), not the engine under test.
    const half = (side >> 1) + 1;
    const reference = starts.map((r0) => {
      const tapered = new Float64Array(2 * side * side);
      for (let r = 0; r < side; r++)
        for (let c = 0; c < side; c++) tapered[2 * (r * side + c)] = grid.get(r0 + r, 2 + c) * weights[r] * weights[c];
      const full = fft2d(tapered, side, side);
      const halfSpectrum = new Float64Array(2 * side * half);
      for (let r = 0; r < side; r++) halfSpectrum.set(full.subarray(2 * r * side, 2 * (r * side + half)), 2 * r * half);
      return halfSpectrum;
    });
    const windows = { source, n: side, parity0: parity, rowStarts: starts, weights };
    taperedWindowSpectra(windows, (i, spectrum) => {
      seen.add(i);
      expect(maxRelativeToPeak(spectrum, reference[i])).toBeLessThan(1e-13);
    });
    expect(seen.size).toBe(starts.length);
    // |F|² only: the same, squared.
    taperedWindowSpectra({ ...windows, squared: true }, (i, squares) => {
      const want = Float64Array.from(
        { length: squares.length },
        (_, j) => reference[i][2 * j] ** 2 + reference[i][2 * j + 1] ** 2,
      );
      expect(squares.length).toBe(side * half);
      expect(maxRelativeToPeak(squares, want)).toBeLessThan(1e-13);
    });
  });

  it('rowParity: the absolute row of a view, floor-divided exactly', () => {
    expect(rowParity(0, 70)).toBe(0);
    expect(rowParity(70 * 5 + 3, 70)).toBe(1);
    expect(rowParity(70 * 6 + 69, 70)).toBe(0);
    expect(rowParity(-1, 70)).toBe(1); // row −1
    expect(rowParity(69, -70)).toBe(1); // ⌊69 / −70⌋ = −1
    expect(rowParity(5, 0)).toBe(0);
  });
});

describe('windowSpectra', () => {
  const values = randomGrid(81, 81, 4);
  const geometry = gridGeometry(81, 81, 0, 80e3, 0, 80e3, { warn: false });
  const grid = { data: values, geometry };

  it('yields, in the order given, what windowSpectrum gives or throws for each centroid', () => {
    const xc = [20e3, 20e3, 45e3, 1e9, 20e3, 20.4e3, 45e3, 79e3, 20e3];
    const yc = [20e3, 33e3, 20e3, 20e3, 60e3, 21e3, 60.5e3, 40e3, 20e3];
    const got = Array.from(windowSpectra(grid, 40e3, xc, yc, {}));
    expect(got.length).toBe(xc.length);
    xc.forEach((x, i) => {
      let want: unknown;
      try {
        want = windowSpectrum(grid, 40e3, x, yc[i], {});
      } catch (error) {
        want = error;
      }
      if (want instanceof Error) {
        expect(got[i]).toBeInstanceOf(CurieError);
        expect((got[i] as Error).message).toBe(want.message);
      } else expect(got[i]).toEqual(want);
    });
    expect((got[3] as Error).message).toContain('outside the grid');
    expect((got[7] as Error).message).toContain('exceeds the grid');
  });

  it('runs processSubgrid on each window alone, on a copy it may change at will', () => {
    const seen: Array<[number, number, boolean]> = [];
    const before = Float64Array.from(values.data);
    // A hook that scribbles on its window in place: the grid, and so the other windows, must not change.
    const settings = {
      processSubgrid: (w: NdArray<Float64Array>) => (
        seen.push([w.shape[0], w.shape[1], w.data === values.data]),
        w.set(0, 0, 1e6),
        w
      ),
    };
    const got = Array.from(windowSpectra(grid, 40e3, [20e3, 30e3], [20e3, 25e3], settings));
    expect(seen).toEqual([
      [41, 41, false],
      [41, 41, false],
    ]);
    expect(values.data).toEqual(before);
    const view = subgrid(values, geometry, 40e3, 30e3, 25e3);
    // The copy keeps the view's row parity in the grid (rows pair by it for the FFT), so the same bits.
    const skip = rowParity(view.offset, view.stride[0]) * 41;
    const scribbled = ndarray(
      Float64Array.from({ length: skip + 41 * 41 }, (_, j) =>
        j < skip ? 0 : j === skip ? 1e6 : view.get(Math.floor((j - skip) / 41), (j - skip) % 41),
      ),
      [41, 41],
      [41, 1],
      skip,
    );
    expect(got[1]).toEqual(radialSpectrum(scribbled, 1000));
  });

  it('gives every window of a bad setting the same error', () => {
    const got = Array.from(windowSpectra(grid, 40e3, [20e3, 30e3], [20e3, 20e3], { taper: 'nope' as never }));
    expect(got.every((e) => e instanceof CurieError && /unknown taper/.test(e.message))).toBe(true);
  });
});
