/**
 * Long synchronous work of the command line (parsing a raster, synthesising an anomaly) runs in a
 * worker thread, so that the main thread's event loop stays free: a signal (Ctrl-C, SIGTERM) is
 * handled at once in every phase instead of when the phase ends, and an abort ends the thread.
 */
import { Worker } from 'node:worker_threads';
import ndarray from 'ndarray';
import { CurieError, type CurieErrorCode, type CurieWarningCode } from '../errors.js';
import { type LoadGridOptions, parseGridBytes } from '../io/load.js';
import type { NodeExtent } from '../grid/lattice.js';
import type { Raster } from '../io/raster.js';
import type { SynthesiseOptions } from '../synthetic/synthesise.js';

/** What a worker is asked to do. */
export type OffThreadTask =
  | { kind: 'parse'; bytes: Uint8Array; source: string; options?: LoadGridOptions }
  | { kind: 'synth'; options: SynthesiseOptions };

/** What a worker posts back: warnings as they come, then one result or one error. */
export type OffThreadReply =
  | { kind: 'warning'; message: string; type: string; code?: string }
  | (NodeExtent & { kind: 'raster'; values: Float64Array; crs?: string; bytes: Uint8Array })
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'error'; name: string; message: string; code?: CurieErrorCode; stack?: string };

function abortError(): Error {
  const error = new Error('the command was aborted');
  error.name = 'AbortError';
  return error;
}

/**
 * Run `task` in a new worker thread; `transfer` lists buffers moved (not copied) to it. An abort of
 * `signal` terminates the thread (even inside a synchronous loop) and rejects with an AbortError.
 * A CurieError in the thread is a CurieError here, with its code and message.
 */
function offThread(task: OffThreadTask, transfer: ArrayBuffer[], signal?: AbortSignal): Promise<OffThreadReply> {
  if (signal?.aborted) return Promise.reject(abortError());
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./off-thread-worker.js', import.meta.url), {
      workerData: task,
      transferList: transfer,
    });
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      action();
      void worker.terminate();
    };
    const onAbort = () => settle(() => reject(abortError()));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (reply: OffThreadReply) => {
      if (reply.kind === 'warning')
        process.emitWarning(reply.message, { type: reply.type, code: reply.code as CurieWarningCode | undefined });
      else if (reply.kind === 'error') {
        const error = reply.code
          ? new CurieError(reply.code, reply.message)
          : Object.assign(new Error(reply.message), { name: reply.name });
        if (reply.stack) error.stack = reply.stack;
        settle(() => reject(error));
      } else settle(() => resolve(reply));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`internal error: the worker thread exited (code ${code}) without a result`))),
    );
  });
}

/** Bytes that can be moved to a worker without copying: their own whole, unshared buffer. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength)
    return bytes;
  // A view into a larger (pooled or shared) buffer: a copy, moved.
  return bytes.slice();
}

/**
 * Inputs smaller than this are parsed in the calling thread: they take milliseconds, which delays
 * a signal no more than that, while starting a thread and loading the readers into it costs
 * ~0.15 s of CPU (more than the parse itself, many times over).
 */
const OFF_THREAD_BYTES = 1 << 20;

/**
 * Parse a raster's bytes (as `parseGridBytes`) in a worker thread, or in this one when they are
 * few (under 1 MiB). The bytes are moved to the thread and back, never copied: use the returned
 * `bytes`, as `bytes` given may be detached.
 * @throws CurieError as `parseGridBytes`; an AbortError when `signal` aborts
 */
export async function parseOffThread(
  bytes: Uint8Array,
  source: string,
  signal?: AbortSignal,
  options: LoadGridOptions = {},
): Promise<{ bytes: Uint8Array; raster: Raster }> {
  if (bytes.length < OFF_THREAD_BYTES) {
    if (signal?.aborted) throw abortError();
    return { bytes, raster: await parseGridBytes(bytes, source, options) };
  }
  const own = ownBuffer(bytes);
  const reply = await offThread({ kind: 'parse', bytes: own, source, options }, [own.buffer as ArrayBuffer], signal);
  if (reply.kind !== 'raster') throw new Error(`internal error: a parse worker replied '${reply.kind}'`);
  const raster: Raster = {
    data: ndarray(reply.values, [reply.rows, reply.cols]),
    xmin: reply.xmin,
    xmax: reply.xmax,
    ymin: reply.ymin,
    ymax: reply.ymax,
  };
  if (reply.crs !== undefined) raster.crs = reply.crs;
  return { bytes: reply.bytes, raster };
}

/**
 * The GeoTIFF of a synthetic anomaly (`syntheticGeoTiff`), made in a worker thread.
 * @throws CurieError as `synthesiseAnomaly`; an AbortError when `signal` aborts
 */
export async function synthesiseOffThread(options: SynthesiseOptions, signal?: AbortSignal): Promise<Uint8Array> {
  const reply = await offThread({ kind: 'synth', options }, [], signal);
  if (reply.kind !== 'bytes') throw new Error(`internal error: a synth worker replied '${reply.kind}'`);
  return reply.bytes;
}
