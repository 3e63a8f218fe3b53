import { describe, expect, it } from 'vitest';
import { readReference, referenceOptimiser } from '../helpers/reference.js';

const map = readReference('pycurious/optimise_routine.json');

describe("optimise under convention 'pycurious-1.1' over the reference map (121 windows of 200 km)", () => {
  it('reaches PyCurious misfit or lower on at least 98 % of windows, within the bounds', () => {
    const optimiser = referenceOptimiser();
    const worse: string[] = [];
    let better = 0;
    for (let i = 0; i < map.xc.length; i++) {
      const fit = optimiser.optimise(map.window, map.xc[i], map.yc[i]);
      expect(fit.beta).toBeGreaterThanOrEqual(0);
      expect(fit.zt).toBeGreaterThanOrEqual(0);
      expect(fit.dz).toBeGreaterThanOrEqual(0);
      if (fit.misfit > map.misfit[i] * (1 + 1e-6) + 1e-9) worse.push(`window ${i}: ${fit.misfit} > ${map.misfit[i]}`);
      if (fit.misfit < map.misfit[i] - 1e-6) better++;
    }
    console.log(`worse: ${worse.length} ${worse.join('; ')}; clearly better (by > 1e-6): ${better}`);
    expect(worse.length).toBeLessThanOrEqual(Math.floor(0.02 * map.xc.length));
  });
});
