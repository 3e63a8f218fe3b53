import { readFileSync } from 'node:fs';
import proj4 from 'proj4';
import { CurieError } from '../errors.js';

/**
 * A coordinate reference system: an EPSG code as a number (`4326`) or a string (`'EPSG:32723'`,
 * case-insensitive), or a PROJ string (`'+proj=utm +zone=23 +south +datum=WGS84 +units=m'`).
 *
 * Every EPSG projected and geographic 2-D CRS is known offline (6091 codes): their PROJ strings
 * are a table generated from PROJ's own database (`data/epsg-proj4.json`, made by
 * `data/make-epsg-proj4.py`), with the datum's `+towgs84` shift where PROJ has a single one.
 */
export type CrsInput = string | number;

/** Transformed coordinates: x (easting or longitude) and y (northing or latitude). */
export interface TransformedCoordinates {
  /** Eastings in metres, or longitudes in degrees for a geographic CRS. */
  x: Float64Array;
  /** Northings in metres, or latitudes in degrees for a geographic CRS. */
  y: Float64Array;
}

const WGS84_LONLAT = '+proj=longlat +datum=WGS84 +no_defs';
const PSEUDO_MERCATOR =
  '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs';

/** PROJ strings by EPSG code, read from the package's table the first time a code needs it. */
let epsgTable: Record<string, string> | undefined;

function loadEpsgTable(): Record<string, string> {
  // data/ sits two levels above both src/io/crs.ts and dist/io/crs.js.
  epsgTable ??= JSON.parse(readFileSync(new URL('../../data/epsg-proj4.json', import.meta.url), 'utf8')) as Record<
    string,
    string
  >;
  return epsgTable;
}

/**
 * The PROJ string of an EPSG code, or undefined for a code that is not a projected or geographic
 * 2-D CRS of the EPSG dataset. WGS84 longitude/latitude, Web Mercator and the WGS84 UTM zones
 * (326zz north, 327zz south, zz = 1…60) are answered without reading the table.
 */
export function epsgDefinition(code: number): string | undefined {
  if (!Number.isInteger(code) || code <= 0) return undefined;
  if (code === 4326) return WGS84_LONLAT;
  if (code === 3857) return PSEUDO_MERCATOR;
  const zone = code % 100;
  const family = Math.floor(code / 100);
  if ((family === 326 || family === 327) && zone >= 1 && zone <= 60) {
    return `+proj=utm +zone=${zone}${family === 327 ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`;
  }
  const table = loadEpsgTable();
  return Object.hasOwn(table, String(code)) && String(code) !== '_source' ? table[String(code)] : undefined;
}

/** Whether a CRS is geographic (longitude/latitude in degrees) rather than projected. */
export function isGeographic(crs: CrsInput): boolean {
  return /\+proj=(longlat|latlong|lonlat|latlon)\b/.test(resolveCrs(crs));
}

/**
 * The PROJ string for a {@link CrsInput}.
 * @throws CurieError `E_CRS` for an EPSG code not known offline or a string that is neither
 *   `EPSG:n` nor a PROJ string.
 */
export function resolveCrs(crs: CrsInput): string {
  const text = String(crs).trim();
  const epsg = /^(?:epsg:)?(\d+)$/i.exec(text);
  if (epsg) {
    const definition = epsgDefinition(Number(epsg[1]));
    if (definition === undefined) {
      throw new CurieError(
        'E_CRS',
        `unknown CRS EPSG:${epsg[1]}: not a projected or geographic CRS of the EPSG dataset (PROJ's database); check the code, or pass a PROJ string (+proj=…) instead`,
      );
    }
    return definition;
  }
  if (text.startsWith('+') && /(^|\s)\+proj=\w/.test(text)) return text;
  throw new CurieError(
    'E_CRS',
    `unknown CRS "${text.length > 60 ? `${text.slice(0, 57)}...` : text}": give an EPSG code (4326, 'EPSG:32723') or a PROJ string starting with +proj=`,
  );
}

/**
 * Transform points from one coordinate reference system to another (with proj4, the JavaScript
 * port of PROJ). Geographic coordinates are longitude (x) then latitude (y), in degrees;
 * projected ones are easting (x) and northing (y), in metres for every CRS known offline.
 *
 * A point with a non-finite coordinate comes out as NaN, NaN; so does a point the projection
 * cannot represent.
 *
 * @example
 * transformCoordinates([-45], [-4.5], 'EPSG:4326', 'EPSG:32723') // x ≈ [500000], y ≈ [9502604.5]
 * @param x longitudes (degrees) or eastings (metres), in `from`.
 * @param y latitudes (degrees) or northings (metres), in `from`; as many as `x`.
 * @param from CRS of the input, see {@link CrsInput}.
 * @param to CRS of the output.
 * @returns new arrays of the transformed x and y (degrees or metres, as `to` says).
 * @throws CurieError `E_ARGUMENT` when `x` and `y` differ in length; `E_CRS` for an unknown CRS or
 *   a PROJ string proj4 cannot parse.
 */
export function transformCoordinates(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  from: CrsInput,
  to: CrsInput,
): TransformedCoordinates {
  if (x.length !== y.length) {
    throw new CurieError('E_ARGUMENT', `x has ${x.length} coordinates but y has ${y.length}; give one y per x`);
  }
  const n = x.length;
  const out = { x: new Float64Array(n), y: new Float64Array(n) };
  coordinateTransformer(from, to)(x, y, out.x, out.y);
  return out;
}

/**
 * A reusable transformation from one CRS to another: `(x, y, outX, outY)` writes the transformed
 * points into `outX`, `outY` (NaN for a point that is not finite or cannot be represented). For
 * transforming many batches (a raster row by row) without resolving the CRSs each time.
 * @throws CurieError `E_CRS` for an unknown CRS or a PROJ string proj4 cannot parse.
 */
export function coordinateTransformer(
  from: CrsInput,
  to: CrsInput,
): (x: ArrayLike<number>, y: ArrayLike<number>, outX: Float64Array, outY: Float64Array) => void {
  const source = resolveCrs(from);
  const target = resolveCrs(to);
  let converter: proj4.Converter;
  try {
    converter = proj4(source, target);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CurieError('E_CRS', `cannot use CRS "${from}" → "${to}": ${message.split('\n')[0]}`, { cause: error });
  }
  const point: [number, number] = [0, 0];
  return (x, y, outX, outY) => {
    for (let i = 0; i < x.length; i++) {
      const xi = x[i];
      const yi = y[i];
      if (!Number.isFinite(xi) || !Number.isFinite(yi)) {
        outX[i] = NaN;
        outY[i] = NaN;
        continue;
      }
      point[0] = xi;
      point[1] = yi;
      let result: number[] | null | undefined;
      try {
        result = converter.forward(point);
      } catch {
        result = undefined;
      }
      const rx = result?.[0];
      const ry = result?.[1];
      outX[i] = typeof rx === 'number' && Number.isFinite(rx) ? rx : NaN;
      outY[i] = typeof ry === 'number' && Number.isFinite(ry) ? ry : NaN;
    }
  };
}

/**
 * WGS84 longitude and latitude (degrees) of points given in `crs`, e.g. the window centres of a map
 * of a projected grid (the CLI's `lon`, `lat` columns).
 * @param x eastings (metres for most projected CRSs) or longitudes.
 * @param y northings or latitudes; as many as `x`.
 * @param crs CRS of the points.
 * @returns `{ lon, lat }` in degrees, NaN where the point cannot be transformed.
 * @throws CurieError `E_CRS` for an unknown CRS; `E_ARGUMENT` for lengths that differ.
 */
export function toLonLat(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  crs: CrsInput,
): { lon: Float64Array; lat: Float64Array } {
  const { x: lon, y: lat } = transformCoordinates(x, y, crs, 4326);
  return { lon, lat };
}
