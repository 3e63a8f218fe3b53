/**
 * What the main thread sends a worker and gets back: plain, cloneable data. The grid, the
 * centroid lists and the result table are SharedArrayBuffers, so messages carry handles to them,
 * never copies of their contents.
 */
import type { Bounds } from '../inversion/bounds.js';
import type { Distribution } from '../inversion/priors.js';
import type { WindowSpectrumSettings } from '../inversion/window-routines.js';
import type { Convention } from '../spectrum/convention.js';
import type { Taper } from '../spectrum/taper.js';
import type { ModuleRef } from './module-ref.js';
import type { NodeExtent } from '../grid/lattice.js';

/** Routines a map can run on every window. */
export type RoutineName = 'optimise' | 'metropolisHastings' | 'sensitivity' | 'tanaka' | 'radialSpectrum';
/** All routine names, for checking user input. */
export const ROUTINES: readonly RoutineName[] = [
  'optimise',
  'metropolisHastings',
  'sensitivity',
  'tanaka',
  'radialSpectrum',
];

/** Window status codes of a map. */
export const STATUS = { ok: 0, notConverged: 1, windowError: 2, workerFailure: 3, pending: 255 } as const;

/**
 * Columns of the result table of `optimiseRoutine`, each `n` Float64 values: the fit, the Curie
 * depth's interval (high Infinity where open) and the verdict's code (see `VERDICTS`).
 */
export const TABLE_COLUMNS = [
  'beta',
  'zt',
  'dz',
  'C',
  'curieDepth',
  'misfit',
  'curieDepthLow',
  'curieDepthHigh',
  'verdict',
] as const;
/** A column of the result table. */
export type TableColumn = (typeof TABLE_COLUMNS)[number];

/** One window's row of the fit table, by column name, from a reader of its values. */
export function fitRow(value: (column: TableColumn) => number): Record<TableColumn, number> {
  return {
    beta: value('beta'),
    zt: value('zt'),
    dz: value('dz'),
    C: value('C'),
    curieDepth: value('curieDepth'),
    misfit: value('misfit'),
    curieDepthLow: value('curieDepthLow'),
    curieDepthHigh: value('curieDepthHigh'),
    verdict: value('verdict'),
  };
}

/** A grid shared with workers: the values live in `buffer` (Float64, row-major) from element `offset`. */
export interface GridHandle extends NodeExtent {
  /** Identifies the grid across tasks, so a worker rebuilds it once. */
  id: string;
  /** A SharedArrayBuffer between Node's threads; the explorer page's worker holds its own copy. */
  buffer: ArrayBufferLike;
  offset: number;
}

/** A taper as data: a name, a Tukey α, a multitaper's K, weights, or a module export. */
export type TaperSpec =
  'hanning' | 'hamming' | 'none' | { tukey: number } | { multitaper: number } | { weights: number[] } | ModuleRef;
/** A prior as data: a built-in distribution, a module export, or none. */
export type PriorData = { kind: 'normal' | 'uniform' | 'lognormal'; args: [number, number] } | ModuleRef | null;

/** Everything a routine needs besides the window, as data: what crosses to a worker thread. */
export interface RoutineSettings {
  taper?: TaperSpec;
  power?: number;
  processSubgrid?: ModuleRef;
  convention?: Convention;
  level?: number;
  bounds: Bounds;
  priors: PriorData[];
  start: [number, number, number, number];
  nsim?: number;
  burnin?: number;
  xScale?: number[];
  seed?: number;
  kminRange?: [number, number];
  kmaxRange?: [number, number];
}

/**
 * Settings of windows computed in the calling thread (`workers: 0`): nothing crosses a thread, so
 * a taper, a `processSubgrid` function and a prior distribution may also be the values themselves.
 */
export interface InThreadSettings extends Omit<RoutineSettings, 'taper' | 'processSubgrid' | 'priors'> {
  taper?: TaperSpec | Taper;
  processSubgrid?: ModuleRef | NonNullable<WindowSpectrumSettings['processSubgrid']>;
  priors: Array<PriorData | Distribution>;
}

/** One batch of windows for one worker. */
export interface BatchTask {
  grid: GridHandle;
  /** Centres of all windows of the map (shared), metres. */
  xc: Float64Array;
  yc: Float64Array;
  /** Which windows this batch computes, in order. */
  indices: number[];
  routine: RoutineName;
  /** Window side, metres. */
  window: number;
  /** Data ({@link RoutineSettings}) when the batch goes to a worker thread. */
  settings: RoutineSettings | InThreadSettings;
  /** Status per window (a Uint8Array's buffer, shared between threads), written as each window finishes. */
  statusBuffer: ArrayBufferLike;
  /** For `optimiseRoutine`: the buffer of the fit table (TABLE_COLUMNS × n Float64, shared between threads). */
  fitTableBuffer?: ArrayBufferLike;
}

/** What a batch returns: messages of windows with status ≠ 0, and (without a fit table) each window's result. */
export interface BatchResult {
  messages: Array<[number, string]>;
  results?: Array<[number, unknown]>;
}
