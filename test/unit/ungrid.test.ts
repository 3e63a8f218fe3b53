import { readFileSync } from 'node:fs';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { ungrid } from '../../src/grid/ungrid.js';
import { expectCurieError } from '../helpers/errors.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/ungrid-scipy.json', import.meta.url), 'utf8')) as {
  rows: number;
  cols: number;
  extent: [number, number, number, number];
  data: number[];
  x: number[];
  y: number[];
  cubic: Array<number | null>;
  linear: Array<number | null>;
  nearest: Array<number | null>;
};
const raster = {
  data: ndarray(Float64Array.from(fixture.data), [fixture.rows, fixture.cols]),
  xmin: fixture.extent[0],
  xmax: fixture.extent[1],
  ymin: fixture.extent[2],
  ymax: fixture.extent[3],
};

describe('ungrid against scipy map_coordinates (test/fixtures/make-ungrid-reference.py)', () => {
  it.each(['cubic', 'linear', 'nearest'] as const)('%s equals scipy to 1e-12, NaN outside the nodes', (method) => {
    const values = ungrid(raster, fixture.x, fixture.y, { method });
    let inside = 0;
    fixture[method].forEach((expected, i) => {
      if (expected === null) return expect(values[i], `point ${i}`).toBeNaN();
      inside++;
      expect(Math.abs(values[i] - expected), `point ${i}`).toBeLessThan(1e-12);
    });
    expect(inside).toBeGreaterThan(100);
  });

  it('defaults to cubic, returns the nodes themselves at nodes, and keeps NaN local for linear', () => {
    const atNodes = ungrid(raster, [1000, 9000, 5000], [200, 6200, 3200]);
    expect(atNodes[0]).toBeCloseTo(fixture.data[0], 10);
    expect(atNodes[1]).toBeCloseTo(fixture.data[fixture.rows * fixture.cols - 1], 10);
    expect(atNodes[2]).toBeCloseTo(fixture.data[3 * fixture.cols + 4], 10);
    const holed = Float64Array.from(fixture.data);
    holed[0] = NaN;
    const withHole = { ...raster, data: ndarray(holed, [fixture.rows, fixture.cols]) };
    const [nearHole, far] = ungrid(withHole, [1500, 8500], [700, 5700], { method: 'linear' });
    expect(nearHole).toBeNaN();
    expect(far).toBeCloseTo(ungrid(raster, [8500], [5700], { method: 'linear' })[0], 12);
  });

  it('rejects an unknown method and unequal lengths', () => {
    expectCurieError(() => ungrid(raster, [0], [0], { method: 'spline' as 'cubic' }), 'E_ARGUMENT', 'spline');
    expectCurieError(() => ungrid(raster, [0], [0], { method: 'toString' as 'cubic' }), 'E_ARGUMENT', 'toString');
    expectCurieError(() => ungrid(raster, [0, 1], [0]), 'E_ARGUMENT', '2', '1');
  });
});
