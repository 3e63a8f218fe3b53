/**
 * Messages between the explorer page and its map workers (see map-worker.ts and map-pool.ts).
 */
import type { NodeExtent } from '../grid/lattice.js';
import type { RoutineSettings } from '../parallel/protocol.js';

/** Page → worker: the grid once, then batches of windows. */
export type WorkerRequest =
  | { type: 'grid'; id: string; values: Float64Array; extent: NodeExtent }
  | {
      type: 'batch';
      batch: number;
      routine: 'optimise' | 'tanaka';
      window: number;
      xc: Float64Array;
      yc: Float64Array;
      indices: number[];
      settings: RoutineSettings;
    };

/** Worker → page: one window done, a batch done (rows in the batch's order), or the worker failing. */
export type WorkerReply =
  | { type: 'window'; batch: number }
  | {
      type: 'done';
      batch: number;
      indices: number[];
      status: number[];
      fitRows?: number[][];
      messages: Array<[number, string]>;
      results?: Array<[number, unknown]>;
    }
  | { type: 'failed'; batch: number; message: string };
