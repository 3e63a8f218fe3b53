/**
 * The page's map runner, where Node uses piscina: `runMap` spreads the windows over Web Workers
 * (map-worker.ts, the library's batch runner) in small batches handed out as workers free up, and
 * returns every window's outcome in window order, whichever worker computed it.
 */
import type { NodeExtent } from '../grid/lattice.js';
import { fitRow, type RoutineSettings, STATUS, TABLE_COLUMNS, type TableColumn } from '../parallel/protocol.js';
import type { WorkerReply, WorkerRequest } from './map-protocol.js';

/** A map to run: the grid, the routine and its settings, and the window centres (metres). */
export interface MapJob {
  values: Float64Array;
  extent: NodeExtent;
  routine: 'optimise' | 'tanaka';
  window: number;
  xc: Float64Array;
  yc: Float64Array;
  settings: RoutineSettings;
}

/** Every window's outcome, index i for centre i. */
export interface MapOutcome {
  /** `optimise`: one row per window, `TABLE_COLUMNS` (β, z_t, Δz, C, Curie depth, misfit, interval, verdict code). */
  fitRows?: Record<TableColumn, number>[];
  /** `tanaka`: each window's result, undefined where it failed. */
  results?: unknown[];
  /** 0 ok, 1 not converged, 2 window error (see the library's STATUS). */
  status: Uint8Array;
  messages: Map<number, string>;
}

/** Windows per batch: small enough for even progress and load, large enough to share column transforms. */
const BATCH = 8;
let gridCount = 0;

/**
 * Run a map in `workers` Web Workers (default: one per logical core).
 * @param onProgress called after each window with the number done and the total
 * @param signal stops the map: the workers end at once and the promise rejects with an AbortError
 */
export function runMap(
  job: MapJob,
  options: { workers?: number; onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<MapOutcome> {
  const total = job.xc.length;
  const count = Math.max(1, Math.min(options.workers ?? navigator.hardwareConcurrency ?? 2, Math.ceil(total / BATCH)));
  const batches: number[][] = [];
  for (let start = 0; start < total; start += BATCH)
    batches.push(Array.from({ length: Math.min(BATCH, total - start) }, (_, k) => start + k));
  const outcome: MapOutcome = {
    status: new Uint8Array(total).fill(STATUS.pending),
    messages: new Map(),
    ...(job.routine === 'optimise' ? { fitRows: new Array(total) } : { results: new Array(total) }),
  };
  const id = `grid-${++gridCount}`;
  let next = 0,
    done = 0,
    finished = 0;
  if (total === 0) return Promise.resolve(outcome);
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    const stop = (error?: Error) => {
      workers.forEach((w) => w.terminate());
      options.signal?.removeEventListener('abort', abort);
      if (error) reject(error);
      else resolve(outcome);
    };
    const abort = () => stop(new DOMException('the map was stopped', 'AbortError'));
    if (options.signal?.aborted) return abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    const give = (worker: Worker) => {
      if (next >= batches.length) return;
      const request: WorkerRequest = {
        type: 'batch',
        batch: next,
        routine: job.routine,
        window: job.window,
        xc: job.xc,
        yc: job.yc,
        indices: batches[next++],
        settings: job.settings,
      };
      worker.postMessage(request);
    };
    for (let w = 0; w < count; w++) {
      const worker = new Worker(new URL('./map-worker.js', import.meta.url), { type: 'module' });
      workers.push(worker);
      worker.onerror = (event) => stop(new Error(`map worker failed: ${event.message}`));
      worker.onmessage = (event: MessageEvent<WorkerReply>) => {
        const reply = event.data;
        if (reply.type === 'window') return options.onProgress?.(++done, total);
        if (reply.type === 'failed') return stop(new Error(reply.message));
        reply.indices.forEach((i, k) => {
          outcome.status[i] = reply.status[k];
          if (outcome.fitRows)
            outcome.fitRows[i] = fitRow((column) => reply.fitRows![k][TABLE_COLUMNS.indexOf(column)]);
        });
        reply.messages.forEach(([i, message]) => outcome.messages.set(i, message));
        reply.results?.forEach(([i, result]) => (outcome.results![i] = result));
        finished += reply.indices.length;
        if (finished === total) stop();
        else give(worker);
      };
      worker.postMessage({ type: 'grid', id, values: job.values, extent: job.extent } satisfies WorkerRequest);
      give(worker);
    }
  });
}
