/**
 * The raster a command reads: a file, or `-` for text on standard input.
 */
import { parseGridBytes, readGridStream, readSource, readStreamWithinBudget } from '../io/load.js';
import type { Raster } from '../io/raster.js';

/** The input's bytes and name: a file, or standard input (read within the memory budget). */
export async function readInputBytes(input: string): Promise<{ bytes: Uint8Array; source: string }> {
  return input === '-' ? { bytes: await readStreamWithinBudget(process.stdin, 'standard input'), source: 'standard input' } : readSource(input);
}

/**
 * The input's bytes (for digests) and the raster parsed from them; `variable` chooses the
 * variable of a NetCDF file (`--variable`).
 */
export async function readInput(input: string, variable?: string): Promise<{ bytes: Uint8Array; raster: Raster }> {
  const options = variable === undefined ? {} : { variable };
  if (input === '-') return readGridStream(process.stdin, 'standard input', options);
  const { bytes, source } = await readSource(input);
  return { bytes, raster: await parseGridBytes(bytes, source, options) };
}
