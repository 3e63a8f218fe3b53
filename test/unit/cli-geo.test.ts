import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ndarray from 'ndarray';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curieInProcess, ensureBuilt, root } from '../helpers/cli.js';

// `curie grid` and the geographic side of `curie map` (--to/--cell, lon/lat columns), run in-process
// through the built CLI's main(argv, io), compared with the built library.

const EMAG2 = join(root, 'data/emag2-maranhao-lonlat.txt');
const EXTENT = [520e3, 1020e3, 9520e3, 9880e3] as const;
type Library = typeof import('../../src/index.js');
let lib: Library;
let dir: string;

const curie = (args: string[], cwd = dir) => curieInProcess(args, { cwd });

async function ok(args: string[]): Promise<string> {
  const run = await curie(args);
  expect(run.stderr, `curie ${args.join(' ')}`).toBe('');
  expect(run.code).toBe(0);
  return run.stdout;
}

/** `curie args…` fails with one line matching `where`, exit code 1, nothing on stdout, nothing left in a fresh directory. */
let failures = 0;
async function expectFailure(args: string[], where: RegExp): Promise<void> {
  const cwd = join(dir, `fail-${++failures}`);
  mkdirSync(cwd);
  const run = await curie(args, cwd);
  expect(run.code, args.join(' ')).toBe(1);
  expect(run.stderr).toMatch(/^curie: [^\n]+\n$/);
  expect(run.stderr).toMatch(where);
  expect(run.stdout).toBe('');
  expect(readdirSync(cwd)).toEqual([]);
}

/** The EMAG2 subset as a lon/lat raster (the file is a 71 × 101 lattice, row 0 = 4.5° S). */
async function lonlatRaster() {
  const points = await lib.loadLonLatPoints(EMAG2);
  return {
    points,
    raster: {
      data: ndarray(Float64Array.from(points.values), [71, 101]),
      xmin: -45,
      xmax: -40,
      ymin: -4.5,
      ymax: -1,
      crs: 'EPSG:4326',
    },
  };
}

beforeAll(async () => {
  ensureBuilt();
  lib = (await import(pathToFileURL(join(root, 'dist/index.js')).href)) as Library;
  dir = mkdtempSync(join(tmpdir(), 'curie-geo-'));
  const { points } = await lonlatRaster();
  const { writeGeoTiff } = (await import(
    pathToFileURL(join(root, 'dist/io/write-geotiff.js')).href
  )) as typeof import('../../src/io/write-geotiff.js');
  const bytes = writeGeoTiff({
    cols: 101,
    rows: 71,
    xmin: -45,
    ymin: -4.5,
    spacingX: 0.05,
    spacingY: 0.05,
    crs: 'EPSG:4326',
    bands: [{ name: 'anomaly', values: points.values }],
  });
  writeFileSync(join(dir, 'lonlat.tif'), bytes);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.concurrent('curie grid', () => {
  it('lon/lat points → UTM 23S at 5 km: the library’s gridScattered, CRS recorded', async () => {
    await ok([
      'grid',
      EMAG2,
      '--from',
      'EPSG:4326',
      '--to',
      'EPSG:32723',
      '--cell',
      '5km',
      '--extent',
      EXTENT.join(','),
      '--out',
      'points.tif',
    ]);
    const grid = await lib.loadGrid(join(dir, 'points.tif'));
    const points = await lib.loadLonLatPoints(EMAG2);
    const expected = lib.gridScattered(points, { extent: EXTENT, spacing: 5000, from: 4326, to: 32723 });
    expect(grid.crs).toBe('EPSG:32723');
    expect(grid.data.shape).toEqual([73, 101]);
    expect([grid.xmin, grid.xmax, grid.ymin, grid.ymax]).toEqual([...EXTENT]);
    expect(Array.from(grid.data.data)).toEqual(Array.from(expected.data.data));
  });

  it('default extent: the data trimmed to whole cells; --method cubic; --columns picks columns of a wider file', async () => {
    const lines = readFileSync(EMAG2, 'utf8')
      .trim()
      .split('\n')
      .map((l, i) => {
        const [lon, lat, v] = l.trim().split(/\s+/);
        return `${i},${v},${lon},${lat},0`;
      });
    writeFileSync(join(dir, 'five.csv'), `id,nT,lon,lat,flag\n${lines.join('\n')}\n`);
    await ok([
      'grid',
      'five.csv',
      '--columns',
      '3,4,2',
      '--from',
      'EPSG:4326',
      '--to',
      'EPSG:32723',
      '--cell',
      '5km',
      '--method',
      'cubic',
      '--out',
      'cubic.tif',
    ]);
    const grid = await lib.loadGrid(join(dir, 'cubic.tif'));
    expect([grid.xmin, grid.xmax, grid.ymin, grid.ymax]).toEqual([500e3, 1055e3, 9505e3, 9885e3]);
    const expected = lib.gridScattered(await lib.loadLonLatPoints(EMAG2), {
      spacing: 5000,
      from: 4326,
      to: 32723,
      method: 'cubic',
    });
    expect(Array.from(grid.data.data)).toEqual(Array.from(expected.data.data));
  });

  it('a GeoTIFF is reprojected (linear = bilinear), as reproject does', async () => {
    await ok([
      'grid',
      'lonlat.tif',
      '--to',
      'EPSG:32723',
      '--cell',
      '5km',
      '--extent',
      EXTENT.join(','),
      '--out',
      'raster.tif',
    ]);
    const grid = await lib.loadGrid(join(dir, 'raster.tif'));
    const expected = lib.reproject((await lonlatRaster()).raster, 'EPSG:32723', {
      spacing: 5000,
      extent: EXTENT,
      method: 'bilinear',
    });
    expect(grid.crs).toBe('EPSG:32723');
    expect(Array.from(grid.data.data)).toEqual(Array.from(expected.data.data));
  });

  it('bad input: one line each, nothing written', async () => {
    const base = ['grid', EMAG2, '--from', 'EPSG:4326', '--to', 'EPSG:32723', '--out', 'g.tif'];
    await expectFailure(
      ['grid', EMAG2, '--from', 'EPSG:4326', '--to', 'EPSG:999999', '--cell', '5km', '--out', 'g.tif'],
      /unknown CRS EPSG:999999/,
    );
    await expectFailure(
      [...base, '--cell', '5km', '--extent', '2000000,2100000,9520000,9880000'],
      /--extent 2000000,2100000,9520000,9880000 is outside the data/,
    );
    await expectFailure([...base, '--cell', '5000km'], /spacing = 5000000 gives fewer than 2 nodes/);
    await expectFailure(
      [...base, '--cell', '1m'],
      /spacing = 1 gives a \d+ × \d+ raster, which has more than 500000000 nodes/,
    );
    await expectFailure(
      [...base, '--cell', '5km', '--columns', '1,2,9'],
      /line 1 has 3 columns but --columns 1,2,9 asks for column 9/,
    );
    await expectFailure(
      [...base, '--cell', '5km', '--method', 'spline'],
      /--method 'spline' must be linear, nearest or cubic/,
    );
    await expectFailure(
      ['grid', EMAG2, '--to', 'EPSG:32723', '--cell', '5km', '--out', 'g.tif'],
      /--to EPSG:32723 needs --from/,
    );
  });
});

describe.concurrent('curie map of geographic data', () => {
  it('a grid with a CRS gets lon,lat as the last CSV columns and NDJSON fields: the window centres in WGS84', async () => {
    await ok([
      'grid',
      EMAG2,
      '--from',
      'EPSG:4326',
      '--to',
      'EPSG:32723',
      '--cell',
      '5km',
      '--extent',
      EXTENT.join(','),
      '--out',
      'utm.tif',
    ]);
    await ok([
      'map',
      'utm.tif',
      '--window',
      '100km',
      '--spacing',
      '100km',
      '--workers',
      '0',
      '--quiet',
      '--out',
      'map.csv',
    ]);
    const [header, ...rows] = readFileSync(join(dir, 'map.csv'), 'utf8').trimEnd().split('\n');
    expect(header).toBe(
      'x,y,beta,zt,dz,C,curie_depth,curie_depth_low,curie_depth_high,verdict,misfit,status,message,lon,lat',
    );
    expect(rows.length).toBeGreaterThan(4);
    for (const row of rows) {
      const cells = row.split(',');
      const { lon, lat } = lib.toLonLat([Number(cells[0])], [Number(cells[1])], 'EPSG:32723');
      expect(Number(cells.at(-2))).toBe(lon[0]);
      expect(Number(cells.at(-1))).toBe(lat[0]);
      expect(lon[0]).toBeGreaterThan(-45);
      expect(lat[0]).toBeLessThan(-1);
    }
    const ndjson = await ok(['map', 'utm.tif', '--window', '100km', '--spacing', '100km', '--workers', '0', '--quiet']);
    const first = JSON.parse(ndjson.split('\n')[0]) as Record<string, number>;
    expect(Object.keys(first).slice(-2)).toEqual(['lon', 'lat']);
  });

  it('--to/--cell reprojects a lon/lat GeoTIFF on the fly: the same map as gridding it first', async () => {
    await ok(['grid', 'lonlat.tif', '--to', 'EPSG:32723', '--cell', '5km', '--out', 'warped.tif']);
    const map = ['--window', '100km', '--spacing', '100km', '--workers', '0', '--quiet'];
    const direct = await ok(['map', 'lonlat.tif', '--to', 'EPSG:32723', '--cell', '5km', ...map]);
    expect(direct).toBe(await ok(['map', 'warped.tif', ...map]));
    expect(direct.split('\n').length).toBeGreaterThan(4);
    await expectFailure(
      ['map', join(dir, 'lonlat.tif'), '--cell', '5km', ...map],
      /--cell reprojects the input and needs --to/,
    );
    await expectFailure(['map', join(dir, 'lonlat.tif'), '--to', 'EPSG:32723', ...map], /--to EPSG:32723 needs --cell/);
  });
});
