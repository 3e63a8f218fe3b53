/**
 * The raster a command reads: a file, or `-` for text on standard input.
 */
import { parseGridBytes, readGridStream, readSource } from '../io/load.js';
import type { Raster } from '../io/raster.js';

/** The input's bytes (for digests) and the raster parsed from them. */
export async function readInput(input: string): Promise<{ bytes: Uint8Array; raster: Raster }> {
  if (input === '-') return readGridStream(process.stdin, 'standard input');
  const { bytes, source } = await readSource(input);
  return { bytes, raster: await parseGridBytes(bytes, source) };
}
