/**
 * Removing the best-fitting plane from a grid.
 */
import ndarray, { type NdArray } from 'ndarray';
import { readWindow, shape2d } from '../grid/window-data.js';

/**
 * Subtract the least-squares plane `c0·col + c1·row + c2` (PyCurious's `remove_trend_linear`).
 * Solved in centred coordinates, where the normal equations are diagonal: exact and stable.
 * @param data grid `[rows, cols]`, no NaN
 * @returns the detrended grid, same shape
 */
export function removeTrendLinear(data: NdArray): NdArray<Float64Array> {
  const [rows, cols] = shape2d(data, 'removeTrendLinear');
  const values = readWindow(data, 'removeTrendLinear');
  const cr = (rows - 1) / 2,
    cc = (cols - 1) / 2;
  let mean = 0,
    sumColValue = 0,
    sumRowValue = 0,
    sumCol2 = 0,
    sumRow2 = 0;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c];
      mean += v;
      sumColValue += (c - cc) * v;
      sumRowValue += (r - cr) * v;
      sumCol2 += (c - cc) * (c - cc);
      sumRow2 += (r - cr) * (r - cr);
    }
  mean /= rows * cols;
  const slopeCol = sumCol2 > 0 ? sumColValue / sumCol2 : 0;
  const slopeRow = sumRow2 > 0 ? sumRowValue / sumRow2 : 0;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++)
      out[r * cols + c] = values[r * cols + c] - (mean + slopeCol * (c - cc) + slopeRow * (r - cr));
  return ndarray(out, [rows, cols]);
}
