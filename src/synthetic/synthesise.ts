/**
 * `synthesiseAnomaly`: synthetic magnetic-anomaly rasters with a known Curie depth, for tests,
 * benchmarks and demonstrations of the spectral method.
 */
import ndarray from 'ndarray';
import { CurieError, fmt } from '../errors.js';
import { createRng } from '../rng.js';
import type { Raster } from '../io/raster.js';
import { layeredField, layeredLayout } from './layered.js';
import { DEFAULT_SPECTRAL_C, spectralField } from './spectral.js';
import { checkAllocation } from '../memory-budget.js';

/** Peak bytes per node of a synthesis and its GeoTIFF (measured: ~42 at 2000 × 2000, both methods). */
const SYNTHESIS_BYTES_PER_NODE = 48;

/**
 * How the field is made:
 * - `'spectral'`: random phases with an amplitude spectrum exactly that of Bouligand et al. (2009)
 *   (`spectralField`): its expected radial spectrum is the model the fit uses.
 * - `'layered'`: the 3-D forward model that made PyCurious's test grid, a fractal magnetisation
 *   in slabs from z_t to z_t + Δz (`layeredField`): the model's formula is an approximation of it,
 *   so fits are biased as on PyCurious's own grid.
 */
export type SyntheticMethod = 'spectral' | 'layered';

/** Options of {@link synthesiseAnomaly}. */
export interface SynthesiseOptions {
  /** Number of rows (y, south to north), an integer ≥ 8. */
  rows: number;
  /** Number of columns (x, west to east), an integer ≥ 8. */
  cols: number;
  /** Node spacing in metres, the same in x and y (> 0). */
  spacing: number;
  /** Depth to the top of the magnetic layer, km (≥ 0). */
  zt: number;
  /** Thickness of the magnetic layer, km (> 0): the Curie depth is z_t + Δz. */
  dz: number;
  /** Fractal exponent β of the 3-D magnetisation (power ∝ k^−β; 3 in PyCurious's test grid). > −1 for `'spectral'`. */
  beta: number;
  /** Seed of the random phases: the same options and seed give the same field bit for bit. */
  seed: number;
  /** Default `'spectral'`. */
  method?: SyntheticMethod;
  /**
   * `'spectral'` only: the constant C of ln Φ, with exp(Φ) the field's power spectral density in
   * units² · km² (see `spectralField`); default `DEFAULT_SPECTRAL_C` = 12, a standard deviation
   * of order 100 (nT). The `'layered'` field has PyCurious's amplitude (its test grid: sd 5.1e-7) and
   * takes no C: scale its values instead.
   */
  C?: number;
  /** Coordinate reference system to record on the raster (e.g. `'EPSG:32723'`); none unless given. */
  crs?: string;
  /**
   * `'spectral'` only. `'exact'` (default): every Fourier amplitude is the model's, only phases are
   * random, so spectra carry no sampling scatter. `'random'`: Rayleigh amplitudes too, a Gaussian
   * random field whose *expected* spectrum is the model, with the scatter real data have: the
   * field to calibrate intervals on.
   */
  amplitudes?: 'exact' | 'random';
}

function argument(message: string): CurieError {
  return new CurieError('E_ARGUMENT', message);
}

/**
 * The layered model's work grows with its slabs, Δz/spacing (rows·cols·L/16 terms, L = max(rows,
 * cols, slabs)), so Δz = 1e6 km would run for hours. Past 4 × the grid's side the layer is
 * spectrally infinite: at the grid's lowest wavenumber k = 2π/(side·spacing), e^{−kΔz} < e^{−8π}
 * ≈ 1e-11, so a thicker layer changes nothing the grid can show, and is refused.
 */
function checkLayerThickness(rows: number, cols: number, spacing: number, dz: number): void {
  const side = Math.max(rows, cols);
  const { slabs } = layeredLayout(rows, cols, spacing / 1000, dz);
  if (slabs > 4 * side)
    throw argument(
      `dz = ${fmt(dz)} km is ${fmt(slabs)} slabs of the ${fmt(spacing)} m spacing, more than 4 × the grid's side of ${side} nodes; a layer that thick looks infinitely thick to this grid: use dz ≤ ${fmt((4 * side * spacing) / 1000)} km`,
    );
}

function checkOptions(options: SynthesiseOptions): void {
  if (options === null || typeof options !== 'object')
    throw argument(`synthesiseAnomaly needs an options object; got ${String(options)}`);
  const { rows, cols, spacing, zt, dz, beta, seed, method = 'spectral', C, crs } = options;
  for (const [name, value] of [
    ['rows', rows],
    ['cols', cols],
  ] as const)
    if (!Number.isInteger(value) || value < 8)
      throw argument(`${name} = ${String(value)} must be an integer of at least 8`);
  checkAllocation(
    `synthesising a ${rows} × ${cols} grid`,
    SYNTHESIS_BYTES_PER_NODE * rows * cols,
    'use fewer rows or columns',
  );
  if (typeof spacing !== 'number' || !Number.isFinite(spacing) || spacing <= 0)
    throw argument(`spacing = ${String(spacing)} must be a positive number of metres`);
  if (typeof zt !== 'number' || !Number.isFinite(zt) || zt < 0)
    throw argument(`zt = ${String(zt)} must be a depth of at least 0 km`);
  if (typeof dz !== 'number' || !Number.isFinite(dz) || dz <= 0)
    throw argument(`dz = ${String(dz)} must be a positive thickness in km`);
  if (typeof beta !== 'number' || !Number.isFinite(beta))
    throw argument(`beta = ${String(beta)} must be a finite number`);
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw argument(`seed = ${String(seed)} must be a finite number`);
  if (method !== 'spectral' && method !== 'layered')
    throw argument(`method '${String(method)}' is not one of 'spectral', 'layered'`);
  if (method === 'layered') checkLayerThickness(rows, cols, spacing, dz);
  if (method === 'spectral' && !(beta > -1))
    throw argument(
      `beta = ${fmt(beta)} must be above -1 for the spectral method (the Bouligand model needs Γ((1+β)/2))`,
    );
  if (C !== undefined) {
    if (method === 'layered')
      throw argument(`C = ${String(C)} applies to method 'spectral' only; scale a layered field's values instead`);
    if (typeof C !== 'number' || !Number.isFinite(C)) throw argument(`C = ${String(C)} must be a finite number`);
  }
  if (options.amplitudes !== undefined && options.amplitudes !== 'exact' && options.amplitudes !== 'random')
    throw argument(`amplitudes '${String(options.amplitudes)}' is not one of 'exact', 'random'`);
  if (options.amplitudes === 'random' && method !== 'spectral')
    throw argument(`amplitudes 'random' applies to method 'spectral' only`);
  if (crs !== undefined && (typeof crs !== 'string' || crs === ''))
    throw argument(`crs ${JSON.stringify(crs)} must be a non-empty string such as 'EPSG:32723'`);
}

/**
 * A synthetic magnetic anomaly over a layer with a known top z_t and Curie depth z_t + Δz.
 *
 * The grid has `rows × cols` nodes `spacing` metres apart, at `(i + ½)·spacing` from 0 in x and y
 * (as PyCurious's test grid: 500 m, 1500 m, … for 1 km), so `xmin = ymin = spacing/2`,
 * `xmax = (cols − ½)·spacing`, `ymax = (rows − ½)·spacing`. The field is periodic over the grid (it
 * is made by one exact-size inverse FFT) and has zero mean. Cost: the spectral method is that FFT
 * and one pass over the grid; the layered one adds a sum over depth layers at every wavenumber
 * (layered.ts), so it is the slower of the two, and grows with dz. Both hold a few grid-sized
 * arrays (PyCurious's script holds a 305³ complex volume).
 *
 * ```ts
 * const raster = synthesiseAnomaly({ rows: 401, cols: 401, spacing: 1000, zt: 1, dz: 20, beta: 3, seed: 1 });
 * const fit = CurieOptimiser.fromRaster(raster).optimise(400e3, 200500, 200500); // curieDepth ≈ 21 km
 * ```
 *
 * @returns a {@link Raster} (values in nT-like units for `'spectral'`, PyCurious's units for
 *   `'layered'`), with `crs` only when given
 * @throws CurieError `E_ARGUMENT` naming the bad value: rows/cols not integers ≥ 8, spacing ≤ 0,
 *   zt < 0, dz ≤ 0, a non-finite beta, seed or C, an unknown method, C with `'layered'`,
 *   beta ≤ −1 with `'spectral'`, a `'layered'` dz over 4 × the grid's side (work grows with dz);
 *   `E_MEMORY` when rows × cols exceed the memory budget
 */
export function synthesiseAnomaly(options: SynthesiseOptions): Raster {
  checkOptions(options);
  const {
    rows,
    cols,
    spacing,
    zt,
    dz,
    beta,
    seed,
    method = 'spectral',
    C = DEFAULT_SPECTRAL_C,
    crs,
    amplitudes = 'exact',
  } = options;
  const rng = createRng(seed);
  const spacingKm = spacing / 1000;
  const values =
    method === 'spectral'
      ? spectralField(rows, cols, spacingKm, { beta, zt, dz, C }, rng, amplitudes === 'random')
      : layeredField(rows, cols, spacingKm, { beta, zt, dz }, rng);
  const raster: Raster = {
    data: ndarray(values, [rows, cols]),
    xmin: 0.5 * spacing,
    xmax: (cols - 0.5) * spacing,
    ymin: 0.5 * spacing,
    ymax: (rows - 0.5) * spacing,
  };
  if (crs !== undefined) raster.crs = crs;
  return raster;
}
