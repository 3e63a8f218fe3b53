import ndarray from 'ndarray';
import { CurieError, fmt } from '../errors.js';
import { type CrsInput, coordinateTransformer, isGeographic } from '../io/crs.js';
import { convertExtent } from '../io/extent.js';
import { type Raster, sharedFloat64 } from '../io/raster.js';
import { type LatticeSpec, makeLattice } from './lattice.js';
import { type Kernel, makeSampler } from './sample.js';
import { canonicalCrs } from './scattered.js';
import { nodeValues } from './ungrid.js';

/** Options of {@link reproject}: the output lattice (in the target CRS) and the resampling method. */
export interface ReprojectOptions extends LatticeSpec {
  /**
   * `'bilinear'` (default, gdalwarp's `-r bilinear`), `'cubic'` (cubic convolution a = −0.5,
   * gdalwarp's `-r cubic`) or `'nearest'` (gdalwarp's `-r near`).
   */
  method?: 'bilinear' | 'cubic' | 'nearest';
  /** CRS of the input raster, when it carries none (`raster.crs` otherwise). */
  from?: CrsInput;
}

/**
 * Reproject a raster to another CRS (e.g. an EMAG2 lon/lat GeoTIFF to UTM) by inverse mapping, the
 * gdalwarp way: every output node is transformed back into the input's CRS and the input is
 * sampled there (bilinear, cubic convolution or nearest). Output nodes that fall outside the
 * input's nodes are NaN; an input NaN reaches the output nodes whose kernel weights it.
 *
 * The output extent is node coordinates, first and last inclusive (520 000…1 020 000 m at 5 km is
 * 101 columns); by default the input's extent converted to the target CRS ({@link convertExtent})
 * and trimmed inwards to whole multiples of the spacing, so the corners of a lon/lat box (curved
 * in UTM) are NaN. A lon/lat input that spans 0…360° is sampled at longitudes wrapped into it.
 *
 * @example
 * const utm = reproject(lonlat, 'EPSG:32723', { spacing: 5000, method: 'bilinear' });
 * @param raster the input raster, with a CRS (or give `from`).
 * @param to the output CRS.
 * @param options `spacing` or `shape` (in `to`'s units, metres when projected), optional `extent`, method.
 * @returns a raster in `to`, its CRS recorded (`'EPSG:n'` for a code).
 * @throws CurieError `E_CRS` for a raster without a CRS or an unknown one; `E_OUTSIDE` for an extent
 *   that does not overlap the input; `E_ARGUMENT` for a bad method, spacing or extent (see gridScattered).
 */
export function reproject(raster: Raster, to: CrsInput, options: ReprojectOptions): Raster {
  const method = options.method ?? 'bilinear';
  const kernels: Record<string, Kernel> = { bilinear: 'linear', cubic: 'keys', nearest: 'nearest' };
  if (!Object.hasOwn(kernels, method))
    throw new CurieError(
      'E_ARGUMENT',
      `method = "${String(method)}" is not a resampling method; use 'bilinear', 'cubic' or 'nearest'`,
    );
  const from = options.from ?? raster.crs;
  if (from === undefined)
    throw new CurieError('E_CRS', `the raster has no CRS to reproject from; give from (e.g. 'EPSG:4326')`);
  const [rows, cols] = raster.data.shape;
  const dataExtent = convertExtent([raster.xmin, raster.xmax, raster.ymin, raster.ymax], from, to);
  if (options.extent !== undefined) {
    const [xmin, xmax, ymin, ymax] = options.extent;
    if (xmin > dataExtent[1] || xmax < dataExtent[0] || ymin > dataExtent[3] || ymax < dataExtent[2]) {
      throw new CurieError(
        'E_OUTSIDE',
        `extent [${options.extent.map(fmt).join(', ')}] is outside the data, which spans x ${fmt(dataExtent[0])}…${fmt(dataExtent[1])}, y ${fmt(dataExtent[2])}…${fmt(dataExtent[3])} in ${String(to)}; give an extent that overlaps it`,
      );
    }
  }
  const lattice = makeLattice(options, () => dataExtent);
  const sampler = makeSampler(nodeValues(raster), rows, cols, kernels[method]);
  const back = coordinateTransformer(to, from);
  const dx = (raster.xmax - raster.xmin) / Math.max(cols - 1, 1);
  const dy = (raster.ymax - raster.ymin) / Math.max(rows - 1, 1);
  const wrap = isGeographic(from);
  const out = sharedFloat64(lattice.rows * lattice.cols);
  const rowY = new Float64Array(lattice.cols);
  const sx = new Float64Array(lattice.cols);
  const sy = new Float64Array(lattice.cols);
  for (let r = 0; r < lattice.rows; r++) {
    rowY.fill(lattice.ys[r]);
    back(lattice.xs, rowY, sx, sy);
    for (let c = 0; c < lattice.cols; c++) {
      let x = sx[c];
      if (wrap && (x < raster.xmin || x > raster.xmax)) {
        if (x + 360 <= raster.xmax) x += 360;
        else if (x - 360 >= raster.xmin) x -= 360;
      }
      out[r * lattice.cols + c] = sampler.at((x - raster.xmin) / dx, (sy[c] - raster.ymin) / dy);
    }
  }
  return {
    data: ndarray(out, [lattice.rows, lattice.cols]),
    xmin: lattice.xmin,
    xmax: lattice.xmax,
    ymin: lattice.ymin,
    ymax: lattice.ymax,
    crs: canonicalCrs(to),
  };
}
