import { CurieError } from '../errors.js';
import { isGeographicCrs, isWkt, wktForCrs } from './crs-wkt.js';

// A netCDF-3 writer (the classic format, or the 64-bit offset variant once a file passes 2 GiB), as
// the NetCDF Classic Format Specification lays it out: a header (dimensions, global attributes,
// variables with their attributes, type, size and byte offset), then each variable's values in
// order, big-endian, each padded to 4 bytes. No record (unlimited) dimension: grids do not need one.
// No npm package writes netCDF (netcdfjs only reads), and the format is small enough to write here.

/** netCDF-3 external types. */
export type NcType = 'byte' | 'char' | 'short' | 'int' | 'float' | 'double';

/** An attribute to write: text (NC_CHAR), numbers (NC_DOUBLE, or the variable's type for `_FillValue`, `missing_value`, `valid_*`), or numbers of a given type. */
export type NcWriteAttribute = string | number[] | { type: NcType; values: number[] };

/** A variable to write. */
export interface NcWriteVariable {
  name: string;
  /** Dimension names, slowest-varying first; `[]` for a scalar. */
  dimensions: string[];
  type: NcType;
  attributes?: Record<string, NcWriteAttribute>;
  /** Values in C order, as many as the product of the dimensions (default: zeros). */
  values?: ArrayLike<number>;
}

/** A whole netCDF-3 file. */
export interface NcWriteFile {
  /** Dimension lengths by name, in definition order. */
  dimensions: Record<string, number>;
  variables: NcWriteVariable[];
  globalAttributes?: Record<string, NcWriteAttribute>;
  /** `'classic'` (CDF-1) or `'64bit-offset'` (CDF-2); default: classic when it can hold the file. */
  format?: 'classic' | '64bit-offset';
}

const TYPE_CODE: Record<NcType, number> = { byte: 1, char: 2, short: 3, int: 4, float: 5, double: 6 };
const TYPE_SIZE: Record<NcType, number> = { byte: 1, char: 1, short: 2, int: 4, float: 4, double: 8 };
const NC_DIMENSION = 0x0a;
const NC_VARIABLE = 0x0b;
const NC_ATTRIBUTE = 0x0c;
/** Attributes that CF requires to have the type of their variable. */
const TYPED_LIKE_VARIABLE = new Set([
  '_FillValue',
  'missing_value',
  'valid_min',
  'valid_max',
  'valid_range',
  'actual_range',
]);
const CLASSIC_LIMIT = 2 ** 31 - 1;

const pad4 = (n: number) => (n + 3) & ~3;

/**
 * Encode a netCDF-3 file: classic (`CDF\x01`) when every offset fits in 31 bits, else 64-bit offset
 * (`CDF\x02`). `ncdump`, GDAL, netCDF4-python and xarray read the result.
 *
 * @returns the whole file.
 * @throws CurieError `E_ARGUMENT` for an unknown dimension, a variable with the wrong number of
 *   values, or an empty or non-ASCII name.
 */
export function encodeNetcdf3(file: NcWriteFile): Uint8Array {
  const dimensionNames = Object.keys(file.dimensions);
  const header = new ByteWriter();
  const sizes = file.variables.map((v) => {
    const count = v.dimensions.reduce((n, d) => {
      const length = file.dimensions[d];
      if (length === undefined)
        throw new CurieError('E_ARGUMENT', `netCDF variable ${v.name} uses dimension ${d}, which is not defined`);
      return n * length;
    }, 1);
    if (v.values !== undefined && v.values.length !== count) {
      throw new CurieError(
        'E_ARGUMENT',
        `netCDF variable ${v.name} has ${v.values.length} values but its dimensions need ${count}`,
      );
    }
    return { count, bytes: pad4(count * TYPE_SIZE[v.type]) };
  });
  const dataBytes = sizes.reduce((n, s) => n + s.bytes, 0);

  // The header's length depends on the offset width, which depends on the file's size: try classic first.
  const versions = file.format === '64bit-offset' ? ([2] as const) : ([1, 2] as const);
  for (const version of versions) {
    header.reset();
    header.bytes([0x43, 0x44, 0x46, version]);
    header.u32(0); // numrecs
    writeList(header, NC_DIMENSION, dimensionNames, (name) => {
      header.name(name);
      header.u32(file.dimensions[name]);
    });
    writeAttributes(header, file.globalAttributes ?? {}, 'double');
    const offsetFields: number[] = [];
    writeList(header, NC_VARIABLE, file.variables, (v, i) => {
      header.name(v.name);
      header.u32(v.dimensions.length);
      for (const d of v.dimensions) header.u32(dimensionNames.indexOf(d));
      writeAttributes(header, v.attributes ?? {}, v.type);
      header.u32(TYPE_CODE[v.type]);
      // vsize saturates at 2^32 − 1 for a variable too large to state (allowed for the last one).
      header.u32(Math.min(sizes[i].bytes, 2 ** 32 - 1));
      offsetFields.push(header.length);
      if (version === 2) header.u32(0);
      header.u32(0);
    });
    const start = header.length;
    if (version === 1 && file.format === undefined && start + dataBytes - (sizes.at(-1)?.bytes ?? 0) > CLASSIC_LIMIT)
      continue;
    const out = new Uint8Array(start + dataBytes);
    out.set(header.result());
    const view = new DataView(out.buffer);
    let offset = start;
    file.variables.forEach((v, i) => {
      if (version === 2) view.setBigUint64(offsetFields[i], BigInt(offset));
      else view.setUint32(offsetFields[i], offset);
      if (v.values !== undefined) writeValues(view, offset, v.type, v.values);
      offset += sizes[i].bytes;
    });
    return out;
  }
  throw new Error('unreachable: the 64-bit offset format holds any size');
}

function writeList<T>(w: ByteWriter, tag: number, items: readonly T[], each: (item: T, index: number) => void): void {
  if (items.length === 0) {
    w.u32(0); // ABSENT
    w.u32(0);
    return;
  }
  w.u32(tag);
  w.u32(items.length);
  items.forEach(each);
}

function writeAttributes(w: ByteWriter, attributes: Record<string, NcWriteAttribute>, variableType: NcType): void {
  writeList(w, NC_ATTRIBUTE, Object.keys(attributes), (name) => {
    const value = attributes[name];
    w.name(name);
    if (typeof value === 'string') {
      const bytes = new TextEncoder().encode(value);
      w.u32(TYPE_CODE.char);
      w.u32(bytes.length);
      w.bytes(bytes);
      w.pad();
      return;
    }
    const { type, values } = Array.isArray(value)
      ? {
          type: TYPED_LIKE_VARIABLE.has(name) && variableType !== 'char' ? variableType : ('double' as NcType),
          values: value,
        }
      : value;
    w.u32(TYPE_CODE[type]);
    w.u32(values.length);
    const bytes = new Uint8Array(values.length * TYPE_SIZE[type]);
    writeValues(new DataView(bytes.buffer), 0, type, values);
    w.bytes(bytes);
    w.pad();
  });
}

function writeValues(view: DataView, offset: number, type: NcType, values: ArrayLike<number>): void {
  const n = values.length;
  switch (type) {
    case 'byte':
    case 'char':
      for (let i = 0; i < n; i++) view.setInt8(offset + i, values[i]);
      break;
    case 'short':
      for (let i = 0; i < n; i++) view.setInt16(offset + 2 * i, values[i]);
      break;
    case 'int':
      for (let i = 0; i < n; i++) view.setInt32(offset + 4 * i, values[i]);
      break;
    case 'float':
      for (let i = 0; i < n; i++) view.setFloat32(offset + 4 * i, values[i]);
      break;
    case 'double':
      for (let i = 0; i < n; i++) view.setFloat64(offset + 8 * i, values[i]);
      break;
  }
}

/** A growing big-endian byte buffer for the header. */
class ByteWriter {
  private chunks: number[] = [];

  get length(): number {
    return this.chunks.length;
  }

  reset(): void {
    this.chunks = [];
  }

  bytes(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) this.chunks.push(bytes[i]);
  }

  u32(n: number): void {
    this.chunks.push((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  }

  pad(): void {
    while (this.chunks.length % 4 !== 0) this.chunks.push(0);
  }

  /** A name: its length, its UTF-8 bytes, padding. */
  name(name: string): void {
    if (!/^[A-Za-z_][A-Za-z0-9_.@+-]*$/.test(name))
      throw new CurieError(
        'E_ARGUMENT',
        `'${name}' is not a valid netCDF name (ASCII letters, digits, _ . @ + -; starting with a letter or _)`,
      );
    this.u32(name.length);
    this.bytes(new TextEncoder().encode(name));
    this.pad();
  }

  result(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

/** Options of {@link encodeNetcdfGrid}. */
export interface NetcdfGridOptions {
  /** Name of the data variable (default `'z'`, as GMT names it). */
  variable?: string;
  /** Its `long_name` (default none). */
  longName?: string;
  /** Its `units`, e.g. `'nT'` (default none). */
  units?: string;
}

/**
 * Encode a raster as a CF-1.7 netCDF-3 grid that GDAL, GMT, ncdump and xarray read: coordinate
 * variables `x(x)`, `y(y)` (`lon(lon)`, `lat(lat)` for a geographic CRS) holding the node
 * (cell-centre) coordinates, south row first; the data variable `z(y, x)` as doubles with
 * `_FillValue` NaN; and, when the raster has a CRS, a `crs` grid-mapping variable whose
 * `spatial_ref` and `crs_wkt` hold its WKT (GDAL's and CF's attribute) and `epsg_code` its code.
 * WKT is known for EPSG:4326, EPSG:3857, WGS84 UTM zones and CRSs given as WKT; another code is
 * written as `epsg_code` only (curie-depth reads it back, GDAL does not).
 *
 * @param grid values `[rows, cols]` with row 0 south, node extent, optional CRS.
 * @returns the whole file.
 */
export function encodeNetcdfGrid(
  grid: {
    values: ArrayLike<number>;
    rows: number;
    cols: number;
    xmin: number;
    xmax: number;
    ymin: number;
    ymax: number;
    crs?: string;
  },
  options: NetcdfGridOptions = {},
): Uint8Array {
  const { rows, cols } = grid;
  const geographic = grid.crs !== undefined && isGeographicCrs(grid.crs);
  const [xName, yName] = geographic ? ['lon', 'lat'] : ['x', 'y'];
  const axis = (min: number, max: number, n: number) =>
    Float64Array.from({ length: n }, (_, i) => (n === 1 ? min : i === n - 1 ? max : min + (i * (max - min)) / (n - 1)));
  const coordinate = (name: string, which: 'x' | 'y', values: Float64Array): NcWriteVariable => {
    const attributes: Record<string, NcWriteAttribute> = geographic
      ? {
          standard_name: which === 'x' ? 'longitude' : 'latitude',
          long_name: which === 'x' ? 'longitude' : 'latitude',
          units: which === 'x' ? 'degrees_east' : 'degrees_north',
        }
      : {
          standard_name: `projection_${which}_coordinate`,
          long_name: `${which} coordinate of projection`,
          ...(grid.crs !== undefined ? { units: 'm' } : {}),
        };
    attributes.axis = which.toUpperCase();
    attributes.actual_range = [values[0], values[values.length - 1]];
    return { name, dimensions: [name], type: 'double', attributes, values };
  };
  const data: Record<string, NcWriteAttribute> = { _FillValue: [NaN] };
  if (options.longName !== undefined) data.long_name = options.longName;
  if (options.units !== undefined) data.units = options.units;
  const variables: NcWriteVariable[] = [];
  if (grid.crs !== undefined) {
    variables.push({ name: 'crs', dimensions: [], type: 'int', attributes: crsAttributes(grid.crs, geographic) });
    data.grid_mapping = 'crs';
  }
  variables.push(
    coordinate(xName, 'x', axis(grid.xmin, grid.xmax, cols)),
    coordinate(yName, 'y', axis(grid.ymin, grid.ymax, rows)),
  );
  variables.push({
    name: options.variable ?? 'z',
    dimensions: [yName, xName],
    type: 'double',
    attributes: data,
    values: grid.values,
  });
  return encodeNetcdf3({
    dimensions: { [xName]: cols, [yName]: rows },
    variables,
    globalAttributes: { Conventions: 'CF-1.7', source: 'curie-depth' },
  });
}

/** The attributes of the `crs` grid-mapping variable: WKT for GDAL and CF, the code, the PROJ string. */
function crsAttributes(crs: string, geographic: boolean): Record<string, NcWriteAttribute> {
  const attributes: Record<string, NcWriteAttribute> = {};
  if (geographic) attributes.grid_mapping_name = 'latitude_longitude';
  const wkt = wktForCrs(crs);
  if (wkt !== undefined) {
    attributes.spatial_ref = wkt;
    attributes.crs_wkt = wkt;
  }
  const code = /^\s*EPSG:(\d+)\s*$/i.exec(crs);
  if (code) attributes.epsg_code = `EPSG:${Number(code[1])}`;
  else if (!isWkt(crs)) attributes.proj4text = crs;
  return attributes;
}
