import ndarray from 'ndarray';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CurieGrid } from '../../src/CurieGrid.js';
import { arange, linspace } from '../../src/grid/sequences.js';
import { roundHalfEven } from '../../src/grid/windows.js';
import { taperWeights } from '../../src/spectrum/taper.js';
import { radialSpectrum, taperInflation, wavenumberStep } from '../../src/spectrum/radial.js';
import { expectCurieError } from '../helpers/errors.js';
import { seededRandom } from '../helpers/random.js';

/** A grid of `rows × cols` nodes 1 km apart with value = 1000·row + col, so windows can be checked by value. */
function indexGrid(rows: number, cols: number, x0 = 500, y0 = 500, spacing = 1000) {
  const values = Float64Array.from({ length: rows * cols }, (_, i) => 1000 * Math.floor(i / cols) + (i % cols));
  return new CurieGrid(ndarray(values, [rows, cols]), x0, x0 + (cols - 1) * spacing, y0, y0 + (rows - 1) * spacing);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('CurieGrid construction', () => {
  it('adopts a contiguous Float64Array ndarray, also on a SharedArrayBuffer, without copying', () => {
    const shared = new Float64Array(new SharedArrayBuffer(8 * 12));
    const grid = new CurieGrid(ndarray(shared, [3, 4]), 0, 3000, 0, 2000);
    expect(grid.data.data).toBe(shared);
    shared[5] = 42;
    expect(grid.data.get(1, 1)).toBe(42);
  });

  it('copies other backings and number[][] into a row-major Float64Array, row 0 first', () => {
    const fromRows = new CurieGrid(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      0,
      2000,
      0,
      1000,
    );
    expect(fromRows.data.data).toBeInstanceOf(Float64Array);
    // Copies go onto shared memory, so parallel maps hand them to workers without copying again.
    expect(fromRows.data.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(fromRows.data.data)).toEqual([1, 2, 3, 4, 5, 6]);
    const fromFloat32 = new CurieGrid(ndarray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]), 0, 2000, 0, 1000);
    expect(fromFloat32.data.get(1, 2)).toBe(6);
    // A transposed view is read through its strides.
    const transposed = ndarray(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]).transpose(1, 0);
    expect(Array.from(new CurieGrid(transposed, 0, 1000, 0, 2000).data.data)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('has the lattice PyCurious has: linspace coordinates and spacing', () => {
    const grid = indexGrid(4, 6, 100, 200, 500);
    expect([grid.nx, grid.ny, grid.dx, grid.dy]).toEqual([6, 4, 500, 500]);
    expect(Array.from(grid.xcoords)).toEqual([100, 600, 1100, 1600, 2100, 2600]);
    expect(Array.from(grid.ycoords)).toEqual([200, 700, 1200, 1700]);
    expect(Array.from(linspace(0, 1, 4))).toEqual([0, 1 / 3, 2 / 3, 1]);
    expect(Array.from(arange(0, 180, 45))).toEqual([0, 45, 90, 135]);
    // numpy famously includes 0.4 here: (0.4 − 0.1)/0.1 = 3.0000000000000004 rounds up to 4 values.
    expect(Array.from(arange(0.1, 0.4, 0.1))).toEqual([0.1, 0.2, 0.30000000000000004, 0.4]);
  });

  it('rejects unequal spacing, naming both spacings', () => {
    expectCurieError(
      () => new CurieGrid(ndarray(new Float64Array(12), [3, 4]), 0, 3000, 0, 2100),
      'E_SPACING',
      'dx = 1000',
      'dy = 1050',
    );
  });

  it('accepts spacings within 0.1 %', () => {
    expect(new CurieGrid(ndarray(new Float64Array(12), [3, 4]), 0, 3000, 0, 2001).dy).toBe(1000.5);
  });

  it('rejects ragged rows, a single row and an inverted extent', () => {
    expectCurieError(() => new CurieGrid([[1, 2], [3]], 0, 1000, 0, 1000), 'E_ARGUMENT', 'row 1 has 1 values');
    expectCurieError(() => new CurieGrid([[1, 2, 3]], 0, 2000, 0, 0), 'E_ARGUMENT', '1 × 3');
    expectCurieError(
      () =>
        new CurieGrid(
          [
            [1, 2],
            [3, 4],
          ],
          1000,
          0,
          0,
          1000,
        ),
      'E_ARGUMENT',
      'xmax 0',
    );
  });

  it('warns CURIE_DEGREES (not an error) for an extent that looks like longitude/latitude', () => {
    const warnings: Array<{ code?: string }> = [];
    vi.spyOn(process, 'emitWarning').mockImplementation(((message: string, options: { code?: string }) => {
      warnings.push({ code: options?.code });
    }) as typeof process.emitWarning);
    const grid = new CurieGrid(ndarray(new Float64Array(21 * 21), [21, 21]), -45, -44, -4.5, -3.5);
    expect(grid.dx).toBeCloseTo(0.05, 15);
    expect(warnings.map((w) => w.code)).toEqual(['CURIE_DEGREES']);
    indexGrid(5, 5);
    expect(warnings.length).toBe(1);
  });
});

describe('subgrid', () => {
  it('cuts 2h+1 nodes a side around the nearest node, rows from ymin', () => {
    const grid = indexGrid(20, 30);
    const sub = grid.subgrid(4000, 10_500, 5_500); // node (col 10, row 5), h = 2
    expect(sub.shape).toEqual([5, 5]);
    expect(sub.get(0, 0)).toBe(3 * 1000 + 8);
    expect(sub.get(4, 4)).toBe(7 * 1000 + 12);
  });

  it("rounds window/dx half to even, as Python's round", () => {
    expect([roundHalfEven(2.5), roundHalfEven(3.5), roundHalfEven(4.4), roundHalfEven(4.6)]).toEqual([2, 4, 4, 5]);
    const grid = indexGrid(20, 30);
    expect(grid.subgrid(5000, 10_500, 5_500).shape).toEqual([5, 5]); // round(5) = 5 → h 2
    expect(grid.subgrid(6500, 10_500, 5_500).shape).toEqual([7, 7]); // round(6.5) = 6 → h 3
  });

  it('takes the first node on a tie, as numpy argmin', () => {
    const grid = indexGrid(20, 30);
    expect(grid.subgrid(2000, 11_000, 6_000).get(1, 1)).toBe(5 * 1000 + 10);
  });

  it('rejects a centre outside the grid and a window that does not fit', () => {
    const grid = indexGrid(20, 30);
    expectCurieError(() => grid.subgrid(4000, 40_000, 5_500), 'E_OUTSIDE', '(40000, 5500)');
    expectCurieError(() => grid.subgrid(4000, 1_500, 5_500), 'E_WINDOW', 'window 4000 m at (1500, 5500)');
    expectCurieError(() => grid.subgrid(50_000, 15_500, 10_500), 'E_WINDOW', 'window 50000 m');
    expectCurieError(() => grid.subgrid(-1, 15_500, 10_500), 'E_ARGUMENT', 'window -1');
  });
});

describe('createCentroidList', () => {
  it('lists every node that fits, y outer, x inner', () => {
    const grid = indexGrid(6, 7);
    const { xc, yc } = grid.createCentroidList(4000); // h = 2
    expect(Array.from(xc)).toEqual([2500, 3500, 4500, 2500, 3500, 4500]);
    expect(Array.from(yc)).toEqual([2500, 2500, 2500, 3500, 3500, 3500]);
  });

  it('steps by the spacing with the end excluded, and keeps a lone centre', () => {
    const grid = indexGrid(30, 30);
    const { xc, yc } = grid.createCentroidList(10_000, { spacingX: 4000, spacingY: 7000 });
    expect(Array.from(new Set(xc))).toEqual([5500, 9500, 13500, 17500, 21500]);
    expect(Array.from(new Set(yc))).toEqual([5500, 12500, 19500]);
    const lone = indexGrid(11, 11).createCentroidList(10_000, { spacingX: 1000 });
    expect([Array.from(lone.xc), Array.from(lone.yc)]).toEqual([[5500], [5500]]);
  });

  it('with h = 0 every node is a centre', () => {
    expect(indexGrid(3, 4).createCentroidList(1000).xc.length).toBe(12);
  });

  it('is a clear error when no window fits, or the spacing is not positive', () => {
    expectCurieError(
      () => indexGrid(10, 30).createCentroidList(12_000),
      'E_WINDOW',
      'window 12000 m (13 nodes)',
      'at most 9000 m',
    );
    expectCurieError(() => indexGrid(30, 30).createCentroidList(10_000, { spacingX: 0 }), 'E_ARGUMENT', 'spacingX 0');
  });
});

describe('radialSpectrum bad input', () => {
  const grid = indexGrid(40, 40);
  it('names the NaN count', () => {
    const values = new Float64Array(21 * 21).fill(1);
    values[3] = NaN;
    values[50] = NaN;
    expectCurieError(() => grid.radialSpectrum(ndarray(values, [21, 21])), 'E_NAN', '2 NaN');
  });
  it('rejects a non-square input', () => {
    expectCurieError(() => grid.radialSpectrum(ndarray(new Float64Array(21 * 19), [21, 19])), 'E_ARGUMENT', '21 × 19');
  });
  it('rejects a window too small to have one bin, and an unknown taper', () => {
    expectCurieError(() => grid.radialSpectrum(ndarray(new Float64Array(9).fill(1), [3, 3])), 'E_ARGUMENT', '3 × 3');
    expectCurieError(
      () => grid.radialSpectrum(grid.subgrid(10_000, 20_500, 20_500), { taper: 'blackman' as never }),
      'E_ARGUMENT',
      '"blackman"',
    );
  });
  it('rejects a constant window, whose log spectrum is undefined', () => {
    expectCurieError(
      () => grid.radialSpectrum(ndarray(new Float64Array(21 * 21).fill(3), [21, 21]), { taper: 'none' }),
      'E_ARGUMENT',
      'zero Fourier amplitudes',
    );
  });
});

describe('radialSpectrum known answers', () => {
  it('a single plane wave puts its peak in the bin of its wavenumber', () => {
    const n = 101,
      dx = 1000;
    const rnd = seededRandom(3);
    // 10 whole cycles across the window along x: all its power sits at radius 10 samples, which
    // belongs to bins 8 and 9 (edges at (i+1)² ≤ r² ≤ (i+2)²); faint noise keeps every log finite.
    const values = Float64Array.from(
      { length: n * n },
      (_, i) => Math.cos((2 * Math.PI * 10 * (i % n)) / n) + 1e-6 * rnd(),
    );
    const { k, Phi } = indexGrid(2, 2).radialSpectrum(ndarray(values, [n, n]), { taper: 'none' });
    // The default dk is the DFT's fundamental, 2π/(n·dx): the wave's own wavenumber is 10·dk.
    const dk = (2 * Math.PI) / n / (dx / 1000);
    const peak = Phi.indexOf(Math.max(...Phi));
    expect(k[peak] / dk).toBeGreaterThan(9);
    expect(k[peak] / dk).toBeLessThan(11);
  });

  it('scales: power multiplies Phi and sigmaPhi, a constant factor shifts Phi by power·ln(factor)', () => {
    const rnd = seededRandom(11);
    const values = Float64Array.from({ length: 41 * 41 }, () => rnd() - 0.5);
    const grid = indexGrid(2, 2);
    const base = grid.radialSpectrum(ndarray(values, [41, 41]));
    const half = grid.radialSpectrum(ndarray(values, [41, 41]), { power: 0.5 });
    const scaled = grid.radialSpectrum(
      ndarray(
        values.map((v) => 10 * v),
        [41, 41],
      ),
    );
    for (let i = 0; i < base.Phi.length; i++) {
      expect(half.Phi[i]).toBeCloseTo(base.Phi[i] / 4, 12);
      expect(half.sigmaPhi[i]).toBeCloseTo(base.sigmaPhi[i] / 4, 12);
      expect(scaled.Phi[i] - base.Phi[i]).toBeCloseTo(2 * Math.log(10), 12);
    }
    expect(base.k.length).toBe(19);
  });
});

describe("conventions: dk = 2π/(n·dx) by default, PyCurious 1.1's 2π/((n−1)·dx) under 'pycurious-1.1'", () => {
  const rnd = seededRandom(5);
  const values = Float64Array.from({ length: 61 * 61 }, () => rnd() - 0.5);
  const make = (convention?: 'default' | 'pycurious-1.1') =>
    new CurieGrid(ndarray(values, [61, 61]), 500, 60_500, 500, 60_500, convention === undefined ? {} : { convention });

  it('wavenumberStep: the DFT fundamental by default, n − 1 under the option', () => {
    expect(wavenumberStep(201, 1000)).toBe((2 * Math.PI) / 201 / 1);
    expect(wavenumberStep(201, 1000, 'default')).toBe(wavenumberStep(201, 1000));
    expect(wavenumberStep(201, 1000, 'pycurious-1.1')).toBe((2 * Math.PI) / 200 / 1);
    expect(wavenumberStep(51, 5000)).toBeCloseTo((2 * Math.PI) / (51 * 5), 15);
  });

  it('a grid carries its convention (default when not given, from fromRaster too); any other value is E_ARGUMENT', () => {
    expect(make().convention).toBe('default');
    expect(make('default').convention).toBe('default');
    expect(make('pycurious-1.1').convention).toBe('pycurious-1.1');
    const raster = { data: ndarray(values, [61, 61]), xmin: 500, xmax: 60_500, ymin: 500, ymax: 60_500 };
    expect(CurieGrid.fromRaster(raster as never, { convention: 'pycurious-1.1' }).convention).toBe('pycurious-1.1');
    expect(CurieGrid.fromRaster(raster as never).convention).toBe('default');
    expectCurieError(
      () => new CurieGrid(ndarray(values, [61, 61]), 500, 60_500, 500, 60_500, { convention: 'pycurious' as never }),
      'E_ARGUMENT',
      '"pycurious"',
      "'pycurious-1.1'",
    );
    expectCurieError(
      () => radialSpectrum(ndarray(values, [61, 61]), 1000, { convention: 'PyCurious-1.1' as never }),
      'E_ARGUMENT',
      'convention',
    );
  });

  it("the same window: default k = PyCurious 1.1's k × (n−1)/n, the same bins, Phi, sigmaPhi, count and sigmaMean", () => {
    for (const taper of ['hanning', 'none'] as const) {
      const window = make().subgrid(51_000, 30_500, 30_500); // 51 × 51
      const byDefault = make().radialSpectrum(window, { taper });
      const old = make('pycurious-1.1').radialSpectrum(window, { taper });
      // The grid's convention is the default of its spectra; an explicit option gives the same.
      expect(radialSpectrum(window, 1000, { taper, convention: 'pycurious-1.1' })).toEqual(old);
      expect(radialSpectrum(window, 1000, { taper })).toEqual(byDefault);
      expect(byDefault.k.length).toBe(old.k.length);
      expect(byDefault.k.length).toBe(24);
      for (let i = 0; i < old.k.length; i++)
        expect(Math.abs(byDefault.k[i] - (old.k[i] * 50) / 51)).toBeLessThanOrEqual(4e-16 * byDefault.k[i]);
      expect(old.k[0]).toBeGreaterThan(wavenumberStep(51, 1000, 'pycurious-1.1'));
      for (const key of ['Phi', 'sigmaPhi', 'count', 'sigmaMean'] as const)
        expect(Array.from(byDefault[key])).toEqual(Array.from(old[key]));
    }
  });

  it("the taper inflation of a long Hann taper tends to Welch's (35/18)²", () => {
    expect(taperInflation(taperWeights('hanning', 4001))).toBeCloseTo((35 / 18) ** 2, 2);
  });

  it('count is the number of cells of each annulus; sigmaMean = sigmaPhi / √(count / (2 · taper inflation)), never below one cell', () => {
    const n = 41;
    const window = make().subgrid(41_000, 30_500, 30_500);
    for (const taper of ['none', 'hanning'] as const) {
      const { count, sigmaPhi, sigmaMean } = make().radialSpectrum(window, { taper });
      // Brute force on integers: offsets (a, b) from the centre with (i+1)² ≤ a² + b² ≤ (i+2)².
      const half = (n - 1) / 2;
      for (let i = 0; i < count.length; i++) {
        let cells = 0;
        for (let a = -half; a <= half; a++)
          for (let b = -half; b <= half; b++)
            if ((i + 1) ** 2 <= a * a + b * b && a * a + b * b <= (i + 2) ** 2) cells++;
        expect(count[i], `bin ${i}`).toBe(cells);
      }
      const inflation = taperInflation(taperWeights(taper, n));
      if (taper === 'none') expect(inflation).toBe(1);
      else {
        // (n Σw⁴ / (Σw²)²)² of the 1-D Hann weights, summed here independently of the source.
        let s2 = 0,
          s4 = 0;
        for (let j = 0; j < n; j++) {
          const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * j) / (n - 1));
          s2 += w * w;
          s4 += w ** 4;
        }
        expect(inflation).toBeCloseTo(((n * s4) / (s2 * s2)) ** 2, 12);
      }
      for (let i = 0; i < count.length; i++) {
        expect(sigmaMean[i]).toBeCloseTo(sigmaPhi[i] / Math.sqrt(Math.max(1, count[i] / (2 * inflation))), 14);
        expect(sigmaMean[i]).toBeLessThanOrEqual(sigmaPhi[i]);
      }
    }
  });
});
