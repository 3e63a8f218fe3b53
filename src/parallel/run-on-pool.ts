/**
 * A map computed on a piscina pool of worker threads: batches handed out in window order, a
 * bounded number at a time, and a batch whose worker died re-run without the window that killed it.
 */
import { setMaxListeners } from 'node:events';
import type { Piscina } from 'piscina';
import { abortError, isAbort } from './abort.js';
import type { MapCollector } from './collector.js';
import { type BatchResult, type BatchTask, STATUS } from './protocol.js';

/** Batches in flight per worker thread: enough to keep each busy, few enough that early windows finish first. */
const IN_FLIGHT_PER_WORKER = 2;

/**
 * Run `batches` on `pool` (of `workers` threads), handing each to `collector` when done.
 * @param task the batch task of some window indices
 * @throws AbortError when `signal` aborts; the first error of a batch otherwise
 */
export async function runOnPool(
  pool: Piscina,
  workers: number,
  batches: number[][],
  task: (indices: number[]) => BatchTask,
  collector: MapCollector,
  signal?: AbortSignal,
): Promise<void> {
  // Every queued batch listens to the signal: relay the caller's through one of our own, allowed many listeners.
  const relay = new AbortController();
  setMaxListeners(0, relay.signal);
  const forward = () => relay.abort(signal?.reason);
  signal?.addEventListener('abort', forward, { once: true });
  const run = (indices: number[]) =>
    pool.run(task(indices), { signal: signal ? relay.signal : undefined }) as Promise<BatchResult>;
  const deaths = new Map<number, number>();
  // Each lane takes the earliest batch not yet started, so the first windows are done first, whatever the queue.
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < batches.length) {
      try {
        await runWithRetry(batches[next++], run, collector, deaths, signal);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(batches.length, IN_FLIGHT_PER_WORKER * workers) }, lane));
  } finally {
    signal?.removeEventListener('abort', forward);
  }
}

/**
 * Run one batch until every window in it is final. The worker that dies takes the batch's
 * messages and results with it: the batch is re-run. Windows are computed in order, so the first
 * unfinished one was running when it died: after its second death it is marked as a worker failure
 * and left out.
 */
async function runWithRetry(
  indices: number[],
  run: (indices: number[]) => Promise<BatchResult>,
  collector: MapCollector,
  deaths: Map<number, number>,
  signal?: AbortSignal,
): Promise<void> {
  const { status, messages } = collector;
  let pending = indices;
  for (let attempt = 0; ; attempt++) {
    try {
      collector.collect(await run(pending), pending);
      return;
    } catch (error) {
      if (signal?.aborted || isAbort(error)) throw signal ? abortError(signal) : error;
      const reason = String((error as Error)?.message ?? error).split('\n')[0];
      const culprit = pending.find((i) => status[i] === STATUS.pending);
      const condemned =
        culprit !== undefined && (deaths.set(culprit, (deaths.get(culprit) ?? 0) + 1).get(culprit) ?? 0) >= 2;
      // A worker that dies after finishing every window cannot be blamed on one: give up after a few tries.
      const hopeless = culprit === undefined && attempt >= 2;
      const failed = hopeless ? pending : condemned ? [culprit] : [];
      for (const i of failed) {
        status[i] = STATUS.workerFailure;
        messages.set(i, `worker thread died twice computing this window (${reason})`);
      }
      if (failed.length > 0) collector.finish(failed);
      pending = pending.filter((i) => !failed.includes(i));
      for (const i of pending) status[i] = STATUS.pending;
      if (pending.length === 0) return;
    }
  }
}
