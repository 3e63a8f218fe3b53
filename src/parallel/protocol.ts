/**
 * What the main thread sends a worker and gets back: plain, cloneable data. The grid, the
 * centroid lists and the result table are SharedArrayBuffers, so messages carry handles to them,
 * never copies of their contents.
 */
import type { Bounds } from '../inversion/bounds.js';
import type { Convention } from '../spectrum/convention.js';
import type { ModuleRef } from './module-ref.js';
import type { NodeExtent } from '../grid/lattice.js';

/** Routines a map can run on every window. */
export type RoutineName = 'optimise' | 'metropolisHastings' | 'sensitivity' | 'tanaka' | 'radialSpectrum';
/** All routine names, for checking user input. */
export const ROUTINES: readonly RoutineName[] = ['optimise', 'metropolisHastings', 'sensitivity', 'tanaka', 'radialSpectrum'];

/** Window status codes of a map. */
export const STATUS = { ok: 0, notConverged: 1, windowError: 2, workerFailure: 3, pending: 255 } as const;

/**
 * Columns of the result table of `optimiseRoutine`, each `n` Float64 values: the fit, the Curie
 * depth's interval (high Infinity where open) and the verdict's code (see `VERDICTS`).
 */
export const TABLE_COLUMNS = ['beta', 'zt', 'dz', 'C', 'curieDepth', 'misfit', 'curieDepthLow', 'curieDepthHigh', 'verdict'] as const;

/** A grid shared with workers: the values live in `buffer` (Float64, row-major) from element `offset`. */
export interface GridHandle extends NodeExtent {
  /** Identifies the grid across tasks, so a worker rebuilds it once. */
  id: string;
  buffer: SharedArrayBuffer;
  offset: number;
}

/** A taper as data: a name, a Tukey α, weights, or a module export. */
export type TaperSpec = 'hanning' | 'hamming' | 'none' | { tukey: number } | { weights: number[] } | ModuleRef;
/** A prior as data: a built-in distribution, a module export, or none. */
export type PriorData = { kind: 'normal' | 'uniform' | 'lognormal'; args: [number, number] } | ModuleRef | null;

/** Everything a routine needs besides the window, as data. */
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
  settings: RoutineSettings;
  /** Status per window (shared Uint8Array buffer), written as each window finishes. */
  status: SharedArrayBuffer;
  /** For `optimiseRoutine`: the shared result table (TABLE_COLUMNS × n Float64). */
  table?: SharedArrayBuffer;
}

/** What a batch returns: messages of windows with status ≠ 0, and (without a table) each window's result. */
export interface BatchResult {
  messages: Array<[number, string]>;
  results?: Array<[number, unknown]>;
}
