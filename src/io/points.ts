import { CurieError } from '../errors.js';
import { readSource } from './load.js';

/** Scattered points read from a text file: x, y and a value per point, in file order. */
export interface PointColumns {
  /** x of each point (longitude in degrees, or easting, as the file has it). */
  x: Float64Array;
  /** y of each point (latitude in degrees, or northing). */
  y: Float64Array;
  /** Value of each point (e.g. nT); `nan` in the file is NaN. */
  values: Float64Array;
}

/** Options of {@link loadPoints}. */
export interface LoadPointsOptions {
  /** 1-based columns of x, y and the value (default `[1, 2, 3]`), as PyCurious's `usecols` but from 1. */
  columns?: readonly [x: number, y: number, value: number];
}

/**
 * Read scattered points from a text file of any number of columns (e.g. EMAG2's
 * `id lon lat ... anomaly` files): columns separated by spaces, tabs or commas; blank lines and
 * `#` comments skipped, and a first line that is not numbers (a header). Unlike
 * {@link loadLonLatPoints}, the coordinates may be in any CRS.
 *
 * @example
 * await loadPoints('emag2.csv', { columns: [2, 3, 5] }) // lon, lat, anomaly from columns 2, 3, 5
 * @param path a file path, a `file:` URL, or the file's bytes.
 * @returns x, y and values as Float64Arrays.
 * @throws CurieError `E_ARGUMENT` for columns that are not three whole numbers ≥ 1; `E_NOT_FOUND`
 *   for a file that cannot be read; `E_FORMAT` naming the line for a line with fewer columns than
 *   asked for or a coordinate that is not a number, and for a file without data lines.
 */
export async function loadPoints(
  path: string | URL | Uint8Array,
  options: LoadPointsOptions = {},
): Promise<PointColumns> {
  const columns = options.columns ?? [1, 2, 3];
  if (columns.length !== 3 || !columns.every((c) => Number.isInteger(c) && c >= 1)) {
    throw new CurieError(
      'E_ARGUMENT',
      `columns ${JSON.stringify(columns)} must be three column numbers from 1 (x, y, value), e.g. 1,2,3`,
    );
  }
  const { bytes, source } = await readSource(path);
  return parsePoints(new TextDecoder('utf-8').decode(bytes), source, columns);
}

/**
 * Parse point lines (see {@link loadPoints}); `source` names the file in error messages.
 * @param columns 1-based columns of x, y and the value.
 */
export function parsePoints(
  text: string,
  source: string,
  columns: readonly [number, number, number] = [1, 2, 3],
): PointColumns {
  if (columns.length !== 3 || !columns.every((c) => Number.isInteger(c) && c >= 1)) {
    throw new CurieError(
      'E_ARGUMENT',
      `columns ${JSON.stringify(columns)} must be three column numbers from 1 (x, y, value), e.g. 1,2,3`,
    );
  }
  const widest = Math.max(...columns);
  let capacity = 1024;
  let x = new Float64Array(capacity),
    y = new Float64Array(capacity),
    values = new Float64Array(capacity);
  let count = 0;
  let headerAllowed = true;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === '' || line.startsWith('#')) continue;
    const tokens = line.split(/[\s,]+/);
    const number = (k: number) => Number(tokens[columns[k] - 1]);
    if (headerAllowed && (Number.isNaN(Number(tokens[0])) || Number.isNaN(number(0)))) {
      headerAllowed = false; // column names
      continue;
    }
    headerAllowed = false;
    const where = `${source}: line ${n + 1}`;
    if (tokens.length < widest) {
      throw new CurieError(
        'E_FORMAT',
        `${where} has ${tokens.length} columns but --columns ${columns.join(',')} asks for column ${widest}; choose columns from 1 to ${tokens.length}`,
      );
    }
    const px = number(0),
      py = number(1);
    const token = tokens[columns[2] - 1];
    const value = /^[+-]?nan$/i.test(token) ? NaN : Number(token);
    if (!Number.isFinite(px) || !Number.isFinite(py))
      throw new CurieError(
        'E_FORMAT',
        `${where}: x "${tokens[columns[0] - 1]}", y "${tokens[columns[1] - 1]}" (columns ${columns[0]}, ${columns[1]}) must be numbers`,
      );
    if (Number.isNaN(value) && !/nan/i.test(token))
      throw new CurieError(
        'E_FORMAT',
        `${where}: value "${token}" (column ${columns[2]}) is not a number (use nan for missing values)`,
      );
    if (count === capacity) {
      capacity *= 2;
      const grow = (a: Float64Array) => {
        const b = new Float64Array(capacity);
        b.set(a);
        return b;
      };
      x = grow(x);
      y = grow(y);
      values = grow(values);
    }
    x[count] = px;
    y[count] = py;
    values[count] = value;
    count++;
  }
  if (count === 0)
    throw new CurieError(
      'E_FORMAT',
      `${source} has no data lines (expected lines of numbers in columns ${columns.join(',')})`,
    );
  return { x: x.slice(0, count), y: y.slice(0, count), values: values.slice(0, count) };
}
