/**
 * The raster a command reads: a file, or `-` for text on standard input.
 */
import { readGridStream, readSource, readStreamWithinBudget } from '../io/load.js';
import type { Raster } from '../io/raster.js';
import { parseOffThread } from './off-thread.js';
import { phase } from './phase.js';

/** The input's bytes and name: a file, or standard input (read within the memory budget). */
export async function readInputBytes(input: string): Promise<{ bytes: Uint8Array; source: string }> {
  phase('reading', input === '-' ? 'standard input' : input);
  return input === '-' ? { bytes: await readStreamWithinBudget(process.stdin, 'standard input'), source: 'standard input' } : readSource(input);
}

/**
 * Parse an input's bytes in a worker thread (off-thread.ts), so that a signal is obeyed at once
 * however long it takes; `signal` ends it. The bytes given are moved there: use the returned ones.
 */
export async function parseInput(bytes: Uint8Array, source: string, options: { variable?: string; signal?: AbortSignal } = {}): Promise<{ bytes: Uint8Array; raster: Raster }> {
  phase('parsing', `${source} (${bytes.length} bytes)`);
  return parseOffThread(bytes, source, options.signal, options.variable === undefined ? {} : { variable: options.variable });
}

/**
 * The input's bytes (for digests) and the raster parsed from them; `variable` chooses the
 * variable of a NetCDF file (`--variable`). A file is parsed off the main thread (see
 * {@link parseInput}). Standard input, which may never end, is parsed as it arrives (a line that
 * is not a grid ends the read at once), within the memory budget, the event loop turning between chunks.
 */
export async function readInput(input: string, options: { variable?: string; signal?: AbortSignal } = {}): Promise<{ bytes: Uint8Array; raster: Raster }> {
  if (input === '-') {
    phase('reading', 'standard input');
    return readGridStream(process.stdin, 'standard input', options.variable === undefined ? {} : { variable: options.variable });
  }
  const { bytes, source } = await readInputBytes(input);
  return parseInput(bytes, source, options);
}
