/**
 * `CurieOptimiser`: PyCurious's `CurieOptimise`, a thin façade over `inversion/` that fits the
 * Bouligand et al. (2009) model to the radial spectrum of a grid's windows.
 */
import type { NdArray } from 'ndarray';
import { CurieError, fmt } from './errors.js';
import { CurieGrid, type GridInput } from './CurieGrid.js';
import { type Bounds, defaultBounds, type FitResult } from './inversion/fit.js';
import { createObjective, misfit, PARAMETERS, type ParameterName } from './inversion/objective.js';
import { type Distribution, describePrior, type PriorSpec, toDistribution } from './inversion/priors.js';
import type { ParameterSamples } from './inversion/summary.js';
import { type FitSettings, type GridSource, optimiseWindow, sampleWindow, sensitivityWindow, type TanakaResult, tanakaWindow } from './inversion/window-routines.js';
import type { Raster } from './io/raster.js';
import type { Taper } from './spectrum/taper.js';

/** Starting values of the fit (PyCurious's defaults: β 3, z_t 1 km, Δz 10 km, C 5). */
export interface StartingValues {
  beta?: number;
  /** km */
  zt?: number;
  /** km */
  dz?: number;
  C?: number;
}

/** How each window's spectrum is made. */
export interface SpectrumOptions {
  /** Taper before the FFT (default 'hanning'). */
  taper?: Taper;
  /** Exponent of |FFT| (default 2, Bouligand). */
  power?: number;
  /** A function applied to each window before its spectrum (e.g. detrending), PyCurious's `process_subgrid`. */
  processSubgrid?: (window: NdArray<Float64Array>) => NdArray;
}

/** Options of {@link CurieOptimiser.optimise}. */
export interface OptimiseOptions extends StartingValues, SpectrumOptions {
  /** Weight each point by 1/sigmaPhi² (default false: PyCurious ignores sigmaPhi). */
  weighted?: boolean;
}

/** Options of {@link CurieOptimiser.metropolisHastings}. */
export interface MetropolisHastingsOptions extends StartingValues, SpectrumOptions {
  /** Proposal scale for β, z_t, Δz, C (default [1, 1, 1, 1]). */
  xScale?: ArrayLike<number>;
  /** Seed; the same seed gives the same samples (default 0). */
  seed?: number;
}

/** Options of {@link CurieOptimiser.sensitivity}. */
export interface SensitivityOptions extends StartingValues, SpectrumOptions {
  /** Seed; the same seed gives the same runs (default 0). */
  seed?: number;
}

/** Bounds as PyCurious writes them: `[[lower, upper], …]` for β, z_t, Δz, C; null/undefined for none. */
export type BoundsInput = Bounds | ReadonlyArray<readonly [number | null | undefined, number | null | undefined]>;

/** Options of the {@link CurieOptimiser} constructor. */
export interface CurieOptimiserOptions {
  bounds?: BoundsInput;
  priors?: Partial<Record<ParameterName, PriorSpec>>;
}

function normaliseBounds(input: BoundsInput): Bounds {
  const pairs = Array.isArray(input)
    ? (input as ReadonlyArray<readonly [number | null | undefined, number | null | undefined]>)
    : PARAMETERS.map((_, j) => [(input as Bounds).lower?.[j], (input as Bounds).upper?.[j]] as const);
  if (pairs.length !== 4) throw new CurieError('E_ARGUMENT', `bounds need 4 [lower, upper] pairs (β, z_t, Δz, C); got ${pairs.length}`);
  const bounds = defaultBounds();
  pairs.forEach(([lo, hi], j) => {
    const lower = lo ?? -Infinity, upper = hi ?? Infinity;
    if (Number.isNaN(lower) || Number.isNaN(upper) || !(lower < upper))
      throw new CurieError('E_ARGUMENT', `bounds of ${PARAMETERS[j]} [${fmt(lower)}, ${fmt(upper)}] must have lower < upper`);
    bounds.lower[j] = lower;
    bounds.upper[j] = upper;
  });
  return bounds;
}

/**
 * A magnetic-anomaly grid that fits the Curie depth of its windows (PyCurious's `CurieOptimise`).
 * Depths in km, windows and coordinates in metres.
 *
 * ```ts
 * const opt = CurieOptimiser.fromRaster(await loadGrid('anomaly.tif'));
 * opt.addPrior({ beta: [3, 0.5] });
 * const { curieDepth, misfit } = opt.optimise(200e3, xc, yc);
 * ```
 */
export class CurieOptimiser extends CurieGrid {
  #bounds: Bounds = defaultBounds();
  #priors: Record<ParameterName, Distribution | null> = { beta: null, zt: null, dz: null, C: null };

  /**
   * @param data grid values `[rows, cols]` (nT); coordinates of the first/last nodes in metres
   * @param options bounds (default β, z_t, Δz ≥ 0, C free) and priors
   */
  constructor(data: GridInput, xmin: number, xmax: number, ymin: number, ymax: number, options: CurieOptimiserOptions = {}) {
    super(data, xmin, xmax, ymin, ymax);
    if (options.bounds) this.bounds = options.bounds;
    if (options.priors) this.addPrior(options.priors);
  }

  /** An optimiser on a loaded {@link Raster}. */
  static override fromRaster(raster: Raster, options: CurieOptimiserOptions = {}): CurieOptimiser {
    return new CurieOptimiser(raster.data, raster.xmin, raster.xmax, raster.ymin, raster.ymax, options);
  }

  /** Bounds of β, z_t, Δz (km), C; set with `{ lower, upper }` or PyCurious's `[[lo, hi], …]` (null = none). */
  get bounds(): Bounds {
    return { lower: [...this.#bounds.lower], upper: [...this.#bounds.upper] };
  }
  set bounds(input: BoundsInput) {
    this.#bounds = normaliseBounds(input);
  }

  /**
   * Add priors: `{ beta: [mean, sd] }` (normal) or any distribution (`normal`, `uniform`,
   * `lognormal`, or `{ logpdf, sample }`). `E_ARGUMENT` for an unknown parameter or a bad prior.
   */
  addPrior(priors: Partial<Record<ParameterName, PriorSpec>>): void {
    const next = { ...this.#priors };
    for (const [name, spec] of Object.entries(priors)) {
      if (!(PARAMETERS as readonly string[]).includes(name)) throw new CurieError('E_ARGUMENT', `prior for unknown parameter '${name}'; use one of ${PARAMETERS.join(', ')}`);
      next[name as ParameterName] = spec === undefined ? null : toDistribution(spec, name);
    }
    this.#priors = next;
  }

  /** Remove all priors. */
  resetPriors(): void {
    this.#priors = { beta: null, zt: null, dz: null, C: null };
  }

  /** Each parameter's prior distribution, or null (PyCurious's `prior_pdf`). */
  get priorPdf(): Readonly<Record<ParameterName, Distribution | null>> {
    return { ...this.#priors };
  }

  /** Each prior's arguments (`[mean, sd]`, `[lower, upper]`, `[mu, sigma]`), null without a prior or for a custom one (PyCurious's `prior`). */
  get prior(): Readonly<Record<ParameterName, [number, number] | null>> {
    const out = { beta: null, zt: null, dz: null, C: null } as Record<ParameterName, [number, number] | null>;
    for (const name of PARAMETERS) {
      const d = this.#priors[name];
      out[name] = d ? (describePrior(d)?.args ?? null) : null;
    }
    return out;
  }

  #priorList(): Array<Distribution | undefined> {
    return PARAMETERS.map((name) => this.#priors[name] ?? undefined);
  }

  /**
   * The misfit at x = [β, z_t (km), Δz (km), C]: ½Σ(Φ_model − Phi)² (÷ sigmaPhi² when weighted)
   * plus each prior's −logpdf; 1e99 where not finite. Equals PyCurious's `min_func` for normal priors.
   */
  minFunc(x: ArrayLike<number>, k: ArrayLike<number>, Phi: ArrayLike<number>, sigmaPhi: ArrayLike<number>, options: { weighted?: boolean } = {}): number {
    if (!x || x.length !== 4) throw new CurieError('E_ARGUMENT', `x must be [beta, zt, dz, C]; got ${x?.length ?? 0} values`);
    return misfit(createObjective({ k, Phi, sigmaPhi }, this.#priorList(), options.weighted), x);
  }

  get #source(): GridSource {
    return { data: this.data, geometry: this };
  }

  /** Bounds, priors and starting point of a fit, with the spectrum options. */
  #settings(options: StartingValues & SpectrumOptions & { weighted?: boolean }): FitSettings {
    return {
      bounds: this.#bounds,
      priors: this.#priorList(),
      start: [options.beta ?? 3, options.zt ?? 1, options.dz ?? 10, options.C ?? 5],
      taper: options.taper,
      power: options.power,
      processSubgrid: options.processSubgrid,
      weighted: options.weighted,
    };
  }

  /**
   * Fit β, z_t, Δz and C to the radial spectrum of the window of side `window` metres at (xc, yc).
   * @returns parameters (z_t, Δz, Curie depth in km), the misfit, iterations and whether it converged
   *   (a fit that does not converge still returns the best point found)
   * @throws CurieError for a bad window, NaN in it, a start outside the bounds
   */
  optimise(window: number, xc: number, yc: number, options: OptimiseOptions = {}): FitResult {
    return optimiseWindow(this.#source, window, xc, yc, this.#settings(options));
  }

  /**
   * Metropolis–Hastings samples of β, z_t, Δz, C for the window at (xc, yc): `burnin` tempered
   * downhill steps, then `nsim` samples; seeded, and proposals outside the bounds are rejected.
   */
  metropolisHastings(window: number, xc: number, yc: number, nsim: number, burnin: number, options: MetropolisHastingsOptions = {}): ParameterSamples {
    return sampleWindow(this.#source, window, xc, yc, nsim, burnin, { ...this.#settings(options), xScale: options.xScale, seed: options.seed });
  }

  /**
   * Sensitivity analysis for the window at (xc, yc): `nsim` refits, each with priors moved to a
   * draw from themselves and the spectrum perturbed by its sigmaPhi; seeded.
   */
  sensitivity(window: number, xc: number, yc: number, nsim: number, options: SensitivityOptions = {}): ParameterSamples {
    return sensitivityWindow(this.#source, window, xc, yc, nsim, { ...this.#settings(options), seed: options.seed });
  }

  /**
   * Tanaka et al. (1999) for the window at (xc, yc): fits over `kminRange` and `kmaxRange`
   * (cycles/km; PyCurious's defaults 0.05–0.2) of a spectrum made with power 0.5 unless told
   * otherwise; returns the fits and the Curie depth `Zb` ± `eZb` (km).
   */
  tanaka(window: number, xc: number, yc: number, options: SpectrumOptions & { kminRange?: readonly [number, number]; kmaxRange?: readonly [number, number] } = {}): TanakaResult {
    return tanakaWindow(this.#source, window, xc, yc, options);
  }
}
