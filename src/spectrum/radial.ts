/**
 * Radially averaged power spectrum of a square window (PyCurious's `radial_spectrum`), alone or for
 * many windows of a grid column at once (sharing their row transforms, same bits: window-fft.ts).
 * Per window (201 × 201): the tapered FFT, then |F|² of the ~16 000 samples the bins use, their
 * logs (fast-log.ts) and one pass of bin sums.
 */
import type { NdArray } from 'ndarray';
import { CurieError, describeValue, fmt } from '../errors.js';
import { arangeLength } from '../grid/sequences.js';
import { checkConvention, type Convention, defaultTaper } from './convention.js';
import { gatheredScaledLog, MIN_NORMAL, scaledLog } from './fast-log.js';
import { cachedTaperSet, type Taper } from './taper.js';
import { nanMessage, readWindow, shape2d, squareSide } from '../grid/window-data.js';
import { countNonFinite, rowParity, type StridedSource, taperedWindowSpectra } from './window-fft.js';

/** Options of {@link radialSpectrum}. */
export interface RadialSpectrumOptions {
  /**
   * Taper applied to rows and columns before the FFT; default the convention's (`defaultTaper`):
   * `{ multitaper: 2 }`, or `'hanning'` (PyCurious's default) under `'pycurious-1.1'`.
   */
  taper?: Taper;
  /** Exponent applied to |FFT|: 2 for Bouligand et al. (2009) (default), 1 for Tanaka et al. (1999) (0.5 in PyCurious 1.1). */
  power?: number;
  /** `'default'`: dk = 2π/(n·dx); `'pycurious-1.1'`: dk = 2π/((n−1)·dx), as PyCurious 1.1 (see convention.ts). */
  convention?: Convention;
}

/** A radial spectrum: one entry per wavenumber bin. */
export interface RadialSpectrum {
  /** Mean wavenumber of each bin, rad/km. */
  k: Float64Array;
  /** Mean of `power · ln|FFT|` over each bin. */
  Phi: Float64Array;
  /** Population standard deviation of `power · ln|FFT|` over each bin (PyCurious's `sigma_Phi`): the scatter of its cells. */
  sigmaPhi: Float64Array;
  /** Cells of the full (not folded) spectrum in each bin; half of them are Hermitian mirrors of the others. */
  count: Float64Array;
  /**
   * Standard error of each `Phi` as an estimate of the expected log spectrum: `sigmaPhi / √n_eff`,
   * n_eff = count / (2 · taper inflation) independent cells (Hermitian symmetry repeats half the
   * cells; a taper correlates neighbouring ones, see `taperInflation`), never below one cell.
   * The statistical weight of a bin in a fit (the default convention's likelihood).
   */
  sigmaMean: Float64Array;
}

/**
 * How much a taper inflates the variance of an average over neighbouring Fourier cells in 2-D,
 * `(n Σw⁴ / (Σw²)²)²`: 1 for no taper, (35/18)² ≈ 3.8 for Hann, ≈ 3.2 for Hamming. The number of
 * independent cells in a bin is its count of distinct cells divided by this (Welch 1967's
 * equivalent degrees of freedom of tapered spectral averages). For a set of K orthogonal tapers
 * whose periodograms are averaged, the same sum of squared correlations over all lags gives
 * `(K n Σ_j(Σ_p t_p(j)²)² / (Σ_j Σ_p t_p(j)²)²)²` (6.25 for 2 sine tapers a side): their cells
 * are more correlated, but each scatters far less (a mean of K² periodograms).
 */
export function taperInflation(tapers: Float64Array | readonly Float64Array[]): number {
  const set = tapers instanceof Float64Array ? [tapers] : tapers;
  const n = set[0].length;
  let total = 0,
    s4 = 0;
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (const taper of set) sum += taper[j] * taper[j];
    total += sum;
    s4 += sum * sum;
  }
  const oneD = total > 0 ? (set.length * n * s4) / (total * total) : 1;
  return oneD * oneD;
}

/**
 * Wavenumber step of an n-sample window, rad/km: the DFT's fundamental `2π / n / (dx/1000)`, or under
 * `'pycurious-1.1'` PyCurious's `2π / (n − 1) / (dx/1000)` (which makes every depth (n−1)/n too shallow).
 * @param n samples a side
 * @param dx node spacing, metres
 */
export function wavenumberStep(n: number, dx: number, convention: Convention = 'default'): number {
  return (2 * Math.PI) / (convention === 'pycurious-1.1' ? n - 1 : n) / (dx * 0.001);
}

/**
 * Number of radial bin edges, as numpy's `arange(dk, dk·n/2, dk)` counts them in floating point
 * (for odd n this is (n−1)/2; for some even n one more than n/2 − 1).
 */
export function binEdgeCount(n: number, dk: number): number {
  return arangeLength(dk, (dk * n) / 2, dk);
}

/**
 * Number of radial bins (points of the spectrum) of an n × n window: PyCurious's bins, counted
 * with its dk (the convention only scales their wavenumbers); about (n − 3)/2, 0 below 5 × 5.
 */
export function radialBinCount(n: number): number {
  return n < 3 ? 0 : Math.max(0, binEdgeCount(n, wavenumberStep(n, 1, 'pycurious-1.1')) - 1);
}

/**
 * Check the exponent of |FFT|: a positive finite number (2 for Bouligand's power spectrum, 1 for
 * Tanaka's amplitude spectrum). Zero flattens every spectrum to 0 and a negative power inverts it.
 * @throws CurieError `E_ARGUMENT` naming the value
 */
export function checkPower(power: unknown): void {
  if (typeof power !== 'number' || !Number.isFinite(power) || !(power > 0))
    throw new CurieError(
      'E_ARGUMENT',
      `power ${describeValue(power)} must be a positive number (2 for Bouligand's power spectrum, 1 for Tanaka's amplitude spectrum)`,
    );
}

/**
 * Which FFT samples fall in each radial bin, for one window size: a pure function of n, cached.
 * Bin i holds the samples with `(i+1)² ≤ a² + b² ≤ (i+2)²`, a and b being the offsets from the centre
 * index ⌊(n−1)/2⌋ of the shifted spectrum. Deciding on integers makes edge samples (integer radii)
 * belong to both neighbouring bins, whatever the maths library's `hypot` rounds to.
 *
 * The binning runs over the half-spectrum samples any bin uses (`used`), each counted once per
 * (sample, bin) with a weight: a stored sample stands for itself and, folded by conjugate symmetry,
 * for its mirror, which for odd n has the same radius (weight 2). `used` is sorted by each sample's
 * first bin, so that a bin's sums run over a contiguous range; the few further (sample, bin) pairs
 * (edge samples, and mirrors in another bin for even n) are listed apart.
 */
interface BinLayout {
  nbins: number;
  /** Number of samples of each bin (with repetitions: the full spectrum's count). */
  count: Float64Array;
  /** Mean of √(a² + b²) over each bin: the bin's mean wavenumber in units of dk. */
  meanRadius: Float64Array;
  /** Distinct half-spectrum indices used by any bin, by first bin, so ln|F| is computed once per sample. */
  used: Int32Array;
  /** Positions `start[b] … start[b+1] − 1` of `used` have b as their first bin. */
  start: Int32Array;
  /** Multiplicity of each used sample in its first bin. */
  weight: Float64Array;
  /** Further (sample, bin) pairs: position in `used`, bin, weight. */
  extraAt: Int32Array;
  extraBin: Int32Array;
  extraWeight: Float64Array;
}

const layouts = new Map<string, BinLayout>();

function binLayout(n: number, nbins: number): BinLayout {
  const key = `${n}:${nbins}`;
  const cached = layouts.get(key);
  if (cached) return cached;
  const bins = sampleBins(n, nbins);
  const order = orderByFirstBin(bins);
  const { weight, extraAt, extraBin, extraWeight } = splitWeights(bins, order);
  const meanRadius = new Float64Array(nbins);
  for (let i = 0; i < nbins; i++) meanRadius[i] = bins.radiusSum[i] / bins.count[i];
  const layout: BinLayout = {
    nbins,
    count: bins.count,
    meanRadius,
    used: order.used,
    start: order.start,
    weight,
    extraAt,
    extraBin,
    extraWeight,
  };
  layouts.set(key, layout);
  return layout;
}

/**
 * The bins of each stored half-spectrum sample: up to four (bin, multiplicity) slots per sample (a
 * sample and its mirror, each in one or two bins; for odd n both have the same bins), and the bins'
 * counts and sums of radii. Typed arrays and counting sorts: this runs once a thread.
 */
interface SampleBins {
  nbins: number;
  /** Stored samples, n × (⌊n/2⌋ + 1). */
  samples: number;
  /** Bin of slot `4·sample + i`, or −1 past the sample's last slot. */
  slotBin: Int32Array;
  /** Multiplicity of that (sample, bin) pair. */
  slotWeight: Float64Array;
  count: Float64Array;
  radiusSum: Float64Array;
}

/** The integer s with s² ≤ r2 < (s + 1)² (r2 a non-negative integer), whatever `Math.sqrt` rounds to. */
function integerSqrt(r2: number): number {
  let s = Math.floor(Math.sqrt(r2));
  while (s * s > r2) s--;
  while ((s + 1) * (s + 1) <= r2) s++;
  return s;
}

/**
 * Index in the stored half-spectrum (n rows of `half` samples) of the sample at (p, q) of numpy's
 * fftshifted n × n spectrum, folded into the stored half by F[u][v] = conj F[−u][−v].
 */
function storedIndex(p: number, q: number, n: number, half: number): number {
  const shift = n >> 1; // fftshift puts frequency 0 at index ⌊n/2⌋
  let u = (p - shift + n) % n;
  let v = (q - shift + n) % n;
  if (v >= half) {
    u = (n - u) % n;
    v = n - v;
  }
  return u * half + v;
}

function sampleBins(n: number, nbins: number): SampleBins {
  const half = (n >> 1) + 1;
  const centre = (n - 1) >> 1; // PyCurious's i0: radii are measured from here
  const samples = n * half;
  const slotBin = new Int32Array(4 * samples).fill(-1);
  const slotWeight = new Float64Array(4 * samples);
  const count = new Float64Array(nbins);
  const radiusSum = new Float64Array(nbins);
  for (let p = 0; p < n; p++) {
    const a = p - centre;
    for (let q = 0; q < n; q++) {
      const b = q - centre;
      const r2 = a * a + b * b;
      const s = integerSqrt(r2);
      // s² ≤ r2 < (s+1)² puts the sample in bin s − 1; an exact square is also the upper edge of bin s − 2.
      const first = s * s === r2 ? s - 2 : s - 1;
      if (first >= nbins || s - 1 < 0) continue;
      const index = storedIndex(p, q, n, half);
      for (let bin = Math.max(first, 0); bin <= s - 1 && bin < nbins; bin++) {
        let slot = 4 * index;
        while (slotBin[slot] !== bin && slotBin[slot] !== -1) slot++;
        slotBin[slot] = bin;
        slotWeight[slot]++;
        count[bin]++;
        radiusSum[bin] += Math.sqrt(r2);
      }
    }
  }
  return { nbins, samples, slotBin, slotWeight, count, radiusSum };
}

/** The used samples ordered by first (lowest) bin, then index: a bin's main sums run over a contiguous range. */
interface BinOrder {
  /** Lowest bin of each stored sample, −1 for samples no bin uses. */
  firstBin: Int32Array;
  /** Positions `start[b] … start[b+1] − 1` of `used` have b as their first bin. */
  start: Int32Array;
  /** Sample index at each position. */
  used: Int32Array;
  /** Position of each used sample in `used`. */
  position: Int32Array;
  /** (sample, bin) pairs beyond each sample's first. */
  extras: number;
}

function orderByFirstBin({ nbins, samples, slotBin }: SampleBins): BinOrder {
  const firstBin = new Int32Array(samples).fill(-1);
  const start = new Int32Array(nbins + 1);
  let extras = 0;
  for (let index = 0; index < samples; index++) {
    let lowest = -1;
    for (let slot = 4 * index; slot < 4 * index + 4 && slotBin[slot] >= 0; slot++) {
      if (lowest < 0 || slotBin[slot] < lowest) lowest = slotBin[slot];
      if (slot > 4 * index) extras++;
    }
    firstBin[index] = lowest;
    if (lowest >= 0) start[lowest + 1]++;
  }
  for (let b = 0; b < nbins; b++) start[b + 1] += start[b];
  const used = new Int32Array(start[nbins]);
  const position = new Int32Array(samples);
  const next = start.slice(0, nbins);
  for (let index = 0; index < samples; index++) {
    const b = firstBin[index];
    if (b < 0) continue;
    const u = next[b]++;
    used[u] = index;
    position[index] = u;
  }
  return { firstBin, start, used, position, extras };
}

/** Each used sample's multiplicity in its first bin, and the further (sample, bin) pairs apart. */
function splitWeights(
  { samples, slotBin, slotWeight }: SampleBins,
  { firstBin, used, position, extras }: BinOrder,
): Pick<BinLayout, 'weight' | 'extraAt' | 'extraBin' | 'extraWeight'> {
  const weight = new Float64Array(used.length);
  const extraAt = new Int32Array(extras),
    extraBin = new Int32Array(extras),
    extraWeight = new Float64Array(extras);
  for (let index = 0, x = 0; index < samples; index++)
    for (let slot = 4 * index; slot < 4 * index + 4 && slotBin[slot] >= 0; slot++) {
      if (slotBin[slot] === firstBin[index]) weight[position[index]] = slotWeight[slot];
      else {
        extraAt[x] = position[index];
        extraBin[x] = slotBin[slot];
        extraWeight[x++] = slotWeight[slot];
      }
    }
  return { weight, extraAt, extraBin, extraWeight };
}

/** The validated settings of a radial spectrum of n × n windows. */
interface SpectrumPlan {
  n: number;
  dx: number;
  dk: number;
  halfPower: number;
  layout: BinLayout;
  /** The tapers' variance inflation ({@link taperInflation}). */
  inflation: number;
  /** The window's 1-D tapers: one, or a multitaper's K (each window is transformed K² times). */
  tapers: Float64Array[];
  /** Per bin: 1/√n_eff, the factor from sigmaPhi to sigmaMean. */
  meanErrorFactor: Float64Array;
}

function spectrumPlan(n: number, dx: number, options: RadialSpectrumOptions): SpectrumPlan {
  const { power = 2 } = options;
  const convention = checkConvention(options.convention);
  const taper = options.taper ?? defaultTaper(convention);
  if (!(dx > 0) || !Number.isFinite(dx))
    throw new CurieError('E_ARGUMENT', `node spacing dx = ${dx} must be a positive number of metres`);
  checkPower(power);
  const nbins = radialBinCount(n);
  if (nbins < 1)
    throw new CurieError(
      'E_ARGUMENT',
      `a ${n} × ${n} window is too small for a radial spectrum; use at least 5 × 5 samples`,
    );
  const tapers = cachedTaperSet(taper, n);
  const layout = binLayout(n, nbins);
  const inflation = taperInflation(tapers);
  const meanErrorFactor = layout.count.map((count) => 1 / Math.sqrt(Math.max(1, count / (2 * inflation))));
  return {
    n,
    dx,
    dk: wavenumberStep(n, dx, convention),
    halfPower: 0.5 * power,
    layout,
    inflation,
    tapers,
    meanErrorFactor,
  };
}

/** The bins of a radial spectrum, without data: what a window of a size and taper can measure. */
export interface RadialBins {
  /** Mean wavenumber of each bin, rad/km. */
  k: Float64Array;
  /** Cells of the full spectrum in each bin. */
  count: Float64Array;
  /** The taper's variance inflation ({@link taperInflation}). */
  inflation: number;
  /** Periodograms averaged in each cell: 1, or K² for `{ multitaper: K }`. */
  periodograms: number;
}

/**
 * The bins of the radial spectrum of an n × n window with node spacing `dx` (metres), as
 * {@link radialSpectrum} makes them, without data.
 * @throws CurieError `E_ARGUMENT` as radialSpectrum (too small a window, bad taper or spacing)
 */
export function radialBins(n: number, dx: number, options: RadialSpectrumOptions = {}): RadialBins {
  const plan = spectrumPlan(n, dx, options);
  const k = plan.layout.meanRadius.map((radius) => radius * plan.dk);
  return {
    k,
    count: plan.layout.count.slice(),
    inflation: plan.inflation,
    periodograms: plan.tapers.length ** 2,
  };
}

/**
 * Radial power spectrum of a square window: the window is tapered, Fourier transformed at its exact
 * size (no zero padding), and `power · ln|F|` averaged over rings of width dk around zero frequency.
 * The window is read in place (any strides); its rows are transformed in pairs by the parity of
 * their row in the underlying array (see window-fft.ts), so a window gives the same bits here as in
 * `radialSpectraSharingColumns`.
 *
 * @param data square window `[n, n]` (any strides), e.g. from `subgrid`; must be free of NaN
 * @param dx node spacing, metres
 * @returns `k` in rad/km, `Phi` and `sigmaPhi` per bin (`(n − 1)/2 − 1` bins for odd n)
 * @throws CurieError `E_ARGUMENT` (not square, too small, bad option), `E_NAN` (gaps in the window)
 */
export function radialSpectrum(data: NdArray, dx: number, options: RadialSpectrumOptions = {}): RadialSpectrum {
  const n = squareSide(data, 'radialSpectrum');
  const plan = spectrumPlan(n, dx, options);
  const [rowStride, colStride] = data.stride;
  const parity = rowParity(data.offset, rowStride);
  // Typed Float64 memory is read in place; anything else (plain arrays, Float32Array…) is copied
  // first, keeping the row parity, so that the FFT's gather only ever sees Float64Arrays.
  const source: StridedSource =
    data.data instanceof Float64Array
      ? { data: data.data, offset: data.offset, rowStride, colStride }
      : { data: readWindow(data, 'radialSpectrum window'), offset: 0, rowStride: n, colStride: 1 };
  let result: RadialSpectrum | undefined;
  windowPowers(source, n, parity, [0], plan.tapers, (_, squares) => {
    result = spectrumOfSquares(squares, plan, () =>
      countNonFinite(source.data, source.offset, source.rowStride, source.colStride, n, n),
    );
  });
  return result!;
}

/**
 * Radial spectra of windows `side × side` of a grid that share their columns: window i has its
 * first row at `rowStarts[i]` and its first column at `col0`. The rows' Fourier transforms are
 * computed once for all windows (see window-fft.ts); each window's result is bit-identical to
 * `radialSpectrum` of its `subgrid` view. A window with NaN (or a zero or non-finite spectrum) gets
 * its `CurieError` in its place; errors common to all (bad options, a window off the grid) are thrown.
 *
 * @param grid the whole grid `[rows, cols]`, a Float64Array ndarray with any strides
 * @param dx node spacing, metres
 */
export function radialSpectraSharingColumns(
  grid: NdArray,
  dx: number,
  side: number,
  col0: number,
  rowStarts: ArrayLike<number>,
  options: RadialSpectrumOptions = {},
): Array<RadialSpectrum | CurieError> {
  const [rows, cols] = shape2d(grid, 'radialSpectraSharingColumns');
  if (!Number.isInteger(side) || side < 1)
    throw new CurieError('E_ARGUMENT', `window side ${side} must be a whole number of nodes`);
  if (!Number.isInteger(col0) || col0 < 0 || col0 + side > cols)
    throw new CurieError('E_WINDOW', `columns ${col0}…${col0 + side - 1} are not all in the grid's ${cols} columns`);
  for (let i = 0; i < rowStarts.length; i++) {
    const r0 = rowStarts[i];
    if (!Number.isInteger(r0) || r0 < 0 || r0 + side > rows)
      throw new CurieError('E_WINDOW', `rows ${r0}…${r0 + side - 1} are not all in the grid's ${rows} rows`);
  }
  const plan = spectrumPlan(side, dx, options);
  const [rowStride, colStride] = grid.stride;
  if (!(grid.data instanceof Float64Array)) {
    // Not shared (windows are copied one by one), but the same bits as radialSpectrum of each view.
    return Array.from(rowStarts, (r0) => {
      try {
        return radialSpectrum(grid.lo(r0, col0).hi(side, side), dx, options);
      } catch (error) {
        if (error instanceof CurieError) return error;
        throw error;
      }
    });
  }
  const offset = grid.offset + col0 * colStride;
  const source: StridedSource = { data: grid.data, offset, rowStride, colStride };
  const results = new Array<RadialSpectrum | CurieError>(rowStarts.length);
  windowPowers(source, side, rowParity(offset, rowStride), rowStarts, plan.tapers, (i, squares) => {
    try {
      results[i] = spectrumOfSquares(squares, plan, () =>
        countNonFinite(grid.data as Float64Array, offset + rowStarts[i] * rowStride, rowStride, colStride, side, side),
      );
    } catch (error) {
      if (!(error instanceof CurieError)) throw error;
      results[i] = error;
    }
  });
  return results;
}

/**
 * |F|² over the half-spectrum of each window (see taperedWindowSpectra), or for a multitaper the
 * mean of its K² periodograms, added in a fixed order (column taper q, then row taper p) so a window gives the same bits
 * alone and among others.
 */
function windowPowers(
  source: StridedSource,
  n: number,
  parity: number,
  rowStarts: ArrayLike<number>,
  tapers: Float64Array[],
  visit: (i: number, squares: Float64Array) => void,
): void {
  const windows = { source, n, parity0: parity, rowStarts, squared: true };
  if (tapers.length === 1) {
    taperedWindowSpectra({ ...windows, weights: tapers[0] }, visit);
    return;
  }
  const size = n * ((n >> 1) + 1);
  const sums = Array.from(rowStarts, () => new Float64Array(size));
  // One row pass per column taper t_q serves every row taper t_p.
  for (const columnTaper of tapers)
    taperedWindowSpectra({ ...windows, weights: columnTaper, rowTapers: tapers }, (i, squares) => {
      const sum = sums[i];
      for (let u = 0; u < size; u++) sum[u] += squares[u];
    });
  const scale = 1 / (tapers.length * tapers.length);
  sums.forEach((sum, i) => {
    for (let u = 0; u < size; u++) sum[u] *= scale;
    visit(i, sum);
  });
}

/**
 * The radial spectrum from a window's |F|² over the half-spectrum (`n × (⌊n/2⌋+1)` reals).
 * `countBad` counts the window's NaN or infinite values: called only when the spectrum is not finite.
 */
function spectrumOfSquares(spectrum: Float64Array, plan: SpectrumPlan, countBad: () => number): RadialSpectrum {
  const { n, dx, dk, halfPower, layout } = plan;
  const { nbins, used, meanRadius } = layout;
  const m = used.length;
  // Each loop is its own small function: a long loop in a big function gets optimised on stack
  // (OSR) and then deoptimised on reaching code that has not run yet, for many windows in a row
  // (seen with --trace-deopt: dozens of deoptimisations over a map, each window several times slower).
  // The usual case: every used |F|² normal and above the noise floor, logs gathered in one pass.
  const values = scratch(m, 1);
  const peakFirst = spectrum[0];
  gatheredScaledLog(spectrum, used, values, m, halfPower, gatheredRange);
  const least = gatheredRange[0],
    most = Math.max(gatheredRange[1], peakFirst);
  if (least >= MIN_NORMAL && most <= Number.MAX_VALUE && least > most * 1e-28) {
    const k = new Float64Array(nbins),
      Phi = new Float64Array(nbins),
      sigmaPhi = new Float64Array(nbins);
    binMoments(values, layout, Phi, sigmaPhi);
    for (let b = 0; b < nbins; b++) k[b] = meanRadius[b] * dk;
    if (Phi.every(Number.isFinite)) return withErrors(k, Phi, sigmaPhi, plan);
  }
  // Otherwise step by step, to name the problem (or take the logs of tiny or huge values with Math.log).
  const squares = scratch(m, 0);
  const { peak, smallest } = squaredAmplitudes(spectrum, used, squares, m);
  // A NaN or infinite value anywhere in the window makes every Fourier coefficient non-finite, the
  // zero frequency (where the peak starts) included: only then are the window's values counted.
  const bad = Number.isFinite(peak) ? 0 : countBad();
  if (bad > 0) throw new CurieError('E_NAN', nanMessage('radialSpectrum window', n, n, bad));
  // Amplitudes below 1e-14 of the peak are FFT rounding noise, not signal: their log is meaningless.
  const noiseFloor = peak * 1e-28;
  if (smallest <= noiseFloor) {
    let zeros = 0;
    for (let u = 0; u < m; u++) if (squares[u] <= noiseFloor) zeros++;
    if (zeros > 0)
      throw new CurieError(
        'E_ARGUMENT',
        `the ${n} × ${n} window has ${zeros} zero Fourier amplitudes (below 1e-14 of the peak), so its log spectrum is undefined; is the window constant?`,
      );
  }
  // Past the checks above every |F|² is positive and finite, and normal unless the data are ~1e-140 small.
  scaledLog(squares, values, m, halfPower, smallest >= MIN_NORMAL && peak <= Number.MAX_VALUE);
  const k = new Float64Array(nbins),
    Phi = new Float64Array(nbins),
    sigmaPhi = new Float64Array(nbins);
  binMoments(values, layout, Phi, sigmaPhi);
  for (let b = 0; b < nbins; b++) k[b] = meanRadius[b] * dk;
  if (!Phi.every(Number.isFinite)) {
    const bad = countBad();
    if (bad > 0) throw new CurieError('E_NAN', nanMessage('radialSpectrum window', n, n, bad));
    throw new CurieError(
      'E_ARGUMENT',
      `the radial spectrum of the ${n} × ${n} window (dx ${fmt(dx)} m) is not finite; check the data's magnitude`,
    );
  }
  return withErrors(k, Phi, sigmaPhi, plan);
}

/** The spectrum with each bin's cell count and the standard error of its mean. */
function withErrors(k: Float64Array, Phi: Float64Array, sigmaPhi: Float64Array, plan: SpectrumPlan): RadialSpectrum {
  const sigmaMean = new Float64Array(k.length);
  for (let b = 0; b < k.length; b++) sigmaMean[b] = sigmaPhi[b] * plan.meanErrorFactor[b];
  return { k, Phi, sigmaPhi, count: plan.layout.count.slice(), sigmaMean };
}

/** Smallest and largest |F|² of the used samples, as gatheredScaledLog leaves them (its `range`). */
const gatheredRange = new Float64Array(2);

/** `squares[u] = |F|²` of each used sample, gathered from all of them; their peak (zero frequency included) and smallest. */
function squaredAmplitudes(
  spectrum: Float64Array,
  used: Int32Array,
  squares: Float64Array,
  m: number,
): { peak: number; smallest: number } {
  let peak = spectrum[0];
  let smallest = Infinity;
  for (let u = 0; u < m; u++) {
    const squared = spectrum[used[u]];
    squares[u] = squared;
    if (squared > peak) peak = squared;
    if (squared < smallest) smallest = squared;
  }
  return { peak, smallest };
}

/**
 * Mean and population standard deviation of each bin, in one pass: sums of d = x − shift and d²,
 * weighted by each sample's multiplicity, the shift being the bin's first value (against cancellation).
 */
function binMoments(values: Float64Array, layout: BinLayout, mean: Float64Array, sd: Float64Array): void {
  const { nbins, count, start, weight, extraAt, extraBin, extraWeight } = layout;
  const shifts = mean,
    sums = sd,
    squares = scratch(nbins, 2);
  for (let b = 0; b < nbins; b++) {
    const shift = start[b] < start[b + 1] ? values[start[b]] : 0;
    let sum = 0,
      square = 0;
    for (let u = start[b], end = start[b + 1]; u < end; u++) {
      const d = values[u] - shift;
      const wd = weight[u] * d;
      sum += wd;
      square += wd * d;
    }
    shifts[b] = shift;
    sums[b] = sum;
    squares[b] = square;
  }
  for (let x = 0; x < extraAt.length; x++) {
    const b = extraBin[x];
    const d = values[extraAt[x]] - shifts[b];
    const wd = extraWeight[x] * d;
    sums[b] += wd;
    squares[b] += wd * d;
  }
  for (let b = 0; b < nbins; b++) {
    const meanShift = sums[b] / count[b];
    mean[b] = shifts[b] + meanShift;
    sd[b] = Math.sqrt(Math.max(0, squares[b] / count[b] - meanShift * meanShift));
  }
}

/** Per-thread scratch arrays (grown, never shrunk). */
const scratchBuffers = [new Float64Array(0), new Float64Array(0), new Float64Array(0)];
function scratch(size: number, slot: number): Float64Array {
  if (scratchBuffers[slot].length < size) scratchBuffers[slot] = new Float64Array(size);
  return scratchBuffers[slot];
}
