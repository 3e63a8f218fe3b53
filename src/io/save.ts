import { extname } from 'node:path';
import { CurieError, fmt } from '../errors.js';
import { openAtomicStream, writeFileAtomic } from './atomic-write.js';
import type { Raster } from './raster.js';
import { rasterGeoTiff } from './write-geotiff.js';
import { encodeNetcdfGrid } from './write-netcdf.js';
import { formatNumber } from './write-table.js';

/** Options of {@link saveGrid}. */
export interface SaveGridOptions {
  /** Force the format instead of choosing it from the file's extension. */
  format?: 'geotiff' | 'netcdf' | 'xyz' | 'csv';
  /** Name of the values: the NetCDF variable, the GeoTIFF band description, the CSV column (default `'z'`). */
  name?: string;
}

const EXTENSIONS: Record<string, NonNullable<SaveGridOptions['format']>> = {
  '.tif': 'geotiff',
  '.tiff': 'geotiff',
  '.nc': 'netcdf',
  '.nc3': 'netcdf',
  '.cdf': 'netcdf',
  '.grd': 'netcdf',
  '.txt': 'xyz',
  '.xyz': 'xyz',
  '.dat': 'xyz',
  '.csv': 'csv',
};

/**
 * Write a raster to `path`, in the format its extension names (PyCurious's `export_geotiff` and
 * `export_netcdf`):
 *
 * - `.tif`/`.tiff`: a Float64 GeoTIFF (see `writeGeoTiff`); the CRS must be `'EPSG:NNNN'`.
 * - `.nc`/`.grd`/`.cdf`: a CF-1.7 netCDF-3 grid (doubles, `_FillValue` NaN) with `x/y` coordinate
 *   variables in metres, or `lon/lat` in degrees for a geographic CRS, and the CRS as a `crs`
 *   grid-mapping variable that GDAL reads (see {@link encodeNetcdfGrid}).
 * - `.txt`/`.xyz`/`.dat`: `x y value` lines separated by spaces; `.csv`: the same with commas and a
 *   header line `x,y,<name>`. One line per node, south row first, west to east; NaN as `nan`.
 *
 * Coordinates are nodes (cell centres), as in the raster. The file is written under a temporary
 * name and renamed, so `path` never holds a partial file. {@link loadGrid} reads all of them back.
 *
 * @param raster values (row 0 south), node extent (metres when projected), CRS.
 * @param path destination file.
 * @throws CurieError `E_ARGUMENT` for an unknown extension, a raster whose extent and shape
 *   disagree, or (GeoTIFF) a CRS that is not an EPSG code or a single row or column;
 *   `E_NOT_FOUND` when the directory does not exist.
 */
export async function saveGrid(raster: Raster, path: string, options: SaveGridOptions = {}): Promise<void> {
  const format = options.format ?? EXTENSIONS[extname(path).toLowerCase()];
  if (format === undefined) {
    throw new CurieError(
      'E_ARGUMENT',
      `cannot tell the format of ${path} from its extension: use .tif, .nc (or .grd), .txt/.xyz or .csv`,
    );
  }
  const [rows, cols] = raster.data.shape;
  const values = raster.data.data;
  if (values.length !== rows * cols || !(rows >= 1 && cols >= 1)) {
    throw new CurieError('E_ARGUMENT', `cannot save a raster of shape ${rows} × ${cols} with ${values.length} values`);
  }
  for (const [key, value] of Object.entries({
    xmin: raster.xmin,
    xmax: raster.xmax,
    ymin: raster.ymin,
    ymax: raster.ymax,
  })) {
    if (!Number.isFinite(value))
      throw new CurieError(
        'E_ARGUMENT',
        `cannot save a raster whose ${key} is ${String(value)}: the extent must be finite numbers`,
      );
  }
  const name = options.name ?? 'z';
  if (format === 'netcdf') {
    const bytes = encodeNetcdfGrid(
      {
        values,
        rows,
        cols,
        xmin: raster.xmin,
        xmax: raster.xmax,
        ymin: raster.ymin,
        ymax: raster.ymax,
        ...(raster.crs !== undefined ? { crs: raster.crs } : {}),
      },
      { variable: name },
    );
    await writeFileAtomic(path, bytes);
  } else if (format === 'geotiff') {
    const spacingX = cols > 1 ? (raster.xmax - raster.xmin) / (cols - 1) : NaN;
    const spacingY = rows > 1 ? (raster.ymax - raster.ymin) / (rows - 1) : NaN;
    if (!(spacingX > 0 && spacingY > 0)) {
      throw new CurieError(
        'E_ARGUMENT',
        `cannot save ${path}: a GeoTIFF needs at least 2 rows and 2 columns with xmax > xmin and ymax > ymin (got ${rows} × ${cols}, x ${fmt(raster.xmin)}…${fmt(raster.xmax)}, y ${fmt(raster.ymin)}…${fmt(raster.ymax)})`,
      );
    }
    await writeFileAtomic(path, rasterGeoTiff(raster, name));
  } else {
    await writeText(raster, path, format === 'csv' ? ',' : ' ', format === 'csv' ? `x,y,${name}\n` : '');
  }
}

/** `x y value` lines through the atomic writer, a row at a time (a large grid is never one string). */
async function writeText(raster: Raster, path: string, separator: string, header: string): Promise<void> {
  const [rows, cols] = raster.data.shape;
  const values = raster.data.data;
  const dx = cols > 1 ? (raster.xmax - raster.xmin) / (cols - 1) : 0;
  const dy = rows > 1 ? (raster.ymax - raster.ymin) / (rows - 1) : 0;
  const out = await openAtomicStream(path);
  try {
    if (header) out.stream.write(header);
    for (let r = 0; r < rows; r++) {
      const y = formatNumber(r === rows - 1 ? raster.ymax : raster.ymin + r * dy);
      let text = '';
      for (let c = 0; c < cols; c++) {
        const v = values[r * cols + c];
        text += `${formatNumber(c === cols - 1 ? raster.xmax : raster.xmin + c * dx)}${separator}${y}${separator}${Number.isNaN(v) ? 'nan' : formatNumber(v)}\n`;
      }
      if (!out.stream.write(text)) await new Promise<void>((resolve) => out.stream.once('drain', resolve));
    }
    await out.commit();
  } catch (error) {
    await out.abort();
    throw error;
  }
}
