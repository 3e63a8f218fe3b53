import { fstat as fstatCallback, statSync, type Stats } from 'node:fs';
import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CurieError } from '../errors.js';

// What sits at an output path decides how it is written, and that is decided before any work is
// done (a map of hours must not fail at its end because --out is a directory):
// - nothing, or a regular file: a temporary file in the same directory, renamed over it when
//   complete (atomic-write.ts), so the name holds the old file or the whole new one;
// - a symbolic link: followed to its final target, which is then treated as above (the temporary
//   file goes next to the target, and the link stays a link);
// - a FIFO or a character device (/dev/null, /dev/stdout on a terminal or pipe, /proc/self/fd/1):
//   written directly, as `cat > X` would; renaming over it would replace the device with a file;
// - a regular file reached through an open descriptor (`--out /dev/stdout >> log`): appended to in
//   place, as the descriptor's owner asked;
// - a directory, socket or block device: refused with one line.

/** How an output is written; see {@link classifyOutput}. */
export interface OutputTarget {
  /** `'replace'`: temporary file next to `file`, renamed over it; `'direct'`: opened and written in place. */
  kind: 'replace' | 'direct';
  /** The path as the user gave it, for messages. */
  path: string;
  /** Where the bytes go: the symbolic links of `path` followed (absolute). */
  file: string;
  /** A FIFO (named pipe): opened without blocking a thread until its reader comes. */
  fifo?: boolean;
  /** A regular file reached through an open descriptor (`/dev/stdout` of `>> log`): appended to. */
  append?: boolean;
}

/** Links to a descriptor the process already has open: `/proc/self/fd/1`, `/dev/fd/1`, `/dev/stdout`. */
const DESCRIPTOR = /^(\/proc\/(self|thread-self|\d+)\/fd\/\d+|\/dev\/fd\/\d+|\/dev\/std(in|out|err))$/;

/** Whether `path` or a link on its way is a descriptor link (see {@link DESCRIPTOR}). */
async function throughDescriptor(path: string): Promise<boolean> {
  let current = path;
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    if (DESCRIPTOR.test(current)) return true;
    const info = await lstat(current).catch(() => undefined);
    if (!info?.isSymbolicLink()) return false;
    current = resolve(dirname(current), await readlink(current));
  }
  return false;
}

/** Longest chain of symbolic links followed (Linux's own limit). */
const MAX_LINKS = 40;

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Where a chain of symbolic links ends, following them even when the last one points at nothing yet. */
async function followLinks(path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    const info = await lstat(current).catch((error: unknown) => {
      if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return undefined;
      throw error;
    });
    if (!info?.isSymbolicLink()) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw new CurieError(
    'E_ARGUMENT',
    `output ${path} is a chain of more than ${MAX_LINKS} symbolic links (a loop?); give a plain file name`,
  );
}

/** What kind of file system object `info` is, in words. */
function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isSocket()) return 'a socket';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * Decide how the output `path` will be written (see the module comment), without writing anything.
 * @throws CurieError `E_ARGUMENT` naming `path` when it is a directory, socket or block device, or
 *   a loop of symbolic links; `E_NOT_FOUND` when it cannot be examined (permission denied…)
 */
export async function classifyOutput(path: string): Promise<OutputTarget> {
  if (path.trim() === '')
    throw new CurieError('E_ARGUMENT', `output '${path}' is empty; give the name of a file to write`);
  const absolute = resolve(path);
  let info: Stats | undefined;
  try {
    info = await stat(absolute);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ELOOP')
      throw new CurieError('E_ARGUMENT', `output ${path} is a loop of symbolic links; give a plain file name`, {
        cause: error,
      });
    if (code !== 'ENOENT' && code !== 'ENOTDIR')
      throw new CurieError('E_NOT_FOUND', `output ${path} cannot be examined (${describeErrno(error)})`, {
        cause: error,
      });
  }
  // Absent (or a link to nothing yet): created where the links lead, as `cat > path` would.
  if (info === undefined) return { kind: 'replace', path, file: await followLinks(absolute) };
  // The file behind an open descriptor (`--out /dev/stdout >> log`) belongs to whoever opened it:
  // written in place and appended to (the shell's `>` has emptied it already), never replaced.
  if (info.isFile() && (await throughDescriptor(absolute)))
    return { kind: 'direct', path, file: absolute, append: true };
  if (info.isFile()) return { kind: 'replace', path, file: await realpath(absolute) };
  if (info.isFIFO()) return { kind: 'direct', path, file: absolute, fifo: true };
  if (info.isCharacterDevice()) return { kind: 'direct', path, file: absolute };
  const example = info.isDirectory() ? `, e.g. ${join(path, 'map.csv')}` : '';
  throw new CurieError('E_ARGUMENT', `output ${path} is ${kindOf(info)}; give the name of a file to write${example}`);
}

const fstatAsync = promisify(fstatCallback);

/**
 * Refuse an output that is one of the inputs: writing it would replace the input. Files are
 * compared by device and inode (so a symbolic or hard link, `./a` and `a`, all match); only
 * regular files count (a terminal can be both standard input and output). `-` stands for
 * standard input.
 * @param output the output path (absent is fine)
 * @param inputs input paths, or `-`
 * @param option the option that named the output, for the message (e.g. `'--out'`)
 * @throws CurieError `E_ARGUMENT` naming both paths
 */
export async function refuseInputAsOutput(output: string, inputs: readonly string[], option = '--out'): Promise<void> {
  const out = await stat(output).catch(() => undefined);
  if (!out?.isFile()) return;
  for (const input of inputs) {
    const info = await (input === '-' ? fstatAsync(0) : stat(input)).catch(() => undefined);
    if (info?.isFile() && info.dev === out.dev && info.ino === out.ino) {
      const name = input === '-' ? 'standard input' : `input ${input}`;
      throw new CurieError(
        'E_ARGUMENT',
        `${option} ${output} is the same file as the ${name}: writing it would destroy the input; choose another output name`,
      );
    }
  }
}

/** A Node errno error in words, e.g. `no space left on device (ENOSPC)`. */
export function describeErrno(error: unknown): string {
  const code = errnoCode(error);
  const words: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EFBIG: 'file too large',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    EIO: 'input/output error',
    EPIPE: 'the reader closed the pipe',
    EISDIR: 'is a directory',
  };
  if (code !== undefined && words[code]) return `${words[code]} (${code})`;
  if (code !== undefined) return code;
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/**
 * A failure to write the output `name` (a path, or "standard output") as one line naming it and
 * never a temporary file; the original error is the `cause` (its `code`, e.g. `EPIPE`, is kept as
 * {@link OutputError.errno}).
 */
export class OutputError extends CurieError {
  /** The system error code, e.g. `'ENOSPC'`, `'EPIPE'`; undefined for other failures. */
  readonly errno: string | undefined;

  constructor(name: string, error: unknown) {
    super('E_WRITE', `cannot write ${name}: ${describeErrno(error)}`, { cause: error });
    this.errno = errnoCode(error);
  }
}

/** `error` as an {@link OutputError} for `name` (unchanged when it already is a CurieError). */
export function outputError(name: string, error: unknown): CurieError {
  return error instanceof CurieError ? error : new OutputError(name, error);
}

/**
 * Everything that can be known about an output before any work: it is not one of the inputs
 * ({@link refuseInputAsOutput}) and it can be written ({@link classifyOutput}). Commands call this
 * first, so that a long computation never ends in "is a directory".
 * @throws CurieError as those two
 */
export async function checkOutput(output: string, inputs: readonly string[], option = '--out'): Promise<OutputTarget> {
  await refuseInputAsOutput(output, inputs, option);
  return classifyOutput(output);
}

/**
 * Whether `path` is a FIFO, a character device or an open descriptor (`/dev/stdout`, `/dev/null`,
 * a named pipe): an output written in place, whose name says nothing about the format wanted.
 */
export function isStreamDevice(path: string): boolean {
  if (path.trim() !== '' && DESCRIPTOR.test(resolve(path))) return true;
  try {
    const info = statSync(path, { throwIfNoEntry: false });
    return info !== undefined && (info.isFIFO() || info.isCharacterDevice());
  } catch {
    return false;
  }
}
