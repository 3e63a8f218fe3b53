/**
 * The raster a command reads: a file, or `-` for text on standard input.
 */
import type { Readable } from 'node:stream';
import { type LoadGridOptions, readGridStream, readSource, readStreamWithinBudget } from '../io/load.js';
import type { Raster } from '../io/raster.js';
import { parseOffThread } from './off-thread.js';
import { phase } from './phase.js';

import { parseColumns } from './options.js';

/** What a command reads: a NetCDF variable, text columns, the signal that ends the reading, and standard input. */
export interface InputOptions {
  variable?: string;
  /** `--columns` as given. */
  columns?: string;
  signal?: AbortSignal;
  /** Read for `-` (default: the process's). */
  stdin?: Readable;
}

/** The loader's options from a command's. */
function loadOptions(options: InputOptions): LoadGridOptions {
  return {
    ...(options.variable === undefined ? {} : { variable: options.variable }),
    ...(options.columns === undefined ? {} : { columns: parseColumns(options.columns) }),
  };
}

/** The input's bytes and name: a file, or `stdin` for `-` (read within the memory budget). */
export async function readInputBytes(
  input: string,
  stdin: Readable = process.stdin,
): Promise<{ bytes: Uint8Array; source: string }> {
  phase('reading', input === '-' ? 'standard input' : input);
  return input === '-'
    ? { bytes: await readStreamWithinBudget(stdin, 'standard input'), source: 'standard input' }
    : readSource(input);
}

/**
 * Parse an input's bytes in a worker thread (off-thread.ts), so that a signal is obeyed at once
 * however long it takes; `signal` ends it. The bytes given are moved there: use the returned ones.
 */
export async function parseInput(
  bytes: Uint8Array,
  source: string,
  options: InputOptions = {},
): Promise<{ bytes: Uint8Array; raster: Raster }> {
  const load = loadOptions(options);
  phase('parsing', `${source} (${bytes.length} bytes)`);
  return parseOffThread(bytes, source, options.signal, load);
}

/**
 * The input's bytes (for digests) and the raster parsed from them; `variable` chooses the
 * variable of a NetCDF file (`--variable`). A file is parsed off the main thread (see
 * {@link parseInput}). Standard input, which may never end, is parsed as it arrives (a line that
 * is not a grid ends the read at once), within the memory budget, the event loop turning between chunks.
 */
export async function readInput(
  input: string,
  options: InputOptions = {},
): Promise<{ bytes: Uint8Array; raster: Raster }> {
  if (input === '-') {
    const load = loadOptions(options);
    phase('reading', 'standard input');
    return readGridStream(options.stdin ?? process.stdin, 'standard input', load);
  }
  const { bytes, source } = await readInputBytes(input, options.stdin);
  return parseInput(bytes, source, options);
}
