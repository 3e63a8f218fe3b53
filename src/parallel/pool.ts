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

/** Internal options of {@link WorkerPool.run}: the run's, and who is told what as windows finish. */
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

/**
 * A lazily created piscina pool for one optimiser. Idle workers exit after a second and never hold
 * the process open, so a script that forgets `close()` still exits, and an abandoned optimiser (a
 * re-run notebook cell) leaves no threads behind.
 */
export class WorkerPool {
  /** Pools by thread count, with the number of maps running on each. */
  #pools = new Map<number, { pool: Piscina; users: number }>();

  /** Run a map; see {@link MapRequest}. */
  async run(request: MapRequest, options: MapRequestOptions = {}): Promise<MapOutcome> {
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
      const { pool, release } = this.#acquire(workers);
      try {
        await runOnPool(pool, workers, planBatches(total, workers, request.xc), task, collector, signal);
      } finally {
        release();
      }
    }
    return collector.outcome();
  }

  /**
   * The piscina pool of `threads` workers, and a release to call when the map is done. A map asking
   * for another thread count gets a pool of its own: a pool still running another map is never
   * destroyed under it (maps of one optimiser may run at once), only retired when its last map ends.
   */
  #acquire(threads: number): { pool: Piscina; release: () => void } {
    let entry = this.#pools.get(threads);
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
      this.#pools.set(threads, entry);
    }
    const current = entry;
    current.users++;
    // Pools of other sizes that no map uses any more are retired: one idle size at most stays.
    for (const [size, other] of this.#pools)
      if (size !== threads && other.users === 0) {
        this.#pools.delete(size);
        void other.pool.destroy();
      }
    return { pool: current.pool, release: () => void current.users-- };
  }

  /** End the workers; the pool is recreated on the next map. */
  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((entry) => entry.pool.destroy()));
  }
}
