// Pure formatters for the tabular outputs of a Curie-depth map (CSV, NDJSON, JSON). Nothing here
// touches the file system: the command line streams these lines through `openAtomicStream`.
//
// Numbers: JavaScript's shortest round-trip form (`String(n)`, the same digits `JSON.stringify`
// writes), so `Number(text)` gives back the very same double. Non-finite numbers (NaN for a failed
// window, ±Infinity) have no CSV or JSON spelling that every reader accepts: they are an empty CSV
// field and `null` in JSON/NDJSON, so both formats carry the same information.

/**
 * Columns of a Bouligand (2009) map, in order: `x`, `y` the window centre (CRS units, metres when
 * projected); `beta` (fractal exponent, dimensionless), `zt` (top of the magnetic layer, km),
 * `dz` (its thickness, km), `C` (spectral constant, ln units), `curie_depth` = zt + dz (km),
 * `curie_depth_low`, `curie_depth_high` (its interval at the map's level, km; high `inf` in CSV and
 * null in JSON where the data do not bound it), `verdict` (`resolved`, `lower-bound`, `unresolved`),
 * `misfit` (the convention's misfit, ln units squared), `status` (0 ok, 1 not converged, 2 window error,
 * 3 worker failure) and `message` (why a window failed; empty when it did not).
 */
export const BOULIGAND_FIELDS = [
  'x',
  'y',
  'beta',
  'zt',
  'dz',
  'C',
  'curie_depth',
  'curie_depth_low',
  'curie_depth_high',
  'verdict',
  'misfit',
  'status',
  'message',
] as const;

/**
 * Columns of a Tanaka (1999) map, in order: `x`, `y` the window centre (CRS units, metres when
 * projected); `Ztr`, `dZtr` (depth to the top and its error, km), `Zor`, `dZor` (centroid depth and
 * its error, km), `curie_depth` = |2 Zor − Ztr| (km), `curie_depth_error` = 2 dZor + dZtr (km),
 * `status` and `message` as in {@link BOULIGAND_FIELDS}.
 */
export const TANAKA_FIELDS = [
  'x',
  'y',
  'Ztr',
  'dZtr',
  'Zor',
  'dZor',
  'curie_depth',
  'curie_depth_error',
  'status',
  'message',
] as const;

/**
 * Columns appended to a map's fields when its grid has a CRS: `lon`, `lat`, the window centre in
 * WGS84 degrees (east and north positive). Last, so that the columns before keep their positions.
 */
export const LONLAT_FIELDS = ['lon', 'lat'] as const;

/** One value of a table row: a number, a string, or nothing (`null`/`undefined`, an empty field). */
export type TableValue = number | string | null | undefined;

/**
 * A number as CSV text: the shortest decimal that reads back as the same double (`String(n)`), e.g.
 * `0.1 + 0.2` → `"0.30000000000000004"`, `1e21` → `"1e+21"`, `123456` → `"123456"`.
 * `-0` is written `"0"` (as `String` and `JSON.stringify` do; a depth or coordinate of −0 means 0).
 * NaN is written as the empty string (a missing value); ±Infinity as `inf` and `-inf` (read as
 * infinity by numpy, pandas and R), e.g. the open upper end of a Curie depth's interval.
 */
export function formatNumber(n: number): string {
  if (Number.isFinite(n)) return String(n);
  return n === Infinity ? 'inf' : n === -Infinity ? '-inf' : '';
}

/** Whether a CSV field must be quoted (RFC 4180): it contains a comma, a double quote, CR or LF. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field: numbers by {@link formatNumber}, strings quoted per RFC 4180 when they contain a
 * comma, a double quote, CR or LF (quotes doubled inside), `null`/`undefined` and `''` as an empty field.
 */
export function csvField(value: TableValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return formatNumber(value);
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The CSV header line for `fields` (e.g. {@link BOULIGAND_FIELDS}), terminated by `\n`. Field names
 * are quoted by the same rule as values.
 */
export function csvHeader(fields: readonly string[]): string {
  return csvRow(fields);
}

/**
 * One CSV data line, terminated by `\n` (LF; a field containing CR or LF is quoted, so a line break
 * outside quotes always ends a record). See {@link csvField} for how each value is written: numbers
 * in shortest round-trip form, NaN/±Infinity and `null`/`undefined` empty, strings quoted when needed.
 */
export function csvRow(values: readonly TableValue[]): string {
  return `${values.map(csvField).join(',')}\n`;
}

/** A record of an NDJSON or JSON output: field name → number, string or `null`. */
export type TableRecord = Record<string, number | string | null>;

/**
 * One NDJSON line: the record as a single-line JSON object terminated by `\n`, fields in the record's
 * own order. Numbers are written in shortest round-trip form (`-0` as `0`); NaN **and ±Infinity**
 * become `null` (JSON has no spelling for them); strings are JSON-escaped (a line break inside a
 * message is `\n`, so one record is always one line).
 */
export function ndjsonLine(record: TableRecord): string {
  return `${JSON.stringify(record, finiteOrNull)}\n`;
}

/**
 * A whole JSON output `{ "metadata": {…}, "windows": [ … ] }` (terminated by `\n`): `metadata`
 * indented, each window record on one line, NaN and ±Infinity as `null` anywhere in either.
 *
 * @param metadata what produced the map (method, window size in metres, options…): any JSON value.
 * @param windows one record per window, e.g. with the fields of {@link BOULIGAND_FIELDS}.
 */
export function jsonDocument(metadata: Record<string, unknown>, windows: readonly TableRecord[]): string {
  return Array.from(jsonDocumentParts(metadata, windows)).join('');
}

/**
 * {@link jsonDocument} in consecutive parts (joined, the same text), at most `perPart` windows in
 * each: a writer can hand each to a stream and let the event loop turn in between.
 */
export function* jsonDocumentParts(
  metadata: Record<string, unknown>,
  windows: readonly TableRecord[],
  perPart = 4096,
): Generator<string, void, undefined> {
  const meta = JSON.stringify(metadata, finiteOrNull, 2).replace(/\n/g, '\n  ');
  if (windows.length === 0) {
    yield `{\n  "metadata": ${meta},\n  "windows": []\n}\n`;
    return;
  }
  yield `{\n  "metadata": ${meta},\n  "windows": [\n`;
  for (let start = 0; start < windows.length; start += perPart) {
    const rows = windows.slice(start, start + perPart).map((w) => `    ${JSON.stringify(w, finiteOrNull)}`);
    yield `${start > 0 ? ',\n' : ''}${rows.join(',\n')}`;
  }
  yield '\n  ]\n}\n';
}

/** JSON.stringify replacer: non-finite numbers → null (what JSON.stringify does, made explicit). */
function finiteOrNull(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
