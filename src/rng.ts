/**
 * A seeded random source: the same seed gives the same numbers on any machine and in any worker
 * thread (integer arithmetic only, plus V8's fdlibm-based `Math.log`, and `Math.sqrt`, which is exact).
 */
import { CurieError, describeValue } from './errors.js';

/** Check a seed: any finite number (`E_ARGUMENT` otherwise). */
export function checkSeed(seed: unknown): void {
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw new CurieError('E_ARGUMENT', `seed ${describeValue(seed)} must be a finite number`);
}

/** Uniform and standard-normal draws from one seeded stream. */
export interface RandomSource {
  /** A uniform draw in [0, 1), 53 random bits. */
  uniform(): number;
  /** A standard normal draw (mean 0, sd 1). */
  normal(): number;
}

/** splitmix32-style finaliser: spreads the bits of a 32-bit integer. */
function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A 32-bit seed from any numbers (e.g. a user seed and a window's centre coordinates), by hashing
 * their IEEE-754 bits: equal inputs give equal seeds, whatever their position in a list.
 */
export function deriveSeed(...values: number[]): number {
  const view = new DataView(new ArrayBuffer(8));
  let h = 0x9e3779b9;
  for (const value of values) {
    view.setFloat64(0, value === 0 ? 0 : value); // −0 and 0 are the same centre
    h = mix32(h ^ view.getUint32(0));
    h = mix32(h ^ view.getUint32(4));
  }
  return h;
}

/**
 * The xoshiro128** generator (Blackman & Vigna 2018) from a 128-bit state (not all zero): each
 * call returns the next 32-bit output as an unsigned integer.
 */
export function xoshiro128ss(state: [number, number, number, number]): () => number {
  let [s0, s1, s2, s3] = state.map((v) => v >>> 0);
  return () => {
    const times5 = Math.imul(s1, 5);
    const result = Math.imul((times5 << 7) | (times5 >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  };
}

/**
 * A seeded random source: xoshiro128** seeded through splitmix32-style mixing of the seed's bits;
 * uniforms of 53 bits; normals by Marsaglia's polar method.
 * @param seed any finite number; equal seeds give identical streams
 * @throws CurieError `E_ARGUMENT` for a non-finite seed
 */
export function createRng(seed: number): RandomSource {
  checkSeed(seed);
  let h = deriveSeed(seed);
  const state = [0, 0, 0, 0].map(() => (h = mix32((h + 0x9e3779b9) >>> 0))) as [number, number, number, number];
  if (state.every((v) => v === 0)) state[0] = 1;
  const next32 = xoshiro128ss(state);
  let spare: number | undefined;
  const uniform = (): number => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
  return {
    uniform,
    normal(): number {
      if (spare !== undefined) {
        const value = spare;
        spare = undefined;
        return value;
      }
      for (;;) {
        const u = 2 * uniform() - 1,
          v = 2 * uniform() - 1;
        const s = u * u + v * v;
        if (s > 0 && s < 1) {
          const factor = Math.sqrt((-2 * Math.log(s)) / s);
          spare = v * factor;
          return u * factor;
        }
      }
    },
  };
}
