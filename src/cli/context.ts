/**
 * What a command runs with: its standard streams and the signal that stops it. The process's own
 * for `curie`; others for {@link main} called in-process (tests, scripts embedding the CLI).
 */
import type { Readable, Writable } from 'node:stream';

/** The standard streams of a run of the command line. */
export interface CliIo {
  /** Read by `-` (an input on standard input). */
  stdin: Readable;
  /** The command's output (maps, spectra, info) when no `--out` is given. */
  stdout: Writable;
  /** Errors, warnings, progress; a bar is drawn when it is a terminal (`isTTY`). */
  stderr: Writable & { isTTY?: boolean };
}

/** A command's streams and the signal that aborts it (a reader of its output that went away). */
export interface CommandContext {
  io: CliIo;
  signal: AbortSignal;
}
