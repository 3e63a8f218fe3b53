/**
 * The map engine: split the windows into batches (batches.ts), run them on a piscina pool of
 * worker threads (run-on-pool.ts) or in the calling thread (run-in-thread.ts), and collect the
 * results by window index (collector.ts).
 */
import os from 'node:os';
import { Piscina } from 'piscina';
import { CurieError, warn } from '../errors.js';
import { abortError } from './abort.js';
import { planBatches } from './batches.js';
import { type CollectorOptions, MapCollector, type MapOutcome } from './collector.js';
import type { BatchTask, GridHandle, InThreadSettings, RoutineName, RoutineSettings } from './protocol.js';
import { CALLING_THREAD_BATCH, runInThread } from './run-in-thread.js';
import { runOnPool } from './run-on-pool.js';

export type { MapOutcome, MapProgress, MapView } from './collector.js';

/** How a map runs. */
export interface MapRunOptions extends Pick<CollectorOptions, 'onProgress'> {
  /** Worker threads; 0 computes in the calling thread. Default `os.availableParallelism()`. */
  workers?: number;
  /** Aborting rejects the map with an `AbortError` and stops its workers. */
  signal?: AbortSignal;
}

/** Internal options of {@link runMap}: the run's, and who is told what as windows finish. */
export interface MapRequestOptions extends MapRunOptions, CollectorOptions {}

/** A map request: which routine, on which windows. */
export interface MapRequest {
  grid: GridHandle;
  xc: Float64Array;
  yc: Float64Array;
  routine: RoutineName;
  window: number;
  settings: RoutineSettings | InThreadSettings;
  /** `'fitTable'`: write fits into a shared table (optimiseRoutine); `'results'`: return each window's result. */
  collect: 'fitTable' | 'results';
}

/** Worker count from the options: a whole number ≥ 0. */
export function workerCount(workers: number | undefined): number {
  const parallelism = os.availableParallelism();
  const count = workers ?? parallelism;
  if (!Number.isInteger(count) || count < 0)
    throw new CurieError(
      'E_ARGUMENT',
      `workers = ${workers} must be a whole number ≥ 0 (0 computes in the calling thread)`,
    );
  // Each thread holds its own heap (~14 MB at rest, far more while fitting): threads beyond the
  // cores only cost memory (1000 of them were OOM-killed at 13.8 GB).
  if (count > parallelism) {
    warn('CURIE_WORKERS', `workers = ${count} is more than this machine's ${parallelism} cores; using ${parallelism}`);
    return parallelism;
  }
  return count;
}

/** A pool of worker threads and the number of maps running on it. */
interface PoolEntry {
  pool: Piscina;
  users: number;
}

/**
 * The pools of this thread by thread count, shared by every optimiser: a map with `workers: n`
 * runs on the n-thread pool whichever optimiser asks, so the threads one map compiled serve the
 * next (a fresh thread runs its first windows unoptimised, which costs more than the windows), and
 * several optimisers (a notebook re-running a cell) add no threads.
 */
const pools = new Map<number, PoolEntry>();

/**
 * The n-thread pool, and a release to call when the map is done. A map asking for another thread
 * count gets a pool of its own; the others stay until their threads have been idle for a second, so
 * maps alternating between counts keep their compiled threads, and a pool running a map is never
 * destroyed under it (maps may run at once).
 */
function acquire(threads: number): { pool: Piscina; release: () => void } {
  let entry = pools.get(threads);
  if (!entry) {
    const pool = new Piscina({
      filename: new URL('./worker.js', import.meta.url).href,
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 1000,
      // A single queue of batches, no per-worker concurrency: one batch per thread at a time.
      concurrentTasksPerWorker: 1,
    });
    entry = { pool, users: 0 };
    pools.set(threads, entry);
  }
  const current = entry;
  current.users++;
  return { pool: current.pool, release: () => void current.users-- };
}

/**
 * Run a map (see {@link MapRequest}) on the shared pool of its thread count, or in the calling
 * thread for `workers: 0`. Idle workers exit after a second and never hold the process open, so a
 * script that forgets `close()` still exits, and an abandoned optimiser (a re-run notebook cell)
 * leaves no threads behind.
 */
export async function runMap(request: MapRequest, options: MapRequestOptions = {}): Promise<MapOutcome> {
  const workers = workerCount(options.workers);
  const { signal } = options;
  if (signal?.aborted) throw abortError(signal);
  const total = request.xc.length;
  const collector = new MapCollector(total, request.collect === 'fitTable', options);
  const task = (indices: number[]): BatchTask => ({
    grid: request.grid,
    xc: request.xc,
    yc: request.yc,
    indices,
    routine: request.routine,
    window: request.window,
    settings: request.settings,
    statusBuffer: collector.status.buffer,
    fitTableBuffer: collector.fitTableBuffer,
  });
  if (workers === 0)
    await runInThread(planBatches(total, 1, request.xc, CALLING_THREAD_BATCH), task, collector, signal);
  else {
    const { pool, release } = acquire(workers);
    try {
      await runOnPool(pool, workers, planBatches(total, workers, request.xc), task, collector, signal);
    } finally {
      release();
    }
  }
  return collector.outcome();
}

/**
 * End the idle worker threads now rather than a second later; pools are recreated by the next map.
 * Workers running a map (of any optimiser) finish it.
 */
export async function closeIdlePools(): Promise<void> {
  const idle = [...pools].filter(([, entry]) => entry.users === 0);
  for (const [size] of idle) pools.delete(size);
  await Promise.all(idle.map(([, entry]) => entry.pool.destroy()));
}
