import { describe, expect, it } from 'vitest';
import { loadGrid } from '../../src/io/load.js';
import { readReference, referencePath } from '../helpers/reference.js';

describe('test_mag_data.txt (PyCurious synthetic anomaly)', () => {
  const grid = readReference('pycurious/grid.json');

  it('loads as the exact transpose of the array PyCurious builds by reshape', async () => {
    const raster = await loadGrid(referencePath('pycurious/test_mag_data.txt'));
    expect(raster.data.shape).toEqual([305, 305]);
    expect([raster.xmin, raster.xmax, raster.ymin, raster.ymax]).toEqual([500, 304500, 500, 304500]);
    expect([grid.xmin, grid.xmax, grid.ymin, grid.ymax]).toEqual([500, 304500, 500, 304500]);
    // PyCurious's rows follow the file's x column; ours follow y: ours[r][c] = theirs[c][r].
    let mismatches = 0;
    for (let r = 0; r < grid.rows; r++) {
      for (let c = 0; c < grid.cols; c++) {
        if (!Object.is(raster.data.get(r, c), grid.data[c * grid.cols + r])) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    expect(raster.data.get(0, 1)).toBe(grid.data[305]); // x = 1500, y = 500: file line 306
  });
});
