import type { NdArray } from 'ndarray';

/**
 * A georeferenced raster as loaded from a file: `data` is an ndarray of shape `[rows, cols]`
 * (row-major Float64Array), row 0 is the southern edge (`ymin`), column 0 the western edge (`xmin`).
 * `xmin…ymax` are node (cell-centre) coordinates in the raster's units (metres for projected CRSs).
 */
export interface Raster {
  /** Values, shape `[rows, cols]`; missing values (nodata) are NaN. */
  data: NdArray<Float64Array>;
  /** x of the first column's nodes (metres when projected). */
  xmin: number;
  /** x of the last column's nodes. */
  xmax: number;
  /** y of the first (southern) row's nodes. */
  ymin: number;
  /** y of the last (northern) row's nodes. */
  ymax: number;
  /** Coordinate reference system such as `'EPSG:32723'`, when the source names one. */
  crs?: string;
}

/**
 * A zero-filled Float64Array of `length` values on a SharedArrayBuffer: grids are allocated there so
 * that worker threads can read them without the grid ever being copied.
 */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * Math.max(length, 1))).subarray(0, length);
}
