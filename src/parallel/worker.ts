/**
 * The worker thread's entry point (piscina calls the default export with each task).
 */
import type { BatchResult, BatchTask } from './protocol.js';
import { runBatch } from './run-batch.js';

export default function work(task: BatchTask): BatchResult {
  return runBatch(task);
}
