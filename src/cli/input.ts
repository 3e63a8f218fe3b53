/**
 * The raster a command reads: a file, or `-` for text on standard input.
 */
import { parseGridBytes, readSource, readStreamWithinBudget } from '../io/load.js';
import type { Raster } from '../io/raster.js';

/** The input's bytes (for digests) and the raster parsed from them. */
export async function readInput(input: string): Promise<{ bytes: Uint8Array; raster: Raster }> {
  const { bytes, source } = input === '-' ? { bytes: await readStreamWithinBudget(process.stdin, 'standard input'), source: 'standard input' } : await readSource(input);
  return { bytes, raster: await parseGridBytes(bytes, source) };
}
