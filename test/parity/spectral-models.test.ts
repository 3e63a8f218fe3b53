import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bouligand2009, maus1995 } from '../../src/models/bouligand.js';

interface ModelCase {
  beta: number;
  zt: number;
  dz: number;
  C: number;
  kh: number[];
  bouligand2009: number[];
  maus1995: number[];
}

const cases = JSON.parse(
  readFileSync(path.resolve(process.cwd(), '../shared/reference/pycurious/spectral_models.json'), 'utf8'),
) as ModelCase[];

function maxAbsoluteDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('spectral models equal PyCurious (spectral_models.json)', () => {
  it('has the five parameter sets', () => expect(cases).toHaveLength(5));

  it.each(cases.map((c) => [`β=${c.beta} z_t=${c.zt} Δz=${c.dz} C=${c.C}`, c] as const))('%s', (_, c) => {
    expect(maxAbsoluteDifference(bouligand2009(c.kh, c.beta, c.zt, c.dz, c.C), c.bouligand2009)).toBeLessThan(1e-10);
    expect(maxAbsoluteDifference(maus1995(c.beta, c.zt, c.kh, c.C), c.maus1995)).toBeLessThan(1e-10);
    c.kh.forEach((k, i) =>
      expect(Math.abs(bouligand2009(k, c.beta, c.zt, c.dz, c.C) - c.bouligand2009[i])).toBeLessThan(1e-10),
    );
  });
});
