/**
 * Everything that is done to one window, as pure functions of the grid and the settings: cut the
 * window, process it, take its radial spectrum, then fit, sample or run Tanaka. The
 * `CurieOptimiser` methods and the parallel workers both call these, so a window gives the same
 * numbers whichever thread computes it.
 */
import type { NdArray } from 'ndarray';
import type { GridGeometry } from '../grid/geometry.js';
import { subgrid } from '../grid/windows.js';
import { computeTanaka, tanaka1999, type TanakaFit } from '../models/tanaka.js';
import { type RadialSpectrum, radialSpectrum } from '../spectrum/radial.js';
import type { Taper } from '../spectrum/taper.js';
import { type Bounds, type FitResult, fitSpectrum } from './fit.js';
import { metropolisHastings } from './mcmc.js';
import { createObjective } from './objective.js';
import type { Distribution } from './priors.js';
import { sensitivity } from './sensitivity.js';
import type { ParameterSamples } from './summary.js';

/** A grid's values and lattice. */
export interface GridSource {
  data: NdArray<Float64Array>;
  geometry: GridGeometry;
}

/** How a window's spectrum is made. */
export interface WindowSpectrumSettings {
  taper?: Taper;
  power?: number;
  /** Applied to each window before its spectrum (PyCurious's `process_subgrid`). */
  processSubgrid?: (window: NdArray<Float64Array>) => NdArray;
}

/** What a fit needs besides the spectrum. */
export interface FitSettings extends WindowSpectrumSettings {
  bounds: Bounds;
  /** Prior of β, z_t, Δz, C (undefined = none). */
  priors: ReadonlyArray<Distribution | undefined>;
  /** Starting [β, z_t, Δz, C]. */
  start: readonly [number, number, number, number];
  weighted?: boolean;
}

/** The radial spectrum of the window of side `window` metres at (xc, yc), after `processSubgrid`. */
export function windowSpectrum(grid: GridSource, window: number, xc: number, yc: number, settings: WindowSpectrumSettings): RadialSpectrum {
  const sub = subgrid(grid.data, grid.geometry, window, xc, yc) as NdArray<Float64Array>;
  const processed = settings.processSubgrid ? settings.processSubgrid(sub) : sub;
  return radialSpectrum(processed, grid.geometry.dx, { taper: settings.taper, power: settings.power });
}

/** Fit β, z_t, Δz, C to the window at (xc, yc) (PyCurious's `optimise`). */
export function optimiseWindow(grid: GridSource, window: number, xc: number, yc: number, settings: FitSettings): FitResult {
  const spectrum = windowSpectrum(grid, window, xc, yc, settings);
  return fitSpectrum(createObjective(spectrum, settings.priors, settings.weighted), settings.start, settings.bounds);
}

/** Metropolis–Hastings samples for the window at (xc, yc). */
export function sampleWindow(grid: GridSource, window: number, xc: number, yc: number, nsim: number, burnin: number, settings: FitSettings & { xScale?: ArrayLike<number>; seed?: number }): ParameterSamples {
  const objective = createObjective(windowSpectrum(grid, window, xc, yc, settings), settings.priors, settings.weighted);
  return metropolisHastings(objective, settings.start, settings.bounds, nsim, burnin, { xScale: settings.xScale, seed: settings.seed });
}

/** Sensitivity runs for the window at (xc, yc). */
export function sensitivityWindow(grid: GridSource, window: number, xc: number, yc: number, nsim: number, settings: FitSettings & { seed?: number }): ParameterSamples {
  const spectrum = windowSpectrum(grid, window, xc, yc, settings);
  const objective = createObjective(spectrum, settings.priors, settings.weighted);
  return sensitivity(objective, settings.start, settings.bounds, spectrum.sigmaPhi, nsim, settings.seed);
}

/** Tanaka fits and Curie depth of one window: the fit coefficients, `Zb` and `eZb` (km). */
export type TanakaResult = TanakaFit & { Zb: number; eZb: number };

/** Tanaka et al. (1999) for the window at (xc, yc); the spectrum uses power 0.5 unless told otherwise. */
export function tanakaWindow(
  grid: GridSource,
  window: number,
  xc: number,
  yc: number,
  settings: WindowSpectrumSettings & { kminRange?: readonly [number, number]; kmaxRange?: readonly [number, number] },
): TanakaResult {
  const { k, Phi, sigmaPhi } = windowSpectrum(grid, window, xc, yc, { ...settings, power: settings.power ?? 0.5 });
  const fit = tanaka1999(k, Phi, sigmaPhi, settings.kminRange, settings.kmaxRange);
  return { ...fit, ...computeTanaka(fit.Ztr, fit.dZtr, fit.Zor, fit.dZor) };
}
