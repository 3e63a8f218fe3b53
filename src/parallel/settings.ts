/**
 * Turning a routine's settings into data a worker can rebuild them from. Built-in priors and
 * named tapers travel as data; functions and custom priors only as `{ module, export }`.
 */
import { CurieError } from '../errors.js';
import { describePrior, type Distribution } from '../inversion/priors.js';
import type { RoutineArguments } from '../inversion/arguments.js';
import type { FitSettings } from '../inversion/window-routines.js';
import { BYTES_PER_SAMPLE } from '../inversion/mcmc.js';
import type { Taper } from '../spectrum/taper.js';
import { isModuleRef, type ModuleRef, originOf } from './module-ref.js';
import type { InThreadSettings, PriorData, RoutineSettings, TaperSpec } from './protocol.js';

/**
 * Bytes a map holds per window in the calling thread: centres, status, the result table (9
 * columns) and the streamed record, plus the samples a sampling routine returns for every window.
 */
export function mapBytesPerWindow(routine: string, nsim = 1000): number {
  const samples = routine === 'metropolisHastings' || routine === 'sensitivity' ? nsim : 0;
  // A bad nsim is the routine's to report (checkCount), not a memory problem.
  return 256 + (Number.isInteger(samples) && samples > 0 ? BYTES_PER_SAMPLE * samples : 0);
}

export type { RoutineArguments } from '../inversion/arguments.js';

function crossing(what: string): CurieError {
  return new CurieError(
    'E_ARGUMENT',
    `${what} is a function or object, which cannot be sent to worker threads; pass it as { module, export } (a module every worker imports), or use workers: 0`,
  );
}

/** A module export named by a ModuleRef, or the ref of a value loaded from one. */
function asModuleRef(value: unknown): ModuleRef | undefined {
  return isModuleRef(value) ? value : originOf(value);
}

/** A value as data if it is some, else as the module it came from, else (in the calling thread) itself; `what` names it when none fits. */
function crossable<Data, Live>(
  data: Data | undefined,
  live: Live,
  inThread: boolean,
  what: string,
): Data | ModuleRef | Live {
  const spec = data ?? asModuleRef(live);
  if (spec !== undefined) return spec;
  if (inThread) return live;
  throw crossing(what);
}

/** The taper's weights, name, Tukey α or multitaper K as data (undefined for a function or anything else). */
function taperData(taper: Taper): TaperSpec | undefined {
  if (taper !== null && typeof taper === 'object' && 'weights' in taper) return { weights: Array.from(taper.weights) };
  if (typeof taper === 'string' || (typeof taper === 'object' && ('tukey' in taper || 'multitaper' in taper)))
    return taper;
  return undefined;
}

/**
 * Settings as data for worker threads, or with `inThread` (workers: 0, the calling thread) with
 * functions and distributions passed as they are. For worker threads each must be data or come
 * from a module, or this throws `E_ARGUMENT` saying how to pass it.
 */
export function serialiseSettings(settings: FitSettings, args: RoutineArguments, inThread: false): RoutineSettings;
export function serialiseSettings(
  settings: FitSettings,
  args: RoutineArguments,
  inThread: boolean,
): RoutineSettings | InThreadSettings;
export function serialiseSettings(settings: FitSettings, args: RoutineArguments, inThread: boolean): InThreadSettings {
  const { taper, processSubgrid } = settings;
  return {
    taper: taper === undefined ? undefined : crossable(taperData(taper), taper, inThread, 'the taper'),
    power: settings.power,
    processSubgrid:
      processSubgrid === undefined ? undefined : crossable(undefined, processSubgrid, inThread, 'processSubgrid'),
    convention: settings.convention,
    level: settings.level,
    bounds: settings.bounds,
    priors: settings.priors.map((prior: Distribution | undefined, j): PriorData | Distribution =>
      prior
        ? crossable(
            describePrior(prior) ?? undefined,
            prior,
            inThread,
            `the prior of parameter ${j + 1} (β, z_t, Δz, C)`,
          )
        : null,
    ),
    start: [...settings.start],
    nsim: args.nsim,
    burnin: args.burnin,
    xScale: args.xScale ? Array.from(args.xScale) : undefined,
    seed: args.seed,
    kminRange: args.kminRange ? [args.kminRange[0], args.kminRange[1]] : undefined,
    kmaxRange: args.kmaxRange ? [args.kmaxRange[0], args.kmaxRange[1]] : undefined,
  };
}
