/**
 * The verdict on one window's Curie depth, from its posterior interval and the rules of what a
 * window can resolve: Δz is seen only when the window's longest wavelengths reach below the layer
 * (k_min·Δz < 1) and its cells are fine enough to see the layer's thickness (π·Δz/dx ≫ 1).
 */
import { fmt } from '../errors.js';
import type { FitResult } from './fit.js';
import type { Intervals } from './posterior.js';

/** `'resolved'`: a bounded interval; `'lower-bound'`: bounded below only; `'unresolved'`: not constrained. */
export type VerdictName = 'resolved' | 'lower-bound' | 'unresolved';

/** A verdict and the numbers behind it. */
export interface Verdict {
  verdict: VerdictName;
  reasons: string[];
}

/** Verdict codes of maps: 0 resolved, 1 lower-bound, 2 unresolved. */
export const VERDICTS: readonly VerdictName[] = ['resolved', 'lower-bound', 'unresolved'];

/** What {@link judge} looks at. */
export interface VerdictInput {
  intervals: Intervals;
  /** The posterior is open above (plateau or bound within the level's likelihood ratio). */
  open: boolean;
  fit: FitResult;
  /** Smallest wavenumber of the spectrum, rad/km. */
  kMin: number;
  spacingKm: number;
  windowKm?: number;
  chi2PerDof: number;
  /** The posterior's temperature: errors scaled by its square root. */
  temperature: number;
  /** Misfit gap between the two best basins (in likelihood units), Infinity for one basin. */
  minimaGap: number;
  minimaCount: number;
  /** ln of the plateau's density relative to the best (≤ 0). */
  plateauRatio: number;
}

const f2 = (x: number) => fmt(Number(x.toPrecision(3)));

/** Judge one window; every rule that fires names its numbers in `reasons`. */
export function judge(input: VerdictInput): Verdict {
  const { intervals, fit, kMin, spacingKm, windowKm } = input;
  const reasons: string[] = [];
  const kDz = kMin * fit.dz;
  const cellRatio = (Math.PI * fit.dz) / spacingKm;
  reasons.push(
    `k_min·Δz = ${f2(kDz)} (${kDz < 1 ? 'below 1: the window reaches the base of the layer' : 'not below 1: the window is too small to see the base'})`,
  );
  reasons.push(
    `π·Δz/dx = ${f2(cellRatio)} (${cellRatio > 3 ? 'cells resolve the layer' : 'cells too coarse to separate the top from the base'})`,
  );
  reasons.push(
    `χ²/dof = ${f2(input.chi2PerDof)} against σ_mean (the intervals scale the errors by ${f2(Math.sqrt(input.temperature))})`,
  );
  reasons.push(
    input.minimaCount > 1
      ? `${input.minimaCount} minima on the lattice; the second is ${f2(input.minimaGap)} above the best`
      : '1 minimum on the lattice',
  );
  let verdict: VerdictName = 'resolved';
  if (input.open) {
    reasons.push(
      `the thickest layers (Δz → ∞ or its bound) are within the interval's likelihood ratio (ln ratio ${f2(input.plateauRatio)}): no upper limit`,
    );
    verdict = 'lower-bound';
  }
  const [low, high] = intervals.curieDepth;
  if (windowKm !== undefined && high > windowKm / 2 && Number.isFinite(high)) {
    reasons.push(
      `the interval's upper end ${f2(high)} km is deeper than half the window (${f2(windowKm / 2)} km): not resolved by it`,
    );
    verdict = 'lower-bound';
  }
  if (verdict === 'lower-bound' && intervals.dz[0] < spacingKm) {
    reasons.push(
      `Δz from ${f2(intervals.dz[0])} km (thinner than a cell, ${f2(spacingKm)} km) to no limit: the data do not constrain the base`,
    );
    verdict = 'unresolved';
  }
  if (fit.note) reasons.push(fit.note);
  else if (!fit.converged) {
    reasons.push('the fit did not converge');
    verdict = 'unresolved';
  }
  if (verdict === 'resolved') reasons.push(`Curie depth ${f2(low)}–${f2(high)} km`);
  else if (verdict === 'lower-bound') reasons.push(`Curie depth at least ${f2(low)} km`);
  return { verdict, reasons };
}
