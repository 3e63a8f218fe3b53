import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { maxElementwiseRelative, readReference, referenceGrid } from '../helpers/reference.js';

interface SpectrumEntry {
  window: number | 'whole';
  xc?: number;
  yc?: number;
  taper: 'hanning' | 'hamming' | 'none';
  power: number;
  bins?: string;
  shape: [number, number];
  k: number[];
  Phi: number[];
  sigma: number[];
}

const entries = readReference<SpectrumEntry[]>('pycurious/radial_spectrum.json');
// The entry with PyCurious's floating-point bin edges depends on the last bit of numpy's hypot;
// it is not a parity target (see the reference README).
const targets = entries.filter((e) => e.bins === undefined);

describe("radialSpectrum under convention 'pycurious-1.1' equals PyCurious (integer bin edges) to 1e-9", () => {
  it('covers every parity entry of the fixture', () => {
    expect(targets.length).toBe(entries.length - 1);
    expect(targets.some((e) => e.window === 'whole')).toBe(true);
  });

  it.each(targets.map((e) => [`${e.window} at (${e.xc}, ${e.yc}) ${e.taper} power ${e.power}`, e] as const))(
    '%s',
    (_, entry) => {
      const grid = referenceGrid('pycurious-1.1');
      const window = entry.window === 'whole' ? grid.data : grid.subgrid(entry.window, entry.xc!, entry.yc!);
      expect(window.shape).toEqual(entry.shape);
      const { k, Phi, sigmaPhi } = grid.radialSpectrum(window, {
        taper: entry.taper,
        power: entry.power,
        convention: 'pycurious-1.1',
      });
      expect(k.length).toBe(entry.k.length);
      expect(maxElementwiseRelative(k, entry.k)).toBeLessThan(1e-9);
      expect(maxElementwiseRelative(Phi, entry.Phi)).toBeLessThan(1e-9);
      expect(maxElementwiseRelative(sigmaPhi, entry.sigma)).toBeLessThan(1e-9);
    },
  );

  it('gives the same spectrum for a strided view and a contiguous copy', () => {
    const grid = referenceGrid('pycurious-1.1');
    const view = grid.subgrid(200e3, 152500, 152500);
    const copy = ndarray(new Float64Array(201 * 201), [201, 201]);
    for (let r = 0; r < 201; r++) for (let c = 0; c < 201; c++) copy.set(r, c, view.get(r, c));
    expect(grid.radialSpectrum(copy).Phi).toEqual(grid.radialSpectrum(view).Phi);
  });

  // The default convention keeps PyCurious's bins and only corrects their wavenumbers: dk = 2π/(n·dx).
  it.each(targets.map((e) => [`${e.window} at (${e.xc}, ${e.yc}) ${e.taper} power ${e.power}`, e] as const))(
    'the default convention: the same Phi and sigmaPhi, k = PyCurious k × (n − 1)/n (%s)',
    (_, entry) => {
      const grid = referenceGrid('default');
      const window = entry.window === 'whole' ? grid.data : grid.subgrid(entry.window, entry.xc!, entry.yc!);
      const n = entry.shape[0];
      const { k, Phi, sigmaPhi } = grid.radialSpectrum(window, { taper: entry.taper, power: entry.power });
      expect(maxElementwiseRelative(Phi, entry.Phi)).toBeLessThan(1e-9);
      expect(maxElementwiseRelative(sigmaPhi, entry.sigma)).toBeLessThan(1e-9);
      expect(
        maxElementwiseRelative(
          k,
          entry.k.map((v) => (v * (n - 1)) / n),
        ),
      ).toBeLessThan(1e-9);
      // …and so differs from the fixture by 1/n: the parity targets need the option.
      expect(maxElementwiseRelative(k, entry.k)).toBeGreaterThan(0.9 / n);
    },
  );
});
