import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gridScattered } from '../../src/grid/scattered.js';
import { transformCoordinates } from '../../src/io/crs.js';
import { loadLonLatPoints } from '../../src/io/lonlat.js';
import { expectCurieError } from '../helpers/errors.js';
import { CurieError } from '../../src/errors.js';

const EMAG2 = fileURLToPath(new URL('../../data/emag2-maranhao-lonlat.txt', import.meta.url));

/** Deterministic pseudo-random numbers in [0, 1) (a fixed LCG), so failures are reproducible. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function values(raster: ReturnType<typeof gridScattered>): number[][] {
  const [rows, cols] = raster.data.shape;
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => raster.data.get(r, c)));
}

describe('gridScattered: linear', () => {
  it('reproduces a plane a + b·x + c·y to 1e-9 at every node inside the hull', () => {
    const random = lcg(7);
    const n = 500;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const v = new Float64Array(n);
    const plane = (px: number, py: number) => 12.5 + 3e-4 * px - 7e-5 * py;
    // UTM-sized coordinates: precision must survive eastings near 1e6 and northings near 1e7.
    for (let i = 0; i < n; i++) {
      x[i] = 500_000 + 100_000 * random();
      y[i] = 9_500_000 + 80_000 * random();
      v[i] = plane(x[i], y[i]);
    }
    // The four corners, so the whole extent is inside the hull.
    [
      [500_000, 9_500_000],
      [600_000, 9_500_000],
      [500_000, 9_580_000],
      [600_000, 9_580_000],
    ].forEach(([px, py], i) => {
      x[i] = px;
      y[i] = py;
      v[i] = plane(px, py);
    });
    const raster = gridScattered(
      { x, y, values: v },
      { extent: [500_000, 600_000, 9_500_000, 9_580_000], spacing: 1000 },
    );
    expect(raster.data.shape).toEqual([81, 101]);
    expect(raster.data.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    for (let r = 0; r < 81; r++) {
      for (let c = 0; c < 101; c++) {
        expect(Math.abs(raster.data.get(r, c) - plane(500_000 + 1000 * c, 9_500_000 + 1000 * r))).toBeLessThan(1e-9);
      }
    }
  });

  it('is NaN outside the convex hull and exact on its edges and corners', () => {
    // A triangle (0,0), (4,0), (0,4) with value = x + 10·y; nodes on the 0…4 lattice.
    const raster = gridScattered(
      { x: [0, 4, 0], y: [0, 0, 4], values: [0, 4, 40] },
      { extent: [0, 4, 0, 4], spacing: 1 },
    );
    const grid = values(raster);
    for (let r = 0; r <= 4; r++) {
      for (let c = 0; c <= 4; c++) {
        if (r + c <= 4) expect(grid[r][c], `row ${r} col ${c}`).toBeCloseTo(c + 10 * r, 12);
        else expect(grid[r][c], `row ${r} col ${c}`).toBeNaN();
      }
    }
  });

  it('gives a node on the shared diagonal of a square the same value whichever diagonal is drawn', () => {
    // Cocircular square: either diagonal is Delaunay. Nodes on both diagonals.
    const square = { x: [0, 2, 0, 2], y: [0, 0, 2, 2], values: [1, 5, 11, 3] };
    const grid = values(gridScattered(square, { extent: [0, 2, 0, 2], shape: [3, 3] }));
    // Corners are the data; edges of the square are means of their ends.
    expect(grid[0]).toEqual([1, 3, 5]);
    expect(grid[2]).toEqual([11, 7, 3]);
    expect(grid[1][0]).toBeCloseTo(6, 12);
    expect(grid[1][2]).toBeCloseTo(4, 12);
    // The centre lies on both diagonals: (1 + 3)/2 on one, (5 + 11)/2 on the other, so the
    // value depends on the diagonal here; any node on the chosen diagonal is its linear mean.
    expect([2, 8]).toContain(Number(grid[1][1].toFixed(12)));
    // A rhombus with a short horizontal diagonal (0,0)–(2,0): that edge is shared by the triangles
    // above and below it. Nodes on it get the linear mean of its ends, whether the walk reaches them
    // from the north (last row of the second grid) or the south (first row of the first).
    const rhombus = { x: [0, 2, 1, 1], y: [0, 0, -3, 3], values: [2, 6, 0, 10] };
    const fromAbove = gridScattered(rhombus, { extent: [0, 2, 0, 1], shape: [2, 5] });
    const fromBelow = gridScattered(rhombus, { extent: [0, 2, -1, 0], shape: [2, 5] });
    for (let c = 0; c < 5; c++) {
      expect(fromAbove.data.get(0, c)).toBeCloseTo(2 + 2 * (0.5 * c), 12); // 2 + 2x along the edge;
      expect(fromBelow.data.get(1, c)).toBeCloseTo(fromAbove.data.get(0, c), 12);
    }
  });

  it('grids the EMAG2 subset to UTM 23S at 5 km: 73 × 101 nodes, none NaN, all within the data range', async () => {
    const points = await loadLonLatPoints(EMAG2);
    expect(points.x.length).toBe(7171);
    const { x, y } = transformCoordinates(points.x, points.y, 'EPSG:4326', 'EPSG:32723');
    const started = performance.now();
    const raster = gridScattered(
      { x, y, values: points.values },
      { extent: [520_000, 1_020_000, 9_520_000, 9_880_000], spacing: 5000 },
      { crs: 'EPSG:32723' },
    );
    const elapsed = performance.now() - started;
    expect(raster.data.shape).toEqual([73, 101]);
    expect([raster.xmin, raster.xmax, raster.ymin, raster.ymax]).toEqual([520_000, 1_020_000, 9_520_000, 9_880_000]);
    expect(raster.crs).toBe('EPSG:32723');
    let lo = Infinity;
    let hi = -Infinity;
    for (const value of points.values) {
      lo = Math.min(lo, value);
      hi = Math.max(hi, value);
    }
    let nan = 0;
    for (const value of raster.data.data) {
      if (Number.isNaN(value)) nan++;
      else {
        expect(value).toBeGreaterThanOrEqual(lo);
        expect(value).toBeLessThanOrEqual(hi);
      }
    }
    expect(nan).toBe(0);
    // It takes ~15 ms; the loose bound only catches a pathological slowdown (e.g. a brute-force search).
    expect(elapsed).toBeLessThan(5000);
  });
});

describe('gridScattered against scipy griddata (test/fixtures/make-griddata-reference.py)', () => {
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/griddata-smooth.json', import.meta.url), 'utf8')) as {
    x: number[];
    y: number[];
    values: number[];
    extent: [number, number, number, number];
    spacing: number;
    rows: number;
    cols: number;
    linear: Array<number | null>;
    cubic: Array<number | null>;
    nearest: Array<number | null>;
    plane_cubic: Array<number | null>;
  };
  const range = Math.max(...fixture.values) - Math.min(...fixture.values);
  // 300 random points, a smooth field: no cocircular points, so the triangulations are the same and
  // linear, Clough–Tocher (with scipy's own gradient estimate) and nearest agree to rounding.
  it.each(['linear', 'cubic', 'nearest'] as const)(
    '%s equals scipy to 1e-9 of the data range, NaN where scipy is',
    (method) => {
      const raster = gridScattered(
        { x: fixture.x, y: fixture.y, values: fixture.values },
        { extent: fixture.extent, spacing: fixture.spacing, method },
      );
      expect(raster.data.shape).toEqual([fixture.rows, fixture.cols]);
      let compared = 0;
      fixture[method].forEach((expected, i) => {
        const ours = raster.data.data[i];
        if (expected === null) expect(ours).toBeNaN();
        else {
          expect(Math.abs(ours - expected) / range, `node ${i}`).toBeLessThan(1e-9);
          compared++;
        }
      });
      expect(compared).toBeGreaterThan(0.8 * fixture.rows * fixture.cols);
    },
  );

  // scipy's gradient estimate stops on an absolute 1e-6 per metre: in metre coordinates a plane
  // comes back to ~1e-5 of its range (28 here), not to rounding; scipy's does the same, value for value.
  it('cubic brings a plane back as scipy does (to 1e-5 of its range, equal to scipy to 1e-9)', () => {
    const plane = fixture.x.map((px, i) => 3 + 2e-4 * px - 1e-4 * fixture.y[i]);
    const cubic = gridScattered(
      { x: fixture.x, y: fixture.y, values: plane },
      { extent: fixture.extent, spacing: fixture.spacing, method: 'cubic' },
    );
    fixture.plane_cubic.forEach((expected, i) => {
      const v = cubic.data.data[i];
      if (expected === null) return expect(v).toBeNaN();
      const exact =
        3 +
        2e-4 * (fixture.extent[0] + 2000 * (i % fixture.cols)) -
        1e-4 * (fixture.extent[2] + 2000 * Math.floor(i / fixture.cols));
      expect(Math.abs(v - exact) / 28).toBeLessThan(1e-5);
      expect(Math.abs(v - expected) / 28).toBeLessThan(1e-9);
    });
  });
});

describe('gridScattered: projection and default extent', () => {
  it('projects lon/lat points with from/to and records the target CRS; the extent defaults to whole cells inside the data', async () => {
    const points = await loadLonLatPoints(EMAG2);
    const raster = gridScattered(points, { spacing: 5000, from: 'EPSG:4326', to: 32723 });
    expect(raster.crs).toBe('EPSG:32723');
    // projected data span x 500 000…1 057 002 m, y 9 500 700…9 889 470 m
    expect([raster.xmin, raster.xmax, raster.ymin, raster.ymax]).toEqual([500_000, 1_055_000, 9_505_000, 9_885_000]);
    expect(raster.data.shape).toEqual([77, 112]);
    const { x, y } = transformCoordinates(points.x, points.y, 4326, 32723);
    const same = gridScattered(
      { x, y, values: points.values },
      { extent: [500_000, 1_055_000, 9_505_000, 9_885_000], spacing: 5000 },
    );
    expect(Array.from(raster.data.data)).toEqual(Array.from(same.data.data));
  });
});

describe('gridScattered: nearest', () => {
  it('takes the nearest point, worked by hand; ties go to the first point', () => {
    // Points: A (0,0)=1, B (3,0)=2, C (0,3)=3, D (3,3)=4, E (1,1)=5. Nodes 0…3 step 1.
    const raster = gridScattered(
      { x: [0, 3, 0, 3, 1], y: [0, 0, 3, 3, 1], values: [1, 2, 3, 4, 5] },
      { extent: [0, 3, 0, 3], spacing: 1 },
      { method: 'nearest' },
    );
    // Row y=0: (0,0) A; (1,0) E (d²=1 vs A 1: tie → A, first); (2,0) B (1) vs E (2) → B; (3,0) B.
    // Row y=1: (0,1) A 1 vs E 1 → A; (1,1) E; (2,1) E 1 vs B 2 → E; (3,1) B 1 vs E 4 → B.
    // Row y=2: (0,2) C 1 vs E 2 → C; (1,2) E 1 vs C 2 → E; (2,2) D 2 vs E 2: tie → D (index 3 < 4);
    // (3,2) D 1. Row y=3: (0,3) C; (1,3) C 1 vs E 4 → C; (2,3) D 1; (3,3) D.
    expect(values(raster)).toEqual([
      [1, 1, 2, 2],
      [1, 5, 5, 2],
      [3, 5, 4, 4],
      [3, 3, 4, 4],
    ]);
  });

  it('fills nodes outside the hull too, and agrees with a brute-force search on random points', () => {
    const random = lcg(3);
    const n = 300;
    const x = Float64Array.from({ length: n }, () => 1000 * random());
    const y = Float64Array.from({ length: n }, () => 400 * random());
    const v = Float64Array.from({ length: n }, (_, i) => i);
    const raster = gridScattered(
      { x, y, values: v },
      { extent: [-200, 1200, -100, 500], shape: [31, 57] },
      { method: 'nearest' },
    );
    for (let r = 0; r < 31; r++) {
      for (let c = 0; c < 57; c++) {
        const qx = -200 + (1400 * c) / 56;
        const qy = -100 + (600 * r) / 30;
        let best = 0;
        for (let i = 1; i < n; i++)
          if ((x[i] - qx) ** 2 + (y[i] - qy) ** 2 < (x[best] - qx) ** 2 + (y[best] - qy) ** 2) best = i;
        expect(raster.data.get(r, c)).toBe(best);
      }
    }
  });
});

describe('gridScattered: bad input', () => {
  const points = { x: [0, 1, 0], y: [0, 0, 1], values: [1, 2, 3] };
  const target = { extent: [0, 1, 0, 1] as const, spacing: 0.5 };

  it('names the offending value', () => {
    expectCurieError(
      () => gridScattered({ x: [0, NaN, 0], y: [0, 0, 1], values: [1, 2, 3] }, target),
      'E_ARGUMENT',
      'point 1',
      'NaN',
    );
    expectCurieError(
      () => gridScattered({ x: [0, 1], y: [0, 0], values: [1, 2] }, target),
      'E_ARGUMENT',
      '2 points',
      'at least 3',
    );
    expectCurieError(
      () => gridScattered({ x: [0, 1, 2], y: [0, 0], values: [1, 2, 3] }, target),
      'E_ARGUMENT',
      '3 x, 2 y',
    );
    expectCurieError(() => gridScattered(points, { extent: [0, 1, 0, 1], spacing: 0 }), 'E_ARGUMENT', 'spacing = 0');
    expectCurieError(() => gridScattered(points, { extent: [0, 1, 0, 1], spacing: -5 }), 'E_ARGUMENT', 'spacing = -5');
    expectCurieError(
      () => gridScattered(points, { extent: [1, 0, 0, 1], spacing: 0.5 }),
      'E_ARGUMENT',
      'xmin = 1',
      'xmax = 0',
    );
    expectCurieError(() => gridScattered(points, { extent: [0, 1, 1, 1], spacing: 0.5 }), 'E_ARGUMENT', 'ymin = 1');
    expectCurieError(
      () => gridScattered(points, { extent: [0, 1, 0, 1], spacing: 0.3 }),
      'E_ARGUMENT',
      'not a whole number of spacings',
      '0.3',
    );
    expectCurieError(
      () => gridScattered(points, { extent: [0, 1, 0, 1], shape: [1, 5] }),
      'E_ARGUMENT',
      'shape = [1, 5]',
    );
    expectCurieError(
      () => gridScattered(points, { extent: [0, Infinity, 0, 1], spacing: 1 }),
      'E_ARGUMENT',
      'xmax = Infinity',
    );
    expectCurieError(
      () => gridScattered({ x: [0, 1, 2], y: [0, 1, 2], values: [1, 2, 3] }, target),
      'E_ARGUMENT',
      'one line',
    );
    expectCurieError(
      () => gridScattered(points, target, { method: 'spline' as 'linear' }),
      'E_ARGUMENT',
      'spline',
      'cubic',
    );
    expectCurieError(
      () => gridScattered({ x: [0, 1, 2], y: [0, 1, 2], values: [1, 2, 3] }, target, { method: 'cubic' }),
      'E_ARGUMENT',
      'one line',
    );
    expectCurieError(() => gridScattered(points, { extent: [0, 1, 0, 1] }), 'E_ARGUMENT', 'spacing or a shape');
    expectCurieError(
      () => gridScattered(points, { spacing: 5 }),
      'E_ARGUMENT',
      'spacing = 5',
      'fewer than 2 nodes',
      'finer',
    );
    expectCurieError(
      () => gridScattered(points, { extent: [0, 1e6, 0, 1e6], spacing: 0.01 }),
      'E_ARGUMENT',
      'spacing = 0.01',
      'coarser',
    );
    expectCurieError(
      () => gridScattered(points, { extent: [0, 1, 0, 1], spacing: 3 }),
      'E_ARGUMENT',
      'spacing = 3',
      'fewer than 2 nodes',
    );
    expectCurieError(() => gridScattered(points, { spacing: 0.5, to: 'EPSG:32723' }), 'E_ARGUMENT', 'needs from');
    expectCurieError(
      () => gridScattered(points, { spacing: 0.5, from: 4326, to: 'EPSG:999999' }),
      'E_CRS',
      'EPSG:999999',
    );
  });

  it('grids collinear points with nearest', () => {
    const raster = gridScattered(
      { x: [0, 1, 2], y: [0, 1, 2], values: [1, 2, 3] },
      { extent: [0, 2, 0, 2], spacing: 2 },
      { method: 'nearest' },
    );
    expect(values(raster)).toEqual([
      [1, 2],
      [2, 3],
    ]);
  });
});

describe('loadLonLatPoints', () => {
  it('reports a bad line with E_FORMAT naming it, and rejects coordinates that are not degrees', async () => {
    const bad = new TextEncoder().encode('-45 -4.5 1\n-44.95 -4.5\n');
    await expect(loadLonLatPoints(bad)).rejects.toSatisfy(
      (e: unknown) => e instanceof CurieError && e.code === 'E_FORMAT' && e.message.includes('line 2'),
    );
    const metres = new TextEncoder().encode('-45 -4.5 1\n520000 9520000 2\n');
    await expect(loadLonLatPoints(metres)).rejects.toSatisfy(
      (e: unknown) =>
        e instanceof CurieError &&
        e.code === 'E_FORMAT' &&
        e.message.includes('line 2') &&
        e.message.includes('9520000'),
    );
  });

  it('reads points in file order, nan values as NaN', async () => {
    const text = new TextEncoder().encode('# lon lat nT\n-45 -4.5 16.5\n-44.95\t-4.5\tnan\n');
    const points = await loadLonLatPoints(text);
    expect(Array.from(points.x)).toEqual([-45, -44.95]);
    expect(Array.from(points.y)).toEqual([-4.5, -4.5]);
    expect(points.values[0]).toBe(16.5);
    expect(points.values[1]).toBeNaN();
  });
});

describe('gridScattered: linear by tiles', () => {
  it('gives the one-triangulation values tile by tile, random points and the EMAG2 lattice (NaN outside the hull included)', async () => {
    const random = lcg(11);
    const n = 20_000;
    const x = Float64Array.from({ length: n }, () => 500_000 + 100_000 * random() ** 1.5); // uneven density
    const y = Float64Array.from({ length: n }, () => 9_500_000 + 80_000 * random());
    const v = Float64Array.from(x, (px, i) => Math.sin(px / 7000) * Math.cos(y[i] / 9000));
    const target = { extent: [495_000, 600_000, 9_495_000, 9_585_000] as const, spacing: 500 };
    const whole = gridScattered({ x, y, values: v }, target);
    const tiled = gridScattered({ x, y, values: v }, { ...target, tilePoints: 1500 });
    let nan = 0;
    whole.data.data.forEach((expected, i) => {
      if (Number.isNaN(expected)) nan++;
      // random points: no cocircular ties, the same triangles
      expect(Number.isNaN(expected) ? tiled.data.data[i] : Math.abs(tiled.data.data[i] - expected)).toSatisfy(
        (d: number) => (Number.isNaN(expected) ? Number.isNaN(d) : d < 1e-12),
      );
    });
    expect(nan).toBeGreaterThan(100);
    const points = await loadLonLatPoints(EMAG2);
    const emag = { spacing: 5000, from: 4326, to: 32723 } as const;
    const a = gridScattered(points, emag);
    const b = gridScattered(points, { ...emag, tilePoints: 500 });
    // a projected lon/lat lattice is a near-tie in every cell: either diagonal, values within the cell
    let same = 0;
    a.data.data.forEach((expected, i) => {
      if (Number.isNaN(expected)) return expect(b.data.data[i]).toBeNaN();
      if (Math.abs(b.data.data[i] - expected) < 1e-9) same++;
    });
    expect(same / a.data.data.length).toBeGreaterThan(0.9);
    expectCurieError(() => gridScattered(points, { ...emag, tilePoints: 0 }), 'E_ARGUMENT', 'tilePoints = 0');
  });
});
