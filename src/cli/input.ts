/**
 * The raster a command reads: a file, or `-` for text on standard input.
 */
import { parseGridBytes, readSource } from '../io/load.js';
import type { Raster } from '../io/raster.js';

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The input's bytes and name. */
export async function readInputBytes(input: string): Promise<{ bytes: Uint8Array; source: string }> {
  return input === '-' ? { bytes: await readStdin(), source: 'standard input' } : readSource(input);
}

/**
 * The input's bytes (for digests) and the raster parsed from them; `variable` chooses the
 * variable of a NetCDF file (`--variable`).
 */
export async function readInput(input: string, variable?: string): Promise<{ bytes: Uint8Array; raster: Raster }> {
  const { bytes, source } = await readInputBytes(input);
  return { bytes, raster: await parseGridBytes(bytes, source, variable === undefined ? {} : { variable }) };
}
