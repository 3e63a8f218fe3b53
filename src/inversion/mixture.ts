/**
 * Quantiles of the posterior's one-dimensional summaries from a weighted lattice: cell-uniform
 * marginals (β, Δz) and mixtures of truncated normals (z_t; and z_t + Δz, the Curie depth, a
 * convolution along the lattice rather than a sum of marginals).
 */
import { normalCdf, normalPdf, normalQuantile } from '../models/special.js';

/**
 * Quantile p of a distribution made of cells: cell i holds mass `mass[i]` spread uniformly over
 * [edges[i], edges[i+1]] (edges increasing; masses ≥ 0, not necessarily normalised).
 */
export function cellQuantile(edges: ArrayLike<number>, mass: ArrayLike<number>, p: number): number {
  let total = 0;
  for (let i = 0; i < mass.length; i++) total += mass[i];
  const target = p * total;
  let sum = 0;
  for (let i = 0; i < mass.length; i++) {
    if (mass[i] > 0 && sum + mass[i] >= target)
      return edges[i] + ((target - sum) / mass[i]) * (edges[i + 1] - edges[i]);
    sum += mass[i];
  }
  return edges[mass.length];
}

/** Components of a mixture: weight (normalised), z_t ~ N(mean, sd) truncated to [lower, upper], plus a uniform shift on [shiftLow, shiftHigh]. */
export interface TruncatedNormalMixture {
  weight: Float64Array;
  mean: Float64Array;
  sd: Float64Array;
  shiftLow: Float64Array;
  shiftHigh: Float64Array;
  lower: number;
  upper: number;
}

/**
 * A mixture with each component's constants precomputed (Φ at the lower bound, the truncated
 * mass, ∫Φ at the lower bound), its support [start, end] beyond which its CDF is 0 or 1 (9 sd:
 * Φ(−9) ~ 1e-19), and the whole mixture's support, mean and sd (for a first guess of a quantile).
 */
export interface PreparedMixture extends TruncatedNormalMixture {
  below: Float64Array;
  mass: Float64Array;
  lowerTerm: Float64Array;
  start: Float64Array;
  end: Float64Array;
  least: number;
  most: number;
  centre: number;
  spread: number;
}

/** Precompute the per-component constants of {@link mixtureCdf}. */
export function prepareMixture(mix: TruncatedNormalMixture): PreparedMixture {
  const n = mix.weight.length;
  const below = new Float64Array(n),
    mass = new Float64Array(n),
    lowerTerm = new Float64Array(n),
    start = new Float64Array(n),
    end = new Float64Array(n);
  let least = Infinity,
    most = -Infinity,
    m1 = 0,
    m2 = 0,
    total = 0;
  for (let i = 0; i < n; i++) {
    const mean = mix.mean[i],
      sd = mix.sd[i],
      w = mix.weight[i];
    below[i] = Number.isFinite(mix.lower) ? normalCdf((mix.lower - mean) / sd) : 0;
    mass[i] = (Number.isFinite(mix.upper) ? normalCdf((mix.upper - mean) / sd) : 1) - below[i];
    lowerTerm[i] = Number.isFinite(mix.lower) ? integratedCdf((mix.lower - mean) / sd) : 0;
    start[i] = mix.shiftLow[i] + Math.max(mix.lower, mean - 9 * sd);
    end[i] = mix.shiftHigh[i] + Math.min(mix.upper, mean + 9 * sd);
    least = Math.min(least, start[i]);
    most = Math.max(most, end[i]);
    const cell = mix.shiftHigh[i] - mix.shiftLow[i],
      centre = mean + 0.5 * (mix.shiftLow[i] + mix.shiftHigh[i]);
    total += w;
    m1 += w * centre;
    m2 += w * (centre * centre + sd * sd + (cell * cell) / 12);
  }
  const centre = m1 / total;
  return {
    ...mix,
    below,
    mass,
    lowerTerm,
    start,
    end,
    least,
    most,
    centre,
    spread: Math.sqrt(Math.max(0, m2 / total - centre * centre)),
  };
}

/** ∫_{−∞}^{t} Φ(u) du = tΦ(t) + φ(t) (0 far in the left tail, t far in the right). */
function integratedCdf(t: number): number {
  if (t < -38) return 0;
  if (t > 38) return t;
  return t * normalCdf(t) + normalPdf(t);
}

/** CDF at x of component i (N(mean, sd) truncated to [lower, upper]). */
function truncatedCdf(mix: PreparedMixture, i: number, x: number): number {
  if (x <= mix.lower) return 0;
  if (x >= mix.upper) return 1;
  return (normalCdf((x - mix.mean[i]) / mix.sd[i]) - mix.below[i]) / mix.mass[i];
}

/** ∫_{lower}^{x} F_i(u) du for component i's CDF F_i. */
function truncatedIntegral(mix: PreparedMixture, i: number, x: number): number {
  const { lower, upper } = mix;
  if (x <= lower) return 0;
  const top = Math.min(x, upper);
  const sd = mix.sd[i];
  const inside =
    (sd * (integratedCdf((top - mix.mean[i]) / sd) - mix.lowerTerm[i]) -
      mix.below[i] * (top - (Number.isFinite(lower) ? lower : 0))) /
    mix.mass[i];
  return inside + (x > upper ? x - upper : 0);
}

/** CDF of the mixture at x: each component's z_t + shift, shift uniform on its cell (a point when shiftLow = shiftHigh). */
function mixtureCdf(mix: PreparedMixture, x: number): number {
  let total = 0;
  for (let i = 0; i < mix.weight.length; i++) {
    // A component whose support starts above x adds 0; one wholly below it adds its weight.
    if (mix.start[i] >= x || !(mix.mass[i] > 0)) continue;
    if (mix.end[i] <= x) {
      total += mix.weight[i];
      continue;
    }
    const a = mix.shiftLow[i],
      b = mix.shiftHigh[i];
    const value =
      b > a
        ? (truncatedIntegral(mix, i, x - a) - truncatedIntegral(mix, i, x - b)) / (b - a)
        : truncatedCdf(mix, i, x - a);
    total += mix.weight[i] * value;
  }
  return total;
}

const standardQuantiles = new Map<number, number>();

/**
 * Quantile p of a prepared mixture, to `tolerance`: a first guess from the mixture's mean and sd
 * as if it were normal, a bracket grown from it, then false position on the exact CDF.
 */
export function mixtureQuantile(mix: PreparedMixture, p: number, tolerance: number): number {
  let z = standardQuantiles.get(p);
  if (z === undefined) standardQuantiles.set(p, (z = normalQuantile(p)));
  const cdf = (x: number) => mixtureCdf(mix, x);
  const { least, most } = mix;
  const guess = Math.min(most, Math.max(least, mix.centre + z * mix.spread));
  let step = 0.25 * mix.spread || tolerance,
    lo = Math.max(least, guess - step),
    hi = Math.min(most, guess + step);
  while (lo > least && cdf(lo) > p) {
    hi = lo;
    step *= 2;
    lo = Math.max(least, lo - step);
  }
  while (hi < most && cdf(hi) < p) {
    lo = hi;
    step *= 2;
    hi = Math.min(most, hi + step);
  }
  return solveQuantile(cdf, p, lo, hi, tolerance);
}

/** x with CDF(x) = p, for a non-decreasing CDF bracketed by [lo, hi] (Illinois false position, to `tolerance`). */
function solveQuantile(cdf: (x: number) => number, p: number, lo: number, hi: number, tolerance: number): number {
  let flo = cdf(lo) - p,
    fhi = cdf(hi) - p;
  if (flo >= 0) return lo;
  if (fhi <= 0) return hi;
  let side = 0;
  for (let i = 0; i < 100 && hi - lo > tolerance; i++) {
    let x = (lo * fhi - hi * flo) / (fhi - flo);
    if (!(x > lo && x < hi)) x = 0.5 * (lo + hi);
    const fx = cdf(x) - p;
    if (fx < 0) {
      lo = x;
      flo = fx;
      if (side === -1) fhi *= 0.5;
      side = -1;
    } else {
      hi = x;
      fhi = fx;
      if (side === 1) flo *= 0.5;
      side = 1;
    }
  }
  return 0.5 * (lo + hi);
}
