import ndarray from 'ndarray';
import { CurieError, fmt } from '../errors.js';
import { type Extent, checkExtent } from '../io/extent.js';
import { type Raster, sharedFloat64 } from '../io/raster.js';

/** Node coordinates within this fraction of a spacing of an extent's edge count as on it. */
const EDGE_TOLERANCE = 1e-6;

/**
 * Crop a raster to an extent (PyCurious's `trim`): the nodes whose coordinates lie inside
 * `[xmin, xmax, ymin, ymax]`, edges included (a node within 1e-6 of a spacing of an edge counts
 * as on it). The result is a new raster on a SharedArrayBuffer, with the same CRS.
 *
 * @example
 * trim(raster, [600e3, 900e3, 9600e3, 9800e3]) // the nodes from 600 to 900 km east, 9600 to 9800 km north
 * @param raster the raster to crop (node extent in its CRS's units, metres when projected).
 * @param extent `[xmin, xmax, ymin, ymax]` in the raster's units.
 * @returns the cropped raster, its extent the first and last nodes kept.
 * @throws CurieError `E_ARGUMENT` for a malformed extent; `E_OUTSIDE` when the extent holds fewer than
 *   2 × 2 of the raster's nodes (naming both extents).
 */
export function trim(raster: Raster, extent: Extent): Raster {
  checkExtent(extent);
  const [rows, cols] = raster.data.shape;
  const dx = cols > 1 ? (raster.xmax - raster.xmin) / (cols - 1) : 1;
  const dy = rows > 1 ? (raster.ymax - raster.ymin) / (rows - 1) : 1;
  const c0 = Math.max(0, Math.ceil((extent[0] - raster.xmin) / dx - EDGE_TOLERANCE));
  const c1 = Math.min(cols - 1, Math.floor((extent[1] - raster.xmin) / dx + EDGE_TOLERANCE));
  const r0 = Math.max(0, Math.ceil((extent[2] - raster.ymin) / dy - EDGE_TOLERANCE));
  const r1 = Math.min(rows - 1, Math.floor((extent[3] - raster.ymin) / dy + EDGE_TOLERANCE));
  if (c1 - c0 < 1 || r1 - r0 < 1) {
    throw new CurieError(
      'E_OUTSIDE',
      `extent [${extent.map(fmt).join(', ')}] holds fewer than 2 × 2 nodes of the raster x ${fmt(raster.xmin)}…${fmt(raster.xmax)}, y ${fmt(raster.ymin)}…${fmt(raster.ymax)}; give an extent that overlaps it`,
    );
  }
  const outRows = r1 - r0 + 1;
  const outCols = c1 - c0 + 1;
  const out = sharedFloat64(outRows * outCols);
  const source = raster.data;
  for (let r = 0; r < outRows; r++) {
    for (let c = 0; c < outCols; c++) out[r * outCols + c] = source.get(r0 + r, c0 + c);
  }
  const cropped: Raster = {
    data: ndarray(out, [outRows, outCols]),
    xmin: raster.xmin + c0 * dx,
    xmax: c1 === cols - 1 ? raster.xmax : raster.xmin + c1 * dx,
    ymin: raster.ymin + r0 * dy,
    ymax: r1 === rows - 1 ? raster.ymax : raster.ymin + r1 * dy,
  };
  if (raster.crs !== undefined) cropped.crs = raster.crs;
  return cropped;
}
