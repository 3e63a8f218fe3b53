import { describe, expect, it } from 'vitest';
import { MIN_NORMAL, fastLog, gatheredScaledLog, scaledLog } from '../../src/spectrum/fast-log.js';
import { seededRandom } from '../helpers/random.js';

/** |fast − Math.log| / max(1, |Math.log|): absolute near 1, relative elsewhere. */
function error(fast: number, x: number): number {
  const exact = Math.log(x);
  return Math.abs(fast - exact) / Math.max(1, Math.abs(exact));
}

function samples(): Float64Array {
  const rnd = seededRandom(20);
  const xs: number[] = [];
  // Every exponent, random mantissas; log-uniform over the normal range; near 1, 2 and the table's
  // interval edges; integers and powers of two.
  for (let e = -1022; e <= 1023; e++) for (let j = 0; j < 20; j++) xs.push((1 + rnd()) * 2 ** e);
  for (let j = 0; j < 100_000; j++) xs.push(Math.exp((rnd() - 0.5) * 1400));
  for (let j = 0; j < 50_000; j++) xs.push(1 + (rnd() - 0.5) * 2 ** -(1 + Math.floor(rnd() * 50)));
  for (let j = 0; j < 20_000; j++) xs.push(2 - rnd() * 2 ** -(1 + Math.floor(rnd() * 50)));
  for (let i = 0; i <= 256; i++) for (const d of [-1e-15, 0, 1e-15]) xs.push(1 + i / 256 + d, 1 + (i + 0.5) / 256 + d);
  for (let i = 1; i < 5000; i++) xs.push(i, 2 ** ((i % 2000) - 1000));
  xs.push(MIN_NORMAL, Number.MAX_VALUE, 1, 2, 0.5, Math.E, 10);
  return Float64Array.from(xs.filter((x) => x >= MIN_NORMAL && x <= Number.MAX_VALUE));
}

describe('fastLog and scaledLog equal Math.log to 4e-16·max(1, |ln x|)', () => {
  const xs = samples();

  it('fastLog over random and edge normal values', () => {
    let worst = 0;
    for (const x of xs) worst = Math.max(worst, error(fastLog(x), x));
    expect(worst).toBeLessThanOrEqual(4e-16);
  });

  it('scaledLog, with and without the all-normal promise, and its scale', () => {
    for (const allNormal of [false, true]) {
      const out = new Float64Array(xs.length);
      scaledLog(xs, out, xs.length, 1, allNormal);
      let worst = 0;
      for (let j = 0; j < xs.length; j++) worst = Math.max(worst, error(out[j], xs[j]));
      expect(worst).toBeLessThanOrEqual(4e-16);
      scaledLog(xs, out, xs.length, 0.5, allNormal);
      for (let j = 0; j < xs.length; j += 97)
        expect(Math.abs(out[j] - 0.5 * fastLog(xs[j]))).toBeLessThanOrEqual(1e-16 * Math.max(1, Math.abs(out[j])));
    }
  });

  it('hands zero, negatives, subnormals, infinities and NaN to Math.log', () => {
    const specials = [0, -0, 5e-324, 1e-310, MIN_NORMAL / 2, Infinity, -Infinity, -1, -MIN_NORMAL, NaN];
    for (const x of specials) expect(fastLog(x)).toBe(Math.log(x));
    // Mixed with normal values, in the general mode: specials exact, the rest accurate.
    const mixed = Float64Array.from([3, ...specials, 7.5, 1e-300]);
    const out = new Float64Array(mixed.length);
    scaledLog(mixed, out, mixed.length, 2);
    mixed.forEach((x, j) => {
      if (specials.includes(x) || Number.isNaN(x)) expect(out[j]).toBe(2 * Math.log(x));
      else expect(error(out[j] / 2, x)).toBeLessThanOrEqual(4e-16);
    });
  });

  it('only reads count values and leaves its input alone', () => {
    const x = Float64Array.from([2, 3, 4, 5]);
    const out = new Float64Array(4).fill(-1);
    scaledLog(x, out, 2, 1);
    expect(Array.from(x)).toEqual([2, 3, 4, 5]);
    expect(out[2]).toBe(-1);
    expect(Math.abs(out[1] - Math.log(3))).toBeLessThan(4e-16 * Math.log(3));
  });

  it('gatheredScaledLog: through an index, with the range of what it read', () => {
    const index = Int32Array.from({ length: 5000 }, (_, u) => (u * 7919) % xs.length);
    const out = new Float64Array(index.length);
    const range = new Float64Array(2);
    gatheredScaledLog(xs, index, out, index.length, 2, range);
    let worst = 0,
      least = Infinity,
      most = -Infinity;
    index.forEach((j, u) => {
      worst = Math.max(worst, error(out[u] / 2, xs[j]));
      least = Math.min(least, xs[j]);
      most = Math.max(most, xs[j]);
    });
    expect(worst).toBeLessThanOrEqual(4e-16);
    expect(Array.from(range)).toEqual([least, most]);
  });
});
