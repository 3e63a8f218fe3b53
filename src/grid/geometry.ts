/**
 * The node lattice of a grid: coordinates, spacing and the checks PyCurious should have made.
 */
import { CurieError, describeValue, fmt, warn } from '../errors.js';
import { linspace } from './sequences.js';

/** Node lattice of a `ny × nx` grid whose extent is given by node (cell-centre) coordinates, metres. */
export interface GridGeometry {
  /** Number of columns (nodes along x). */
  nx: number;
  /** Number of rows (nodes along y). */
  ny: number;
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
  /** Node spacing along x, metres: `(xmax − xmin)/(nx − 1)`. */
  dx: number;
  /** Node spacing along y, metres. */
  dy: number;
  /** x of each column, metres (numpy's `linspace(xmin, xmax, nx)`). */
  xcoords: Float64Array;
  /** y of each row, metres; row 0 is `ymin`. */
  ycoords: Float64Array;
}

/** Relative tolerance on dx against dy (0.1 %); PyCurious's tolerance of 1.0 accepts almost anything. */
const SPACING_TOLERANCE = 1e-3;

/**
 * Build and check a grid's lattice. Throws `E_ARGUMENT` for fewer than 2 × 2 nodes or a bad extent,
 * `E_SPACING` when dx and dy differ by more than 0.1 %; warns `CURIE_DEGREES` when the extent looks
 * like longitude/latitude (spectra in rad/km need eastings and northings in metres), unless
 * `warn: false` (a worker rebuilding a grid the main thread already checked).
 */
export function gridGeometry(
  ny: number,
  nx: number,
  xmin: number,
  xmax: number,
  ymin: number,
  ymax: number,
  options: { warn?: boolean } = {},
): GridGeometry {
  if (!(nx >= 2 && ny >= 2))
    throw new CurieError('E_ARGUMENT', `grid of ${ny} × ${nx} nodes is too small; a CurieGrid needs at least 2 × 2`);
  for (const [name, value] of Object.entries({ xmin, xmax, ymin, ymax }))
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new CurieError('E_ARGUMENT', `${name} ${describeValue(value)} must be a finite coordinate in metres`);
  if (!(xmax > xmin)) throw new CurieError('E_ARGUMENT', `xmax ${fmt(xmax)} must be greater than xmin ${fmt(xmin)}`);
  if (!(ymax > ymin)) throw new CurieError('E_ARGUMENT', `ymax ${fmt(ymax)} must be greater than ymin ${fmt(ymin)}`);
  const xcoords = linspace(xmin, xmax, nx);
  const ycoords = linspace(ymin, ymax, ny);
  const dx = (xmax - xmin) / (nx - 1);
  const dy = (ymax - ymin) / (ny - 1);
  if (Math.abs(dx - dy) > SPACING_TOLERANCE * Math.max(dx, dy))
    throw new CurieError(
      'E_SPACING',
      `node spacing differs: dx = ${fmt(dx)} m, dy = ${fmt(dy)} m; resample the grid to equal spacing (within 0.1 %)`,
    );
  const looksLikeDegrees =
    Math.max(Math.abs(xmin), Math.abs(xmax)) <= 180 && Math.max(Math.abs(ymin), Math.abs(ymax)) <= 90 && dx < 1;
  if (looksLikeDegrees && options.warn !== false)
    warn(
      'CURIE_DEGREES',
      `grid extent x ${fmt(xmin)}…${fmt(xmax)}, y ${fmt(ymin)}…${fmt(ymax)} with spacing ${fmt(dx)} looks like degrees; project it to metres (e.g. UTM) before computing spectra`,
    );
  return { nx, ny, xmin, xmax, ymin, ymax, dx, dy, xcoords, ycoords };
}
