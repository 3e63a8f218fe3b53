/**
 * How far the posterior widens the errors of a radial spectrum's bins beyond what the fit's
 * residuals show: the likelihood's temperature is scale × χ²/dof (a Birge ratio: σ_mean sets the
 * bins' relative weights, the fit's scatter their common scale). The scale stands for what
 * residuals cannot show, and it is calibrated by Monte Carlo on Gaussian random fields of known
 * answer (test/calibration), not derived: nominal 90 % intervals should cover the truth in about
 * 90 % of windows.
 */

/**
 * A single taper's scale (Hann) for windows of 1 km cells (or finer): 90 %
 * intervals then cover 87 % of thin-layer windows and 88 % of thick ones (1.25: 86 % and 84 %;
 * 1.0: 82 % both). The neighbouring bins' correlation, which a taper's spectral window sets, widens it.
 */
export const LIKELIHOOD_SCALE = 1.5;
/** A 2 × 2 (or larger) sine multitaper's scale for 1 km cells, calibrated as {@link LIKELIHOOD_SCALE}: its wider spectral window correlates more neighbouring bins. */
export const MULTITAPER_LIKELIHOOD_SCALE = 4;

/**
 * The scale's factor by the window's cell size, interpolated in ln(dx), constant beyond the ends.
 * Coarse cells need less widening: with one scale for all, 90 % intervals of 200 km windows of
 * 5 km cells held the truth in 100 % of synthetic windows, nearly all of them open above. Where
 * k_max = π/dx stops short of the rolloff of the layer's top, the posterior's spread in (β, Δz)
 * outgrows the fits' own scatter. How much less depends on the layer, so the table takes the
 * largest factor measured at each size and every layer tried is covered (multitaper, the factor
 * that covers 90 %): 5 km cells 0.07 (Δz 15 km, β 4), 0.1 (Δz 15, β 3), 0.18 (Δz 8), 0.5 (Δz 30,
 * which 0.25 covers in 82 %), the same from 200 to 400 km windows; 2.5 km cells 0.7; 1 km cells
 * 0.7–1 over 100–300 km windows, and 1 it stays: at 0.57 a 50 km window over a 10 km thick layer
 * held the truth in only 56 % of its resolved intervals. Hann's agree within 15 %.
 */
const CELL_FACTORS: ReadonlyArray<readonly [spacingKm: number, factor: number]> = [
  [1, 1],
  [2.5, 0.7],
  [5, 0.5],
];

/** The likelihood scale's factor for a window of `spacingKm` cells (the table above, interpolated in ln(dx)). */
export function cellSizeFactor(spacingKm: number): number {
  const first = CELL_FACTORS[0],
    last = CELL_FACTORS[CELL_FACTORS.length - 1];
  if (!(spacingKm > first[0])) return first[1];
  if (spacingKm >= last[0]) return last[1];
  let i = 1;
  while (CELL_FACTORS[i][0] < spacingKm) i++;
  const [d0, f0] = CELL_FACTORS[i - 1],
    [d1, f1] = CELL_FACTORS[i];
  return f0 + ((f1 - f0) * Math.log(spacingKm / d0)) / Math.log(d1 / d0);
}
