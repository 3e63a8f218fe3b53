/**
 * The explorer's map worker: the library's own batch runner (`runBatchSteps`, what Node's worker
 * threads run) on batches of windows the page hands out, so that every window of the page's map has
 * the numbers `curie map` writes. Messages: `grid` once (the values and extent), then `batch`es of
 * window indices; it answers `window` after each window (progress) and `done` with the batch's
 * fit-table rows, statuses, messages and (Tanaka) results.
 */
import { runBatchSteps } from '../parallel/run-batch.js';
import { TABLE_COLUMNS, type BatchTask } from '../parallel/protocol.js';
import type { WorkerReply, WorkerRequest } from './map-protocol.js';

let grid: BatchTask['grid'] | undefined;

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.type === 'grid') {
    // The handle's buffer is an ordinary ArrayBuffer here: this worker's own copy of the grid.
    grid = { ...request.extent, id: request.id, buffer: request.values.buffer, offset: request.values.byteOffset / 8 };
    return;
  }
  const { xc, yc, window, routine, settings, indices, batch } = request;
  const n = xc.length;
  const statusBuffer = new ArrayBuffer(n);
  const fitTableBuffer = routine === 'optimise' ? new ArrayBuffer(8 * TABLE_COLUMNS.length * n) : undefined;
  const task: BatchTask = { grid: grid!, xc, yc, indices, routine, window, settings, statusBuffer, fitTableBuffer };
  try {
    const steps = runBatchSteps(task);
    for (;;) {
      const step = steps.next();
      if (step.done) {
        const fitRows = fitTableBuffer
          ? indices.map((i) => TABLE_COLUMNS.map((_, j) => new Float64Array(fitTableBuffer)[j * n + i]))
          : undefined;
        const reply: WorkerReply = {
          type: 'done',
          batch,
          indices,
          status: indices.map((i) => new Uint8Array(statusBuffer)[i]),
          fitRows,
          messages: step.value.messages,
          results: step.value.results,
        };
        self.postMessage(reply);
        return;
      }
      self.postMessage({ type: 'window', batch } satisfies WorkerReply);
    }
  } catch (error) {
    self.postMessage({
      type: 'failed',
      batch,
      message: error instanceof Error ? error.message : String(error),
    } satisfies WorkerReply);
  }
};
