/**
 * Tapers (window functions) applied before a Fourier transform, as numpy/scipy define them.
 */
import { CurieError } from '../errors.js';

/** A user taper: given a length n, the n weights (a Float64Array or any array of numbers). */
export type TaperFunction = (n: number) => ArrayLike<number>;

/**
 * A taper by name or definition: `'hanning'` (numpy's `hanning`, PyCurious's default), `'hamming'`,
 * `'none'` (all ones, PyCurious's `taper=None`), `{ tukey: alpha }` (scipy's `windows.tukey`),
 * `{ weights }` (exactly n weights) or a function `(n) => weights`.
 */
export type Taper = 'hanning' | 'hamming' | 'none' | { tukey: number } | { weights: ArrayLike<number> } | TaperFunction;

/** Weights `a − b·cos(2πj/(n−1))` (numpy's generalised cosine windows; one sample → 1). */
function cosineWindow(n: number, a: number, b: number): Float64Array {
  const w = new Float64Array(n);
  if (n === 1) {
    w[0] = 1;
    return w;
  }
  for (let j = 0; j < n; j++) w[j] = a - b * Math.cos((2 * Math.PI * j) / (n - 1));
  return w;
}

/**
 * scipy's `windows.tukey(n, alpha)`: cosine lobes over ⌊α(n−1)/2⌋ + 1 samples at each end, ones between;
 * α ≤ 0 is no taper, α ≥ 1 is the Hann window.
 */
function tukeyWindow(n: number, alpha: number): Float64Array {
  if (alpha <= 0) return new Float64Array(n).fill(1);
  if (alpha >= 1) return cosineWindow(n, 0.5, 0.5);
  const w = new Float64Array(n).fill(1);
  if (n === 1) return w;
  const width = Math.floor((alpha * (n - 1)) / 2);
  for (let j = 0; j <= width; j++) w[j] = 0.5 * (1 + Math.cos(Math.PI * (-1 + (2 * j) / alpha / (n - 1))));
  for (let j = n - width - 1; j < n; j++) w[j] = 0.5 * (1 + Math.cos(Math.PI * (-2 / alpha + 1 + (2 * j) / alpha / (n - 1))));
  return w;
}

/** Describe a taper for error messages. */
function describe(taper: unknown): string {
  if (typeof taper === 'function') return 'taper function';
  try {
    return JSON.stringify(taper) ?? String(taper);
  } catch {
    return String(taper);
  }
}

/** A copy of user weights, checked: exactly n finite numbers. */
function checkedWeights(given: ArrayLike<number> | undefined, n: number, what: string): Float64Array {
  const list = Array.from(given ?? []);
  if (list.length !== n) throw new CurieError('E_ARGUMENT', `${what} ${list.length} weights for n = ${n}; a window of n nodes needs exactly n`);
  if (!list.every((w) => typeof w === 'number' && Number.isFinite(w))) throw new CurieError('E_ARGUMENT', `${what} a weight that is not a finite number for n = ${n}`);
  return Float64Array.from(list);
}

/**
 * The n weights of a taper. Throws `E_ARGUMENT` for an unknown name, a non-finite Tukey α, or a user
 * function that returns the wrong length or non-finite weights.
 */
export function taperWeights(taper: Taper, n: number): Float64Array {
  if (taper === 'hanning') return cosineWindow(n, 0.5, 0.5);
  if (taper === 'hamming') return cosineWindow(n, 0.54, 0.46);
  if (taper === 'none') return new Float64Array(n).fill(1);
  if (typeof taper === 'function') return checkedWeights(taper(n), n, 'taper function returned');
  if (taper !== null && typeof taper === 'object' && 'weights' in taper) return checkedWeights(taper.weights, n, 'taper weights have');
  if (taper !== null && typeof taper === 'object' && 'tukey' in taper) {
    if (!Number.isFinite(taper.tukey)) throw new CurieError('E_ARGUMENT', `Tukey taper alpha ${taper.tukey} must be a finite number in [0, 1]`);
    return tukeyWindow(n, taper.tukey);
  }
  throw new CurieError('E_ARGUMENT', `unknown taper ${describe(taper)}: use 'hanning', 'hamming', 'none', { tukey: alpha }, { weights } or (n) => weights`);
}

const taperCache = new Map<string, Float64Array>();

/**
 * {@link taperWeights}, cached for the named tapers and Tukey windows, which every window of a map
 * asks for again; a user function is called every time and user weights are copied. The array
 * returned for a named taper is shared: read it, never write it.
 */
export function cachedTaper(taper: Taper, n: number): Float64Array {
  if (typeof taper === 'function' || (typeof taper === 'object' && 'weights' in taper)) return taperWeights(taper, n);
  const key = `${JSON.stringify(taper)}:${n}`;
  let weights = taperCache.get(key);
  if (!weights) {
    weights = taperWeights(taper, n);
    taperCache.set(key, weights);
  }
  return weights;
}
