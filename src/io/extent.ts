import { CurieError, fmt } from '../errors.js';
import { type CrsInput, transformCoordinates } from './crs.js';

/** An extent `[xmin, xmax, ymin, ymax]` (metres, or degrees for a geographic CRS). */
export type Extent = readonly [xmin: number, xmax: number, ymin: number, ymax: number];

/** Options of {@link convertExtent}. */
export interface ConvertExtentOptions {
  /** Points along each edge of the box, corners included (default 101, at least 2). */
  densify?: number;
}

/** Whether a value is a list (an array, a typed array or any object with a numeric length). */
function isList(value: unknown): value is ArrayLike<unknown> {
  return (
    Array.isArray(value) ||
    (typeof value === 'object' && value !== null && 'length' in value && typeof value.length === 'number')
  );
}

/** Check an extent is four finite numbers with min < max; `name` is how the message calls it. */
export function checkExtent(extent: unknown, name = 'extent'): asserts extent is Extent {
  if (!isList(extent) || extent.length !== 4)
    throw new CurieError('E_ARGUMENT', `${name} = ${JSON.stringify(extent)} is not [xmin, xmax, ymin, ymax]`);
  const coordinate = (label: string, value: unknown): number => {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new CurieError('E_ARGUMENT', `${name} ${label} = ${String(value)} is not a finite number`);
    return value;
  };
  const xmin = coordinate('xmin', extent[0]),
    xmax = coordinate('xmax', extent[1]),
    ymin = coordinate('ymin', extent[2]),
    ymax = coordinate('ymax', extent[3]);
  if (!(xmax > xmin))
    throw new CurieError(
      'E_ARGUMENT',
      `${name} xmin = ${fmt(xmin)} is not below xmax = ${fmt(xmax)}; give [xmin, xmax, ymin, ymax]`,
    );
  if (!(ymax > ymin))
    throw new CurieError(
      'E_ARGUMENT',
      `${name} ymin = ${fmt(ymin)} is not below ymax = ${fmt(ymax)}; give [xmin, xmax, ymin, ymax]`,
    );
}

/**
 * Convert an extent from one CRS to another (PyCurious's `convert_extent`): the bounding box of the
 * box's four edges transformed, each densified to `densify` points, so that a box whose edges curve
 * in the target CRS (a lon/lat box in UTM, a UTM box in polar stereographic) is wholly inside the
 * result. PyCurious transforms the corners only; on a lon/lat box across a UTM zone's central
 * meridian that misses the bulge of the poleward edge: 2.8 km on 48–42° W, 30–20° S in UTM 23S.
 *
 * @example
 * convertExtent([-45, -40, -4.5, -1], 'EPSG:4326', 'EPSG:32723')
 * // ≈ [500000, 1057002, 9500700, 9889470] (metres)
 * @param extent `[xmin, xmax, ymin, ymax]` in `from` (degrees for a geographic CRS, else its units, metres for most).
 * @param from CRS of `extent`.
 * @param to CRS of the result.
 * @returns `[xmin, xmax, ymin, ymax]` in `to`.
 * @throws CurieError `E_ARGUMENT` for a malformed extent or densify; `E_CRS` for an unknown CRS or a box
 *   that has no point `to` can represent.
 */
export function convertExtent(
  extent: Extent,
  from: CrsInput,
  to: CrsInput,
  options: ConvertExtentOptions = {},
): [number, number, number, number] {
  checkExtent(extent);
  const n = options.densify ?? 101;
  if (!(Number.isInteger(n) && n >= 2 && n <= 1e6))
    throw new CurieError('E_ARGUMENT', `densify = ${String(n)} must be a whole number of points per edge, 2…1e6`);
  const [xmin, xmax, ymin, ymax] = extent;
  const xs = new Float64Array(4 * n);
  const ys = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    const t = i / (n - 1);
    const x = xmin + t * (xmax - xmin);
    const y = ymin + t * (ymax - ymin);
    xs[i] = x;
    ys[i] = ymin; // south edge
    xs[n + i] = x;
    ys[n + i] = ymax; // north edge
    xs[2 * n + i] = xmin;
    ys[2 * n + i] = y; // west edge
    xs[3 * n + i] = xmax;
    ys[3 * n + i] = y; // east edge
  }
  const out = transformCoordinates(xs, ys, from, to);
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (let i = 0; i < out.x.length; i++) {
    const x = out.x[i],
      y = out.y[i];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (!(x1 >= x0 && y1 >= y0)) {
    throw new CurieError(
      'E_CRS',
      `extent [${extent.map(fmt).join(', ')}] in ${String(from)} has no point that ${String(to)} can represent`,
    );
  }
  return [x0, x1, y0, y1];
}
