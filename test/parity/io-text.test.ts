import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadGrid } from '../../src/io/load.js';
import { parseXYZ } from '../../src/io/text.js';

const here = dirname(fileURLToPath(import.meta.url));
const reference = resolve(here, '../../../shared/reference/pycurious');

interface ReferenceGrid {
  rows: number;
  cols: number;
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
  data: number[];
}

describe('test_mag_data.txt (PyCurious synthetic anomaly)', () => {
  const grid = JSON.parse(readFileSync(resolve(reference, 'grid.json'), 'utf8')) as ReferenceGrid;

  it('loads as the exact transpose of the array PyCurious builds by reshape', async () => {
    const raster = await loadGrid(resolve(reference, 'test_mag_data.txt'));
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

  it('parses the 3.8 MB file in well under a second', () => {
    const text = readFileSync(resolve(reference, 'test_mag_data.txt'), 'utf8');
    parseXYZ(text); // warm up the JIT
    const start = performance.now();
    parseXYZ(text);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
