/**
 * The map engine: split the windows into batches, run them on a piscina pool of worker threads
 * (or in the calling thread), isolate failures, and collect results by window index.
 */
import { setMaxListeners } from 'node:events';
import os from 'node:os';
import { Piscina } from 'piscina';
import { CurieError, warn } from '../errors.js';
import { type BatchResult, type BatchTask, type GridHandle, type InThreadSettings, type RoutineName, type RoutineSettings, STATUS, TABLE_COLUMNS } from './protocol.js';
import { runBatchSteps } from './run-batch.js';

/** Progress of a map: windows finished out of all. */
export interface MapProgress {
  done: number;
  total: number;
}

/** How a map runs. */
export interface MapRunOptions {
  /** Worker threads; 0 computes in the calling thread. Default `os.availableParallelism()`. */
  workers?: number;
  /** Aborting rejects the map with an `AbortError` and stops its workers. */
  signal?: AbortSignal;
  /** Called after each batch. */
  onProgress?: (progress: MapProgress) => void;
}

/** What a map knows so far, for {@link MapRequestOptions.onWindow}. */
export interface MapView {
  status: Uint8Array;
  messages: Map<number, string>;
  /** The fit table (TABLE_COLUMNS × n), when the map writes one. */
  fitTable?: Float64Array;
  /** Each window's result (or failure), when the map returns them. */
  results?: unknown[];
}

/** Internal options of {@link WorkerPool.run}. */
export interface MapRequestOptions extends MapRunOptions {
  /**
   * Called once per window, in window order, as soon as the window and every window before it are
   * done: lets a caller stream results in order while later windows are still being computed.
   */
  onWindow?: (index: number, view: MapView) => void;
}

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

/** A finished map: status per window, messages, and either the fit table or the per-window results. */
export interface MapOutcome {
  status: Uint8Array;
  messages: Map<number, string>;
  fitTable?: Float64Array;
  results?: unknown[];
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const error = new Error('the map was aborted', { cause: reason });
  error.name = 'AbortError';
  return error;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}

/** Longest stretch of work (ms) in the calling thread (`workers: 0`) between turns of the event loop. */
const SLICE_MS = 25;

/**
 * Most windows in a batch computed in the calling thread: a batch's spectra are computed together
 * before its first fit (~10 ms a window of 101² nodes), a stretch the event loop cannot interrupt.
 */
const CALLING_THREAD_BATCH = 8;

/** Batches in flight per worker thread: enough to keep each busy, few enough that early windows finish first. */
const IN_FLIGHT_PER_WORKER = 2;

/** Worker count from the options: a whole number ≥ 0. */
export function workerCount(workers: number | undefined): number {
  const parallelism = os.availableParallelism();
  const count = workers ?? parallelism;
  if (!Number.isInteger(count) || count < 0) throw new CurieError('E_ARGUMENT', `workers = ${workers} must be a whole number ≥ 0 (0 computes in the calling thread)`);
  // Each thread holds its own heap (~14 MB at rest, far more while fitting): threads beyond the
  // cores only cost memory (1000 of them were OOM-killed at 13.8 GB).
  if (count > parallelism) {
    warn('CURIE_WORKERS', `workers = ${count} is more than this machine's ${parallelism} cores; using ${parallelism}`);
    return parallelism;
  }
  return count;
}

/**
 * Batches of window indices: enough per batch to amortise messaging (at most `maxSize`, 64 by
 * default), enough batches to balance load. Windows with the same centre x go together, so that a
 * batch's windows of one grid column share their rows' Fourier transforms (run-batch.ts): such
 * groups, in order of first appearance, fill batches whole while they fit; a group larger than a
 * batch is split evenly (each window's result is the same bits whichever windows it is computed
 * with). Batches are then ordered by their first window, so that the first windows of the map
 * are computed first (a map streamed in window order, `| head`, gets its first rows early); the
 * first 2·workers batches are halved, so those rows come sooner still, and the last 2·workers,
 * so that the workers finish close together.
 */
function batches(total: number, workers: number, xc: ArrayLike<number>, maxSize = 64): number[][] {
  const threads = Math.max(workers, 1);
  const size = Math.max(1, Math.min(maxSize, Math.ceil(total / (threads * 8))));
  const groups = new Map<number, number[]>();
  for (let i = 0; i < total; i++) {
    const group = groups.get(xc[i]);
    if (group) group.push(i);
    else groups.set(xc[i], [i]);
  }
  const out: number[][] = [];
  let current: number[] = [];
  for (const group of groups.values()) {
    const per = Math.ceil(group.length / Math.ceil(group.length / size));
    for (let start = 0; start < group.length; start += per) {
      const piece = group.slice(start, start + per);
      if (current.length + piece.length > size) {
        out.push(current);
        current = [];
      }
      current.push(...piece);
    }
  }
  if (current.length > 0) out.push(current);
  // Indices within a batch ascend (groups are filled in window order), so [0] is its first window.
  const byFirstWindow = (a: number[], b: number[]) => a[0] - b[0];
  out.sort(byFirstWindow);
  if (out.length < 4 * threads) return out;
  const halve = (batch: number[]) => (batch.length > 1 ? [batch.slice(0, batch.length >> 1), batch.slice(batch.length >> 1)] : [batch]);
  // The first 2·workers batches are halved too, so the first windows are done sooner.
  const head = out.splice(0, 2 * threads).flatMap(halve).sort(byFirstWindow);
  const tail = out.splice(out.length - 2 * threads).flatMap(halve);
  return head.concat(out, tail);
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
    const { signal, onProgress, onWindow } = options;
    if (signal?.aborted) throw abortError(signal);
    const total = request.xc.length;
    const status = new Uint8Array(new SharedArrayBuffer(Math.max(total, 1))).subarray(0, total).fill(STATUS.pending);
    const tableBuffer = request.collect === 'fitTable' ? new SharedArrayBuffer(8 * TABLE_COLUMNS.length * Math.max(total, 1)) : undefined;
    // Windows that never finish (worker failures) keep NaN.
    if (tableBuffer) new Float64Array(tableBuffer).fill(NaN);
    const messages = new Map<number, string>();
    const results: unknown[] | undefined = request.collect === 'results' ? new Array(total) : undefined;
    let done = 0;
    const task = (indices: number[]): BatchTask => ({
      grid: request.grid,
      xc: request.xc,
      yc: request.yc,
      indices,
      routine: request.routine,
      window: request.window,
      settings: request.settings,
      statusBuffer: status.buffer,
      fitTableBuffer: tableBuffer,
    });
    const view: MapView = { status, messages, fitTable: tableBuffer ? new Float64Array(tableBuffer) : undefined, results };
    const finished = new Uint8Array(total);
    let nextInOrder = 0;
    /** Windows whose outcome is final: count them, and hand on every window now done in order. */
    const finish = (indices: number[]) => {
      for (const i of indices) {
        finished[i] = 1;
        if (results && (status[i] === STATUS.windowError || status[i] === STATUS.workerFailure)) results[i] = { status: status[i], message: messages.get(i) };
      }
      done += indices.length;
      onProgress?.({ done, total });
      if (onWindow)
        while (nextInOrder < total && finished[nextInOrder]) {
          onWindow(nextInOrder, view);
          nextInOrder++;
        }
    };
    const collect = (result: BatchResult, indices: number[]) => {
      for (const [i, message] of result.messages) messages.set(i, message);
      if (results && result.results) for (const [i, value] of result.results) results[i] = value;
      finish(indices);
    };

    if (workers === 0) {
      // In the calling thread, the event loop gets a turn at least every SLICE_MS (between
      // windows), so that an abort, a signal or a reader's back-pressure is handled meanwhile.
      let sliceStart = performance.now();
      for (const indices of batches(total, 1, request.xc, CALLING_THREAD_BATCH)) {
        const steps = runBatchSteps(task(indices));
        for (let step = steps.next(); ; step = steps.next()) {
          if (step.done) {
            collect(step.value, indices);
            break;
          }
          if (performance.now() - sliceStart >= SLICE_MS) {
            await new Promise((resolve) => setImmediate(resolve));
            sliceStart = performance.now();
          }
          if (signal?.aborted) throw abortError(signal);
        }
      }
    } else {
      const { pool, release } = this.#acquire(workers);
      const deaths = new Map<number, number>();
      // Every queued batch listens to the signal: relay the caller's through one of our own, allowed many listeners.
      const relay = new AbortController();
      setMaxListeners(0, relay.signal);
      const forward = () => relay.abort(signal?.reason);
      signal?.addEventListener('abort', forward, { once: true });
      const taskSignal = signal ? relay.signal : undefined;
      const runWithRetry = async (indices: number[]): Promise<void> => {
        let pending = indices;
        for (let attempt = 0; ; attempt++) {
          try {
            const result = (await pool.run(task(pending), { signal: taskSignal })) as BatchResult;
            collect(result, pending);
            return;
          } catch (error) {
            if (signal?.aborted || isAbort(error)) throw signal ? abortError(signal) : error;
            // The worker died, and with it the batch's messages and results: the batch is re-run.
            // Windows are computed in order, so the first unfinished one was running when it died:
            // after its second death it is marked as a worker failure and left out.
            const reason = String((error as Error)?.message ?? error).split('\n')[0];
            const culprit = pending.find((i) => status[i] === STATUS.pending);
            const condemned = culprit !== undefined && (deaths.set(culprit, (deaths.get(culprit) ?? 0) + 1).get(culprit) ?? 0) >= 2;
            // A worker that dies after finishing every window cannot be blamed on one: give up after a few tries.
            const hopeless = culprit === undefined && attempt >= 2;
            const failed = hopeless ? pending : condemned ? [culprit] : [];
            for (const i of failed) {
              status[i] = STATUS.workerFailure;
              messages.set(i, `worker thread died twice computing this window (${reason})`);
            }
            if (failed.length > 0) finish(failed);
            pending = pending.filter((i) => !failed.includes(i));
            for (const i of pending) status[i] = STATUS.pending;
            if (pending.length === 0) return;
          }
        }
      };
      // Batches go to the pool in window order, a bounded number at a time: each worker takes the
      // earliest batch not yet started, so the first windows are done first, whatever the queue.
      const queue = batches(total, workers, request.xc);
      let next = 0;
      let failed = false;
      const lane = async () => {
        while (!failed && next < queue.length) {
          try {
            await runWithRetry(queue[next++]);
          } catch (error) {
            failed = true;
            throw error;
          }
        }
      };
      try {
        await Promise.all(Array.from({ length: Math.min(queue.length, IN_FLIGHT_PER_WORKER * workers) }, lane));
      } finally {
        signal?.removeEventListener('abort', forward);
        release();
      }
    }
    return { status: Uint8Array.from(status), messages, fitTable: tableBuffer ? new Float64Array(tableBuffer) : undefined, results };
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
