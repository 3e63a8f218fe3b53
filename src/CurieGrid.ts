/**
 * `CurieGrid`: PyCurious's grid class, a thin façade over the pure functions of `grid/`,
 * `spectrum/` and `filters/` that supplies the grid's own spacing.
 */
import ndarray, { type NdArray } from 'ndarray';
import { CurieError, describeValue } from './errors.js';
import { removeTrendLinear } from './filters/detrend.js';
import { reduceToPole } from './filters/reduce-to-pole.js';
import { upwardContinuation } from './filters/upward-continuation.js';
import { type GridGeometry, gridGeometry } from './grid/geometry.js';
import { type CentroidOptions, createCentroidList, subgrid } from './grid/windows.js';
import { type Raster, sharedFloat64 } from './io/raster.js';
import { type AzimuthalSpectrum, type AzimuthalSpectrumOptions, azimuthalSpectrum } from './spectrum/azimuthal.js';
import { checkConvention, type Convention } from './spectrum/convention.js';
import { type RadialSpectrum, type RadialSpectrumOptions, radialSpectrum } from './spectrum/radial.js';

/** Options of the {@link CurieGrid} constructor. */
export interface CurieGridOptions {
  /** `'default'` or `'pycurious-1.1'` (see `Convention`); default `'default'`. */
  convention?: Convention;
}

/** Grid values: a `[rows, cols]` ndarray (any backing array) or an array of rows. */
export type GridInput = NdArray | ArrayLike<ArrayLike<number>>;

/** A grid value as given: a number (NaN for missing data); anything else is refused rather than coerced. */
function gridValue(value: unknown, row: number, col: number): number {
  if (typeof value === 'number') return value;
  throw new CurieError(
    'E_ARGUMENT',
    `grid value at row ${row}, column ${col} is ${describeValue(value)}, not a number; give numbers (NaN for missing data)`,
  );
}

/**
 * Row-major Float64Array ndarray of the input. A contiguous Float64Array ndarray (including one on a
 * SharedArrayBuffer) is adopted without copying; anything else is copied onto a SharedArrayBuffer,
 * where worker threads can read it without another copy.
 */
function toFloat64Grid(input: GridInput): NdArray<Float64Array> {
  if (input && typeof input === 'object' && 'shape' in input && 'stride' in input && 'data' in input) {
    const array = input;
    if (array.shape.length !== 2)
      throw new CurieError(
        'E_ARGUMENT',
        `grid data must be 2-D [rows, cols]; got shape ${JSON.stringify(array.shape)}`,
      );
    const [rows, cols] = array.shape;
    if (
      array.data instanceof Float64Array &&
      array.offset === 0 &&
      array.stride[0] === cols &&
      array.stride[1] === 1 &&
      array.data.length === rows * cols
    )
      return array as NdArray<Float64Array>;
    const copy = sharedFloat64(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) copy[r * cols + c] = gridValue(array.get(r, c), r, c);
    return ndarray(copy, [rows, cols]);
  }
  if (!input || typeof (input as ArrayLike<unknown>).length !== 'number')
    throw new CurieError('E_ARGUMENT', 'grid data must be a 2-D ndarray or an array of rows of numbers');
  const rowsIn = input;
  const rows = rowsIn.length;
  const cols = rows > 0 ? (rowsIn[0]?.length ?? 0) : 0;
  const copy = sharedFloat64(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = rowsIn[r];
    if (!row || row.length !== cols)
      throw new CurieError(
        'E_ARGUMENT',
        `grid row ${r} has ${row?.length ?? 0} values, row 0 has ${cols}; rows must all be the same length`,
      );
    for (let c = 0; c < cols; c++) copy[r * cols + c] = gridValue(row[c], r, c);
  }
  return ndarray(copy, [rows, cols]);
}

/**
 * A magnetic-anomaly grid with equal node spacing in x and y, in metres (PyCurious's `CurieGrid`).
 * Row 0 is the southern edge (`ymin`), column 0 the western edge (`xmin`); the extent is given by
 * node (cell-centre) coordinates.
 *
 * ```ts
 * const grid = CurieGrid.fromRaster(await loadGrid('anomaly.tif'));
 * const { k, Phi, sigmaPhi } = grid.radialSpectrum(grid.subgrid(200e3, xc, yc));
 * ```
 */
export class CurieGrid implements GridGeometry {
  /** Values, `[ny, nx]`, row-major Float64Array (shared, not copied, when given as one). */
  readonly data: NdArray<Float64Array>;
  /** Number of columns. */
  readonly nx: number;
  /** Number of rows. */
  readonly ny: number;
  /** x of the first column, metres. */
  readonly xmin: number;
  /** x of the last column, metres. */
  readonly xmax: number;
  /** y of the first (southern) row, metres. */
  readonly ymin: number;
  /** y of the last (northern) row, metres. */
  readonly ymax: number;
  /** Node spacing along x, metres. */
  readonly dx: number;
  /** Node spacing along y, metres (within 0.1 % of dx). */
  readonly dy: number;
  /** x of each column, metres. */
  readonly xcoords: Float64Array;
  /** y of each row, metres. */
  readonly ycoords: Float64Array;
  /** Spectral convention of this grid's spectra and fits (`'default'`, or `'pycurious-1.1'` for PyCurious 1.1's numbers). */
  readonly convention: Convention;

  /**
   * @param data grid values `[rows, cols]` (nT)
   * @param xmin x of the first column's nodes, metres
   * @param xmax x of the last column's nodes, metres
   * @param ymin y of the first row's nodes, metres
   * @param ymax y of the last row's nodes, metres
   * @param options `convention`: `'default'` (dk = 2π/(n·dx)) or `'pycurious-1.1'` (PyCurious 1.1's numbers exactly)
   * @throws CurieError `E_SPACING` when dx and dy differ by more than 0.1 %, `E_ARGUMENT` for a bad shape, extent or convention
   */
  constructor(data: GridInput, xmin: number, xmax: number, ymin: number, ymax: number, options: CurieGridOptions = {}) {
    this.convention = checkConvention(options.convention);
    this.data = toFloat64Grid(data);
    const [ny, nx] = this.data.shape;
    const geometry = gridGeometry(ny, nx, xmin, xmax, ymin, ymax);
    this.nx = nx;
    this.ny = ny;
    this.xmin = xmin;
    this.xmax = xmax;
    this.ymin = ymin;
    this.ymax = ymax;
    this.dx = geometry.dx;
    this.dy = geometry.dy;
    this.xcoords = geometry.xcoords;
    this.ycoords = geometry.ycoords;
  }

  /** A grid from a loaded {@link Raster} (see `loadGrid`). */
  static fromRaster(raster: Raster, options: CurieGridOptions = {}): CurieGrid {
    return new CurieGrid(raster.data, raster.xmin, raster.xmax, raster.ymin, raster.ymax, options);
  }

  /**
   * The square window of side `window` metres around the node nearest to (xc, yc), metres: a view
   * `[2h+1, 2h+1]`, h = ⌊round(window/dx)/2⌋.
   * @throws CurieError `E_OUTSIDE`, `E_WINDOW`
   */
  subgrid(window: number, xc: number, yc: number): NdArray<Float64Array> {
    return subgrid(this.data, this, window, xc, yc) as NdArray<Float64Array>;
  }

  /**
   * Centres (metres) of windows of side `window` metres, y outer and x inner; every node that fits
   * unless `spacingX`/`spacingY` (metres) are given.
   * @throws CurieError `E_WINDOW` when no window fits
   */
  createCentroidList(window: number, options: CentroidOptions = {}): { xc: Float64Array; yc: Float64Array } {
    return createCentroidList(this, window, options);
  }

  /** Radial power spectrum of a square window: `k` in rad/km, `Phi`, `sigmaPhi` (see {@link radialSpectrum}). */
  radialSpectrum(sub: NdArray, options: RadialSpectrumOptions = {}): RadialSpectrum {
    return radialSpectrum(sub, this.dx, { convention: this.convention, ...options });
  }

  /** Azimuthal power spectrum of a square window: `k` in rad/km, `S` `[angles, k]`, `theta` in degrees. */
  azimuthalSpectrum(sub: NdArray, options: AzimuthalSpectrumOptions = {}): AzimuthalSpectrum {
    return azimuthalSpectrum(sub, this.dx, { convention: this.convention, ...options });
  }

  /** The window minus its least-squares plane. */
  removeTrendLinear(data: NdArray): NdArray<Float64Array> {
    return removeTrendLinear(data);
  }

  /**
   * Reduction to the pole with Blakely's filter; angles in degrees (inclination down positive,
   * declination clockwise from north); source direction defaults to the field's.
   */
  reduceToPole(data: NdArray, inc: number, dec: number, sinc?: number, sdec?: number): NdArray<Float64Array> {
    return reduceToPole(data, inc, dec, this.dx, { sinc, sdec, dy: this.dy });
  }

  /** Upward continuation by `height` metres. */
  upwardContinuation(data: NdArray, height: number): NdArray<Float64Array> {
    return upwardContinuation(data, height, this.dx, this.dy);
  }
}
