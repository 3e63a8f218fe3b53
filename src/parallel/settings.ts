/**
 * Turning a routine's settings into data a worker can rebuild them from. Built-in priors and
 * named tapers travel as data; functions and custom priors only as `{ module, export }`.
 */
import { CurieError } from '../errors.js';
import type { Distribution } from '../inversion/priors.js';
import { describePrior } from '../inversion/priors.js';
import type { RoutineArguments } from '../inversion/arguments.js';
import type { FitSettings } from '../inversion/window-routines.js';
import { BYTES_PER_SAMPLE } from '../inversion/mcmc.js';
import { isModuleRef, type ModuleRef, originOf } from './module-ref.js';
import type { PriorData, RoutineSettings, TaperSpec } from './protocol.js';

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
  return new CurieError('E_ARGUMENT', `${what} is a function or object, which cannot be sent to worker threads; pass it as { module, export } (a module every worker imports), or use workers: 0`);
}

/** A module export named by a ModuleRef, or the ref of a value loaded from one. */
function asModuleRef(value: unknown): ModuleRef | undefined {
  return isModuleRef(value) ? value : originOf(value);
}

/**
 * Settings as data for workers. With `live` (workers: 0, same thread) functions and distributions
 * are passed as they are; otherwise each must be data or come from a module, or this throws
 * `E_ARGUMENT` saying how to pass it.
 */
export function serialiseSettings(settings: FitSettings, args: RoutineArguments, live: boolean): RoutineSettings {
  const taper = settings.taper;
  let taperSpec: TaperSpec | undefined;
  if (taper !== null && typeof taper === 'object' && 'weights' in taper) taperSpec = { weights: Array.from(taper.weights) };
  else if (taper === undefined || typeof taper === 'string' || (typeof taper === 'object' && 'tukey' in taper)) taperSpec = taper;
  else taperSpec = asModuleRef(taper) ?? (live ? (taper as unknown as TaperSpec) : undefined);
  if (taper !== undefined && taperSpec === undefined) throw crossing('the taper');

  const process = settings.processSubgrid;
  const processSpec = process === undefined ? undefined : asModuleRef(process) ?? (live ? (process as unknown as ModuleRef) : undefined);
  if (process !== undefined && processSpec === undefined) throw crossing('processSubgrid');

  const priors = settings.priors.map((prior: Distribution | undefined, j): PriorData => {
    if (!prior) return null;
    const data = describePrior(prior) ?? asModuleRef(prior) ?? (live ? (prior as unknown as PriorData) : undefined);
    if (data === undefined) throw crossing(`the prior of parameter ${j + 1} (β, z_t, Δz, C)`);
    return data;
  });
  return {
    taper: taperSpec,
    power: settings.power,
    processSubgrid: processSpec,
    convention: settings.convention,
    level: settings.level,
    bounds: settings.bounds,
    priors,
    start: [...settings.start],
    nsim: args.nsim,
    burnin: args.burnin,
    xScale: args.xScale ? Array.from(args.xScale) : undefined,
    seed: args.seed,
    kminRange: args.kminRange ? [args.kminRange[0], args.kminRange[1]] : undefined,
    kmaxRange: args.kmaxRange ? [args.kmaxRange[0], args.kmaxRange[1]] : undefined,
  };
}
