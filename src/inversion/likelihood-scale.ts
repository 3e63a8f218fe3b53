/**
 * How far the posterior widens the errors of a radial spectrum's bins beyond what the fit's
 * residuals show: the likelihood's temperature is scale × χ²/dof (a Birge ratio: σ_mean sets the
 * bins' relative weights, the fit's scatter their common scale). The scale stands for what
 * residuals cannot show, and it is calibrated by Monte Carlo on Gaussian random fields of known
 * answer (test/calibration), not derived: nominal 90 % intervals should cover the truth in about
 * 90 % of windows.
 */

/**
 * A single taper's scale (Hann) for spectra of ≥ 99 bins (200 km windows of 1 km cells): 90 %
 * intervals then cover 87 % of thin-layer windows and 88 % of thick ones (1.25: 86 % and 84 %;
 * 1.0: 82 % both). The neighbouring bins' correlation, which a taper's spectral window sets, widens it.
 */
export const LIKELIHOOD_SCALE = 1.5;
/** A 2 × 2 (or larger) sine multitaper's scale at ≥ 99 bins, calibrated as {@link LIKELIHOOD_SCALE}: its wider spectral window correlates more neighbouring bins. */
export const MULTITAPER_LIKELIHOOD_SCALE = 4;

/**
 * The scale's factor by the number of bins fitted, interpolated in ln(bins), constant beyond the
 * ends. Spectra of few bins need less widening: with one scale for all, 90 % intervals of 200 km
 * windows of 5 km cells (19 bins) covered the truth in 100 % of synthetic windows, nearly all of
 * them open above. How much less depends on the layer, so the table takes the largest factor
 * measured at each count and every layer tried is covered (multitaper, the factor that covers
 * 90 %): 19 bins 0.07 (Δz 15 km, β 4), 0.1 (Δz 15, β 3), 0.18 (Δz 8), 0.5 (Δz 30, which 0.25
 * covers in 82 %); 29 bins ≥ 0.5 (Δz 30); 39 bins 0.28 (400 km of 5 km cells, Δz 15) and 0.7
 * (200 km of 2.5 km cells); 49 bins 0.7–0.75; 99 and 149 bins 1. Hann's agree within 15 %.
 */
const BIN_FACTORS: ReadonlyArray<readonly [bins: number, factor: number]> = [
  [19, 0.5],
  [39, 0.7],
  [99, 1],
];

/** The likelihood scale's factor for a spectrum of `bins` bins (the table above, interpolated in ln(bins)). */
export function binCountFactor(bins: number): number {
  const first = BIN_FACTORS[0],
    last = BIN_FACTORS[BIN_FACTORS.length - 1];
  if (bins <= first[0]) return first[1];
  if (bins >= last[0]) return last[1];
  let i = 1;
  while (BIN_FACTORS[i][0] < bins) i++;
  const [b0, f0] = BIN_FACTORS[i - 1],
    [b1, f1] = BIN_FACTORS[i];
  return f0 + ((f1 - f0) * Math.log(bins / b0)) / Math.log(b1 / b0);
}
