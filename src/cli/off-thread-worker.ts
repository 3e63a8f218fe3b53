/**
 * Worker thread of off-thread.ts: runs one long synchronous task (parse a raster, synthesise an
 * anomaly) and posts its result, its warnings and its error back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CurieError } from '../errors.js';
import { parseGridBytes } from '../io/load.js';
import type { OffThreadReply, OffThreadTask } from './off-thread.js';
import { syntheticGeoTiff } from './synth-file.js';

const port = parentPort!;
const post = (reply: OffThreadReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);
/** A buffer that can be moved to the other thread (not shared: shared ones travel as they are). */
const movable = (...views: ArrayBufferView[]): ArrayBuffer[] => [
  ...new Set(views.map((v) => v.buffer).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer)),
];

// Warnings (e.g. a grid in degrees) go to the main thread, which prints them its own way.
process.removeAllListeners('warning');
process.on('warning', (warning) =>
  post({ kind: 'warning', message: warning.message, type: warning.name, code: (warning as { code?: string }).code }),
);

async function run(task: OffThreadTask): Promise<void> {
  if (task.kind === 'parse') {
    const raster = await parseGridBytes(task.bytes, task.source, task.options);
    const values = raster.data.data;
    const [rows, cols] = raster.data.shape;
    post(
      {
        kind: 'raster',
        values,
        rows,
        cols,
        xmin: raster.xmin,
        xmax: raster.xmax,
        ymin: raster.ymin,
        ymax: raster.ymax,
        crs: raster.crs,
        bytes: task.bytes,
      },
      movable(values, task.bytes),
    );
  } else {
    const bytes = syntheticGeoTiff(task.options);
    post({ kind: 'bytes', bytes }, movable(bytes));
  }
}

run(workerData as OffThreadTask).catch((error: unknown) => {
  const e = error instanceof Error ? error : new Error(String(error));
  post({
    kind: 'error',
    name: e.name,
    message: e.message,
    code: error instanceof CurieError ? error.code : undefined,
    stack: e.stack,
  });
});
