import { randomBytes } from 'node:crypto';
import { constants, open as openCallback, unlinkSync } from 'node:fs';
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { CurieError } from '../errors.js';
import { classifyOutput, describeErrno, outputError, type OutputTarget } from './output-target.js';

// Outputs are written to a temporary file in the destination directory and renamed over the
// requested name only once complete: rename(2) within one file system is atomic, so the requested
// name holds either nothing (or its previous content) or the whole new file, never a partial one.
// A symbolic link is followed (the file it leads to is replaced, the link stays); a FIFO or a
// character device is written directly, never replaced (output-target.ts decides which, first).

/** Options of {@link writeFileAtomic} and {@link openAtomicStream}. */
export interface AtomicWriteOptions {
  /**
   * Flush the file to the disk (`fsync`) before the rename, so that the new content survives a
   * power failure as well as a crash of the process (slower). Default `false`.
   */
  fsync?: boolean;
}

/** A file being written line by line under a temporary name; see {@link openAtomicStream}. */
export interface AtomicStream {
  /**
   * Where to write (mind `write()`'s return value for back-pressure on large outputs). Ending it
   * yourself is fine (`commit()` then waits for it); to give up, call `abort()` rather than `destroy()`.
   */
  readonly stream: Writable;
  /**
   * The temporary file's path (in the same directory as the final one); undefined when the output
   * is a FIFO or device, written directly.
   */
  readonly tempPath: string | undefined;
  /**
   * Finish writing and rename the temporary file to the requested name. Rejects (and removes the
   * temporary file) if a write failed; calling it again after success does nothing.
   */
  commit(): Promise<void>;
  /** Stop writing and delete the temporary file; the requested name is left untouched. Idempotent. */
  abort(): Promise<void>;
}

/** Temporary files not yet renamed or removed: deleted when the process exits (e.g. `process.exit` on Ctrl-C) or crashes. */
const pending = new Set<string>();
let exitHookInstalled = false;

/**
 * Delete every temporary file of this process not yet renamed or removed, at once (synchronously):
 * for a signal handler that is about to end the process. Runs by itself on exit and on a crash.
 */
export function removeTemporaryFiles(): void {
  for (const file of pending) {
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  }
  pending.clear();
}

function track(path: string): void {
  pending.add(path);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', removeTemporaryFiles);
    // A crash (an uncaught exception or unhandled rejection) skips 'exit' handlers; the monitor
    // runs just before it without changing how the process ends.
    process.on('uncaughtExceptionMonitor', removeTemporaryFiles);
  }
}

/**
 * The temporary name used for `path`: `.<name>.<pid>.<random>.tmp` in the same directory (hidden,
 * unique per process and call), so that the final rename never crosses file systems.
 */
export function tempPathFor(path: string): string {
  const absolute = resolve(path);
  return join(dirname(absolute), `.${basename(absolute)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Create the temporary file for the output `target` exclusively (`wx`), next to the file it
 * replaces. A missing directory is a {@link CurieError} `E_NOT_FOUND` naming it; other failures
 * name the user's path, never the temporary one.
 */
async function openTemp(target: OutputTarget): Promise<{ handle: FileHandle; tempPath: string }> {
  const tempPath = tempPathFor(target.file);
  // Tracked before it exists, so an exit while `open` is under way still removes it.
  track(tempPath);
  try {
    const handle = await open(tempPath, 'wx');
    return { handle, tempPath };
  } catch (error) {
    pending.delete(tempPath);
    throw await explainOpenError(error, target);
  }
}

const openFd = promisify(openCallback);

/** How often a FIFO without a reader is tried again, ms. */
const FIFO_RETRY_MS = 50;

/**
 * Open a FIFO or device for writing in place, as a stream. A FIFO is opened non-blocking, and
 * again every {@link FIFO_RETRY_MS} until a reader has it open (ENXIO until then): a plain open
 * would block a libuv thread until the reader comes, and a blocked thread makes `process.exit`
 * (Ctrl-C) wait for it. Its writes then go through a pipe handle, as standard output's do.
 */
async function openDirect(target: OutputTarget): Promise<Writable> {
  try {
    if (!target.fifo) return (await open(target.file, target.append ? 'a' : 'w')).createWriteStream();
    for (;;) {
      try {
        const fd = await openFd(target.file, constants.O_WRONLY | constants.O_NONBLOCK);
        return new Socket({ fd, readable: false, writable: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
        await new Promise((resolve) => setTimeout(resolve, FIFO_RETRY_MS));
      }
    }
  } catch (error) {
    throw outputError(target.path, error);
  }
}

/** End a stream and wait until it is closed; rejects with its first error. */
function endStream(stream: Writable, data?: Uint8Array | string): Promise<void> {
  return new Promise((resolve, reject) => {
    let failure: Error | undefined;
    stream.on('error', (error) => (failure ??= error));
    stream.once('close', () =>
      failure === undefined && stream.writableFinished
        ? resolve()
        : reject(failure ?? new Error('the stream closed early')),
    );
    stream.end(data);
  });
}

/** Turn ENOENT/ENOTDIR on the temporary file into an error naming the output directory. */
async function explainOpenError(error: unknown, target: OutputTarget): Promise<unknown> {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const directory = dirname(target.file);
  if (code !== 'ENOENT' && code !== 'ENOTDIR')
    return new CurieError(
      'E_WRITE',
      `cannot create ${target.path} (in directory ${directory}): ${describeErrno(error)}`,
      { cause: error },
    );
  const isDirectory = await stat(directory).then(
    (s) => s.isDirectory(),
    () => undefined,
  );
  const what = isDirectory === false ? 'is not a directory' : 'does not exist';
  return new CurieError(
    'E_NOT_FOUND',
    `output directory ${directory} ${what}; create it first or choose another path for ${basename(target.path)}`,
    { cause: error },
  );
}

async function removeTemp(tempPath: string): Promise<void> {
  pending.delete(tempPath);
  await unlink(tempPath).catch(() => undefined);
}

/**
 * Write `data` to `path` atomically: into a temporary file `.<name>.<pid>.<random>.tmp` in the same
 * directory, then renamed to `path` (replacing an existing file). On any failure the temporary file is
 * removed and `path` is left as it was. A process that exits in the middle through `process.exit`
 * (e.g. from a Ctrl-C handler) or crashes (an uncaught exception) removes the temporary file; one
 * killed outright (a signal without handler, SIGKILL) leaves at most the hidden temporary file,
 * never a partial `path`.
 *
 * A symbolic link at `path` is followed (its target is replaced; the link stays); a FIFO or
 * character device is written directly, not replaced (see `classifyOutput`).
 *
 * @param path destination file.
 * @param data bytes, or a string written as UTF-8.
 * @throws CurieError `E_NOT_FOUND` when the directory of `path` does not exist (the message names
 *   it); `E_ARGUMENT` when `path` is a directory (or socket, block device); `E_WRITE` (an
 *   `OutputError` naming `path`, with the system code) when writing fails: permissions, disk full…
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const target = await classifyOutput(path);
  if (target.kind === 'direct') {
    const stream = await openDirect(target);
    try {
      await endStream(stream, data);
    } catch (error) {
      throw outputError(path, error);
    }
    return;
  }
  const { handle, tempPath } = await openTemp(target);
  try {
    try {
      await handle.writeFile(data);
      if (options.fsync) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tempPath, target.file);
    pending.delete(tempPath);
  } catch (error) {
    await removeTemp(tempPath);
    throw outputError(path, error);
  }
}

/**
 * Open `path` for writing line by line (CSV, NDJSON) under a temporary name in the same directory
 * (`.<name>.<pid>.<random>.tmp`). `commit()` renames it to `path` once everything is written;
 * `abort()` deletes it. Until `commit()` resolves, `path` is untouched.
 *
 * Write errors (disk full…) are caught and reported by `commit()` as a CurieError `E_WRITE` naming
 * `path`, which then removes the temporary file; the stream never throws an unhandled `'error'` event.
 * What sits at `path` is examined first, as {@link writeFileAtomic} does: a symbolic link is
 * followed, a FIFO or device is written directly (`tempPath` undefined), a directory is refused.
 *
 * @throws CurieError `E_NOT_FOUND` when the directory of `path` does not exist (the message names
 *   it); `E_ARGUMENT` when `path` is a directory (or socket, block device).
 */
export async function openAtomicStream(path: string, options: AtomicWriteOptions = {}): Promise<AtomicStream> {
  const target = await classifyOutput(path);
  let stream: Writable, tempPath: string | undefined;
  if (target.kind === 'direct') stream = await openDirect(target);
  else {
    const temp = await openTemp(target);
    tempPath = temp.tempPath;
    // The stream owns the handle: it closes it when it ends or is destroyed (with `fsync` first when
    // asked: `flush`). A FileHandle stream must not be closed from outside, or close() waits forever.
    stream = temp.handle.createWriteStream({ flush: options.fsync === true });
  }
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure ??= error;
  });
  const closed = new Promise<void>((done) => stream.once('close', () => done()));
  let state: 'open' | 'committing' | 'committed' | 'aborted' = 'open';
  let committing: Promise<void> | undefined;

  async function commit(): Promise<void> {
    if (state === 'committed') return;
    if (state === 'committing') return committing;
    if (state === 'aborted') throw new Error(`cannot commit ${path}: the output was aborted`);
    state = 'committing';
    committing = (async () => {
      try {
        if (failure === undefined && !stream.destroyed && !stream.writableEnded) stream.end();
        await closed;
        if (failure !== undefined) throw failure;
        if (!stream.writableFinished) throw new Error(`the output stream for ${path} was destroyed before commit`);
        if (tempPath !== undefined) {
          await rename(tempPath, target.file);
          pending.delete(tempPath);
        }
        state = 'committed';
      } catch (error) {
        state = 'aborted';
        stream.destroy();
        await closed;
        if (tempPath !== undefined) await removeTemp(tempPath);
        throw outputError(path, error);
      }
    })();
    return committing;
  }

  async function abort(): Promise<void> {
    if (state === 'committed' || state === 'aborted') return;
    if (state === 'committing') {
      // Let the commit finish or fail: either way nothing partial remains under `path`.
      await committing?.catch(() => undefined);
      return;
    }
    state = 'aborted';
    stream.destroy();
    await closed;
    if (tempPath !== undefined) await removeTemp(tempPath);
  }

  return { stream, tempPath, commit, abort };
}
