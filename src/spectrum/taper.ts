/**
 * Tapers (window functions) applied before a Fourier transform, as numpy/scipy define them.
 */
import { CurieError } from '../errors.js';

/** A user taper: given a length n, the n weights (a Float64Array or any array of numbers). */
export type TaperFunction = (n: number) => ArrayLike<number>;

/**
 * A taper by name or definition: `'hanning'` (numpy's `hanning`, PyCurious's default), `'hamming'`,
 * `'none'` (all ones, PyCurious's `taper=None`), `{ tukey: alpha }` (scipy's `windows.tukey`),
 * `{ weights }` (exactly n weights), a function `(n) => weights`, or `{ multitaper: K }`: the K × K
 * products of Riedel & Sidorenko's (1995) sine tapers, whose periodograms are averaged (see
 * `taperSet`). A single taper leaves about a quarter of a window's Fourier cells independent (Hann:
 * a 2-D variance inflation of 3.8, on a log spectrum that scatters by π²/6); K = 2 cuts the error
 * of a Curie depth by 30–40 % at four transforms a window.
 */
export type Taper =
  | 'hanning'
  | 'hamming'
  | 'none'
  | { tukey: number }
  | { weights: ArrayLike<number> }
  | TaperFunction
  | { multitaper: number };

/** Most sine tapers a side: K × K transforms a window, and a spectral window K + 1 bins wide. */
export const MAX_MULTITAPER = 4;

/** Whether a taper is a multitaper set (more than one transform a window). */
export function isMultitaper(taper: Taper): taper is { multitaper: number } {
  return taper !== null && typeof taper === 'object' && 'multitaper' in taper;
}

/**
 * K orthonormal tapers `sin(πp·x)·sin(πx)`, x = (j+1)/(n+1), p = 1 … K (Gram–Schmidt in order):
 * the first is the Hann window, and each goes to zero at the ends with zero slope, so their
 * spectral windows fall off as f⁻⁶ as Hann's does (plain sine tapers, f⁻⁴, leak enough power from
 * the steep low wavenumbers to flatten the highest bins: a 2 km top read as 1.5 km).
 */
function hannSineTapers(n: number, K: number): Float64Array[] {
  const tapers: Float64Array[] = [];
  for (let p = 1; p <= K; p++) {
    const taper = Float64Array.from(
      { length: n },
      (_, j) => Math.sin((Math.PI * p * (j + 1)) / (n + 1)) * Math.sin((Math.PI * (j + 1)) / (n + 1)),
    );
    for (const previous of tapers) {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += taper[j] * previous[j];
      for (let j = 0; j < n; j++) taper[j] -= dot * previous[j];
    }
    let norm = 0;
    for (let j = 0; j < n; j++) norm += taper[j] * taper[j];
    norm = Math.sqrt(norm);
    for (let j = 0; j < n; j++) taper[j] /= norm;
    tapers.push(taper);
  }
  return tapers;
}

/**
 * The 1-D tapers of a taper: one vector of n weights, or K sine tapers for `{ multitaper: K }`,
 * whose 2-D products t_p(row)·t_q(column), p, q = 1 … K, are the window's K² tapers.
 * @throws CurieError `E_ARGUMENT` as {@link taperWeights}, or for K not an integer in 1 … 4
 */
export function taperSet(taper: Taper, n: number): Float64Array[] {
  if (!isMultitaper(taper)) return [taperWeights(taper, n)];
  const K = taper.multitaper;
  if (!Number.isInteger(K) || K < 1 || K > MAX_MULTITAPER)
    throw new CurieError(
      'E_ARGUMENT',
      `multitaper ${String(K)} must be a whole number of sine tapers a side from 1 to ${MAX_MULTITAPER} (2 is the usual choice)`,
    );
  return hannSineTapers(n, K);
}

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
  for (let j = n - width - 1; j < n; j++)
    w[j] = 0.5 * (1 + Math.cos(Math.PI * (-2 / alpha + 1 + (2 * j) / alpha / (n - 1))));
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
  if (list.length !== n)
    throw new CurieError(
      'E_ARGUMENT',
      `${what} ${list.length} weights for n = ${n}; a window of n nodes needs exactly n`,
    );
  if (!list.every((w) => typeof w === 'number' && Number.isFinite(w)))
    throw new CurieError('E_ARGUMENT', `${what} a weight that is not a finite number for n = ${n}`);
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
  if (taper !== null && typeof taper === 'object' && 'weights' in taper)
    return checkedWeights(taper.weights, n, 'taper weights have');
  if (taper !== null && typeof taper === 'object' && 'tukey' in taper) {
    if (!Number.isFinite(taper.tukey))
      throw new CurieError('E_ARGUMENT', `Tukey taper alpha ${taper.tukey} must be a finite number in [0, 1]`);
    return tukeyWindow(n, taper.tukey);
  }
  if (isMultitaper(taper))
    throw new CurieError(
      'E_ARGUMENT',
      `taper ${describe(taper)} is a set of tapers, not one: this spectrum takes a single taper ('hanning', 'hamming', 'none', { tukey: alpha }, { weights })`,
    );
  throw new CurieError(
    'E_ARGUMENT',
    `unknown taper ${describe(taper)}: use 'hanning', 'hamming', 'none', { tukey: alpha }, { multitaper: K }, { weights } or (n) => weights`,
  );
}

const taperSetCache = new Map<string, Float64Array[]>();

/**
 * The 1-D tapers of a taper ({@link taperSet}), cached for the named tapers, Tukey windows and
 * multitapers, which every window of a map asks for again; a user function is called every time
 * and user weights are copied. Arrays returned for a named taper are shared: read them, never write.
 */
export function cachedTaperSet(taper: Taper, n: number): Float64Array[] {
  if (typeof taper === 'function' || (typeof taper === 'object' && 'weights' in taper)) return taperSet(taper, n);
  const key = `${JSON.stringify(taper)}:${n}`;
  let set = taperSetCache.get(key);
  if (!set) {
    set = taperSet(taper, n);
    taperSetCache.set(key, set);
  }
  return set;
}

/** {@link taperWeights}, cached as {@link cachedTaperSet} (a multitaper set is refused, as there). */
export function cachedTaper(taper: Taper, n: number): Float64Array {
  return isMultitaper(taper) ? taperWeights(taper, n) : cachedTaperSet(taper, n)[0];
}
