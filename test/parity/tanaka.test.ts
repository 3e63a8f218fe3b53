import { describe, expect, it } from 'vitest';
import { computeTanaka, tanaka1999 } from '../../src/models/tanaka.js';
import { readReference, referenceGrid, referenceOptimiser } from '../helpers/reference.js';

const cases = readReference<any[]>('pycurious/tanaka.json');

describe("tanaka1999 and computeTanaka under convention 'pycurious-1.1' (power 0.5) equal PyCurious to 1e-9", () => {
  it.each(cases.map((c) => [c.grid, c]))('%s', (_, c) => {
    const grid = referenceGrid('pycurious-1.1');
    const window = c.grid === 'whole' ? grid.data : grid.subgrid(200e3, 152500, 152500);
    const { k, Phi, sigmaPhi } = grid.radialSpectrum(window, {
      taper: 'hanning',
      power: 0.5,
      convention: 'pycurious-1.1',
    });
    const fit = tanaka1999(k, Phi, sigmaPhi, c.kmin_range, c.kmax_range, { convention: 'pycurious-1.1' });
    for (const key of ['Ztr', 'btr', 'dZtr', 'Zor', 'bor', 'dZor'] as const)
      expect(Math.abs(fit[key] - c[key]) / Math.abs(c[key])).toBeLessThan(1e-9);
    const { Zb, eZb } = computeTanaka(fit.Ztr, fit.dZtr, fit.Zor, fit.dZor);
    expect(Math.abs(Zb - c.Zb) / c.Zb).toBeLessThan(1e-9);
    expect(Math.abs(eZb - c.eZb) / c.eZb).toBeLessThan(1e-9);
  });

  it("PyCurious's own check: the whole grid gives Zb within 2 km of 10 km", () => {
    const grid = referenceGrid('pycurious-1.1');
    const { k, Phi, sigmaPhi } = grid.radialSpectrum(grid.data, { power: 0.5, convention: 'pycurious-1.1' });
    const fit = tanaka1999(k, Phi, sigmaPhi, [0.005, 0.03], [0.03, 0.7], { convention: 'pycurious-1.1' });
    expect(Math.abs(computeTanaka(fit.Ztr, fit.dZtr, fit.Zor, fit.dZor).Zb - 10)).toBeLessThan(2);
  });

  const centre = () => {
    const c = cases.find((e) => e.grid === '200km_centre');
    const optimiser = referenceOptimiser();
    return { c, optimiser, ranges: { kminRange: c.kmin_range, kmaxRange: c.kmax_range } };
  };

  it("the map's Tanaka (parallelise) gives the centre-window figures (power 0.5 and n − 1 under 'pycurious-1.1')", async () => {
    const { c, optimiser, ranges } = centre();
    const [result] = (await optimiser.parallelise('tanaka', 200e3, [152500], [152500], {
      workers: 0,
      ...ranges,
    })) as Array<{ Zb: number; Ztr: number }>;
    expect(Math.abs(result.Zb - c.Zb) / c.Zb).toBeLessThan(1e-9);
    expect(Math.abs(result.Ztr - c.Ztr) / Math.abs(c.Ztr)).toBeLessThan(1e-9);
  });

  it("CurieOptimiser.tanaka gives the centre-window figures (power 0.5 by default under 'pycurious-1.1')", () => {
    const { c, optimiser, ranges } = centre();
    const result = optimiser.tanaka(200e3, 152500, 152500, ranges);
    expect(Math.abs(result.Zb - c.Zb) / c.Zb).toBeLessThan(1e-9);
    expect(Math.abs(result.Ztr - c.Ztr) / Math.abs(c.Ztr)).toBeLessThan(1e-9);
  });
});
