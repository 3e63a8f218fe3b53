/**
 * reproject against gdalwarp (Debian's gdal-bin): the EMAG2 subset as a lon/lat GeoTIFF (71 × 101
 * nodes at 0.05°, written by writeGeoTiff) warped to UTM 23S at 5 km. gdalwarp's -te is cell
 * edges, so it gets the node extent widened by half a cell; -et 0 makes it transform every pixel
 * exactly (its default approximates the transformation to 1/8 pixel).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ndarray from 'ndarray';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reproject } from '../../src/grid/reproject.js';
import { readGeoTiff } from '../../src/io/geotiff.js';
import { loadLonLatPoints } from '../../src/io/lonlat.js';
import type { Raster } from '../../src/io/raster.js';
import { writeGeoTiff } from '../../src/io/write-geotiff.js';

const EXTENT = [520e3, 1020e3, 9520e3, 9880e3] as const;
const CELL = 5000;
let dir: string;
let lonlat: Raster;
let source: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'curie-reproject-'));
  const points = await loadLonLatPoints(new URL('../../data/emag2-maranhao-lonlat.txt', import.meta.url));
  // the file is a lattice: longitude fastest, latitude rising from −4.5° (row 0 = south)
  lonlat = {
    data: ndarray(Float64Array.from(points.values), [71, 101]),
    xmin: -45,
    xmax: -40,
    ymin: -4.5,
    ymax: -1,
    crs: 'EPSG:4326',
  };
  source = join(dir, 'lonlat.tif');
  writeFileSync(
    source,
    writeGeoTiff({
      cols: 101,
      rows: 71,
      xmin: -45,
      ymin: -4.5,
      spacingX: 0.05,
      spacingY: 0.05,
      crs: 'EPSG:4326',
      bands: [{ name: 'anomaly', values: points.values }],
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function gdalwarp(resampling: string): Promise<Raster> {
  const output = join(dir, `utm-${resampling}.tif`);
  const te = [EXTENT[0] - CELL / 2, EXTENT[2] - CELL / 2, EXTENT[1] + CELL / 2, EXTENT[3] + CELL / 2].map(String);
  execFileSync(
    'gdalwarp',
    [
      '-q',
      '-overwrite',
      '-t_srs',
      'EPSG:32723',
      '-tr',
      String(CELL),
      String(CELL),
      '-te',
      ...te,
      '-r',
      resampling,
      '-et',
      '0',
      '-ot',
      'Float64',
      source,
      output,
    ],
    { stdio: 'pipe' },
  );
  return readGeoTiff(readFileSync(output), output);
}

describe('reproject lon/lat → UTM 23S against gdalwarp', () => {
  it.each([
    // measured: 3e-14 of the range for both
    ['bilinear', 'bilinear', 1e-9],
    ['cubic', 'cubic', 1e-9],
    ['nearest', 'near', 0],
  ] as const)('%s equals gdalwarp -r %s at every node (to %s of the range)', async (method, resampling, tolerance) => {
    const theirs = await gdalwarp(resampling);
    const ours = reproject(lonlat, 'EPSG:32723', { spacing: CELL, extent: EXTENT, method });
    expect(ours.data.shape).toEqual([73, 101]);
    expect(theirs.data.shape).toEqual([73, 101]);
    expect([theirs.xmin, theirs.xmax, theirs.ymin, theirs.ymax]).toEqual([...EXTENT]);
    const values = Array.from(lonlat.data.data);
    const range = Math.max(...values) - Math.min(...values);
    let compared = 0,
      worst = 0;
    for (let r = 0; r < 73; r++) {
      for (let c = 0; c < 101; c++) {
        const a = ours.data.get(r, c),
          b = theirs.data.get(r, c);
        if (Number.isNaN(a) || Number.isNaN(b)) continue;
        compared++;
        worst = Math.max(worst, Math.abs(a - b) / range);
      }
    }
    console.log(
      `reproject ${method}: ${compared} nodes, worst ${worst.toExponential(2)} of the range from gdalwarp -r ${resampling}`,
    );
    expect(compared).toBeGreaterThan(6000);
    expect(worst).toBeLessThanOrEqual(tolerance);
  });
});
