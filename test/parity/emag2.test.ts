/**
 * The real EMAG2 subset, gridded as PyCurious's own pipeline does (lon/lat → UTM 23S, linear
 * gridding at 5 km): the global fit against PyCurious 1.1's fits of the same windows
 * (test/fixtures/emag2-pycurious-1.1.json, made by PyCurious itself on scipy's grid), and what
 * the intervals and verdicts say of these windows.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CurieOptimiser,
  gridScattered,
  loadLonLatPoints,
  transformCoordinates,
  type OptimiseRoutineResult,
  type Raster,
} from '../../src/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const reference = JSON.parse(readFileSync(path.join(root, 'test/fixtures/emag2-pycurious-1.1.json'), 'utf8')) as {
  window: number;
  windows: Array<{ xc: number; yc: number; beta: number; zt: number; dz: number; C: number }>;
};
const xc = reference.windows.map((w) => w.xc),
  yc = reference.windows.map((w) => w.yc);

let raster: Raster;
beforeAll(async () => {
  const points = await loadLonLatPoints(path.join(root, 'data/emag2-maranhao-lonlat.txt'));
  const { x, y } = transformCoordinates(points.x, points.y, 'EPSG:4326', 'EPSG:32723');
  raster = gridScattered(
    { x, y, values: points.values },
    { extent: [520e3, 1020e3, 9520e3, 9880e3], spacing: 5e3 },
    { method: 'linear' },
  );
});

describe('EMAG2 Maranhão, 200 km windows every 20 km (120 windows)', () => {
  it('the global fit is at or below PyCurious 1.1’s misfit on ≥ 98 % of windows (both under pycurious-1.1)', async () => {
    const optimiser = CurieOptimiser.fromRaster(raster, { convention: 'pycurious-1.1' });
    const map = await optimiser.optimiseRoutine(reference.window, xc, yc, { workers: 0 });
    let atOrBelow = 0;
    reference.windows.forEach((w, i) => {
      const { k, Phi, sigmaPhi } = optimiser.radialSpectrum(optimiser.subgrid(reference.window, w.xc, w.yc));
      const theirs = optimiser.minFunc([w.beta, w.zt, w.dz, w.C], k, Phi, sigmaPhi);
      if (map.misfit[i] <= theirs * (1 + 1e-9) + 1e-9) atOrBelow++;
    });
    console.log(`EMAG2: misfit at or below PyCurious 1.1's on ${atOrBelow} of ${xc.length} windows`);
    expect(atOrBelow / xc.length).toBeGreaterThanOrEqual(0.98);
    // PyCurious 1.1's median is 16.0 km; the local fit from its start gave 1344 km here.
    const depths = Array.from(map.curieDepth).sort((a, b) => a - b);
    expect(depths[60]).toBeGreaterThan(10);
    expect(depths[60]).toBeLessThan(25);
  });

  describe('intervals and verdicts (default convention)', () => {
    let map: OptimiseRoutineResult, hann: OptimiseRoutineResult;
    beforeAll(async () => {
      const optimiser = CurieOptimiser.fromRaster(raster);
      map = await optimiser.optimiseRoutine(reference.window, xc, yc, { workers: 0 });
      hann = await optimiser.optimiseRoutine(reference.window, xc, yc, { workers: 0, taper: 'hanning' });
    });

    // The issue's bar: at least a quarter of the windows resolved (PyCurious 2's profile bounds 48,
    // whose 90 % intervals held 60 % of synthetic truths), each with a finite interval, an upper end
    // shallower than half the window, and PyCurious 1.1's estimate inside ≥ 80 % of them. Measured:
    // 37 resolved with the default multitaper (median width 65 km), 105 with Hann (56 km), PyCurious
    // 1.1 inside all.
    it.each(['multitaper', 'Hann'] as const)(
      'with the %s taper, ≥ 30 of 120 windows resolved, each finite and shallower than half the window, with PyCurious 1.1’s depth inside ≥ 80 %',
      (taper) => {
        const result = taper === 'Hann' ? hann : map;
        const resolved = reference.windows.map((_, i) => i).filter((i) => result.verdict[i] === 0);
        let inside = 0;
        for (const i of resolved) {
          expect(Number.isFinite(result.curieDepthHigh[i])).toBe(true);
          expect(result.curieDepthHigh[i]).toBeLessThan(reference.window / 2000);
          const theirs = reference.windows[i].zt + reference.windows[i].dz;
          if (result.curieDepthLow[i] <= theirs && theirs <= result.curieDepthHigh[i]) inside++;
        }
        const widths = resolved.map((i) => result.curieDepthHigh[i] - result.curieDepthLow[i]).sort((x, y) => x - y);
        console.log(
          `EMAG2 (${taper}): ${resolved.length} resolved, median 90 % width ${widths[(widths.length - 1) >> 1].toFixed(1)} km, PyCurious 1.1's depth inside ${inside} of them`,
        );
        expect(resolved.length).toBeGreaterThanOrEqual(30);
        expect(inside / resolved.length).toBeGreaterThanOrEqual(0.8);
      },
    );

    it('windows that are not resolved say why, and an open upper end is Infinity, never a bound’s value', () => {
      for (const result of [map, hann])
        reference.windows.forEach((_, i) => {
          if (result.verdict[i] === 0) return;
          expect(result.curieDepthHigh[i]).toBe(Infinity);
          expect(result.curieDepthLow[i]).toBeGreaterThanOrEqual(0);
          expect(Number.isFinite(result.curieDepthLow[i])).toBe(true);
        });
    });
  });
});
