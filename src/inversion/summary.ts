/**
 * Summaries of parameter samples (MCMC chains, sensitivity runs), with numpy's conventions.
 */
import { fft1d } from '../spectrum/fft.js';

/**
 * Mean, population sd (numpy's `std`, ddof 0) and the 5, 50 and 95 % quantiles. Where the samples
 * ran off (`ranOff`: a non-finite sample, or one farther from the median than 20 times the 5–95 %
 * range, e.g. chains wandering onto the Δz plateau), mean and sd are NaN: only the quantiles
 * describe such samples, never a mean of 1e5 km.
 */
export interface SampleSummary {
  mean: number;
  sd: number;
  q05: number;
  q50: number;
  q95: number;
  ranOff: boolean;
}

/** Quantile q ∈ [0, 1] of sorted values with linear interpolation (numpy's default method). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** {@link SampleSummary} of a set of samples (NaN for none). */
export function summarise(values: ArrayLike<number>): SampleSummary {
  const n = values.length;
  if (n === 0) return { mean: NaN, sd: NaN, q05: NaN, q50: NaN, q95: NaN, ranOff: false };
  const sorted = Float64Array.from(values).sort();
  const q05 = quantileSorted(sorted, 0.05),
    q50 = quantileSorted(sorted, 0.5),
    q95 = quantileSorted(sorted, 0.95);
  const reach = 20 * (q95 - q05);
  const ranOff =
    !Number.isFinite(sorted[0]) ||
    !Number.isFinite(sorted[n - 1]) ||
    sorted[n - 1] - q50 > reach ||
    q50 - sorted[0] > reach;
  if (ranOff) return { mean: NaN, sd: NaN, q05, q50, q95, ranOff };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(squares / n), q05, q50, q95, ranOff };
}

/**
 * Effective sample size of a chain, N / (1 + 2 Σ ρ_k), the autocorrelations ρ_k (by FFT) summed
 * in pairs while each pair is positive and no larger than the last (Geyer 1992's initial monotone
 * sequence). N for independent draws; far less for a chain that mixes slowly; 0 for a chain that
 * never moved.
 */
export function effectiveSampleSize(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 4) return n;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  // Autocovariance by zero-padded FFT, |F|² transformed back: any length ≥ 2n keeps lags < n free
  // of wrap-around; a power of two is a direct radix-4 transform rather than Bluestein's three.
  const size = 2 ** Math.ceil(Math.log2(2 * n));
  const data = new Float64Array(2 * size);
  for (let i = 0; i < n; i++) data[2 * i] = values[i] - mean;
  fft1d(data);
  for (let i = 0; i < size; i++) {
    data[2 * i] = data[2 * i] ** 2 + data[2 * i + 1] ** 2;
    data[2 * i + 1] = 0;
  }
  fft1d(data, true);
  const variance = data[0];
  if (!(variance > 0)) return 0;
  // Γ_m = ρ_2m + ρ_2m+1 while positive, made non-increasing; τ = −1 + 2 Σ Γ_m.
  let sum = 0,
    previous = Infinity;
  for (let m = 0; 2 * m + 1 < n; m++) {
    const pair = (data[4 * m] + data[4 * m + 2]) / variance;
    if (!(pair > 0)) break;
    previous = Math.min(pair, previous);
    sum += previous;
  }
  return Math.min(n, n / Math.max(1e-12, 2 * sum - 1));
}

/** Samples of the four parameters, one entry per draw, and their summaries (Curie depth = z_t + Δz, km). */
export interface ParameterSamples {
  beta: Float64Array;
  zt: Float64Array;
  dz: Float64Array;
  C: Float64Array;
  summary: { beta: SampleSummary; zt: SampleSummary; dz: SampleSummary; C: SampleSummary; curieDepth: SampleSummary };
  /** Metropolis–Hastings only: the fraction of proposals accepted after burn-in. */
  acceptanceRate?: number;
  /** Metropolis–Hastings only: each parameter's (and the Curie depth's) effective sample size. */
  effectiveSampleSize?: { beta: number; zt: number; dz: number; C: number; curieDepth: number };
}

/** Package samples stored row-wise (`[draws, 4]`, order β, z_t, Δz, C) with their summaries. */
export function parameterSamples(rows: Float64Array, draws: number): ParameterSamples {
  const column = (j: number) => Float64Array.from({ length: draws }, (_, i) => rows[4 * i + j]);
  const beta = column(0),
    zt = column(1),
    dz = column(2),
    C = column(3);
  const curieDepth = zt.map((value, i) => value + dz[i]);
  return {
    beta,
    zt,
    dz,
    C,
    summary: {
      beta: summarise(beta),
      zt: summarise(zt),
      dz: summarise(dz),
      C: summarise(C),
      curieDepth: summarise(curieDepth),
    },
  };
}
