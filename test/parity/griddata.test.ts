/**
 * Gridding the shared EMAG2 subset (../shared/reference/emag2/) as PyCurious does — projected with
 * PROJ to UTM 23S, scipy's griddata at 5 km — against scipy's own grid
 * (test/fixtures/emag2-griddata-utm23s.json, made by test/fixtures/make-griddata-reference.py).
 *
 * A lon/lat lattice projected to UTM is nearly a Delaunay tie in every cell: delaunator and Qhull
 * pick either diagonal, so nodes are compared where the two triangulations put the node in the same
 * triangle (about half of them); elsewhere both values are linear interpolants of the same cell's
 * corners and must lie within those four values.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { gridScattered, loadLonLatPoints, transformCoordinates } from '../../src/index.js';
import { triangulate } from '../../src/grid/triangulation.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const reference = JSON.parse(readFileSync(path.join(root, 'test/fixtures/emag2-griddata-utm23s.json'), 'utf8')) as {
  extent: [number, number, number, number];
  spacing: number;
  rows: number;
  cols: number;
  linear: Array<number | null>;
  cubic: Array<number | null>;
  triangle: number[][];
};

let x: Float64Array, y: Float64Array, values: Float64Array, range: number;
/** For every node, our triangle's vertices (sorted) or [] outside the hull. */
let ourTriangle: number[][];
beforeAll(async () => {
  const points = await loadLonLatPoints(path.join(root, '../shared/reference/emag2/emag2-maranhao-lonlat.txt'));
  ({ x, y } = transformCoordinates(points.x, points.y, 'EPSG:4326', 'EPSG:32723'));
  values = points.values;
  range = Math.max(...values) - Math.min(...values);
  // The same shift gridScattered applies (centre of the bounding box), so the same triangulation.
  const cx = 0.5 * (Math.min(...x) + Math.max(...x));
  const cy = 0.5 * (Math.min(...y) + Math.max(...y));
  const coords = new Float64Array(2 * x.length);
  x.forEach((v, i) => {
    coords[2 * i] = v - cx;
    coords[2 * i + 1] = y[i] - cy;
  });
  const tri = triangulate(coords);
  ourTriangle = reference.triangle.map((_, i) => {
    const t = tri.locate(
      reference.extent[0] + (i % reference.cols) * reference.spacing - cx,
      reference.extent[2] + Math.floor(i / reference.cols) * reference.spacing - cy,
    );
    return t < 0
      ? []
      : [tri.triangles[3 * t], tri.triangles[3 * t + 1], tri.triangles[3 * t + 2]].sort((a, b) => a - b);
  });
});

describe('EMAG2 subset, UTM 23S, 5 km: gridScattered against scipy griddata', () => {
  it('linear equals scipy to 1e-6 of the data range wherever the triangulations agree; elsewhere within the cell', () => {
    const raster = gridScattered(
      { x, y, values },
      { extent: reference.extent, spacing: reference.spacing, method: 'linear' },
    );
    let agree = 0,
      worst = 0;
    reference.linear.forEach((expected, i) => {
      const ours = raster.data.data[i];
      if (expected === null) return expect(ours).toBeNaN();
      if (ourTriangle[i].join() === reference.triangle[i].join()) {
        agree++;
        worst = Math.max(worst, Math.abs(ours - expected) / range);
      } else {
        // the other diagonal: both values are convex combinations of the union's four corners
        const corners = [...new Set([...ourTriangle[i], ...reference.triangle[i]])].map((k) => values[k]);
        expect(corners.length).toBe(4);
        expect(ours).toBeGreaterThanOrEqual(Math.min(...corners) - 1e-9);
        expect(ours).toBeLessThanOrEqual(Math.max(...corners) + 1e-9);
      }
    });
    console.log(
      `EMAG2 linear: ${agree} of ${reference.linear.length} nodes in the same triangle as Qhull's, worst ${worst.toExponential(1)} of the range there`,
    );
    expect(agree).toBeGreaterThan(0.3 * reference.linear.length);
    expect(worst).toBeLessThan(1e-6);
  });

  it('cubic is within 1 % of the data range of scipy (the gradients near tie-broken cells differ)', () => {
    const raster = gridScattered(
      { x, y, values },
      { extent: reference.extent, spacing: reference.spacing, method: 'cubic' },
    );
    let worst = 0;
    reference.cubic.forEach((expected, i) => {
      const ours = raster.data.data[i];
      if (expected === null) return expect(ours).toBeNaN();
      worst = Math.max(worst, Math.abs(ours - expected) / range);
    });
    console.log(`EMAG2 cubic: worst ${worst.toExponential(2)} of the range from scipy`);
    expect(worst).toBeLessThan(0.01);
  });
});
