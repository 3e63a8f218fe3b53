import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { besselK, besselKScaled, gamma, lnGamma } from '../../src/models/special.js';

interface SpecialFunctions {
  besselK: { nu: number; x: number; kv: number; kve: number }[];
  gamma: { x: number; gamma: number; lgamma: number }[];
}

const reference = JSON.parse(
  readFileSync(path.resolve(process.cwd(), '../shared/reference/special_functions.json'), 'utf8'),
) as SpecialFunctions;

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('special functions equal scipy 1.10 (special_functions.json)', () => {
  it('besselKScaled = kve everywhere, besselK = kv where scipy has not underflowed to 0', () => {
    expect(reference.besselK.length).toBeGreaterThan(700);
    let worstScaled = 0,
      worst = 0,
      compared = 0;
    for (const { nu, x, kv, kve } of reference.besselK) {
      worstScaled = Math.max(worstScaled, relative(besselKScaled(nu, x), kve));
      if (kv > 0) {
        worst = Math.max(worst, relative(besselK(nu, x), kv));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(700);
    expect(worstScaled).toBeLessThan(1e-12);
    expect(worst).toBeLessThan(1e-12);
  });

  it('gamma and lnGamma = gamma and gammaln', () => {
    let worstGamma = 0,
      worstLn = 0;
    for (const e of reference.gamma) {
      worstGamma = Math.max(worstGamma, relative(gamma(e.x), e.gamma));
      worstLn = Math.max(worstLn, relative(lnGamma(e.x), e.lgamma));
    }
    expect(worstGamma).toBeLessThan(1e-12);
    expect(worstLn).toBeLessThan(1e-12);
  });
});
