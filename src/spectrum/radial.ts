/**
 * Radially averaged power spectrum of a square window (PyCurious's `radial_spectrum`).
 */
import type { NdArray } from 'ndarray';
import { CurieError, fmt } from '../errors.js';
import { arangeLength } from '../grid/sequences.js';
import { rfft2dHalf } from './fft.js';
import { type Taper, taperWeights } from './taper.js';
import { readWindow, squareSide } from './window-data.js';

/** Options of {@link radialSpectrum}. */
export interface RadialSpectrumOptions {
  /** Taper applied to rows and columns before the FFT; default `'hanning'` (PyCurious's default). */
  taper?: Taper;
  /** Exponent applied to |FFT|: 2 for Bouligand et al. (2009) (default), 0.5 for Tanaka et al. (1999). */
  power?: number;
}

/** A radial spectrum: one entry per wavenumber bin. */
export interface RadialSpectrum {
  /** Mean wavenumber of each bin, rad/km. */
  k: Float64Array;
  /** Mean of `power · ln|FFT|` over each bin. */
  Phi: Float64Array;
  /** Population standard deviation of `power · ln|FFT|` over each bin. */
  sigmaPhi: Float64Array;
}

/**
 * Wavenumber step of an n-sample window, rad/km: `2π / (n − 1) / (dx/1000)`. The n − 1 (rather than
 * n) is PyCurious's convention, kept so that spectra and fitted depths agree with it.
 */
export function wavenumberStep(n: number, dx: number): number {
  return (2 * Math.PI) / (n - 1) / (dx * 0.001);
}

/**
 * Number of radial bin edges, as numpy's `arange(dk, dk·n/2, dk)` counts them in floating point
 * (for odd n this is (n−1)/2; for some even n one more than n/2 − 1).
 */
export function binEdgeCount(n: number, dk: number): number {
  return arangeLength(dk, (dk * n) / 2, dk);
}

/**
 * Which FFT samples fall in each radial bin, for one window size: a pure function of n, cached.
 * Bin i holds the samples with `(i+1)² ≤ a² + b² ≤ (i+2)²`, a and b being the offsets from the centre
 * index ⌊(n−1)/2⌋ of the shifted spectrum. Deciding on integers makes edge samples (integer radii)
 * belong to both neighbouring bins, whatever the maths library's `hypot` rounds to.
 */
interface BinLayout {
  nbins: number;
  /** Members of bin i are `members[start[i]] … members[start[i+1] − 1]`. */
  start: Int32Array;
  /** Index of each member in the half-spectrum `rows × (⌊n/2⌋+1)` (conjugate symmetry folded in). */
  members: Int32Array;
  /** Mean of √(a² + b²) over each bin: the bin's mean wavenumber in units of dk. */
  meanRadius: Float64Array;
  /** Distinct half-spectrum indices used by any bin, so ln|F| is computed once per sample. */
  used: Int32Array;
}

const layouts = new Map<string, BinLayout>();

function binLayout(n: number, nbins: number): BinLayout {
  const key = `${n}:${nbins}`;
  const cached = layouts.get(key);
  if (cached) return cached;
  const half = (n >> 1) + 1;
  const centre = (n - 1) >> 1; // PyCurious's i0: radii are measured from here
  const shift = n >> 1; // numpy's fftshift puts frequency 0 at index ⌊n/2⌋
  const perBin: number[][] = Array.from({ length: nbins }, () => []);
  const radiusSum = new Float64Array(nbins);
  const usedMask = new Uint8Array(n * half);
  for (let p = 0; p < n; p++) {
    const a = p - centre;
    for (let q = 0; q < n; q++) {
      const b = q - centre;
      const r2 = a * a + b * b;
      let s = Math.floor(Math.sqrt(r2));
      while (s * s > r2) s--;
      while ((s + 1) * (s + 1) <= r2) s++;
      // s² ≤ r2 < (s+1)² puts the sample in bin s − 1; an exact square is also the upper edge of bin s − 2.
      const first = s * s === r2 ? s - 2 : s - 1;
      if (first >= nbins || s - 1 < 0) continue;
      // Unshifted frequency indices, folded into the stored half by F[u][v] = conj F[−u][−v].
      let u = (p - shift + n) % n;
      let v = (q - shift + n) % n;
      if (v >= half) {
        u = (n - u) % n;
        v = n - v;
      }
      const index = u * half + v;
      for (let bin = Math.max(first, 0); bin <= s - 1 && bin < nbins; bin++) {
        perBin[bin].push(index);
        radiusSum[bin] += Math.sqrt(r2);
      }
      usedMask[index] = 1;
    }
  }
  const start = new Int32Array(nbins + 1);
  for (let i = 0; i < nbins; i++) start[i + 1] = start[i] + perBin[i].length;
  const members = new Int32Array(start[nbins]);
  const meanRadius = new Float64Array(nbins);
  for (let i = 0; i < nbins; i++) {
    members.set(perBin[i], start[i]);
    meanRadius[i] = radiusSum[i] / perBin[i].length;
  }
  const used: number[] = [];
  for (let i = 0; i < usedMask.length; i++) if (usedMask[i]) used.push(i);
  const layout = { nbins, start, members, meanRadius, used: Int32Array.from(used) };
  layouts.set(key, layout);
  return layout;
}

const taperCache = new Map<string, Float64Array>();

/** Taper weights, cached for the named tapers (a user function is called every time). */
export function cachedTaper(taper: Taper, n: number): Float64Array {
  if (typeof taper === 'function') return taperWeights(taper, n);
  const key = `${JSON.stringify(taper)}:${n}`;
  let weights = taperCache.get(key);
  if (!weights) {
    weights = taperWeights(taper, n);
    taperCache.set(key, weights);
  }
  return weights;
}

/**
 * Radial power spectrum of a square window: the window is tapered, Fourier transformed at its exact
 * size (no zero padding), and `power · ln|F|` averaged over rings of width dk around zero frequency.
 *
 * @param data square window `[n, n]` (any strides), e.g. from `subgrid`; must be free of NaN
 * @param dx node spacing, metres
 * @returns `k` in rad/km, `Phi` and `sigmaPhi` per bin (`(n − 1)/2 − 1` bins for odd n)
 * @throws CurieError `E_ARGUMENT` (not square, too small, bad option), `E_NAN` (gaps in the window)
 */
export function radialSpectrum(data: NdArray, dx: number, options: RadialSpectrumOptions = {}): RadialSpectrum {
  const { taper = 'hanning', power = 2 } = options;
  const n = squareSide(data, 'radialSpectrum');
  if (!(dx > 0) || !Number.isFinite(dx)) throw new CurieError('E_ARGUMENT', `node spacing dx = ${dx} must be a positive number of metres`);
  if (!Number.isFinite(power)) throw new CurieError('E_ARGUMENT', `power ${power} must be a finite number (2 for Bouligand, 0.5 for Tanaka)`);
  const dk = wavenumberStep(n, dx);
  const nbins = binEdgeCount(n, dk) - 1;
  if (nbins < 1) throw new CurieError('E_ARGUMENT', `a ${n} × ${n} window is too small for a radial spectrum; use at least 5 × 5 samples`);
  const weights = cachedTaper(taper, n);
  const values = readWindow(data, { rows: weights, cols: weights }, 'radialSpectrum window', scratchWindow(n));
  const spectrum = rfft2dHalf(values, n, n, scratchSpectrum(n));
  const layout = binLayout(n, nbins);

  // power·ln|F| for each sample any bin uses, computed once (edge samples serve two bins):
  // first |F|² (and the peak, zero frequency included), then the logs.
  const logAmplitude = scratchLog(spectrum.length >> 1);
  const used = layout.used;
  let peak = spectrum[0] * spectrum[0] + spectrum[1] * spectrum[1];
  for (let u = 0; u < used.length; u++) {
    const index = used[u];
    const re = spectrum[2 * index], im = spectrum[2 * index + 1];
    const squared = re * re + im * im;
    logAmplitude[index] = squared;
    if (squared > peak) peak = squared;
  }
  // Amplitudes below 1e-14 of the peak are FFT rounding noise, not signal: their log is meaningless.
  const noiseFloor = peak * 1e-28;
  const halfPower = 0.5 * power;
  let zeros = 0;
  for (let u = 0; u < used.length; u++) {
    const index = used[u];
    const squared = logAmplitude[index];
    if (squared <= noiseFloor) zeros++;
    logAmplitude[index] = halfPower * Math.log(squared);
  }
  if (zeros > 0)
    throw new CurieError('E_ARGUMENT', `the ${n} × ${n} window has ${zeros} zero Fourier amplitudes (below 1e-14 of the peak), so its log spectrum is undefined; is the window constant?`);

  const k = new Float64Array(nbins), Phi = new Float64Array(nbins), sigmaPhi = new Float64Array(nbins);
  const { start, members, meanRadius } = layout;
  for (let bin = 0; bin < nbins; bin++) {
    const from = start[bin], to = start[bin + 1];
    let sum = 0;
    for (let j = from; j < to; j++) sum += logAmplitude[members[j]];
    const mean = sum / (to - from);
    let squares = 0;
    for (let j = from; j < to; j++) {
      const d = logAmplitude[members[j]] - mean;
      squares += d * d;
    }
    Phi[bin] = mean;
    sigmaPhi[bin] = Math.sqrt(squares / (to - from));
    k[bin] = meanRadius[bin] * dk;
  }
  if (!Phi.every(Number.isFinite)) throw new CurieError('E_ARGUMENT', `the radial spectrum of the ${n} × ${n} window (dx ${fmt(dx)} m) is not finite; check the data's magnitude`);
  return { k, Phi, sigmaPhi };
}

let spectrumBuffer = new Float64Array(0);
function scratchSpectrum(n: number): Float64Array {
  const size = 2 * n * ((n >> 1) + 1);
  if (spectrumBuffer.length !== size) spectrumBuffer = new Float64Array(size);
  return spectrumBuffer;
}

let windowBuffer = new Float64Array(0);
function scratchWindow(n: number): Float64Array {
  if (windowBuffer.length !== n * n) windowBuffer = new Float64Array(n * n);
  return windowBuffer;
}

let logBuffer = new Float64Array(0);
function scratchLog(size: number): Float64Array {
  if (logBuffer.length < size) logBuffer = new Float64Array(size);
  return logBuffer;
}
