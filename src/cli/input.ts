/**
 * The raster a command reads: a file, or `-` for text on standard input.
 */
import { parseGridBytes, readSource } from '../io/load.js';
import type { Raster } from '../io/raster.js';
import { checkAllocation, maxMemory } from '../memory-budget.js';

/**
 * All of standard input, which may never end (`yes | curie map -`): reading stops with E_MEMORY
 * as soon as it holds more than the memory budget.
 */
async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  const budget = maxMemory();
  let total = 0;
  // Leaving the loop by the throw destroys the stream: the writer gets EPIPE and stops.
  for await (const chunk of process.stdin) {
    total += (chunk as Buffer).length;
    if (total > budget) checkAllocation('standard input (read so far)', total, 'write the grid to a file and crop it');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, total);
}

/** The input's bytes (for digests) and the raster parsed from them. */
export async function readInput(input: string): Promise<{ bytes: Uint8Array; raster: Raster }> {
  const { bytes, source } = input === '-' ? { bytes: await readStdin(), source: 'standard input' } : await readSource(input);
  return { bytes, raster: await parseGridBytes(bytes, source) };
}
