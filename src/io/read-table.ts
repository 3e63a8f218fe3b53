/**
 * Reading back the tables curie-depth writes (CSV, NDJSON, JSON maps; CSV spectra) as columns:
 * numbers (empty/null → NaN, `inf`/`-inf` → ±Infinity), text columns kept as strings.
 */
import { CurieError } from '../errors.js';

/** A table as columns by name, in file order. */
export interface Table {
  columns: string[];
  rows: number;
  /** Each column's values: numbers where the column is numeric, else the texts. */
  values: Map<string, Float64Array | string[]>;
}

/** One CSV line split into fields (RFC 4180 quotes: `"a,b"`, `""` inside quotes). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '',
    quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** A cell as a number: '' and null → NaN, inf → Infinity; undefined when it is text. */
function asNumber(value: unknown): number | undefined {
  if (value === null || value === '' || value === undefined) return NaN;
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (text === 'inf' || text === '+inf') return Infinity;
  if (text === '-inf') return -Infinity;
  if (text === 'nan') return NaN;
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? n : undefined;
}

/** Columns from records (objects by column name). */
function fromRecords(columns: string[], records: Array<Record<string, unknown>>): Table {
  const values = new Map<string, Float64Array | string[]>();
  for (const column of columns) {
    const cells = records.map((r) => r[column]);
    const numbers = cells.map(asNumber);
    /* eslint-disable @typescript-eslint/no-base-to-string -- a cell that is not a number is kept as the text it reads as */
    values.set(
      column,
      numbers.every((n) => n !== undefined)
        ? Float64Array.from(numbers)
        : cells.map((c) => (c === null || c === undefined ? '' : String(c))),
    );
    /* eslint-enable @typescript-eslint/no-base-to-string */
  }
  return { columns, rows: records.length, values };
}

/**
 * Parse a table by its name's extension: `.csv` (a header line), `.ndjson`/`.jsonl` (an object a
 * line; a part file's header line is skipped), `.json` (`{ windows: [...] }`, as `curie map` writes).
 * @throws CurieError `E_FORMAT` naming the file and line
 */
export function parseTable(text: string, source: string): Table {
  const lower = source.toLowerCase();
  if (lower.endsWith('.csv')) {
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    if (lines.length === 0) throw new CurieError('E_FORMAT', `${source} is empty`);
    const columns = csvFields(lines[0]).map((c) => c.trim());
    const records = lines.slice(1).map((line, n) => {
      const fields = csvFields(line);
      if (fields.length !== columns.length)
        throw new CurieError(
          'E_FORMAT',
          `${source} line ${n + 2} has ${fields.length} fields, the header ${columns.length}`,
        );
      return Object.fromEntries(columns.map((c, j) => [c, fields[j]]));
    });
    return fromRecords(columns, records);
  }
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) {
    const records: Array<Record<string, unknown>> = [];
    text.split('\n').forEach((line, n) => {
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new CurieError('E_FORMAT', `${source} line ${n + 1} is not JSON (truncated?)`);
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new CurieError('E_FORMAT', `${source} line ${n + 1} is not an object`);
      if (!('curie_part' in value)) records.push(value as Record<string, unknown>);
    });
    return fromRecords(records.length > 0 ? Object.keys(records[0]) : [], records);
  }
  if (lower.endsWith('.json')) {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      throw new CurieError('E_FORMAT', `${source} is not JSON (truncated?)`);
    }
    const windows = (document as { windows?: unknown })?.windows;
    if (!Array.isArray(windows))
      throw new CurieError(
        'E_FORMAT',
        `${source} has no "windows" list; is it a map written by curie map --out …json?`,
      );
    return fromRecords(
      windows.length > 0 ? Object.keys(windows[0] as object) : [],
      windows as Array<Record<string, unknown>>,
    );
  }
  throw new CurieError('E_ARGUMENT', `cannot tell the table format of ${source}; use .csv, .ndjson or .json`);
}
