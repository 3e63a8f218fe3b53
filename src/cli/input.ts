/**
 * The raster a command reads: a file, or `-` for text on standard input.
 */
import { readSource } from '../io/load.js';
import type { Raster } from '../io/raster.js';
import { parseOffThread } from './off-thread.js';
import { phase } from './phase.js';

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The input's bytes (for digests) and the raster parsed from them. Parsing runs in a worker thread
 * (off-thread.ts), so that a signal is obeyed at once however long it takes; `signal` ends it.
 */
export async function readInput(input: string, signal?: AbortSignal): Promise<{ bytes: Uint8Array; raster: Raster }> {
  phase('reading', input === '-' ? 'standard input' : input);
  const { bytes, source } = input === '-' ? { bytes: await readStdin(), source: 'standard input' } : await readSource(input);
  phase('parsing', `${source} (${bytes.length} bytes)`);
  return parseOffThread(bytes, source, signal);
}
