// The parallel map on PyCurious's reference map (built package: worker threads load dist/).
import ndarray from 'ndarray';
import { afterAll, describe, expect, it } from 'vitest';
import { CurieOptimiser } from '../../dist/index.js';
import { readReference } from '../helpers/reference.js';

const g = readReference('pycurious/grid.json');
const map = readReference('pycurious/optimise_routine.json');
const optimiser = new CurieOptimiser(
  ndarray(Float64Array.from(g.data), [g.rows, g.cols]),
  g.xmin,
  g.xmax,
  g.ymin,
  g.ymax,
  { convention: 'pycurious-1.1' },
);
afterAll(() => optimiser.close());

describe("optimiseRoutine under convention 'pycurious-1.1' over the reference map (121 windows of 200 km every 10 km)", () => {
  it("reaches PyCurious's misfit or lower on ≥ 98 % of windows, in PyCurious's window order", async () => {
    const { xc, yc } = optimiser.createCentroidList(map.window, { spacingX: map.spacing, spacingY: map.spacing });
    expect(Array.from(xc)).toEqual(map.xc);
    expect(Array.from(yc)).toEqual(map.yc);
    const result = await optimiser.optimiseRoutine(map.window, xc, yc, { workers: 2 });
    let worse = 0;
    for (let i = 0; i < xc.length; i++) {
      expect(result.status[i]).toBe(0);
      if (result.misfit[i] > map.misfit[i] * (1 + 1e-6) + 1e-9) worse++;
      expect(result.curieDepth[i]).toBe(result.zt[i] + result.dz[i]);
      // Every window carries its interval and verdict; an open end is Infinity, never a bound's value.
      expect(result.curieDepthLow[i]).toBeLessThanOrEqual(result.curieDepthHigh[i]);
      expect([0, 1, 2]).toContain(result.verdict[i]);
      if (result.verdict[i] === 0) expect(Number.isFinite(result.curieDepthHigh[i])).toBe(true);
      if (result.verdict[i] === 1) expect(result.curieDepthHigh[i]).toBe(Infinity);
    }
    expect(worse).toBeLessThanOrEqual(Math.floor(0.02 * xc.length));
  });
});
