/**
 * Everything that is done to one window, as pure functions of the grid and the settings: cut the
 * window, process it, take its radial spectrum, then fit, sample or run Tanaka. The
 * `CurieOptimiser` methods and the parallel workers both call these, so a window gives the same
 * numbers whichever thread computes it.
 */
import ndarray, { type NdArray } from 'ndarray';
import { fmt } from '../errors.js';
import { checkSignal } from '../grid/window-data.js';
import { rowParity } from '../spectrum/window-fft.js';
import type { GridGeometry } from '../grid/geometry.js';
import { nearestIndex, subgrid, windowHalfWidth } from '../grid/windows.js';
import { computeTanaka, tanaka1999, type TanakaFit } from '../models/tanaka.js';
import {
  type RadialSpectrum,
  radialSpectraSharingColumns,
  radialSpectrum,
  wavenumberStep,
} from '../spectrum/radial.js';
import { cachedTaperSet, isMultitaper, type Taper } from '../spectrum/taper.js';
import { type Convention, defaultTaper, tanakaPower } from '../spectrum/convention.js';
import type { Bounds } from './bounds.js';
import type { FitResult } from './fit.js';
import { fitGlobal } from './global-fit.js';
import { MULTITAPER_LIKELIHOOD_SCALE } from './likelihood-scale.js';
import { spectralWindowBias } from './spectral-window.js';
import { type ChainOptions, metropolisHastings } from './mcmc.js';
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
  /** dk and Tanaka's power (see convention.ts); default `'default'`. */
  convention?: Convention;
  /** Applied to each window before its spectrum (PyCurious's `process_subgrid`). */
  processSubgrid?: (window: NdArray<Float64Array>) => NdArray;
}

/** What a fit needs besides the spectrum. */
export interface FitSettings extends WindowSpectrumSettings {
  bounds: Bounds;
  /** Prior of β, z_t, Δz, C (undefined = none). */
  priors: ReadonlyArray<Distribution | undefined>;
  /** Starting [β, z_t, Δz, C]: a hint for the global fit. */
  start: readonly [number, number, number, number];
  /** Probability of the intervals (default 0.9). */
  level?: number;
}

/** The radial spectrum of the window of side `window` metres at (xc, yc), after `processSubgrid`. */
export function windowSpectrum(
  grid: GridSource,
  window: number,
  xc: number,
  yc: number,
  settings: WindowSpectrumSettings,
): RadialSpectrum {
  const sub = subgrid(grid.data, grid.geometry, window, xc, yc) as NdArray<Float64Array>;
  // The hook gets a copy: user code must not change the shared grid (other windows, other threads).
  const processed = settings.processSubgrid ? settings.processSubgrid(copyWindow(sub)) : sub;
  checkSignal(processed, windowName(xc, yc));
  return radialSpectrum(processed, grid.geometry.dx, {
    taper: settings.taper,
    power: settings.power,
    convention: settings.convention,
  });
}

/**
 * The radial spectra of many windows of side `window` metres, centred at (xc[i], yc[i]), one per
 * centroid in the order given: each a {@link RadialSpectrum}, or the error that window's
 * {@link windowSpectrum} would throw (outside the grid, NaN in the window, …). The windows centred
 * on the same grid column share their rows' Fourier transforms (see `radialSpectraSharingColumns`):
 * the spectra are bit-identical to {@link windowSpectrum}'s, whatever windows come together. A
 * column's windows are computed when the first of them is reached. With `processSubgrid`, which
 * may change any window, each window is done on its own.
 */
export function* windowSpectra(
  grid: GridSource,
  window: number,
  xc: ArrayLike<number>,
  yc: ArrayLike<number>,
  settings: WindowSpectrumSettings,
): Generator<RadialSpectrum | Error, void, undefined> {
  const total = xc.length;
  if (settings.processSubgrid) {
    for (let i = 0; i < total; i++) {
      let result: RadialSpectrum | Error;
      try {
        result = windowSpectrum(grid, window, xc[i], yc[i], settings);
      } catch (error) {
        result = asError(error);
      }
      yield result;
    }
    return;
  }
  const { geometry } = grid;
  // Check every window as subgrid does (same errors), and group the valid ones by centre column.
  const results = new Array<RadialSpectrum | Error | undefined>(total);
  const rowOf = new Int32Array(total);
  const groupOf = new Int32Array(total).fill(-1);
  const columns: number[] = [];
  const members: number[][] = [];
  const byColumn = new Map<number, number>();
  let h = 0;
  for (let i = 0; i < total; i++) {
    try {
      checkSignal(subgrid(grid.data, geometry, window, xc[i], yc[i]), windowName(xc[i], yc[i]));
    } catch (error) {
      results[i] = asError(error);
      continue;
    }
    h = windowHalfWidth(window, geometry.dx);
    const ix = nearestIndex(geometry.xcoords, xc[i]);
    rowOf[i] = nearestIndex(geometry.ycoords, yc[i]) - h;
    let group = byColumn.get(ix);
    if (group === undefined) {
      group = columns.length;
      byColumn.set(ix, group);
      columns.push(ix);
      members.push([]);
    }
    members[group].push(i);
    groupOf[i] = group;
  }
  for (let i = 0; i < total; i++) {
    const group = groupOf[i];
    if (group >= 0 && results[i] === undefined) {
      const windows = members[group];
      let spectra: Array<RadialSpectrum | Error>;
      try {
        spectra = radialSpectraSharingColumns(
          grid.data,
          geometry.dx,
          2 * h + 1,
          columns[group] - h,
          windows.map((j) => rowOf[j]),
          { taper: settings.taper, power: settings.power, convention: settings.convention },
        );
      } catch (error) {
        spectra = windows.map(() => asError(error));
      }
      windows.forEach((j, k) => (results[j] = spectra[k]));
    }
    const result = results[i]!;
    results[i] = undefined;
    yield result;
  }
}

/** How errors name a window: by its requested centre, metres. */
function windowName(xc: number, yc: number): string {
  return `window at (${fmt(xc)}, ${fmt(yc)})`;
}

/**
 * A contiguous copy of a window (a view of the shared grid), for user hooks. It starts one row into
 * its buffer when the view's first row is odd in the grid, so its rows pair for the FFT as the
 * view's do (see window-fft.ts) and a hook that changes nothing gives the view's spectrum bit for bit.
 */
function copyWindow(window: NdArray<Float64Array>): NdArray<Float64Array> {
  const [rows, cols] = window.shape;
  const skip = rowParity(window.offset, window.stride[0]) * cols;
  const copy = new Float64Array(skip + rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) copy[skip + r * cols + c] = window.get(r, c);
  return ndarray(copy, [rows, cols], [cols, 1], skip);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The global fit of β, z_t, Δz, C to a window's spectrum, with intervals and a verdict (the fit of
 * {@link optimiseWindow}). With a multitaper (default convention), whose three-bin spectral window
 * bends the lowest bins, the fit is made twice: the bias that window puts on each bin under the
 * first fit's model ({@link spectralWindowBias}) is removed from Φ and the second fit, intervals and
 * verdict are of the corrected spectrum (one fixed-point step: the bias moves little with the
 * model). A single taper's bias is left, below 3 % of the depth where Δz is resolvable (Hann, noise-
 * free thick layer: 17.57 km for 18) and well inside its intervals.
 * @param geometry `dx` (m) of the grid and the window's side (m), for the verdict's rules
 */
export function fitWindowSpectrum(
  spectrum: RadialSpectrum,
  settings: FitSettings,
  geometry: { dx: number; window: number },
): FitResult {
  createObjective(spectrum, settings.priors); // the same checks (NaN, too few points) as every routine
  const n = 2 * windowHalfWidth(geometry.window, geometry.dx) + 1;
  const options = {
    convention: settings.convention ?? 'default',
    level: settings.level,
    spacingKm: geometry.dx / 1000,
    windowKm: (n * geometry.dx) / 1000,
  };
  const corrected = withoutSpectralWindowBias(spectrum, settings, geometry);
  if (!corrected) return fitGlobal(spectrum, settings.priors, settings.bounds, settings.start, options);
  const fit = fitGlobal(corrected.spectrum, settings.priors, settings.bounds, settings.start, {
    ...options,
    likelihoodScale: MULTITAPER_LIKELIHOOD_SCALE,
  });
  return { ...fit, spectrumBias: corrected.bias };
}

/**
 * A multitaper spectrum (default convention) less the bias its spectral window puts on each bin
 * under the model of a first fit ({@link spectralWindowBias}): what every Bouligand routine fits and
 * samples. One fixed-point step, as the bias moves little with the model. Undefined for a single
 * taper or under PyCurious 1.1's convention, whose spectra are fitted as they are.
 */
function withoutSpectralWindowBias(
  spectrum: RadialSpectrum,
  settings: FitSettings,
  geometry: { dx: number; window: number },
): { spectrum: RadialSpectrum; bias: Float64Array } | undefined {
  const convention = settings.convention ?? 'default';
  const taper = settings.taper ?? defaultTaper(convention);
  if (convention === 'pycurious-1.1' || !isMultitaper(taper)) return undefined;
  const n = 2 * windowHalfWidth(geometry.window, geometry.dx) + 1;
  const first = fitGlobal(spectrum, settings.priors, settings.bounds, settings.start, { convention, intervals: false });
  const bias = spectralWindowBias({
    beta: first.beta,
    zt: first.zt,
    dz: first.dz,
    dk: wavenumberStep(n, geometry.dx, convention),
    tapers: cachedTaperSet(taper, n),
    k: spectrum.k,
  });
  return { spectrum: { ...spectrum, Phi: spectrum.Phi.map((value, i) => value - bias[i]) }, bias };
}

/** Fit β, z_t, Δz, C to the window at (xc, yc) (PyCurious's `optimise`), globally, with intervals and a verdict. */
export function optimiseWindow(
  grid: GridSource,
  window: number,
  xc: number,
  yc: number,
  settings: FitSettings,
): FitResult {
  return fitWindowSpectrum(windowSpectrum(grid, window, xc, yc, settings), settings, { dx: grid.geometry.dx, window });
}

/** The objective of MCMC and sensitivity runs: the convention's misfit (σ of each bin's mean, or unweighted under PyCurious 1.1). */
function samplingObjective(spectrum: RadialSpectrum, settings: FitSettings) {
  const weighted = (settings.convention ?? 'default') !== 'pycurious-1.1';
  return createObjective(
    { ...spectrum, sigmaPhi: weighted ? spectrum.sigmaMean : spectrum.sigmaPhi },
    settings.priors,
    weighted,
  );
}

/** Metropolis–Hastings samples for the window at (xc, yc). */
export function sampleWindow(
  grid: GridSource,
  window: number,
  xc: number,
  yc: number,
  nsim: number,
  burnin: number,
  settings: FitSettings & ChainOptions,
): ParameterSamples {
  const raw = windowSpectrum(grid, window, xc, yc, settings);
  const corrected = withoutSpectralWindowBias(raw, settings, { dx: grid.geometry.dx, window });
  const spectrum = corrected?.spectrum ?? raw;
  const objective = samplingObjective(spectrum, settings);
  // By default the chain starts at the global fit (the start values are its hint): from PyCurious's
  // start the weighted misfit is ~1e4, past the 1e-99 floor of its acceptance rule, and no step is
  // ever taken. Under PyCurious 1.1's convention it starts where PyCurious's does.
  let start: ArrayLike<number> = settings.start;
  if ((settings.convention ?? 'default') !== 'pycurious-1.1') {
    const fit = fitGlobal(spectrum, settings.priors, settings.bounds, settings.start, {
      convention: 'default',
      intervals: false,
    });
    start = [fit.beta, fit.zt, fit.dz, fit.C];
  }
  return metropolisHastings(objective, start, settings.bounds, nsim, burnin, {
    xScale: settings.xScale,
    seed: settings.seed,
  });
}

/** Sensitivity runs for the window at (xc, yc). */
export function sensitivityWindow(
  grid: GridSource,
  window: number,
  xc: number,
  yc: number,
  nsim: number,
  settings: FitSettings & { seed?: number },
): ParameterSamples {
  const raw = windowSpectrum(grid, window, xc, yc, settings);
  const spectrum = withoutSpectralWindowBias(raw, settings, { dx: grid.geometry.dx, window })?.spectrum ?? raw;
  const objective = samplingObjective(spectrum, settings);
  return sensitivity(
    objective,
    settings.start,
    settings.bounds,
    spectrum.sigmaMean,
    nsim,
    settings.seed,
    settings.convention ?? 'default',
  );
}

/** Tanaka fits and Curie depth of one window: the fit coefficients, `Zb` and `eZb` (km). */
export type TanakaResult = TanakaFit & { Zb: number; eZb: number };

/** Tanaka et al. (1999) for the window at (xc, yc); the spectrum uses the convention's power (1; 0.5 under PyCurious 1.1) unless told otherwise. */
export function tanakaWindow(
  grid: GridSource,
  window: number,
  xc: number,
  yc: number,
  settings: WindowSpectrumSettings & { kminRange?: readonly [number, number]; kmaxRange?: readonly [number, number] },
): TanakaResult {
  const { k, Phi, sigmaPhi } = windowSpectrum(grid, window, xc, yc, {
    ...settings,
    power: settings.power ?? tanakaPower(settings.convention ?? 'default'),
  });
  const fit = tanaka1999(k, Phi, sigmaPhi, settings.kminRange, settings.kmaxRange, { convention: settings.convention });
  return { ...fit, ...computeTanaka(fit.Ztr, fit.dZtr, fit.Zor, fit.dZor) };
}
