/**
 * Applying a linear filter in the wavenumber domain: FFT, multiply, inverse FFT, real part.
 */
import ndarray, { type NdArray } from 'ndarray';
import { CurieError, describeValue } from '../errors.js';
import { fft2d } from '../spectrum/fft.js';
import { readWindow, shape2d } from '../grid/window-data.js';
import { angularFrequencies } from '../spectrum/frequencies.js';

/**
 * A filter's complex response at wavenumbers (kx along rows, ky along columns, rad/m); writes the
 * real and imaginary parts into `out[0]`, `out[1]`.
 */
export type WavenumberResponse = (kx: number, ky: number, out: [number, number]) => void;

/**
 * Filter a real grid: `Re(ifft2(H(kx, ky) · fft2(data)))`, with kx = 2π·fftfreq(rows, dRows) and
 * ky = 2π·fftfreq(cols, dCols) (rad/m when the spacings are metres).
 * @param dRows row spacing (dy), metres
 * @param dCols column spacing (dx), metres
 * @param what the filter's name, for error messages
 * @throws CurieError `E_NAN` when the grid contains NaN, `E_ARGUMENT` for a spacing that is not positive
 */
export function applyWavenumberFilter(
  data: NdArray,
  dRows: number,
  dCols: number,
  response: WavenumberResponse,
  what: string,
): NdArray<Float64Array> {
  for (const [name, spacing] of Object.entries({ dx: dCols, dy: dRows }))
    if (typeof spacing !== 'number' || !Number.isFinite(spacing) || !(spacing > 0))
      throw new CurieError(
        'E_ARGUMENT',
        `${what}: spacing ${name} = ${describeValue(spacing)} must be a positive number of metres`,
      );
  const [rows, cols] = shape2d(data, what);
  const values = readWindow(data, what);
  const z = new Float64Array(2 * rows * cols);
  for (let i = 0; i < values.length; i++) z[2 * i] = values[i];
  fft2d(z, rows, cols);
  const kx = angularFrequencies(rows, dRows);
  const ky = angularFrequencies(cols, dCols);
  const h: [number, number] = [0, 0];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      response(kx[r], ky[c], h);
      const i = 2 * (r * cols + c);
      const re = z[i],
        im = z[i + 1];
      z[i] = re * h[0] - im * h[1];
      z[i + 1] = re * h[1] + im * h[0];
    }
  fft2d(z, rows, cols, true);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = z[2 * i];
  return ndarray(out, [rows, cols]);
}
