/**
 * `curie grid`: scattered points (a text file) or a raster (GeoTIFF) onto a regular grid in a
 * projected CRS, written as a GeoTIFF — PyCurious's `grid` (points) and gdalwarp (rasters).
 */
import { CurieError, fmt } from '../errors.js';
import { reproject } from '../grid/reproject.js';
import { canonicalCrs, gridScattered } from '../grid/scattered.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { checkOutput } from '../io/output-target.js';
import { resolveCrs, transformCoordinates } from '../io/crs.js';
import type { Extent } from '../io/extent.js';
import { isTiff } from '../io/geotiff.js';
import { parseGridBytes, readSource } from '../io/load.js';
import { parsePoints } from '../io/points.js';
import type { Raster } from '../io/raster.js';
import { rasterGeoTiff } from '../io/write-geotiff.js';
import { parseDistance } from './distance.js';
import { numberList, parseChoice, parseColumns } from './options.js';
import { formatFor } from './sinks.js';

/** Options of `curie grid` as commander gives them. */
export interface GridCommandOptions {
  from?: string;
  to?: string;
  cell: string;
  extent?: string;
  method?: string;
  columns?: string;
  out: string;
}

/** `--extent xmin,xmax,ymin,ymax` (node coordinates in the target CRS). */
function parseExtent(text: string): Extent {
  const parts = numberList(text, 4);
  if (!parts || !(parts[0] < parts[1] && parts[2] < parts[3]))
    throw new CurieError(
      'E_ARGUMENT',
      `--extent '${text}' must be XMIN,XMAX,YMIN,YMAX (first and last nodes, in the target CRS's units) with XMIN < XMAX and YMIN < YMAX`,
    );
  const [xmin, xmax, ymin, ymax] = parts;
  return [xmin, xmax, ymin, ymax];
}

/** Error unless the grid's nodes overlap the data's bounding box (both in the target CRS). */
function checkOverlap(extent: Extent, data: Extent, crs: string): void {
  if (extent[0] > data[1] || extent[1] < data[0] || extent[2] > data[3] || extent[3] < data[2])
    throw new CurieError(
      'E_OUTSIDE',
      `--extent ${extent.map(fmt).join(',')} is outside the data, which spans x ${fmt(data[0])}…${fmt(data[1])}, y ${fmt(data[2])}…${fmt(data[3])} in ${crs}; give an extent that overlaps it`,
    );
}

/** Bounding box of points (NaN coordinates, from a failed projection, ignored). */
function boundsOf(x: ArrayLike<number>, y: ArrayLike<number>): Extent {
  let xlo = Infinity,
    xhi = -Infinity,
    ylo = Infinity,
    yhi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < xlo) xlo = x[i];
    if (x[i] > xhi) xhi = x[i];
    if (y[i] < ylo) ylo = y[i];
    if (y[i] > yhi) yhi = y[i];
  }
  return [xlo, xhi, ylo, yhi];
}

/** Run `curie grid`. */
export async function runGrid(input: string, options: GridCommandOptions): Promise<void> {
  if (formatFor(options.out, undefined) !== 'geotiff')
    throw new CurieError('E_ARGUMENT', `--out '${options.out}' must be a .tif file`);
  const cell = parseDistance(options.cell, '--cell');
  const extent = options.extent === undefined ? undefined : parseExtent(options.extent);
  const method = parseChoice(options.method ?? 'linear', '--method', ['linear', 'nearest', 'cubic'] as const);
  // Unknown CRSs fail before the input is read.
  for (const crs of [options.from, options.to]) if (crs !== undefined) resolveCrs(crs);
  // The output is examined before the work: the input given as output, a directory, are refused now.
  await checkOutput(options.out, [input]);
  const { bytes, source } = await readSource(input);
  let raster: Raster;
  if (isTiff(bytes)) {
    if (options.columns !== undefined)
      throw new CurieError('E_ARGUMENT', `--columns applies to text point files; ${input} is a GeoTIFF`);
    const inputRaster = await parseGridBytes(bytes, source);
    const to = options.to ?? options.from ?? inputRaster.crs;
    if (to === undefined)
      throw new CurieError(
        'E_CRS',
        `${input} has no CRS; give --from EPSG:CODE (its CRS) and --to EPSG:CODE (the grid's)`,
      );
    const resampling = method === 'linear' ? 'bilinear' : method;
    raster = reproject(inputRaster, to, {
      spacing: cell,
      method: resampling,
      ...(extent ? { extent } : {}),
      ...(options.from ? { from: options.from } : {}),
    });
  } else {
    if (options.to !== undefined && options.from === undefined)
      throw new CurieError(
        'E_ARGUMENT',
        `--to ${options.to} needs --from, the CRS of the points in ${input} (e.g. --from EPSG:4326)`,
      );
    const points = parsePoints(
      new TextDecoder('utf-8').decode(bytes),
      source,
      options.columns === undefined ? undefined : parseColumns(options.columns),
    );
    // PyCurious triangulates the projected points: project first, then grid in the target CRS.
    const { x, y } =
      options.to !== undefined ? transformCoordinates(points.x, points.y, options.from!, options.to) : points;
    const crs = options.to ?? options.from;
    if (extent !== undefined) checkOverlap(extent, boundsOf(x, y), crs ?? "the points' coordinates");
    raster = gridScattered(
      { x, y, values: points.values },
      { spacing: cell, method, ...(extent ? { extent } : {}), ...(crs ? { crs: canonicalCrs(crs) } : {}) },
    );
  }
  await writeFileAtomic(options.out, rasterGeoTiff(raster, 'anomaly'));
}
