import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { checkAllocation, maxMemory } from '../memory-budget.js';
import { fileURLToPath } from 'node:url';
import { CurieError } from '../errors.js';
import { isTiff, readGeoTiff } from './geotiff.js';
import { isNetcdf, readNetcdf } from './netcdf.js';
import type { Raster } from './raster.js';
import { parseXYZBytes, rasterFromPoints, XyzPointReader } from './text.js';

/** Options of {@link loadGrid}. */
export interface LoadGridOptions {
  /** Force the format instead of detecting it from the first bytes. */
  format?: 'geotiff' | 'netcdf' | 'xyz';
  /**
   * NetCDF only: the variable to read (e.g. `'z'`, `'Band1'`). Default: the file's only 2-D
   * variable that is not a coordinate; a file with several is an error that lists them.
   */
  variable?: string;
  /** GeoTIFF only: the band to read, 1-based or by its description (default the first). */
  band?: number | string;
  /** Text grids only: 1-based columns of x, y and the value (default `[1, 2, 3]`). */
  columns?: readonly [x: number, y: number, value: number];
}

/**
 * Load a magnetic-anomaly raster from a GeoTIFF, a NetCDF grid (netCDF-3 or netCDF-4/HDF5: CF,
 * GDAL and GMT layouts) or an `x y value` text grid.
 *
 * The format is detected from the first bytes (TIFF or BigTIFF signature → GeoTIFF, `CDF` or the
 * HDF5 signature → NetCDF, anything else → text) unless `options.format` says otherwise. See
 * {@link readGeoTiff}, {@link readNetcdf} and {@link parseXYZBytes} for what each reader accepts. The result has row 0 at the southern edge and
 * node (cell-centre) coordinates in the file's units (metres for projected CRSs).
 *
 * @param pathOrBuffer a file path, a `file:` URL, or the file's bytes.
 * @throws CurieError `E_NOT_FOUND` when the file does not exist, is a directory or cannot be read;
 *   `E_FORMAT` when it is empty, binary but neither TIFF nor NetCDF, malformed, or a NetCDF file
 *   without a 2-D variable; `E_LATTICE` for irregular text grids or NetCDF coordinates;
 *   `E_ARGUMENT` for a URL that is not `file:`, or a NetCDF `variable` that is unknown or needed
 *   (several 2-D variables).
 */
export async function loadGrid(
  pathOrBuffer: string | URL | ArrayBuffer | Uint8Array,
  options: LoadGridOptions = {},
): Promise<Raster> {
  const { bytes, source } = await readSource(pathOrBuffer);
  return parseGridBytes(bytes, source, options);
}

/**
 * Parse a raster file's bytes (see {@link loadGrid}); `source` names it in error messages.
 * @throws CurieError `E_FORMAT`, `E_LATTICE` as {@link loadGrid}
 */
export async function parseGridBytes(
  bytes: Uint8Array,
  source: string,
  options: LoadGridOptions = {},
): Promise<Raster> {
  if (bytes.length === 0) throw new CurieError('E_FORMAT', `${source} is empty`);
  // Binary data that is not a TIFF goes to the GeoTIFF reader too, for its "is not a TIFF" error.
  const format =
    options.format ?? (isNetcdf(bytes) ? 'netcdf' : isTiff(bytes) || looksBinary(bytes) ? 'geotiff' : 'xyz');
  if (format === 'netcdf')
    return readNetcdf(bytes, source, options.variable === undefined ? {} : { variable: options.variable });
  if (format === 'geotiff') return readGeoTiff(bytes, source, { band: options.band });
  return parseXYZBytes(bytes, source, options.columns === undefined ? {} : { columns: options.columns });
}

/**
 * The bytes of a raster given as a path, `file:` URL or bytes, and a name for them in messages
 * (the path, or "grid buffer").
 * @throws CurieError `E_NOT_FOUND` when the file does not exist, is a directory or cannot be read
 */
export async function readSource(
  input: string | URL | ArrayBuffer | Uint8Array,
): Promise<{ bytes: Uint8Array; source: string }> {
  if (input instanceof Uint8Array) return { bytes: input, source: 'grid buffer' };
  if (input instanceof ArrayBuffer) return { bytes: new Uint8Array(input), source: 'grid buffer' };
  if (input instanceof URL && input.protocol !== 'file:') {
    throw new CurieError('E_ARGUMENT', `cannot load ${input.href}: only file paths and file: URLs are supported`);
  }
  const path = input instanceof URL ? fileURLToPath(input) : input;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    // A regular file's size is known: refuse it before reading; a FIFO or device (/dev/zero,
    // /dev/stdin) may never end, so it is read up to the budget.
    if (!info.isFile()) return { bytes: await readStreamWithinBudget(createReadStream(path), path), source: path };
    checkAllocation(`reading ${path}`, info.size, 'crop it first');
    return { bytes: await readFile(path), source: path };
  } catch (error) {
    if (error instanceof CurieError) throw error;
    throw new CurieError('E_NOT_FOUND', `${path} ${whyUnreadable(error)}`, { cause: error });
  }
}

/**
 * All bytes of a stream that may never end (standard input, a FIFO, a device), stopping with
 * E_MEMORY as soon as they exceed the memory budget. `source` names it in the message; `onChunk`
 * sees each chunk as it arrives (an error it throws ends the read).
 * @throws CurieError `E_MEMORY`
 */
export async function readStreamWithinBudget(
  stream: AsyncIterable<unknown> & { destroy?: () => void },
  source: string,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const budget = maxMemory();
  let total = 0;
  // Leaving the loop by the throw destroys the stream: a writer at its other end gets EPIPE and stops.
  for await (const chunk of stream) {
    const bytes = chunk as Uint8Array;
    total += bytes.length;
    // The chunks and their joined copy are both held for a moment: twice the bytes.
    if (2 * total > budget)
      checkAllocation(
        `${source} (read so far, held twice while joined)`,
        2 * total,
        'write the grid to a regular file and crop it',
      );
    chunks.push(bytes);
    onChunk?.(bytes);
  }
  return Buffer.concat(chunks, total);
}

function whyUnreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'does not exist';
  if (code === 'EISDIR') return 'is a directory, not a grid file';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  return `cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})`;
}

/** Bytes that decide a stream's format (those {@link looksBinary} looks at). */
const SNIFF_BYTES = 4096;

/**
 * Read a grid from a stream that may never end (standard input, a FIFO): a text grid is parsed as
 * its chunks arrive, so a line that is not `x y value` ends the read at once (`yes | curie map -`
 * fails on line 1, not after gigabytes); the bytes are read up to the memory budget (see
 * {@link readStreamWithinBudget}) and returned too (for digests).
 * @throws CurieError as {@link parseGridBytes}; `E_MEMORY` past the budget
 */
export async function readGridStream(
  stream: AsyncIterable<unknown> & { destroy?: () => void },
  source: string,
  options: LoadGridOptions = {},
): Promise<{ bytes: Uint8Array; raster: Raster }> {
  let reader: XyzPointReader | undefined;
  let decided = false;
  let seen = 0;
  const pending: Uint8Array[] = [];
  const bytes = await readStreamWithinBudget(stream, source, (chunk) => {
    if (decided) {
      reader?.push(chunk);
      return;
    }
    pending.push(chunk);
    seen += chunk.length;
    if (seen < SNIFF_BYTES) return;
    decided = true;
    const head = Buffer.concat(pending, seen);
    if (!isTiff(head) && !looksBinary(head))
      (reader = new XyzPointReader(source, 0, options.columns === undefined ? {} : { columns: options.columns })).push(
        head,
      );
  });
  if (bytes.length === 0 || !reader) return { bytes, raster: await parseGridBytes(bytes, source, options) };
  return { bytes, raster: rasterFromPoints(reader.finish(), source) };
}

/** Text files have no NUL bytes; binary formats (PNG, NetCDF, zip, …) nearly always do early on. */
function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 4096).includes(0);
}
