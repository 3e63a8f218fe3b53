/**
 * Summaries of parameter samples (MCMC chains, sensitivity runs), with numpy's conventions.
 */

/** Mean, population sd (numpy's `std`, ddof 0) and the 5, 50 and 95 % quantiles. */
export interface SampleSummary {
  mean: number;
  sd: number;
  q05: number;
  q50: number;
  q95: number;
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
  if (n === 0) return { mean: NaN, sd: NaN, q05: NaN, q50: NaN, q95: NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
  const sorted = Float64Array.from(values).sort();
  return { mean, sd: Math.sqrt(squares / n), q05: quantileSorted(sorted, 0.05), q50: quantileSorted(sorted, 0.5), q95: quantileSorted(sorted, 0.95) };
}

/** Samples of the four parameters, one entry per draw, and their summaries (Curie depth = z_t + Δz, km). */
export interface ParameterSamples {
  beta: Float64Array;
  zt: Float64Array;
  dz: Float64Array;
  C: Float64Array;
  summary: { beta: SampleSummary; zt: SampleSummary; dz: SampleSummary; C: SampleSummary; curieDepth: SampleSummary };
}

/** Package samples stored row-wise (`[draws, 4]`, order β, z_t, Δz, C) with their summaries. */
export function parameterSamples(rows: Float64Array, draws: number): ParameterSamples {
  const column = (j: number) => Float64Array.from({ length: draws }, (_, i) => rows[4 * i + j]);
  const beta = column(0), zt = column(1), dz = column(2), C = column(3);
  const curieDepth = zt.map((value, i) => value + dz[i]);
  return { beta, zt, dz, C, summary: { beta: summarise(beta), zt: summarise(zt), dz: summarise(dz), C: summarise(C), curieDepth: summarise(curieDepth) } };
}
