/**
 * `CurieOptimiser`: PyCurious's `CurieOptimise`, a thin façade over `inversion/` that fits the
 * Bouligand et al. (2009) model to the radial spectrum of a grid's windows.
 */
import type { NdArray } from 'ndarray';
import { CurieError, describeValue, fmt } from './errors.js';
import { CurieGrid, type CurieGridOptions, type GridInput } from './CurieGrid.js';
import { type Bounds, defaultBounds } from './inversion/bounds.js';
import type { FitResult } from './inversion/fit.js';
import { checkLevel } from './inversion/global-fit.js';
import { checkRoutineArguments } from './inversion/arguments.js';
import { type VerdictName, VERDICTS } from './inversion/verdict.js';
import { createObjective, misfit, PARAMETERS, type ParameterName } from './inversion/objective.js';
import { type Distribution, describePrior, type PriorSpec, toDistribution } from './inversion/priors.js';
import type { ChainOptions } from './inversion/mcmc.js';
import type { ParameterSamples } from './inversion/summary.js';
import {
  type FitSettings,
  type GridSource,
  optimiseWindow,
  sampleWindow,
  sensitivityWindow,
  type TanakaResult,
  tanakaWindow,
} from './inversion/window-routines.js';
import type { Raster } from './io/raster.js';
import { isModuleRef, loadModuleExport, type ModuleRef } from './parallel/module-ref.js';
import { closeIdlePools, type MapRequest, type MapRunOptions, type MapView, runMap } from './parallel/pool.js';
import { type GridHandle, ROUTINES, type RoutineName, fitRow, TABLE_COLUMNS } from './parallel/protocol.js';
import { mapBytesPerWindow, type RoutineArguments, serialiseSettings } from './parallel/settings.js';
import { checkAllocation } from './memory-budget.js';
import type { RadialSpectrum } from './spectrum/radial.js';
import { type Taper, taperWeights } from './spectrum/taper.js';
import { windowHalfWidth } from './grid/windows.js';

/** PyCurious's start values [β, z_t (km), Δz (km), C]. */
const DEFAULT_START = [3, 1, 10, 5] as const;

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
  /** Taper before the FFT (default 'hanning'); a custom one for worker threads as `{ module, export }`. */
  taper?: Taper | ModuleRef;
  /** Exponent of |FFT| (default 2, Bouligand). */
  power?: number;
  /**
   * A function applied to each window before its spectrum (e.g. detrending), PyCurious's
   * `process_subgrid`; for worker threads as `{ module, export }` (a module exporting the function).
   */
  processSubgrid?: ((window: NdArray<Float64Array>) => NdArray) | ModuleRef;
}

/** Options of {@link CurieOptimiser.optimise}. */
export interface OptimiseOptions extends StartingValues, SpectrumOptions {
  /** Probability of the intervals, in (0, 1); default 0.9. */
  level?: number;
}

/** Options of {@link CurieOptimiser.metropolisHastings}: the fit's start and spectrum, and the chain's proposal scales and seed. */
export interface MetropolisHastingsOptions extends StartingValues, SpectrumOptions, ChainOptions {}

/** Options of {@link CurieOptimiser.sensitivity}. */
export interface SensitivityOptions extends StartingValues, SpectrumOptions {
  /** Seed; the same seed gives the same runs (default 0). */
  seed?: number;
}

/** Bounds as PyCurious writes them: `[[lower, upper], …]` for β, z_t, Δz, C; null/undefined for none. */
export type BoundsInput = Bounds | ReadonlyArray<readonly [number | null | undefined, number | null | undefined]>;

/** One window of {@link CurieOptimiser.optimiseRoutine}, as handed to `onWindow` (depths in km). */
export interface OptimiseRoutineRow extends Pick<FitResult, 'beta' | 'zt' | 'dz' | 'C' | 'curieDepth' | 'misfit'> {
  /** The Curie depth's interval at the map's level, km; high is Infinity where the data do not bound it. */
  curieDepthLow: number;
  curieDepthHigh: number;
  /** 'resolved', 'lower-bound' or 'unresolved'. */
  verdict: VerdictName;
  status: number;
  /** Why, when status is not 0. */
  message?: string;
}

/** Options of {@link CurieOptimiser.optimiseRoutine}: `optimise`'s options plus how the map runs. */
export interface OptimiseRoutineOptions extends OptimiseOptions, MapRunOptions {
  /** Called for each window in centroid order, as soon as it and every window before it are done (streaming). */
  onWindow?: (index: number, row: OptimiseRoutineRow) => void;
}

/** Result of {@link CurieOptimiser.optimiseRoutine}: one entry per centroid, in the order given. */
export interface OptimiseRoutineResult {
  beta: Float64Array;
  /** km */
  zt: Float64Array;
  /** km */
  dz: Float64Array;
  C: Float64Array;
  /** z_t + Δz, km. */
  curieDepth: Float64Array;
  misfit: Float64Array;
  /** Low and high ends of each Curie depth's interval at `level` (default 90 %), km; high is Infinity where the data do not bound it. */
  curieDepthLow: Float64Array;
  curieDepthHigh: Float64Array;
  /** 0 resolved, 1 lower-bound, 2 unresolved (and windows that failed); see `VERDICTS`. */
  verdict: Uint8Array;
  /** 0 ok, 1 not converged (best point kept), 2 window error (values NaN), 3 worker failure (values NaN). */
  status: Uint8Array;
  /** Why, for every window whose status is not 0. */
  messages: Map<number, string>;
}

/** What each routine of {@link CurieOptimiser.parallelise} returns for a window that did not fail. */
export interface RoutineResults {
  optimise: FitResult;
  metropolisHastings: ParameterSamples;
  sensitivity: ParameterSamples;
  tanaka: TanakaResult;
  radialSpectrum: RadialSpectrum;
}

/** Options of {@link CurieOptimiser.parallelise}: the routine's arguments by name, plus how the map runs. */
export interface ParalleliseOptions<R extends RoutineName = RoutineName>
  extends OptimiseOptions, RoutineArguments, MapRunOptions {
  /** Called for each window in centroid order, as soon as it and every window before it are done (streaming). */
  onResult?: (index: number, result: RoutineResults[R] | WindowFailure) => void;
}

/** Whether a result of {@link CurieOptimiser.parallelise} is a failed window (narrows the type for TypeScript). */
export function isWindowFailure(result: unknown): result is WindowFailure {
  return (
    result !== null &&
    typeof result === 'object' &&
    'status' in result &&
    'message' in result &&
    !('beta' in result) &&
    !('k' in result) &&
    !('Zb' in result) &&
    !('summary' in result)
  );
}

/** A window that failed in {@link CurieOptimiser.parallelise}. */
export interface WindowFailure {
  /** 2: the window's routine threw (its message says why); 3: a worker thread died twice computing it. */
  status: 2 | 3;
  message: string;
}

/** Options of the {@link CurieOptimiser} constructor. */
export interface CurieOptimiserOptions extends CurieGridOptions {
  bounds?: BoundsInput;
  priors?: Partial<Record<ParameterName, PriorSpec>>;
}

function normaliseBounds(input: BoundsInput): Bounds {
  const isObject =
    input !== null && typeof input === 'object' && !Array.isArray(input) && ('lower' in input || 'upper' in input);
  if (!Array.isArray(input) && !isObject)
    throw new CurieError(
      'E_ARGUMENT',
      `bounds ${describeValue(input)} must be [[lower, upper], …] for β, z_t, Δz, C (null for none) or { lower, upper }`,
    );
  const pairs = Array.isArray(input)
    ? (input as ReadonlyArray<readonly [number | null | undefined, number | null | undefined]>)
    : PARAMETERS.map((_, j) => [input.lower?.[j], input.upper?.[j]] as const);
  if (pairs.length !== 4)
    throw new CurieError('E_ARGUMENT', `bounds need 4 [lower, upper] pairs (β, z_t, Δz, C); got ${pairs.length}`);
  const bounds = defaultBounds();
  pairs.forEach((pair, j) => {
    if (!Array.isArray(pair) || pair.length !== 2)
      throw new CurieError(
        'E_ARGUMENT',
        `bounds of ${PARAMETERS[j]} ${describeValue(pair)} must be a pair [lower, upper] (null for none)`,
      );
    for (const end of pair)
      if (end !== null && end !== undefined && typeof end !== 'number')
        throw new CurieError(
          'E_ARGUMENT',
          `bounds of ${PARAMETERS[j]}: ${describeValue(end)} must be a number, or null for none`,
        );
    const [lo, hi] = pair;
    const lower = lo ?? -Infinity,
      upper = hi ?? Infinity;
    if (Number.isNaN(lower) || Number.isNaN(upper) || !(lower < upper))
      throw new CurieError(
        'E_ARGUMENT',
        `bounds of ${PARAMETERS[j]} [${fmt(lower)}, ${fmt(upper)}] must have lower < upper`,
      );
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
  #handle: GridHandle | undefined;
  #bounds: Bounds = defaultBounds();
  #priors: Record<ParameterName, Distribution | null> = { beta: null, zt: null, dz: null, C: null };

  /**
   * @param data grid values `[rows, cols]` (nT); coordinates of the first/last nodes in metres
   * @param options bounds (default β, z_t, Δz ≥ 0, C free) and priors
   */
  constructor(
    data: GridInput,
    xmin: number,
    xmax: number,
    ymin: number,
    ymax: number,
    options: CurieOptimiserOptions = {},
  ) {
    super(data, xmin, xmax, ymin, ymax, options);
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
  /** Replace the bounds; `E_ARGUMENT` for bounds that are not numbers (or null) in pairs. */
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
      if (!(PARAMETERS as readonly string[]).includes(name))
        throw new CurieError(
          'E_ARGUMENT',
          `prior for unknown parameter '${name}'; use one of ${PARAMETERS.join(', ')}`,
        );
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
   * The misfit at x = [β, z_t (km), Δz (km), C]: ½Σ((Φ_model − Phi)/sigma)² plus each prior's
   * −logpdf; 1e99 where not finite. Weighted by default (pass the spectrum's `sigmaMean`, the error
   * of each bin's mean, as `sigma`); unweighted under `convention: 'pycurious-1.1'` (or
   * `weighted: false`), where it equals PyCurious's `min_func` for normal priors.
   */
  minFunc(
    x: ArrayLike<number>,
    k: ArrayLike<number>,
    Phi: ArrayLike<number>,
    sigma: ArrayLike<number>,
    options: { weighted?: boolean } = {},
  ): number {
    if (!x || x.length !== 4)
      throw new CurieError('E_ARGUMENT', `x must be [beta, zt, dz, C]; got ${x?.length ?? 0} values`);
    const weighted = options.weighted ?? this.convention !== 'pycurious-1.1';
    return misfit(createObjective({ k, Phi, sigmaPhi: sigma }, this.#priorList(), weighted), x);
  }

  get #source(): GridSource {
    return { data: this.data, geometry: this };
  }

  /** Bounds, priors and starting point of a fit, with the spectrum options (module references loaded). */
  #settings(options: StartingValues & SpectrumOptions & { level?: number }): FitSettings {
    return {
      bounds: this.#bounds,
      priors: this.#priorList(),
      // PyCurious's start values, moved inside the bounds where the user narrowed them (a start is
      // only the global fit's hint); start values the user gives must lie inside.
      start: [options.beta, options.zt, options.dz, options.C].map(
        (given, j) => given ?? Math.min(this.#bounds.upper[j], Math.max(this.#bounds.lower[j], DEFAULT_START[j])),
      ) as [number, number, number, number],
      taper: isModuleRef(options.taper) ? loadModuleExport<Taper>(options.taper) : options.taper,
      power: options.power,
      processSubgrid: isModuleRef(options.processSubgrid)
        ? loadModuleExport(options.processSubgrid)
        : options.processSubgrid,
      convention: this.convention,
      level: checkLevel(options.level),
    };
  }

  /** The grid as a handle for workers: its values on a SharedArrayBuffer (copied there once if they are not). */
  #gridHandle(): GridHandle {
    if (!this.#handle) {
      let values = this.data.data;
      if (!(values.buffer instanceof SharedArrayBuffer)) {
        const shared = new Float64Array(new SharedArrayBuffer(values.byteLength));
        shared.set(values);
        values = shared;
      }
      this.#handle = {
        id: globalThis.crypto.randomUUID(),
        buffer: values.buffer as SharedArrayBuffer,
        offset: values.byteOffset / 8,
        rows: this.ny,
        cols: this.nx,
        xmin: this.xmin,
        xmax: this.xmax,
        ymin: this.ymin,
        ymax: this.ymax,
      };
    }
    return this.#handle;
  }

  /**
   * Check a map's arguments without running it: the errors {@link optimiseRoutine} and
   * {@link parallelise} throw before computing any window (a window too small for a spectrum or
   * larger than the grid, start values outside the bounds or deeper than the Earth, a power ≤ 0, a
   * level outside (0, 1), bad `nsim`, `seed`, frequency ranges…), e.g. to fail before opening an output.
   * @throws CurieError naming the value
   */
  checkArguments(routine: RoutineName, window: number, options: ParalleliseOptions = {}): void {
    this.#checked(routine, window, options);
  }

  /** {@link checkArguments}, returning the settings it checked. */
  #checked(routine: RoutineName, window: number, options: ParalleliseOptions): FitSettings {
    if (!ROUTINES.includes(routine))
      throw new CurieError('E_ARGUMENT', `unknown routine '${routine}'; use one of ${ROUTINES.join(', ')}`);
    const settings = this.#settings(options);
    // A taper function is called once, here, for the map's window size: every window of every
    // thread then uses the same weights, whatever the function does from call to call.
    if (typeof settings.taper === 'function')
      settings.taper = { weights: taperWeights(settings.taper, 2 * windowHalfWidth(window, this.dx) + 1) };
    checkRoutineArguments(this, {
      routine,
      window,
      settings,
      nsim: options.nsim,
      burnin: options.burnin,
      xScale: options.xScale,
      seed: options.seed,
      kminRange: options.kminRange,
      kmaxRange: options.kmaxRange,
    });
    return settings;
  }

  /** Run `routine` on every centroid with the shared worker pool (or in this thread for `workers: 0`). */
  async #map(
    routine: RoutineName,
    window: number,
    xc: ArrayLike<number>,
    yc: ArrayLike<number>,
    options: ParalleliseOptions,
    collect: MapRequest['collect'],
    onWindow?: (index: number, view: MapView) => void,
  ) {
    const checked = this.#checked(routine, window, options);
    if (!xc || !yc || xc.length !== yc.length)
      throw new CurieError(
        'E_ARGUMENT',
        `xc and yc must be lists of the same length; got ${xc?.length} and ${yc?.length}`,
      );
    const shared = (values: ArrayLike<number>) => {
      const out = new Float64Array(new SharedArrayBuffer(8 * Math.max(values.length, 1))).subarray(0, values.length);
      out.set(Array.from(values));
      return out;
    };
    checkAllocation(
      `a ${routine} map of ${xc.length} windows`,
      xc.length * mapBytesPerWindow(routine, options.nsim),
      'use fewer windows (a larger spacing of centres)',
    );
    const live = options.workers === 0;
    const settings = serialiseSettings(checked, options, live);
    return runMap(
      { grid: this.#gridHandle(), xc: shared(xc), yc: shared(yc), routine, window, settings, collect },
      { workers: options.workers, signal: options.signal, onProgress: options.onProgress, onWindow },
    );
  }

  /**
   * Fit every window of side `window` metres centred on (xc[i], yc[i]) in parallel worker threads
   * (PyCurious's `optimise_routine`). Index i of every result belongs to centroid i as given,
   * whichever worker finished first; results are identical for any number of workers.
   * A window that fails gets status 2 and its message; the others finish.
   * @throws AbortError when `signal` aborts; CurieError for bad arguments (e.g. a plain function
   *   as `processSubgrid` with workers > 0: pass `{ module, export }`)
   */
  async optimiseRoutine(
    window: number,
    xc: ArrayLike<number>,
    yc: ArrayLike<number>,
    options: OptimiseRoutineOptions = {},
  ): Promise<OptimiseRoutineResult> {
    const n = xc.length;
    const { onWindow } = options;
    const stream = onWindow
      ? (i: number, view: MapView) => {
          const row = fitRow((column) => view.fitTable![TABLE_COLUMNS.indexOf(column) * n + i]);
          const message = view.messages.get(i);
          onWindow(i, {
            ...row,
            verdict: VERDICTS[row.verdict],
            status: view.status[i],
            ...(message === undefined ? {} : { message }),
          });
        }
      : undefined;
    const outcome = await this.#map('optimise', window, xc, yc, options, 'fitTable', stream);
    const column = (j: number) => outcome.fitTable!.subarray(j * n, (j + 1) * n);
    const [beta, zt, dz, C, curieDepth, misfit, curieDepthLow, curieDepthHigh, verdict] = TABLE_COLUMNS.map((_, j) =>
      column(j),
    );
    return {
      beta,
      zt,
      dz,
      C,
      curieDepth,
      misfit,
      curieDepthLow,
      curieDepthHigh,
      verdict: Uint8Array.from(verdict),
      status: outcome.status,
      messages: outcome.messages,
    };
  }

  /**
   * Run a single-window routine on every centroid in parallel (PyCurious's `parallelise_routine`):
   * `'optimise'`, `'metropolisHastings'` (options `nsim`, `burnin`, `xScale`, `seed`),
   * `'sensitivity'` (`nsim`, `seed`), `'tanaka'` (`kminRange`, `kmaxRange`) or `'radialSpectrum'`.
   * Returns, for each centroid in order, what the single-window routine returns for it, or
   * `{ status, message }` when it failed. Random streams are seeded per window from `seed` and the
   * window's centre (see `windowSeed`), so shuffling the centroids changes nothing. The result type
   * follows the routine (`parallelise('sensitivity', …)` gives `ParameterSamples | WindowFailure`):
   * narrow each with {@link isWindowFailure}.
   */
  async parallelise<R extends RoutineName>(
    routine: R,
    window: number,
    xc: ArrayLike<number>,
    yc: ArrayLike<number>,
    options: ParalleliseOptions<R> = {},
  ): Promise<Array<RoutineResults[R] | WindowFailure>> {
    const { onResult } = options;
    const stream = onResult
      ? (i: number, view: MapView) => onResult(i, view.results![i] as RoutineResults[R] | WindowFailure)
      : undefined;
    const outcome = await this.#map(routine, window, xc, yc, options as ParalleliseOptions, 'results', stream);
    return outcome.results as Array<RoutineResults[R] | WindowFailure>;
  }

  /**
   * End the idle worker threads now (they are recreated by the next map; idle workers also end by
   * themselves a second after their last map). The threads are shared by every optimiser of this
   * thread: one running another map finishes it.
   */
  async close(): Promise<void> {
    await closeIdlePools();
  }

  /**
   * Fit β, z_t, Δz and C to the radial spectrum of the window of side `window` metres at (xc, yc).
   * @returns parameters (z_t, Δz, Curie depth in km), the misfit, iterations and whether it converged
   *   (a fit that does not converge still returns the best point found)
   * @throws CurieError for a bad window, NaN in it, a start outside the bounds
   */
  optimise(window: number, xc: number, yc: number, options: OptimiseOptions = {}): FitResult {
    return optimiseWindow(this.#source, window, xc, yc, this.#checked('optimise', window, options));
  }

  /**
   * Metropolis–Hastings samples of β, z_t, Δz, C for the window at (xc, yc), from the global fit
   * (the start values are its hint; from the start values themselves under `'pycurious-1.1'`, as
   * PyCurious): `burnin` tempered downhill steps, then `nsim` samples; seeded,
   * proposals outside the bounds rejected; reports its acceptance rate and effective sample sizes.
   */
  metropolisHastings(
    window: number,
    xc: number,
    yc: number,
    nsim: number,
    burnin: number,
    options: MetropolisHastingsOptions = {},
  ): ParameterSamples {
    const settings = this.#checked('metropolisHastings', window, { ...options, nsim, burnin });
    return sampleWindow(this.#source, window, xc, yc, nsim, burnin, {
      ...settings,
      xScale: options.xScale,
      seed: options.seed,
    });
  }

  /**
   * Sensitivity analysis for the window at (xc, yc): `nsim` refits, each with priors moved to a
   * draw from themselves and the spectrum perturbed by its sigmaPhi; seeded.
   */
  sensitivity(
    window: number,
    xc: number,
    yc: number,
    nsim: number,
    options: SensitivityOptions = {},
  ): ParameterSamples {
    const settings = this.#checked('sensitivity', window, { ...options, nsim });
    return sensitivityWindow(this.#source, window, xc, yc, nsim, { ...settings, seed: options.seed });
  }

  /**
   * Tanaka et al. (1999) for the window at (xc, yc): fits over `kminRange` and `kmaxRange`
   * (cycles/km; PyCurious's defaults 0.05–0.2) of a spectrum made with the convention's power (1; 0.5 under 'pycurious-1.1') unless told
   * otherwise; returns the fits and the Curie depth `Zb` ± `eZb` (km).
   */
  tanaka(
    window: number,
    xc: number,
    yc: number,
    options: SpectrumOptions & { kminRange?: readonly [number, number]; kmaxRange?: readonly [number, number] } = {},
  ): TanakaResult {
    const { taper, processSubgrid } = this.#checked('tanaka', window, options);
    return tanakaWindow(this.#source, window, xc, yc, {
      ...options,
      taper,
      processSubgrid,
      convention: this.convention,
    });
  }
}
