import { describe, expect, it } from 'vitest';
import { readReference, referenceOptimiser } from '../helpers/reference.js';

const optimum = readReference<any[]>('pycurious/optimise.json').find(
  (c) => c.window === 200000 && c.prior_beta === null,
);

describe("metropolisHastings under convention 'pycurious-1.1' on the 200 km centre window", () => {
  const optimiser = referenceOptimiser();

  it.each([1, 2, 3])("seed %i: every 5–95 %% range holds PyCurious's optimum", (seed) => {
    const chain = optimiser.metropolisHastings(200e3, 152500, 152500, 5000, 1000, { xScale: [0.1, 0.1, 1, 0.5], seed });
    expect(chain.beta.length).toBe(5000);
    const expected = {
      beta: optimum.beta,
      zt: optimum.zt,
      dz: optimum.dz,
      C: optimum.C,
      curieDepth: optimum.zt + optimum.dz,
    };
    for (const [name, value] of Object.entries(expected)) {
      const s = chain.summary[name as keyof typeof expected];
      expect(value, `${name}: ${s.q05}…${s.q95}`).toBeGreaterThanOrEqual(s.q05);
      expect(value, `${name}: ${s.q05}…${s.q95}`).toBeLessThanOrEqual(s.q95);
    }
    // Proposals outside the bounds are rejected: no sample leaves them.
    expect(Math.min(...chain.beta, ...chain.zt, ...chain.dz)).toBeGreaterThanOrEqual(0);
  });
});
