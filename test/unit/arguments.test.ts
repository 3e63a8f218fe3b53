// Issue 9: a wrong argument every window shares is one error before any work, never a failure in
// every row or a "converged" fit; hooks cannot change the shared grid; maps of one optimiser with
// different worker counts run at once.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CurieGrid, CurieOptimiser, synthesiseAnomaly } from '../../dist/index.js';

/** Assert that `run` throws (or rejects with) a CurieError with `code` and a one-line message matching `message`. */
function expectCurieError(run: () => unknown, code: string, message: RegExp): void;
function expectCurieError(run: Promise<unknown>, code: string, message: RegExp): Promise<void>;
function expectCurieError(
  run: (() => unknown) | Promise<unknown>,
  code: string,
  message: RegExp,
): Promise<void> | void {
  const check = (error: unknown) => {
    expect(error, `expected a CurieError ${code}`).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('CurieError');
    expect((error as { code?: string }).code).toBe(code);
    expect((error as Error).message).not.toContain('\n');
    expect((error as Error).message).toMatch(message);
  };
  if (run instanceof Promise) return run.then(() => check(undefined), check);
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  check(error);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const hooks = path.join(root, 'test/fixtures/worker-hooks.mjs');

const raster = synthesiseAnomaly({ rows: 121, cols: 121, spacing: 1000, zt: 1, dz: 10, beta: 3, seed: 5 });
const opened: CurieOptimiser[] = [];
function optimiser(options = {}) {
  const o = CurieOptimiser.fromRaster(raster, options);
  opened.push(o);
  return o;
}
afterAll(async () => {
  await Promise.all(opened.map((o) => o.close()));
});
const centres = { xc: [50e3, 60e3, 70e3], yc: [50e3, 60e3, 70e3] };

describe('map-wide arguments are checked once, before any window', () => {
  const cases: Array<[string, number, Record<string, unknown>, string, RegExp]> = [
    ['NaN window', NaN, {}, 'E_ARGUMENT', /window NaN must be a positive size in metres/],
    [
      'a window of 1 m',
      1,
      {},
      'E_ARGUMENT',
      /window 1 m spans 1 node of this grid's 1000 m spacing.*at least 11 nodes \(10000 m\).*e\.g\. 200km/,
    ],
    ["a bare '40' (40 m)", 40, {}, 'E_ARGUMENT', /window 40 m spans 1 node/],
    [
      'a window wider than the grid',
      500e3,
      {},
      'E_WINDOW',
      /window 500000 m \(501 nodes\) does not fit in the 121 × 121 grid/,
    ],
    ['zt −1', 50e3, { zt: -1 }, 'E_ARGUMENT', /starting zt = -1 is outside its bounds \[0, Infinity\]/],
    ['power 0', 50e3, { power: 0 }, 'E_ARGUMENT', /power 0 must be a positive number/],
    ['a negative power', 50e3, { power: -2 }, 'E_ARGUMENT', /power -2 must be a positive number/],
    [
      'dz 1e308',
      50e3,
      { dz: 1e308 },
      'E_ARGUMENT',
      /starting dz = 1e\+308 km is deeper than the Earth's radius \(6371 km\)/,
    ],
    ['a string start', 50e3, { beta: '3' }, 'E_ARGUMENT', /starting beta '3' \(a string\) must be a number/],
    ['level 1', 50e3, { level: 1 }, 'E_ARGUMENT', /level 1 must be a probability/],
  ];
  for (const [name, window, options, code, message] of cases) {
    it(`optimiseRoutine and optimise refuse ${name}`, async () => {
      const o = optimiser();
      let windowsSeen = 0;
      await expectCurieError(
        o.optimiseRoutine(window, centres.xc, centres.yc, { ...options, workers: 0, onWindow: () => windowsSeen++ }),
        code,
        message,
      );
      expect(windowsSeen).toBe(0);
      expectCurieError(() => o.optimise(window, 60e3, 60e3, options), code, message);
      expectCurieError(() => o.checkArguments('optimise', window, options), code, message);
    });
  }

  it('checks routine arguments of parallelise up front too (nsim, seed, ranges)', async () => {
    const o = optimiser();
    await expectCurieError(
      o.parallelise('sensitivity', 50e3, centres.xc, centres.yc, { nsim: 0, workers: 0 }),
      'E_ARGUMENT',
      /nsim = 0 must be a positive whole number/,
    );
    await expectCurieError(
      o.parallelise('metropolisHastings', 50e3, centres.xc, centres.yc, { nsim: 10, burnin: 0, seed: NaN, workers: 0 }),
      'E_ARGUMENT',
      /seed NaN must be a finite number/,
    );
    await expectCurieError(
      o.parallelise('tanaka', 50e3, centres.xc, centres.yc, { kminRange: [0.2, 0.05], workers: 0 }),
      'E_ARGUMENT',
      /kminRange \[0\.2,0\.05\] must be \[low, high\]/,
    );
    // A radial spectrum needs only 1 bin (5 nodes); a fit needs 4 (11 nodes).
    expect(() => o.checkArguments('radialSpectrum', 5e3, {})).not.toThrow();
    expectCurieError(
      () => o.checkArguments('optimise', 5e3, {}),
      'E_ARGUMENT',
      /too few for a fit of β, z_t, Δz and C \(4 spectrum points\)/,
    );
  });
});

describe('library inputs are numbers, or an error naming them', () => {
  const rows = Array.from({ length: 21 }, (_, r) =>
    Array.from({ length: 21 }, (_, c) => Math.sin(r) + Math.cos(c * 0.7)),
  );
  it('bounds of strings, a string, or a pair that is not one', () => {
    expectCurieError(
      () =>
        new CurieOptimiser(rows, 0, 20e3, 0, 20e3, {
          bounds: [
            ['0', '10'],
            [0, 5],
            [0, 50],
            [null, null],
          ] as never,
        }),
      'E_ARGUMENT',
      /bounds of beta: '0' \(a string\) must be a number, or null for none/,
    );
    expectCurieError(
      () => new CurieOptimiser(rows, 0, 20e3, 0, 20e3, { bounds: 'abc' as never }),
      'E_ARGUMENT',
      /bounds 'abc' \(a string\) must be \[\[lower, upper\], …\]/,
    );
    expectCurieError(
      () => new CurieOptimiser(rows, 0, 20e3, 0, 20e3, { bounds: [1, 2, 3, 4] as never }),
      'E_ARGUMENT',
      /bounds of beta 1 must be a pair \[lower, upper\]/,
    );
    expectCurieError(
      () => new CurieOptimiser(rows, 0, 20e3, 0, 20e3, { bounds: { lower: [0, 'x'] } as never }),
      'E_ARGUMENT',
      /bounds of zt: 'x' \(a string\)/,
    );
  });
  it('grid values of strings or null are refused, not coerced to numbers or 0', () => {
    const strings = rows.map((r) => r.map(String));
    expectCurieError(
      () => new CurieGrid(strings as never, 0, 20e3, 0, 20e3),
      'E_ARGUMENT',
      /grid value at row 0, column 0 is '1' \(a string\), not a number; give numbers \(NaN for missing data\)/,
    );
    const withNull = rows.map((r, i) => r.map((v, j) => (i === 3 && j === 4 ? null : v)));
    expectCurieError(
      () => new CurieGrid(withNull as never, 0, 20e3, 0, 20e3),
      'E_ARGUMENT',
      /grid value at row 3, column 4 is null/,
    );
  });
  it('an infinite, NaN or string extent', () => {
    expectCurieError(
      () => new CurieGrid(rows, 0, Infinity, 0, 20e3),
      'E_ARGUMENT',
      /xmax Infinity must be a finite coordinate in metres/,
    );
    expectCurieError(
      () => new CurieGrid(rows, 0, 20e3, NaN, 20e3),
      'E_ARGUMENT',
      /ymin NaN must be a finite coordinate/,
    );
    expectCurieError(
      () => new CurieGrid(rows, '0' as never, 20e3, 0, 20e3),
      'E_ARGUMENT',
      /xmin '0' \(a string\) must be a finite coordinate/,
    );
  });
});

describe('a window without signal is never status 0', () => {
  const n = 121;
  const base = Float64Array.from(raster.data.data);
  // Constant 7 nT in the south-west, all zero in the south-east, 7 + 1e-12 ripples in the north-west.
  const values = Float64Array.from(base, (v, i) => {
    const r = Math.floor(i / n),
      c = i % n;
    if (r < 50 && c < 50) return 7;
    if (r < 50 && c > 70) return 0;
    if (r > 70 && c < 50) return 7 + 1e-12 * Math.sin(i);
    return v;
  });
  const o = optimiser();
  const grid = new CurieOptimiser(
    [...Array(n)].map((_, r) => values.subarray(r * n, (r + 1) * n)),
    raster.xmin,
    raster.xmax,
    raster.ymin,
    raster.ymax,
  );
  opened.push(grid);
  it('constant, all-zero and near-constant windows fail with E_NO_SIGNAL; the anomaly beside them fits', async () => {
    const xc = [20e3, 100e3, 20e3, 60e3],
      yc = [20e3, 20e3, 100e3, 60e3];
    for (const workers of [0, 2]) {
      const map = await grid.optimiseRoutine(30e3, xc, yc, { workers });
      expect(Array.from(map.status.subarray(0, 3))).toEqual([2, 2, 2]);
      expect(map.status[3]).toBeLessThanOrEqual(1);
      expect(map.messages.get(0)).toMatch(
        /window at \(20000, 20000\) is constant \(every value 7\): there is no anomaly to fit/,
      );
      expect(map.messages.get(1)).toMatch(/is constant \(every value 0\)|zero Fourier amplitudes/);
      expect(map.messages.get(2)).toMatch(/is constant \(values 7 … 7\)/);
      expect(Number.isNaN(map.curieDepth[0])).toBe(true);
    }
    expectCurieError(() => grid.optimise(30e3, 20e3, 20e3), 'E_NO_SIGNAL', /is constant/);
    expect(o).toBeDefined();
  });
});

describe('user hooks', () => {
  it('a taper function is called once per map: with a drifting one, every window of a map, on any thread, has the same weights', async () => {
    const o = optimiser();
    const hook = { module: hooks, export: 'drifting' };
    // Eight windows at one centre: the same data, so the same numbers unless their weights differ
    // (as they would if each window, or each worker thread, called the function itself).
    const same = Array<number>(8).fill(60e3);
    for (const workers of [0, 2]) {
      const map = await o.optimiseRoutine(50e3, same, same, { taper: hook, workers });
      expect(Array.from(map.status).every((s) => s <= 1)).toBe(true);
      expect(new Set(map.curieDepth).size).toBe(1);
      expect(new Set(map.misfit).size).toBe(1);
    }
  });

  it('explicit taper weights of the wrong length are refused, naming both lengths', () => {
    const o = optimiser();
    expectCurieError(
      () => o.optimise(50e3, 60e3, 60e3, { taper: { weights: [1, 2, 3] } }),
      'E_ARGUMENT',
      /taper weights have 3 weights for n = 51/,
    );
  });
});

describe('maps of one optimiser with different worker counts at once', () => {
  it('both finish, with the same numbers', async () => {
    const o = optimiser();
    // 4 × 4 windows: the three maps start in the same tick, so each still runs while the others take their pools.
    const { xc, yc } = o.createCentroidList(50e3, { spacingX: 20e3, spacingY: 20e3 });
    expect(xc.length).toBe(16);
    const [one, two, zero] = await Promise.all([
      o.optimiseRoutine(50e3, xc, yc, { workers: 1 }),
      o.optimiseRoutine(50e3, xc, yc, { workers: 2 }),
      o.optimiseRoutine(50e3, xc, yc, { workers: 0 }),
    ]);
    for (const map of [one, two]) {
      expect(Array.from(map.status)).toEqual(Array.from(zero.status));
      expect(Array.from(map.curieDepth)).toEqual(Array.from(zero.curieDepth));
    }
    expect([...one.messages.values()].some((m) => /aborted/.test(m))).toBe(false);
  });
});
