import { CurieError } from '../errors.js';
import type { Raster } from '../io/raster.js';
import { type Kernel, makeSampler } from './sample.js';

/** Options of {@link ungrid}. */
export interface UngridOptions {
  /**
   * `'cubic'` (default, PyCurious's `ungrid`): cubic B-spline with spline prefiltering, as scipy's
   * `map_coordinates(order=3, mode='constant', cval=nan)`; `'linear'`: bilinear (order 1);
   * `'nearest'`: the nearest node (order 0, halves rounded up).
   */
  method?: 'cubic' | 'linear' | 'nearest';
}

/**
 * Sample a raster at points (PyCurious's `ungrid`): the inverse of gridding, e.g. to compare a grid
 * with the survey points it came from or to read a map at well locations. Points are in the
 * raster's coordinates (metres when projected); a point outside the nodes is NaN.
 *
 * As in scipy, the cubic B-spline's prefilter runs along whole rows and columns, so a NaN in the
 * raster makes its row and column NaN for `'cubic'`; `'linear'` and `'nearest'` keep NaN local.
 *
 * @example
 * ungrid(raster, [600e3, 750e3], [9600e3, 9700e3]) // values (e.g. nT) at two UTM points
 * @param raster the raster to sample.
 * @param x x of each point (same units as the raster's extent).
 * @param y y of each point; as many as `x`.
 * @returns the value at each point (the raster's units), NaN outside.
 * @throws CurieError `E_ARGUMENT` for lengths that differ or an unknown method.
 */
export function ungrid(
  raster: Raster,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: UngridOptions = {},
): Float64Array {
  const method = options.method ?? 'cubic';
  const kernels: Record<string, Kernel> = { cubic: 'bspline', linear: 'linear', nearest: 'nearest' };
  const kernel = kernels[method];
  if (kernel === undefined || !Object.hasOwn(kernels, method))
    throw new CurieError(
      'E_ARGUMENT',
      `method = "${String(method)}" is not an ungrid method; use 'cubic', 'linear' or 'nearest'`,
    );
  if (x.length !== y.length)
    throw new CurieError('E_ARGUMENT', `x has ${x.length} coordinates but y has ${y.length}; give one y per x`);
  const [rows, cols] = raster.data.shape;
  const sampler = makeSampler(nodeValues(raster), rows, cols, kernel);
  const dx = (raster.xmax - raster.xmin) / Math.max(cols - 1, 1);
  const dy = (raster.ymax - raster.ymin) / Math.max(rows - 1, 1);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = sampler.at((x[i] - raster.xmin) / dx, (y[i] - raster.ymin) / dy);
  return out;
}

/** The raster's values, row-major, as an array (the ndarray's own when it is plain row-major). */
export function nodeValues(raster: Raster): ArrayLike<number> {
  const data = raster.data;
  const [rows, cols] = data.shape;
  if (data.offset === 0 && data.stride[0] === cols && data.stride[1] === 1) return data.data;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = data.get(r, c);
  return out;
}
