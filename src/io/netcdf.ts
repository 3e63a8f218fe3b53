import ndarray from 'ndarray';
import { CurieError, fmt } from '../errors.js';
import { cfGridMappingToProj } from './cf-grid-mapping.js';
import { crsFromEpsgAttribute, crsFromWkt, isWkt } from './crs-wkt.js';
import { openHdf5 } from './hdf5-read.js';
import { type NcDataset, type NcVariable, numberAttribute, textAttribute } from './netcdf-dataset.js';
import { openNetcdf3 } from './netcdf3-read.js';
import { type Raster, sharedFloat64 } from './raster.js';

// NetCDF grids to Rasters. Two layouts:
// - CF / COARDS (GDAL, GMT 4 and later, most data centres): a 2-D variable whose two dimensions
//   have 1-D coordinate variables (x/y, lon/lat, …), in either order, ascending or descending.
//   Coordinate variables hold node (cell-centre) coordinates, as our Rasters do.
// - GMT's legacy layout (GMT 3, `=cf`): a 1-D `z(xysize)` stored north row first, with
//   `x_range`, `y_range`, `spacing` and `dimension` variables and z's `node_offset` (1 = pixel
//   registration: the ranges are cell edges, half a cell outside the nodes).

/** Options of {@link readNetcdf}. */
export interface ReadNetcdfOptions {
  /** Name of the variable to read; default: the file's only 2-D variable that is not a coordinate. */
  variable?: string;
}

/** A variable of a NetCDF file as `curie info` lists it. */
export interface NetcdfVariableInfo {
  name: string;
  dimensions: string[];
  shape: number[];
  /** Whether it can be read as a grid (2-D, numeric, not a coordinate). */
  grid: boolean;
  longName?: string;
  units?: string;
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether `bytes` start like a NetCDF file: `CDF` + 1, 2 or 5 (netCDF-3/CDF-5) or the HDF5 signature (netCDF-4). */
export function isNetcdf(bytes: Uint8Array): boolean {
  if (bytes.length >= 4 && bytes[0] === 0x43 && bytes[1] === 0x44 && bytes[2] === 0x46 && [1, 2, 5].includes(bytes[3]))
    return true;
  return isHdf5(bytes);
}

function isHdf5(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && HDF5_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Open a NetCDF file of either kind; `close()` it when done. */
async function openNetcdf(bytes: Uint8Array, source: string): Promise<NcDataset> {
  return isHdf5(bytes) ? openHdf5(bytes, source) : openNetcdf3(bytes, source);
}

/**
 * Read one 2-D variable of a NetCDF file (netCDF-3 classic or 64-bit offset, or netCDF-4/HDF5) into
 * a {@link Raster}: row 0 south, column 0 west, node (cell-centre) coordinates from the coordinate
 * variables (in their units: metres for projected grids, degrees for lon/lat).
 *
 * - Axes: CF `x/y`, `lon/lat` (or `longitude/latitude`, `axis`, `standard_name`, `units` saying
 *   which is which), in either order, each ascending or descending. Without coordinate variables the
 *   coordinates are the indices 0, 1, …. GMT's legacy 1-D `z` layout is read too.
 * - Values equal to `_FillValue` or `missing_value`, or outside `valid_range`/`valid_min`/`valid_max`,
 *   become NaN; then `scale_factor` and `add_offset` are applied (CF packing).
 * - `crs`: from the variable's `grid_mapping` variable: its WKT (`spatial_ref` or `crs_wkt`) as
 *   `'EPSG:NNNN'` when the WKT ends with its EPSG code, else from an `epsg_code` attribute, else its
 *   PROJ string (`proj4text`, as saveGrid writes it, or made from CF's projection parameters, see
 *   {@link cfGridMappingToProj}), else the WKT itself; `'EPSG:4326'` for a longitude/latitude grid
 *   without grid mapping.
 *
 * @param bytes the whole file.
 * @param source the file's name for error messages.
 * @throws CurieError `E_FORMAT` for a file that cannot be read or has no 2-D variable;
 *   `E_ARGUMENT` for an unknown `variable` or several 2-D variables and none chosen (both list the
 *   grid variables); `E_LATTICE` for unevenly spaced coordinates.
 */
export async function readNetcdf(
  bytes: Uint8Array,
  source = 'NetCDF buffer',
  options: ReadNetcdfOptions = {},
): Promise<Raster> {
  const dataset = await openNetcdf(bytes, source);
  try {
    const legacy = gmtLegacyLayout(dataset);
    if (
      legacy &&
      (options.variable === undefined || options.variable === 'z') &&
      gridCandidates(dataset).length === 0
    ) {
      return readGmtLegacy(dataset, legacy);
    }
    return readCfGrid(dataset, chooseVariable(dataset, source, options.variable), source);
  } finally {
    dataset.close();
  }
}

/**
 * The format and variables of a NetCDF file, for `curie info`.
 * @throws CurieError `E_FORMAT` for a file that cannot be read.
 */
export async function listNetcdfVariables(
  bytes: Uint8Array,
  source = 'NetCDF buffer',
): Promise<{ format: string; variables: NetcdfVariableInfo[] }> {
  const dataset = await openNetcdf(bytes, source);
  try {
    const grids = new Set(gridCandidates(dataset));
    const legacy = gmtLegacyLayout(dataset);
    const variables = dataset.variables.map((v) => {
      const info: NetcdfVariableInfo = {
        name: v.name,
        dimensions: v.dimensions,
        shape: v.shape,
        grid: grids.has(v) || (legacy?.z === v && grids.size === 0),
      };
      const longName = textAttribute(v.attributes, 'long_name');
      const units = textAttribute(v.attributes, 'units');
      if (longName !== undefined) info.longName = longName;
      if (units !== undefined) info.units = units;
      return info;
    });
    return { format: dataset.format, variables };
  } finally {
    dataset.close();
  }
}

/** Numeric variables of rank 2 (or higher with all leading dimensions of length 1) that are not coordinates. */
function gridCandidates(dataset: NcDataset): NcVariable[] {
  const auxiliary = new Set<string>();
  for (const v of dataset.variables) {
    for (const key of ['coordinates', 'bounds']) {
      for (const name of (textAttribute(v.attributes, key) ?? '').split(/\s+/)) if (name) auxiliary.add(name);
    }
  }
  return dataset.variables.filter((v) => v.numeric && isTwoDimensional(v) && !auxiliary.has(v.name));
}

function isTwoDimensional(v: NcVariable): boolean {
  return v.shape.length >= 2 && v.shape.slice(0, -2).every((n) => n === 1);
}

function describe(v: NcVariable): string {
  return `${v.name}(${v.dimensions.join(', ')})`;
}

function chooseVariable(dataset: NcDataset, source: string, wanted: string | undefined): NcVariable {
  const candidates = gridCandidates(dataset);
  const names = candidates.map(describe).join(', ');
  if (wanted !== undefined) {
    const variable = dataset.variables.find((v) => v.name === wanted);
    if (variable === undefined) {
      throw new CurieError(
        'E_ARGUMENT',
        `${source} has no variable '${wanted}'; its 2-D variables: ${names || 'none'}`,
      );
    }
    if (!candidates.includes(variable)) {
      throw new CurieError(
        'E_ARGUMENT',
        `variable ${describe(variable)} of ${source} is not a 2-D numeric grid; its 2-D variables: ${names || 'none'}`,
      );
    }
    return variable;
  }
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    const all = dataset.variables.map(describe).join(', ') || 'none';
    throw new CurieError('E_FORMAT', `${source} has no 2-D variable to read as a grid (its variables: ${all})`);
  }
  throw new CurieError(
    'E_ARGUMENT',
    `${source} has several 2-D variables: ${names}; choose one with { variable } (--variable NAME on the command line)`,
  );
}

type Role = 'x' | 'y' | undefined;

const X_NAMES = /^(x|lon|long|longitude|easting|nav_lon|xc)$/i;
const Y_NAMES = /^(y|lat|latitude|northing|nav_lat|yc)$/i;

/** Whether a dimension (and its coordinate variable) is the x (east) or y (north) axis, from CF's clues. */
function axisRole(dimension: string, coordinate: NcVariable | undefined): Role {
  const a = coordinate?.attributes ?? {};
  const axis = textAttribute(a, 'axis')?.toUpperCase();
  if (axis === 'X' || axis === 'Y') return axis === 'X' ? 'x' : 'y';
  const standard = textAttribute(a, 'standard_name') ?? '';
  if (/^(longitude|projection_x_coordinate|grid_longitude)$/.test(standard)) return 'x';
  if (/^(latitude|projection_y_coordinate|grid_latitude)$/.test(standard)) return 'y';
  const units = textAttribute(a, 'units') ?? '';
  if (/^degrees?_?e(ast)?$/i.test(units)) return 'x';
  if (/^degrees?_?n(orth)?$/i.test(units)) return 'y';
  if (X_NAMES.test(dimension)) return 'x';
  if (Y_NAMES.test(dimension)) return 'y';
  return undefined;
}

function isLonLatAxis(dimension: string, coordinate: NcVariable | undefined): boolean {
  const a = coordinate?.attributes ?? {};
  const standard = textAttribute(a, 'standard_name') ?? '';
  const units = textAttribute(a, 'units') ?? '';
  return (
    /^(longitude|latitude)$/.test(standard) ||
    /^degrees?_?(e|east|n|north)$/i.test(units) ||
    /^(lon|long|longitude|lat|latitude)$/i.test(dimension)
  );
}

/** One axis of the grid: node coordinates in file order, checked to be evenly spaced. */
interface Axis {
  length: number;
  /** Smallest and largest node coordinate. */
  min: number;
  max: number;
  /** Whether file order runs from max to min. */
  descending: boolean;
}

function readAxis(
  dataset: NcDataset,
  dimension: string,
  length: number,
  coordinate: NcVariable | undefined,
  source: string,
): Axis {
  if (coordinate === undefined) return { length, min: 0, max: length - 1, descending: false };
  const values = unpack(dataset.read(coordinate), coordinate);
  const first = values[0];
  const last = values[length - 1];
  if (!Number.isFinite(first) || !Number.isFinite(last)) {
    throw new CurieError(
      'E_FORMAT',
      `${source}: coordinate variable ${coordinate.name} has missing values; every node needs a coordinate`,
    );
  }
  if (length > 1) {
    const step = (last - first) / (length - 1);
    // Float32 coordinates (common) are exact to ~1e-7 of their magnitude, not of the step.
    const tolerance = 1e-4 * Math.abs(step) + 4e-7 * Math.max(Math.abs(first), Math.abs(last));
    for (let i = 1; i < length; i++) {
      const expected = first + i * step;
      if (!(Math.abs(values[i] - expected) <= tolerance) || step === 0) {
        throw new CurieError(
          'E_LATTICE',
          `${source}: coordinate ${dimension} is not evenly spaced (${fmt(values[i - 1])} then ${fmt(values[i])} at index ${i}, but ${fmt(step)} steps from ${fmt(first)} to ${fmt(last)}); resample it to a regular grid first (e.g. gdalwarp or curie grid)`,
        );
      }
    }
  }
  return { length, min: Math.min(first, last), max: Math.max(first, last), descending: last < first };
}

function readCfGrid(dataset: NcDataset, variable: NcVariable, source: string): Raster {
  const rank = variable.shape.length;
  const [dimA, dimB] = variable.dimensions.slice(rank - 2);
  const [nA, nB] = variable.shape.slice(rank - 2);
  const coordinateOf = (d: string) => dataset.variables.find((v) => v.name === d && v.shape.length === 1 && v.numeric);
  const coordA = coordinateOf(dimA);
  const coordB = coordinateOf(dimB);
  // CF order is (y, x); a file written (x, y) says so through its coordinates' names or attributes.
  const transposed = axisRole(dimA, coordA) === 'x' || axisRole(dimB, coordB) === 'y';
  const [xDim, yDim, nx, ny, xCoord, yCoord] = transposed
    ? [dimA, dimB, nA, nB, coordA, coordB]
    : [dimB, dimA, nB, nA, coordB, coordA];
  const x = readAxis(dataset, xDim, nx, xCoord, source);
  const y = readAxis(dataset, yDim, ny, yCoord, source);
  const stored = unpack(dataset.read(variable), variable);
  const values = sharedFloat64(nx * ny);
  for (let row = 0; row < ny; row++) {
    const j = y.descending ? ny - 1 - row : row; // file index along y
    for (let col = 0; col < nx; col++) {
      const i = x.descending ? nx - 1 - col : col;
      values[row * nx + col] = stored[transposed ? i * ny + j : j * nx + i];
    }
  }
  const raster: Raster = { data: ndarray(values, [ny, nx]), xmin: x.min, xmax: x.max, ymin: y.min, ymax: y.max };
  const crs =
    crsOf(dataset, variable) ?? (isLonLatAxis(xDim, xCoord) && isLonLatAxis(yDim, yCoord) ? 'EPSG:4326' : undefined);
  if (crs !== undefined) raster.crs = crs;
  return raster;
}

/** The CRS named by a variable's `grid_mapping`, as `'EPSG:NNNN'` when it has a code, else its WKT. */
function crsOf(dataset: NcDataset, variable: NcVariable): string | undefined {
  // CF 1.7 also allows "crs: x y …" (a mapping and the coordinates it applies to): take the first name.
  const name = textAttribute(variable.attributes, 'grid_mapping')
    ?.trim()
    .split(/[\s:]+/)[0];
  const mapping = name ? dataset.variables.find((v) => v.name === name) : undefined;
  if (mapping === undefined) return undefined;
  const a = mapping.attributes;
  const wkt = [textAttribute(a, 'spatial_ref'), textAttribute(a, 'crs_wkt')].find((w) => w !== undefined && isWkt(w));
  const fromWkt = wkt === undefined ? undefined : crsFromWkt(wkt);
  if (fromWkt?.startsWith('EPSG:')) return fromWkt;
  const code = crsFromEpsgAttribute(a.epsg_code ?? a.EPSG_code ?? a.epsg);
  if (code !== undefined) return code;
  // A PROJ string (which transformCoordinates takes) before a WKT without code (which it does not):
  // the one saveGrid stores, else one made from the CF parameters.
  const proj = textAttribute(a, 'proj4text') ?? textAttribute(a, 'proj4');
  if (proj?.trim().startsWith('+proj=')) return proj.trim();
  const fromParameters = cfGridMappingToProj(a);
  if (fromParameters !== undefined) return fromParameters;
  if (fromWkt !== undefined) return fromWkt;
  if (textAttribute(a, 'grid_mapping_name') === 'latitude_longitude') return 'EPSG:4326';
  return undefined;
}

/**
 * Stored values to physical ones: fill, missing and out-of-range values become NaN (compared with
 * the stored, packed numbers, as CF says), then `× scale_factor + add_offset`.
 */
function unpack(stored: Float64Array, variable: NcVariable): Float64Array {
  const a = variable.attributes;
  const missing = [
    ...(numberAttribute(a, '_FillValue') ?? []).slice(0, 1),
    ...(numberAttribute(a, 'missing_value') ?? []),
  ];
  const range = numberAttribute(a, 'valid_range');
  const low = range?.[0] ?? numberAttribute(a, 'valid_min')?.[0] ?? -Infinity;
  const high = range?.[1] ?? numberAttribute(a, 'valid_max')?.[0] ?? Infinity;
  const scale = numberAttribute(a, 'scale_factor')?.[0] ?? 1;
  const offset = numberAttribute(a, 'add_offset')?.[0] ?? 0;
  const out = stored;
  for (let i = 0; i < out.length; i++) {
    const v = out[i];
    out[i] = missing.includes(v) || v < low || v > high ? NaN : v * scale + offset;
  }
  return out;
}

interface GmtLegacy {
  z: NcVariable;
  xRange: NcVariable;
  yRange: NcVariable;
  dimension: NcVariable;
}

/** GMT 3's layout, when the file has it: x_range, y_range, dimension and a 1-D z. */
function gmtLegacyLayout(dataset: NcDataset): GmtLegacy | undefined {
  const find = (name: string) => dataset.variables.find((v) => v.name === name && v.numeric);
  const z = find('z');
  const xRange = find('x_range');
  const yRange = find('y_range');
  const dimension = find('dimension');
  if (!z || !xRange || !yRange || !dimension || z.shape.length !== 1) return undefined;
  return { z, xRange, yRange, dimension };
}

function readGmtLegacy(dataset: NcDataset, layout: GmtLegacy): Raster {
  const [nx, ny] = dataset.read(layout.dimension);
  const [x0, x1] = dataset.read(layout.xRange);
  const [y0, y1] = dataset.read(layout.yRange);
  if (!(nx >= 1 && ny >= 1 && nx * ny === layout.z.shape[0])) {
    throw new CurieError(
      'E_FORMAT',
      `GMT grid: dimension ${fmt(nx)} × ${fmt(ny)} does not match the ${layout.z.shape[0]} values of z`,
    );
  }
  // Pixel registration: the ranges are the outer cell edges, nodes lie half a cell inside.
  const pixel = (numberAttribute(layout.z.attributes, 'node_offset')?.[0] ?? 0) === 1;
  const halfX = pixel ? (x1 - x0) / nx / 2 : 0;
  const halfY = pixel ? (y1 - y0) / ny / 2 : 0;
  const stored = unpack(dataset.read(layout.z), layout.z);
  const values = sharedFloat64(nx * ny);
  // Stored north row first.
  for (let row = 0; row < ny; row++) values.set(stored.subarray((ny - 1 - row) * nx, (ny - row) * nx), row * nx);
  const raster: Raster = {
    data: ndarray(values, [ny, nx]),
    xmin: x0 + halfX,
    xmax: x1 - halfX,
    ymin: y0 + halfY,
    ymax: y1 - halfY,
  };
  if (
    /degree/i.test(textAttribute(layout.xRange.attributes, 'units') ?? '') &&
    /degree/i.test(textAttribute(layout.yRange.attributes, 'units') ?? '')
  )
    raster.crs = 'EPSG:4326';
  return raster;
}
