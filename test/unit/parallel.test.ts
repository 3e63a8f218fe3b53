// The parallel map runs worker threads, which load the built package: `npm test` builds first.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import { CurieError, CurieOptimiser, isWindowFailure, synthesiseAnomaly, windowSeed } from '../../dist/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const hooks = path.join(root, 'test/fixtures/worker-hooks.mjs');
const MARK = 777;

/**
 * One 121 × 121 synthetic anomaly (1 km) and one optimiser for the whole file. Worker threads are
 * shared by every optimiser, and a fresh thread runs its first windows unoptimised, which costs more
 * than the windows themselves: the tests keep the threads busy (a thread idle for a second ends),
 * and those that end threads (a worker dying, an abort) come last. 50 km windows every 15 km
 * (centres 25.5, 40.5 … 85.5 km: 5 × 5 = 25 windows) for what does not depend on the map's size;
 * every 5 km (14 × 14 = 196) where the share of the map done matters.
 */
const raster = synthesiseAnomaly({ rows: 121, cols: 121, spacing: 1000, zt: 1, dz: 10, beta: 3, seed: 11 });
const optimiser = CurieOptimiser.fromRaster(raster);
const { xc, yc } = optimiser.createCentroidList(50e3, { spacingX: 15e3, spacingY: 15e3 });
const fine = optimiser.createCentroidList(50e3, { spacingX: 5e3, spacingY: 5e3 });

const opened: CurieOptimiser[] = [optimiser];
afterAll(async () => {
  await Promise.all(opened.map((o) => o.close()));
});

type RoutineMap = Awaited<ReturnType<CurieOptimiser['optimiseRoutine']>>;
const maps = new Map<number, Promise<RoutineMap>>();
/** The 25-window map with `workers` threads, computed once for the tests that only read it. */
function mapWith(workers: number): Promise<RoutineMap> {
  let map = maps.get(workers);
  if (!map) maps.set(workers, (map = optimiser.optimiseRoutine(50e3, xc, yc, { workers })));
  return map;
}

function fields(r: RoutineMap) {
  return [r.beta, r.zt, r.dz, r.C, r.curieDepth, r.misfit, r.curieDepthLow, r.curieDepthHigh, r.verdict];
}

describe('optimiseRoutine', () => {
  it('gives bit-identical results for 0, 1, 2 and 4 workers, intervals and verdicts included, equal to optimise window by window', async () => {
    const results: RoutineMap[] = [];
    for (const workers of [0, 1, 2, 4]) results.push(await mapWith(workers));
    for (const r of results.slice(1)) {
      fields(r).forEach((values, j) => expect(Array.from(values)).toEqual(Array.from(fields(results[0])[j])));
      expect(Array.from(r.status)).toEqual(Array.from(results[0].status));
    }
    for (const i of [0, 12, 18, 24]) {
      const single = optimiser.optimise(50e3, xc[i], yc[i]);
      expect(results[2].curieDepth[i]).toBe(single.curieDepth);
      expect(results[2].misfit[i]).toBe(single.misfit);
      expect([results[2].curieDepthLow[i], results[2].curieDepthHigh[i]]).toEqual(single.interval!.curieDepth);
      expect(['resolved', 'lower-bound', 'unresolved'][results[2].verdict[i]]).toBe(single.verdict);
    }
    expect(results[0].status.every((s: number) => s <= 1)).toBe(true);
  });

  it('matches a shuffled centroid list back to its centroids', async () => {
    const order = Array.from(xc, (_, i) => i);
    let s = 42;
    for (let i = order.length - 1; i > 0; i--) {
      s = (s * 16807) % 2147483647;
      const j = s % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const straight = await mapWith(2);
    const shuffled = await optimiser.optimiseRoutine(
      50e3,
      order.map((i) => xc[i]),
      order.map((i) => yc[i]),
      { workers: 2 },
    );
    order.forEach((original, position) => {
      expect(shuffled.curieDepth[position]).toBe(straight.curieDepth[original]);
      expect(shuffled.beta[position]).toBe(straight.beta[original]);
    });
  });

  it('isolates a failing window: status 2 and a message, the others finish', async () => {
    const badX = Float64Array.from([xc[0], 1e9, xc[5], xc[0]]),
      badY = Float64Array.from([yc[0], yc[0], yc[5], 500]);
    const result = await optimiser.optimiseRoutine(50e3, badX, badY, { workers: 2 });
    expect(Array.from(result.status)).toEqual([0, 2, 0, 2]);
    expect(result.messages.get(1)).toContain('outside the grid');
    expect(result.messages.get(3)).toContain('exceeds the grid');
    expect(Number.isNaN(result.curieDepth[1])).toBe(true);
    expect(result.curieDepth[2]).toBe(optimiser.optimise(50e3, xc[5], yc[5]).curieDepth);
  });

  it('reports progress up to the total', async () => {
    const seen: number[] = [];
    await optimiser.optimiseRoutine(50e3, xc, yc, {
      workers: 2,
      onProgress: ({ done, total }) => {
        expect(total).toBe(25);
        seen.push(done);
      },
    });
    expect(xc.length).toBe(25);
    expect(seen.at(-1)).toBe(25);
    expect(seen.length).toBeGreaterThan(1);
  });

  it('refuses plain functions with workers, and says how to pass them', async () => {
    await expect(optimiser.optimiseRoutine(50e3, xc, yc, { workers: 2, processSubgrid: (w) => w })).rejects.toThrow(
      /pass it as \{ module, export \}/,
    );
    await expect(
      optimiser.optimiseRoutine(50e3, xc, yc, { workers: 2, processSubgrid: (w) => w }),
    ).rejects.toBeInstanceOf(CurieError);
    // …but takes them in the calling thread.
    const inThread = await optimiser.optimiseRoutine(50e3, xc.slice(0, 3), yc.slice(0, 3), {
      workers: 0,
      processSubgrid: (w) => w,
    });
    expect(inThread.status.every((s: number) => s === 0)).toBe(true);
  });

  it('passes a custom prior as it is in the calling thread, and refuses it for worker threads', async () => {
    // The file's optimiser (its threads are warm), its priors reset after.
    try {
      // The normal N(3, 0.2) on β as a custom distribution: the same fits as the built-in one, which travels as data.
      optimiser.addPrior({ beta: { logpdf: (x: number) => -0.5 * ((x - 3) / 0.2) ** 2, sample: () => 3 } });
      const custom = await optimiser.optimiseRoutine(50e3, xc.slice(0, 3), yc.slice(0, 3), { workers: 0 });
      optimiser.addPrior({ beta: [3, 0.2] });
      const builtIn = await optimiser.optimiseRoutine(50e3, xc.slice(0, 3), yc.slice(0, 3), { workers: 2 });
      for (let i = 0; i < 3; i++)
        expect(Math.abs(custom.curieDepth[i] - builtIn.curieDepth[i])).toBeLessThan(1e-6 * builtIn.curieDepth[i]);
      optimiser.addPrior({ beta: { logpdf: (x: number) => -x, sample: () => 3 } });
      await expect(optimiser.optimiseRoutine(50e3, xc, yc, { workers: 2 })).rejects.toThrow(
        /the prior of parameter 1 \(β, z_t, Δz, C\) is a function or object/,
      );
    } finally {
      optimiser.resetPriors();
    }
  });

  it('runs a custom taper given as { module, export } in the workers', async () => {
    const named = await optimiser.optimiseRoutine(50e3, xc.slice(0, 8), yc.slice(0, 8), {
      workers: 2,
      taper: 'hanning',
    });
    const custom = await optimiser.optimiseRoutine(50e3, xc.slice(0, 8), yc.slice(0, 8), {
      workers: 2,
      taper: { module: hooks, export: 'hanning' },
    });
    for (let i = 0; i < 8; i++)
      expect(Math.abs(custom.curieDepth[i] - named.curieDepth[i])).toBeLessThan(1e-9 * named.curieDepth[i]);
  });
});

describe('worker threads', () => {
  it('serve every optimiser: a second optimiser maps on the first one’s threads, and its close() leaves a running map alone', async () => {
    // recordThread (test/fixtures/worker-hooks.mjs) appends each window's thread id to this file.
    const log = path.join(tmpdir(), `curie-test-threads-${process.pid}`);
    rmSync(log, { force: true });
    const other = CurieOptimiser.fromRaster(raster);
    opened.push(other);
    const recorded = { workers: 1, processSubgrid: { module: hooks, export: 'recordThread' } };
    try {
      // At once, with the same worker count: both maps share the one thread, and both finish.
      const [first, second] = await Promise.all([
        optimiser.optimiseRoutine(50e3, xc.slice(0, 2), yc.slice(0, 2), recorded),
        other.optimiseRoutine(50e3, xc.slice(2, 4), yc.slice(2, 4), recorded),
      ]);
      expect([...first.curieDepth, ...second.curieDepth]).toEqual(
        Array.from((await mapWith(0)).curieDepth.subarray(0, 4)),
      );
      const ids = readFileSync(log, 'utf8').trimEnd().split('\n');
      expect(ids).toHaveLength(4);
      expect(new Set(ids).size).toBe(1);
      const running = optimiser.optimiseRoutine(50e3, xc, yc, { workers: 1 });
      await other.close();
      const map = await running;
      expect(Array.from(map.curieDepth)).toEqual(Array.from((await mapWith(0)).curieDepth));
    } finally {
      rmSync(log, { force: true });
    }
  });
});

describe('parallelise', () => {
  const few = { xc: xc.slice(0, 6), yc: yc.slice(0, 6) };

  it('seeds each window from the user seed and its centre: same samples in any worker and order', async () => {
    const options = { nsim: 200, burnin: 50, xScale: [0.1, 0.1, 1, 0.5], seed: 9 };
    const reversed = await optimiser.parallelise(
      'metropolisHastings',
      50e3,
      few.xc.slice().reverse(),
      few.yc.slice().reverse(),
      { workers: 1, ...options },
    );
    const two = await optimiser.parallelise('metropolisHastings', 50e3, few.xc, few.yc, { workers: 2, ...options });
    const sens = await optimiser.parallelise('sensitivity', 50e3, few.xc.slice(0, 2), few.yc.slice(0, 2), {
      workers: 2,
      nsim: 5,
      seed: 3,
    });
    for (let i = 0; i < 6; i++) {
      const single = optimiser.metropolisHastings(50e3, few.xc[i], few.yc[i], 200, 50, {
        xScale: options.xScale,
        seed: windowSeed(9, few.xc[i], few.yc[i]),
      });
      expect(two[i]).toEqual(single);
      expect(reversed[5 - i]).toEqual(single);
    }
    expect(sens[1]).toEqual(
      optimiser.sensitivity(50e3, few.xc[1], few.yc[1], 5, { seed: windowSeed(3, few.xc[1], few.yc[1]) }),
    );
  });

  it('returns what each single-window routine returns, in centroid order', async () => {
    const fits = await optimiser.parallelise('optimise', 50e3, few.xc, few.yc, { workers: 2 });
    const tanaka = await optimiser.parallelise('tanaka', 50e3, few.xc, few.yc, {
      workers: 2,
      kminRange: [0.02, 0.1],
      kmaxRange: [0.05, 0.3],
    });
    const spectra = await optimiser.parallelise('radialSpectrum', 50e3, few.xc, few.yc, { workers: 2 });
    for (let i = 0; i < 6; i++) {
      expect(fits[i]).toEqual(optimiser.optimise(50e3, few.xc[i], few.yc[i]));
      expect(tanaka[i]).toEqual(
        optimiser.tanaka(50e3, few.xc[i], few.yc[i], { kminRange: [0.02, 0.1], kmaxRange: [0.05, 0.3] }),
      );
      expect(spectra[i]).toEqual(optimiser.radialSpectrum(optimiser.subgrid(50e3, few.xc[i], few.yc[i])));
    }
  });

  it('gives { status, message } for a failed window', async () => {
    const out = await optimiser.parallelise('optimise', 50e3, [few.xc[0], -5], [few.yc[0], -5], { workers: 2 });
    expect(out[1]).toEqual({ status: 2, message: expect.stringContaining('outside the grid') });
    const failure = out[1];
    if (!isWindowFailure(failure)) throw new Error('window 1 should have failed');
    expectTypeOf(failure.status).toEqualTypeOf<2 | 3>();
    await expect(optimiser.parallelise('fit' as never, 50e3, few.xc, few.yc)).rejects.toThrow(/unknown routine 'fit'/);
  });
});

describe('streaming', () => {
  it('hands on each window in centroid order with the values the map returns', async () => {
    const seen: number[] = [];
    const rows: number[] = [];
    const statuses: number[] = [];
    const result = await optimiser.optimiseRoutine(50e3, xc, yc, {
      workers: 2,
      onWindow: (i, row) => {
        seen.push(i);
        rows.push(row.curieDepth);
        statuses.push(row.status);
      },
    });
    expect(seen).toEqual(Array.from(xc, (_, i) => i));
    expect(rows).toEqual(Array.from(result.curieDepth));
    expect(statuses).toEqual(Array.from(result.status));
    const tanaka: unknown[] = [];
    const all = await optimiser.parallelise('tanaka', 50e3, [xc[0], -1, xc[2]], [yc[0], -1, yc[2]], {
      workers: 2,
      kminRange: [0.02, 0.1],
      kmaxRange: [0.05, 0.3],
      onResult: (i, r) => tanaka.push([i, r]),
    });
    expect(tanaka).toEqual(all.map((r, i) => [i, r]));
  });

  it('computes the first windows first: the first three are handed on before a quarter of the map is done', async () => {
    // So `curie map … | head -n 3` returns long before the map ends (it used to wait for over half of it).
    // Each map is stopped once its third window is handed on: the rest of it cannot change what is measured.
    const { xc, yc } = fine;
    for (const workers of [0, 2, 1]) {
      let done = 0;
      const doneWhenHandedOn: number[] = [];
      const stop = new AbortController();
      await optimiser
        .optimiseRoutine(50e3, xc, yc, {
          workers,
          signal: stop.signal,
          onProgress: (p) => (done = p.done),
          onWindow: (i) => {
            if (i < 3) doneWhenHandedOn.push(done);
            if (i === 2) stop.abort();
          },
        })
        .catch((error: Error) => {
          if (error.name !== 'AbortError') throw error;
        });
      expect(doneWhenHandedOn, `workers ${workers}`).toHaveLength(3);
      expect(doneWhenHandedOn[2], `workers ${workers}`).toBeLessThanOrEqual(xc.length / 4);
    }
  });
});

describe('worker failures and abort', () => {
  it('replaces a worker that dies once and re-runs its batch; a window that kills two workers gets status 3', async () => {
    const values = synthesiseAnomaly({ rows: 81, cols: 81, spacing: 1000, zt: 1, dz: 10, beta: 3, seed: 2 });
    values.data.set(40, 40, MARK); // the node at (40 500, 40 500)
    const optimiser = new CurieOptimiser(values.data, values.xmin, values.xmax, values.ymin, values.ymax);
    opened.push(optimiser);
    const xs = Float64Array.from([30500, 40500, 50500, 35500]),
      ys = Float64Array.from([40500, 40500, 40500, 45500]);
    // exitOnceOnMark's flag file (test/fixtures/worker-hooks.mjs): absent until a worker has died on the mark.
    const flag = path.join(tmpdir(), `curie-test-died-once-${process.pid}`);
    rmSync(flag, { force: true });
    try {
      const once = await optimiser.optimiseRoutine(40e3, xs, ys, {
        workers: 2,
        processSubgrid: { module: hooks, export: 'exitOnceOnMark' },
      });
      expect(existsSync(flag)).toBe(true);
      // The re-run batch gives what a map whose workers never died gives (the marked spike drives
      // some fits onto the Δz plateau: status 1 there, in both).
      const calm = await optimiser.optimiseRoutine(40e3, xs, ys, { workers: 2 });
      expect(Array.from(once.status)).toEqual(Array.from(calm.status));
      expect(Array.from(once.curieDepth)).toEqual(Array.from(calm.curieDepth));
      expect(calm.status.every((s) => s <= 1)).toBe(true);
    } finally {
      rmSync(flag, { force: true });
    }
    const always = await optimiser.optimiseRoutine(40e3, xs, ys, {
      workers: 2,
      processSubgrid: { module: hooks, export: 'exitOnMark' },
    });
    expect(always.status[1]).toBe(3);
    expect([0, 2, 3].map((i) => always.status[i])).toEqual(
      [0, 2, 3].map((i) => (optimiser.optimise(40e3, xs[i], ys[i]).converged ? 0 : 1)),
    );
    expect(always.messages.get(1)).toContain('worker thread died twice');
    expect(Number.isNaN(always.curieDepth[1])).toBe(true);
    expect(always.curieDepth[0]).toBe(optimiser.optimise(40e3, xs[0], ys[0]).curieDepth);
  });

  it('rejects with an AbortError long before the map could have finished, and stops', async () => {
    // Aborting ends the threads running the map (the next map starts others). Small windows at every
    // node: 91² = 8281 windows, each batch a fraction of a second.
    const { xc, yc } = optimiser.createCentroidList(30e3);
    expect(xc.length).toBe(8281);
    const controller = new AbortController();
    let lastDone = 0;
    const run = optimiser.optimiseRoutine(30e3, xc, yc, {
      workers: 2,
      signal: controller.signal,
      onProgress: ({ done }) => {
        lastDone = done;
        controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(lastDone).toBeLessThan(xc.length / 10);
    // An already aborted signal rejects at once, in the calling thread too.
    await expect(
      optimiser.optimiseRoutine(30e3, xc, yc, { workers: 0, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe("inside a user's own worker thread", () => {
  it('the package imports and loads a text grid (geotiff is loaded only for TIFFs)', async () => {
    const { Worker } = await import('node:worker_threads');
    const index = path.join(root, 'dist/index.js');
    const code = `const { parentPort } = require('node:worker_threads');
      import(${JSON.stringify(index)}).then((m) => { const r = m.parseXYZ('0 0 1\\n1000 0 2\\n0 1000 3\\n1000 1000 4'); parentPort.postMessage(r.data.shape.join('x')); });`;
    const message = await new Promise((resolve, reject) => {
      const worker = new Worker(code, { eval: true, workerData: { unrelated: true } });
      worker.once('message', (m) => {
        resolve(m);
        void worker.terminate();
      });
      worker.once('error', reject);
    });
    expect(message).toBe('2x2');
  });
});

describe('process lifetime', () => {
  it('a script that never calls close() still exits when its work is done', () => {
    const out = execFileSync(process.execPath, [path.join(root, 'test/fixtures/unclosed-map.mjs')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(JSON.parse(out)).toEqual({ windows: 16, ok: true });
  });
});
