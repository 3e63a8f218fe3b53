import type { Writable } from 'node:stream';
import { type AtomicWriteOptions, openAtomicStream } from './atomic-write.js';
import { outputError } from './output-target.js';

// One way to write every output, file or standard output, so that no write error goes unseen:
// streams report failures (disk full, a reader that went away) asynchronously through 'error'
// events, often after `write()` has returned; here the first one is kept and rejects the next
// `write()` and `commit()`, as a one-line OutputError naming the output.

/** An output being written; see {@link openOutput}. */
export interface Output {
  /**
   * Write a chunk, waiting while the stream is full (so a slow reader paces the writer).
   * @throws OutputError (CurieError `E_WRITE`) once a write has failed
   */
  write(chunk: string | Uint8Array): Promise<void>;
  /**
   * Finish: wait until every byte is handed to the system, then (for a file) rename it to its name.
   * @throws OutputError when any write failed; a file's temporary copy is removed then
   */
  commit(): Promise<void>;
  /** Give up: a file's temporary copy is removed and its name left as it was. Idempotent. */
  abort(): Promise<void>;
}

/** Writes to `stream` that remember its first error and report it as an error naming `name`. */
function checkedWriter(stream: Writable, name: string): { write: Output['write']; flush: () => Promise<void> } {
  let failure: unknown;
  stream.on('error', (error) => {
    failure ??= error;
  });
  const check = () => {
    // A failed write destroys the stream at once but emits 'error' a tick later: `errored` has it first.
    const error: unknown = failure ?? stream.errored ?? undefined;
    if (error !== undefined) throw outputError(name, error);
    if (stream.destroyed) throw outputError(name, new Error('the stream was closed'));
  };
  /** Until the stream has room again (or failed). */
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('error', done);
        stream.off('close', done);
        resolve();
      };
      stream.once('drain', done);
      stream.once('error', done);
      stream.once('close', done);
    });
  return {
    async write(chunk) {
      check();
      if (!stream.write(chunk)) await drained();
      check();
    },
    async flush() {
      check();
      if (stream.writableLength > 0) await drained();
      // Errors of the last writes arrive on a later turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      check();
    },
  };
}

/**
 * Open an output: the file `path` (written under a temporary name and renamed when committed, or
 * directly when it is a FIFO or device: see `openAtomicStream`), or standard output (`stdout`, by
 * default the process's) when `path` is undefined. Every write error, whenever it arrives, rejects a later `write()` or `commit()` with a
 * one-line CurieError `E_WRITE` (an `OutputError`, whose `errno` is e.g. `'ENOSPC'` or `'EPIPE'`).
 * @throws CurieError `E_NOT_FOUND`, `E_ARGUMENT` as `openAtomicStream` (before anything is written)
 */
export async function openOutput(
  path: string | undefined,
  options: AtomicWriteOptions & { stdout?: Writable } = {},
): Promise<Output> {
  if (path === undefined) {
    const writer = checkedWriter(options.stdout ?? process.stdout, 'standard output');
    return { write: writer.write, commit: writer.flush, abort: async () => {} };
  }
  const file = await openAtomicStream(path, { fsync: options.fsync });
  const writer = checkedWriter(file.stream, path);
  return {
    async write(chunk) {
      try {
        await writer.write(chunk);
      } catch (error) {
        // Remove the temporary file now: the caller may not get to abort().
        await file.abort();
        throw error;
      }
    },
    commit: () => file.commit(),
    abort: () => file.abort(),
  };
}
