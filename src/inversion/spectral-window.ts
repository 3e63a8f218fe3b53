/**
 * What a taper's spectral window does to a radial spectrum of known model, so a fit can remove it.
 *
 * A tapered periodogram does not estimate the spectrum P(k) itself but P convolved with the taper's
 * spectral window |V(f)|² (summed over the tapers of a multitaper set), and a bin's mean of ln|F|²
 * over its ring of cells is not ln P at the ring's mean wavenumber (the ring spans one dk, over
 * which ln P curves). Both biases sit in the lowest bins, where the spectrum is steep, and those
 * are the bins that carry the base of the layer: the noise-free expected spectrum of a layer from 2 to
 * 18 km, in 300 km windows of 1 km cells, fits as 17.0 km with the 2 × 2 multitaper, whose window is
 * three bins wide (17.6 km with Hann; 16.4 km with plain sine tapers, whose leakage adds to it). Given a
 * model, {@link spectralWindowBias} predicts, bin by bin, the bias of the mean log spectrum relative
 * to the model at the bin's mean wavenumber; a fit subtracts it and refits (one fixed-point step).
 */
import { bouligand2009 } from '../models/bouligand.js';

/** Fine-grid samples per dk: the spectral window is integrated on a grid 4× finer than the DFT's. */
const OVERSAMPLE = 4;
/** Half-width of the spectral window kept, in dk: beyond it a sine taper's window is < 1e-4 of its peak. */
const WINDOW_HALF_WIDTH = 6;
/** Bins corrected: beyond the 24th, the bias of every taper here is below 1e-3 in ln Φ. */
const CORRECTED_BINS = 24;
/** Radial table of ln P: samples per dk. */
const TABLE_STEPS = 8;

/** Spectral windows by taper set: the sets of named tapers are cached (cachedTaperSet), so each is computed once. */
const kernels = new WeakMap<readonly Float64Array[], Float64Array>();

/**
 * Σ_p |V_p(f)|² of the taper set at f = m / OVERSAMPLE dk, m = −W·OS … W·OS, normalised to unit
 * mass on the fine grid, so a flat spectrum passes through unchanged.
 */
function windowKernel(tapers: readonly Float64Array[]): Float64Array {
  const cached = kernels.get(tapers);
  if (cached) return cached;
  const n = tapers[0].length;
  const half = WINDOW_HALF_WIDTH * OVERSAMPLE;
  const kernel = new Float64Array(2 * half + 1);
  let mass = 0;
  for (let m = -half; m <= half; m++) {
    const omega = (2 * Math.PI * m) / OVERSAMPLE / n;
    let sum = 0;
    for (const taper of tapers) {
      let re = 0,
        im = 0;
      for (let j = 0; j < n; j++) {
        re += taper[j] * Math.cos(omega * j);
        im -= taper[j] * Math.sin(omega * j);
      }
      sum += re * re + im * im;
    }
    kernel[m + half] = sum;
    mass += sum;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] /= mass;
  kernels.set(tapers, kernel);
  return kernel;
}

/** The model and the window a bias is predicted for. */
export interface SpectralWindowModel {
  beta: number;
  /** Top and thickness of the layer, km. */
  zt: number;
  dz: number;
  /** Wavenumber step of the window's DFT, rad/km. */
  dk: number;
  /** The window's tapers (one for a single taper), each of the window's n weights. */
  tapers: readonly Float64Array[];
  /** Mean wavenumber of each bin, rad/km (the spectrum's `k`). */
  k: ArrayLike<number>;
}

/**
 * Bias of each bin's mean `ln|F|²` (expected tapered spectrum, binned as the radial spectrum bins
 * it) relative to the model's ln Φ at the bin's mean wavenumber, up to a constant common to all bins
 * (which C absorbs); 0 beyond the first {@link CORRECTED_BINS} bins.
 */
export function spectralWindowBias(model: SpectralWindowModel): Float64Array {
  const { beta, zt, dz, dk, tapers, k } = model;
  const nbins = k.length;
  const bias = new Float64Array(nbins);
  const bins = Math.min(nbins, CORRECTED_BINS);
  if (bins === 0) return bias;
  const kernel = windowKernel(tapers);
  const W = WINDOW_HALF_WIDTH * OVERSAMPLE;
  // Output cells (a, b) ≥ 0 up to radius R; fine samples q = m / OS up to R + W.
  const R = bins + 1;
  const Q = R * OVERSAMPLE + W;
  const side = 2 * Q + 1;
  // ln P on a radial table, then P on the fine grid (zero at zero frequency itself, whose power a
  // window's mean sets, not the model).
  const steps = Math.ceil(((Q / OVERSAMPLE) * Math.SQRT2 + 1) * TABLE_STEPS);
  const radii = new Float64Array(steps + 1);
  for (let t = 0; t <= steps; t++) radii[t] = (Math.max(t, 0.5) / TABLE_STEPS) * dk;
  const table = bouligand2009(radii, beta, zt, dz, 0);
  let peak = -Infinity;
  for (const value of table) if (value > peak) peak = value;
  // Cells a, b ≥ 0 read fine samples from Q − W on only (the spectrum is symmetric in x and y).
  const low = Q - W;
  const P = new Float64Array(side * side);
  for (let x = low; x < side; x++)
    for (let y = low; y < side; y++) {
      const r = Math.sqrt((x - Q) * (x - Q) + (y - Q) * (y - Q)) / OVERSAMPLE;
      if (r === 0) continue;
      const t = r * TABLE_STEPS,
        t0 = Math.floor(t),
        f = t - t0;
      P[x * side + y] = Math.exp((1 - f) * table[t0] + f * table[t0 + 1] - peak);
    }
  // Separable convolution at the integer cells a, b = 0 … R.
  const rows = new Float64Array((R + 1) * side);
  for (let a = 0; a <= R; a++) {
    const centre = a * OVERSAMPLE + Q;
    for (let y = low; y < side; y++) {
      let sum = 0;
      for (let m = -W; m <= W; m++) sum += kernel[m + W] * P[(centre - m) * side + y];
      rows[a * side + y] = sum;
    }
  }
  const lnSum = new Float64Array(bins),
    count = new Float64Array(bins);
  for (let a = 0; a <= R; a++)
    for (let b = 0; b <= a; b++) {
      const r2 = a * a + b * b;
      if (r2 < 1 || r2 > (bins + 1) * (bins + 1)) continue;
      const centre = b * OVERSAMPLE + Q;
      let expected = 0;
      for (let m = -W; m <= W; m++) expected += kernel[m + W] * rows[a * side + centre - m];
      // A cell stands for its images under x ↔ −x, y ↔ −y and x ↔ y: 8, fewer on the axes and diagonal.
      const multiplicity = (a === 0 ? 1 : 2) * (b === 0 ? 1 : 2) * (a === b ? 1 : 2);
      const lnE = Math.log(expected);
      let s = Math.floor(Math.sqrt(r2));
      while (s * s > r2) s--;
      while ((s + 1) * (s + 1) <= r2) s++;
      // Bin i holds (i+1)² ≤ r² ≤ (i+2)²: an exact square belongs to two bins.
      for (let i = s * s === r2 ? s - 2 : s - 1; i <= s - 1; i++)
        if (i >= 0 && i < bins) {
          lnSum[i] += multiplicity * lnE;
          count[i] += multiplicity;
        }
    }
  const atMean = bouligand2009(
    Float64Array.from({ length: bins }, (_, i) => k[i]),
    beta,
    zt,
    dz,
    0,
  );
  // Referred to the last corrected bin, where the bias has faded, so bins past it join smoothly.
  const last = lnSum[bins - 1] / count[bins - 1] - (atMean[bins - 1] - peak);
  for (let i = 0; i < bins; i++) bias[i] = lnSum[i] / count[i] - (atMean[i] - peak) - last;
  return bias;
}
