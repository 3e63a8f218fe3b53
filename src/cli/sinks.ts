/**
 * Where a map's rows go: NDJSON or CSV streamed in window order (to stdout or a file), JSON or
 * GeoTIFF written at the end. Files are written under a temporary name and renamed on success.
 */
import path from 'node:path';
import type { Writable } from 'node:stream';
import { CurieError } from '../errors.js';
import { openOutput } from '../io/output.js';
import { isStreamDevice } from '../io/output-target.js';
import { mapGeoTiffBytes } from './map-geotiff.js';
import { csvHeader, csvRow, jsonDocumentParts, ndjsonLine, type TableRecord } from '../io/write-table.js';
import type { Method } from './records.js';

/** Output formats of `curie map`. */
export type Format = 'csv' | 'ndjson' | 'geotiff' | 'json';
export const FORMATS: readonly Format[] = ['csv', 'ndjson', 'geotiff', 'json'];

/** The format from `--format`, else from the output's extension; NDJSON for standard output (and a device or FIFO without extension). */
export function formatFor(out: string | undefined, format: string | undefined): Format {
  if (format !== undefined) {
    if (!(FORMATS as readonly string[]).includes(format))
      throw new CurieError('E_ARGUMENT', `--format '${format}' is not one of ${FORMATS.join(', ')}`);
    return format as Format;
  }
  if (out === undefined) return 'ndjson';
  const extension = path.extname(out).toLowerCase();
  const byExtension: Record<string, Format> = {
    '.csv': 'csv',
    '.ndjson': 'ndjson',
    '.jsonl': 'ndjson',
    '.json': 'json',
    '.tif': 'geotiff',
    '.tiff': 'geotiff',
  };
  const found = byExtension[extension];
  // A device or named pipe (/dev/stdout, a FIFO) without a known extension: NDJSON, as on standard output.
  if (!found && isStreamDevice(out)) return 'ndjson';
  if (!found)
    throw new CurieError(
      'E_ARGUMENT',
      `cannot tell the output format of '${out}' from its extension; use .csv, .ndjson, .json, .tif or --format`,
    );
  return found;
}

/** What a whole-map output needs to know besides the rows. */
export interface MapDescription {
  method: Method;
  fields: readonly string[];
  /** Centres of all windows of the map (not only this shard's), metres. */
  xc: Float64Array;
  yc: Float64Array;
  /** Centre spacing (metres), for georeferencing a single row or column of windows. */
  spacing: { spacingX: number; spacingY: number };
  crs?: string;
  metadata: Record<string, unknown>;
}

/** Receives rows in window order, then `close()` (success) or `abort()`. */
export interface Sink {
  write(index: number, record: TableRecord): Promise<void> | void;
  close(): Promise<void>;
  abort(): Promise<void>;
}

/** A sink streaming lines (CSV or NDJSON) to stdout or an atomically written file. */
async function lineSink(
  out: string | undefined,
  stdout: Writable,
  header: string | undefined,
  line: (index: number, record: TableRecord) => string,
): Promise<Sink> {
  const output = await openOutput(out, { stdout });
  if (header) await output.write(header);
  return { write: (i, r) => output.write(line(i, r)), close: () => output.commit(), abort: () => output.abort() };
}

/** A sink for the whole map in `format`, written to `out` (or `stdout` for NDJSON/CSV without `out`). */
export async function openSink(
  format: Format,
  out: string | undefined,
  description: MapDescription,
  stdout: Writable,
): Promise<Sink> {
  if (format === 'ndjson') return lineSink(out, stdout, undefined, (_, r) => ndjsonLine(r));
  if (format === 'csv')
    return lineSink(out, stdout, csvHeader(description.fields), (_, r) => csvRow(description.fields.map((f) => r[f])));
  if (out === undefined) throw new CurieError('E_ARGUMENT', `--format ${format} needs --out FILE`);
  // The temporary file is created now, so that a missing output directory fails before the map is
  // computed rather than after; the whole document is written into it at the end.
  const output = await openOutput(out);
  const rows = new Array<TableRecord>(description.xc.length);
  return {
    write: (i, r) => void (rows[i] = r),
    close: async () => {
      if (format === 'geotiff') await output.write(mapGeoTiffBytes(description, rows));
      // Part by part, with a turn of the event loop between parts (a large map's document takes
      // long enough to make a signal wait).
      else
        for (const part of jsonDocumentParts(description.metadata, Array.from(rows))) {
          await output.write(part);
          await new Promise((resolve) => setImmediate(resolve));
        }
      await output.commit();
    },
    abort: () => output.abort(),
  };
}
