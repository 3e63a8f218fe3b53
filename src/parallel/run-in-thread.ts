/**
 * A map computed in the calling thread (`workers: 0`), a window at a time, with the event loop
 * given a turn often enough that an abort, a signal or a reader's back-pressure is handled meanwhile.
 */
import { abortError } from './abort.js';
import type { MapCollector } from './collector.js';
import type { BatchTask } from './protocol.js';
import { runBatchSteps } from './run-batch.js';

/** Longest stretch of work (ms) in the calling thread between turns of the event loop. */
const SLICE_MS = 25;

/**
 * Most windows in a batch computed in the calling thread: a batch's spectra are computed together
 * before its first fit (~10 ms a window of 101² nodes), a stretch the event loop cannot interrupt.
 */
export const CALLING_THREAD_BATCH = 8;

/**
 * Run `batches` one after the other in this thread, handing each to `collector` when done.
 * @param task the batch task of some window indices
 * @throws AbortError as soon as `signal` is seen aborted (between windows)
 */
export async function runInThread(
  batches: number[][],
  task: (indices: number[]) => BatchTask,
  collector: MapCollector,
  signal?: AbortSignal,
): Promise<void> {
  let sliceStart = performance.now();
  for (const indices of batches) {
    const steps = runBatchSteps(task(indices));
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) {
        collector.collect(step.value, indices);
        break;
      }
      if (performance.now() - sliceStart >= SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
      if (signal?.aborted) throw abortError(signal);
    }
  }
}
