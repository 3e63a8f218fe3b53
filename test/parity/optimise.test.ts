import { describe, expect, it } from 'vitest';
import { fitSpectrum } from '../../src/inversion/fit.js';
import { createObjective, misfit } from '../../src/inversion/objective.js';
import { normal } from '../../src/inversion/priors.js';
import { readReference, referenceGrid } from '../helpers/reference.js';

interface OptimiseCase { window: number; xc: number; yc: number; prior_beta: [number, number] | null; beta: number; zt: number; dz: number; C: number; misfit: number }
const cases = readReference<OptimiseCase[]>('pycurious/optimise.json');

describe('fitSpectrum reaches PyCurious misfit or lower', () => {
  it.each(cases.map((c) => [`${c.window / 1000} km, prior ${JSON.stringify(c.prior_beta)}`, c] as const))('%s', (_, c) => {
    const grid = referenceGrid();
    const spectrum = grid.radialSpectrum(grid.subgrid(c.window, c.xc, c.yc));
    const priors = [c.prior_beta ? normal(...c.prior_beta) : undefined, undefined, undefined, undefined];
    const objective = createObjective(spectrum, priors);
    // The fixture's misfit reproduces from its parameters on our spectrum.
    expect(Math.abs(misfit(objective, [c.beta, c.zt, c.dz, c.C]) - c.misfit)).toBeLessThan(1e-12 * Math.max(1, c.misfit) + 1e-12);
    const fit = fitSpectrum(objective, [3, 1, 10, 5]);
    expect(fit.misfit).toBeLessThanOrEqual(c.misfit * (1 + 1e-6) + 1e-9);
    expect(fit.converged).toBe(true);
  });
});
