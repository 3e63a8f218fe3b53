/**
 * Running a batch of windows: the same code in a worker thread and, with `workers: 0`, in the
 * calling thread. Each window is isolated: an error becomes its status and message.
 */
import ndarray from 'ndarray';
import { gridGeometry } from '../grid/geometry.js';
import { deriveSeed } from '../rng.js';
import type { Distribution } from '../inversion/priors.js';
import { priorFromDescription } from '../inversion/priors.js';
import type { FitResult } from '../inversion/fit.js';
import { VERDICTS } from '../inversion/verdict.js';
import {
  type FitSettings,
  fitWindowSpectrum,
  type GridSource,
  sampleWindow,
  sensitivityWindow,
  tanakaWindow,
  windowSpectra,
} from '../inversion/window-routines.js';
import type { RadialSpectrum } from '../spectrum/radial.js';
import type { Taper } from '../spectrum/taper.js';
import { isModuleRef, loadModuleExport } from './module-ref.js';
import {
  type BatchResult,
  type BatchTask,
  type GridHandle,
  type InThreadSettings,
  type PriorData,
  type RoutineSettings,
  STATUS,
  TABLE_COLUMNS,
} from './protocol.js';

/**
 * The grid of the last batch. One only: worker threads are shared by every optimiser, and a grid
 * kept here keeps its buffer alive (an optimiser's grid freed in the calling thread must not stay
 * held by a thread now serving another).
 */
let last: { id: string; grid: GridSource } | undefined;

/** The grid of a handle, viewed in place on its shared buffer (built once per thread and grid in a row). */
function gridFromHandle(handle: GridHandle): GridSource {
  if (last?.id !== handle.id) {
    const values = new Float64Array(handle.buffer, handle.offset * 8, handle.rows * handle.cols);
    last = {
      id: handle.id,
      grid: {
        data: ndarray(values, [handle.rows, handle.cols]),
        geometry: gridGeometry(handle.rows, handle.cols, handle.xmin, handle.xmax, handle.ymin, handle.ymax, {
          warn: false,
        }),
      },
    };
  }
  return last.grid;
}

/** A prior from its data, its module, or (in the calling thread) the distribution itself; undefined for none. */
function resolvePrior(prior: PriorData | Distribution): Distribution | undefined {
  if (prior === null) return undefined;
  if (isModuleRef(prior)) return loadModuleExport<Distribution>(prior);
  return 'logpdf' in prior ? prior : priorFromDescription(prior);
}

/** A taper as data or its module (in the calling thread possibly the taper itself) → the taper. */
function resolveTaper(taper: InThreadSettings['taper']): Taper | undefined {
  return isModuleRef(taper) ? loadModuleExport<Taper>(taper) : taper;
}

/** `processSubgrid` by its module (in the calling thread possibly the function itself) → the function. */
function resolveProcess(process: InThreadSettings['processSubgrid']): FitSettings['processSubgrid'] {
  return isModuleRef(process) ? loadModuleExport<NonNullable<FitSettings['processSubgrid']>>(process) : process;
}

/**
 * Settings as data → the functions and distributions the routines take (also the explorer page's
 * single-window fits, so that a click and a map fit a window with the same settings).
 */
export function resolveSettings(settings: RoutineSettings | InThreadSettings): FitSettings {
  return {
    bounds: settings.bounds,
    priors: settings.priors.map(resolvePrior),
    start: settings.start,
    taper: resolveTaper(settings.taper),
    power: settings.power,
    processSubgrid: resolveProcess(settings.processSubgrid),
    convention: settings.convention,
    level: settings.level,
  };
}

/** The seed of one window's random stream: from the user's seed and the window's centre, not its position in the list. */
export function windowSeed(seed: number, xc: number, yc: number): number {
  return deriveSeed(seed, xc, yc);
}

function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
}

/** Compute every window of a batch; results go to the shared fit table and status, and the returned messages. */
export function runBatch(task: BatchTask): BatchResult {
  const steps = runBatchSteps(task);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * {@link runBatch} one window at a time: the generator pauses after each window (yielding its
 * index) and returns the batch's result. Lets the calling thread (`workers: 0`) give the event loop
 * a turn between windows, so that a signal or an abort is handled within one window's time.
 */
export function* runBatchSteps(task: BatchTask): Generator<number, BatchResult, void> {
  const grid = gridFromHandle(task.grid);
  const settings = resolveSettings(task.settings);
  const status = new Uint8Array(task.statusBuffer);
  const n = task.xc.length;
  const table = task.fitTableBuffer ? new Float64Array(task.fitTableBuffer) : undefined;
  const messages: Array<[number, string]> = [];
  const results: Array<[number, unknown]> | undefined = table ? undefined : [];
  const { nsim = 1000, burnin = 0, seed = 0 } = task.settings;
  // Fits and spectra take their spectra from windowSpectra, which shares the row transforms of the
  // windows of a grid column (bit-identical to one window at a time): one spectrum per window, in order.
  const spectra =
    task.routine === 'optimise' || task.routine === 'radialSpectrum'
      ? windowSpectra(
          grid,
          task.window,
          task.indices.map((i) => task.xc[i]),
          task.indices.map((i) => task.yc[i]),
          settings,
        )
      : undefined;
  const nextSpectrum = (): RadialSpectrum => {
    const next = spectra!.next();
    if (next.done) throw new Error('internal error: no spectrum left for this window');
    if (next.value instanceof Error) throw next.value;
    return next.value;
  };
  for (const i of task.indices) {
    const xc = task.xc[i],
      yc = task.yc[i];
    try {
      let result: unknown;
      let converged = true,
        note: string | undefined;
      switch (task.routine) {
        case 'optimise': {
          const fit = fitWindowSpectrum(nextSpectrum(), settings, { dx: grid.geometry.dx, window: task.window });
          converged = fit.converged;
          note = fit.note;
          result = fit;
          break;
        }
        case 'metropolisHastings':
          result = sampleWindow(grid, task.window, xc, yc, nsim, burnin, {
            ...settings,
            xScale: task.settings.xScale,
            seed: windowSeed(seed, xc, yc),
          });
          break;
        case 'sensitivity':
          result = sensitivityWindow(grid, task.window, xc, yc, nsim, { ...settings, seed: windowSeed(seed, xc, yc) });
          break;
        case 'tanaka':
          result = tanakaWindow(grid, task.window, xc, yc, {
            ...settings,
            kminRange: task.settings.kminRange,
            kmaxRange: task.settings.kmaxRange,
          });
          break;
        case 'radialSpectrum':
          result = nextSpectrum();
          break;
      }
      if (table) {
        const fit = result as FitResult;
        const row: Record<(typeof TABLE_COLUMNS)[number], number> = {
          ...fit,
          curieDepthLow: fit.interval?.curieDepth[0] ?? NaN,
          curieDepthHigh: fit.interval?.curieDepth[1] ?? NaN,
          verdict: VERDICTS.indexOf(fit.verdict ?? 'unresolved'),
        };
        TABLE_COLUMNS.forEach((column, j) => (table[j * n + i] = row[column]));
      } else results!.push([i, result]);
      if (!converged)
        messages.push([i, note ?? `fit did not converge within the iteration limit; the best point found is kept`]);
      status[i] = converged ? STATUS.ok : STATUS.notConverged;
    } catch (error) {
      if (table)
        TABLE_COLUMNS.forEach(
          (column, j) => (table[j * n + i] = column === 'verdict' ? VERDICTS.indexOf('unresolved') : NaN),
        );
      messages.push([i, errorMessage(error)]);
      status[i] = STATUS.windowError;
    }
    yield i;
  }
  return results ? { messages, results } : { messages };
}
