import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ndarray from 'ndarray';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transformCoordinates } from '../../src/io/crs.js';
import { loadGrid } from '../../src/io/load.js';
import { saveGrid } from '../../src/io/save.js';
import { encodeNetcdf3 } from '../../src/io/write-netcdf.js';
import { curieInProcess, ensureBuilt } from '../helpers/cli.js';

// `curie info`, `curie map` and `curie download` on NetCDF files and a local HTTP server, run
// in-process through the built CLI's main(argv, io) (`npm test` builds first).

let dir: string;

const curie = (args: string[]) => curieInProcess(args, { cwd: dir });

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'curie-cli-netcdf-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('curie info and map on NetCDF', () => {
  it('info lists the variables, the CRS and the extent in lon/lat; several grids need --variable', async () => {
    const values = Float64Array.from({ length: 12 }, (_, i) => (i === 3 ? NaN : i));
    await saveGrid(
      {
        data: ndarray(values, [3, 4]),
        xmin: 500_000,
        xmax: 530_000,
        ymin: 9_500_000,
        ymax: 9_520_000,
        crs: 'EPSG:32723',
      },
      join(dir, 'utm.nc'),
    );
    const info = JSON.parse((await curie(['info', 'utm.nc', '--json'])).stdout) as Record<string, unknown>;
    expect(info).toMatchObject({
      rows: 3,
      cols: 4,
      crs: 'EPSG:32723',
      nan: 1,
      format: 'netCDF-3 classic',
      spacing: { x: 10_000, y: 10_000 },
    });
    expect((info.variables as Array<{ name: string; grid: boolean }>).filter((v) => v.grid).map((v) => v.name)).toEqual(
      ['z'],
    );
    // The lon/lat extent of the outline: corners and edges transformed.
    const corners = transformCoordinates(
      [500_000, 530_000, 500_000, 530_000],
      [9_500_000, 9_500_000, 9_520_000, 9_520_000],
      'EPSG:32723',
      'EPSG:4326',
    );
    const ll = info.extentLonLat as { lonmin: number; lonmax: number; latmin: number; latmax: number };
    expect(ll.lonmin).toBeCloseTo(Math.min(...corners.x), 6);
    expect(ll.latmax).toBeCloseTo(Math.max(...corners.y), 6);
    const text = (await curie(['info', 'utm.nc'])).stdout;
    expect(text).toContain('format: netCDF-3 classic');
    expect(text).toMatch(/\* z\(y=3, x=4\)/);
    expect(text).toMatch(/extent in lon\/lat: lon -45 … -44\.7295\d+, lat -4\.5235\d+ … -4\.3425\d+ \(degrees\)/);

    writeFileSync(
      join(dir, 'two.nc'),
      encodeNetcdf3({
        dimensions: { x: 2, y: 2 },
        variables: [
          { name: 'anomaly', dimensions: ['y', 'x'], type: 'float', values: [1, 2, 3, 4], attributes: { units: 'nT' } },
          { name: 'error', dimensions: ['y', 'x'], type: 'float', values: [5, 6, 7, 8] },
        ],
      }),
    );
    const both = await curie(['info', 'two.nc']);
    expect(both.code).toBe(1);
    expect(both.stdout).toMatch(/\* anomaly\(y=2, x=2\) \[nT\]/);
    expect(both.stderr).toBe(
      'curie: two.nc has several 2-D variables: anomaly(y, x), error(y, x); choose one with { variable } (--variable NAME on the command line)\n',
    );
    const chosen = JSON.parse((await curie(['info', 'two.nc', '--variable', 'error', '--json'])).stdout) as {
      range: unknown;
      crs: unknown;
      extentLonLat: unknown;
    };
    expect(chosen).toMatchObject({ range: { min: 5, max: 8 }, crs: null, extentLonLat: null });
  });

  it('map reads a .nc grid exactly as the same grid in GeoTIFF', async () => {
    const synth = await curie([
      'synth',
      '--rows',
      '61',
      '--cols',
      '61',
      '--spacing',
      '1km',
      '--zt',
      '1',
      '--dz',
      '20',
      '--crs',
      'EPSG:32723',
      '--out',
      'synth.tif',
    ]);
    expect(synth.code).toBe(0);
    await saveGrid(await loadGrid(join(dir, 'synth.tif')), join(dir, 'synth.nc'));
    const args = ['--window', '30km', '--spacing', '15km', '--workers', '0', '--format', 'csv', '--quiet'];
    const fromTiff = await curie(['map', 'synth.tif', ...args]);
    const fromNetcdf = await curie(['map', 'synth.nc', ...args]);
    expect(fromTiff.code).toBe(0);
    expect(fromNetcdf.stderr).toBe('');
    expect(fromNetcdf.stdout.split('\n').length).toBeGreaterThan(2);
    expect(fromNetcdf.stdout).toBe(fromTiff.stdout);
  });
});

describe('curie download', () => {
  const BODY = Buffer.from('lon lat depth\n-45 -4.5 30\n');
  const SHA256 = createHash('sha256').update(BODY).digest('hex');
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/li.txt') {
        response.writeHead(200, { 'Content-Length': BODY.length });
        response.end(BODY);
      } else {
        response.writeHead(404);
        response.end();
      }
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', () => ready()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it('downloads a URL into a directory, checks --sha256, reuses the file; a mismatch leaves nothing', async () => {
    const first = await curie(['download', `${base}/li.txt`, '--out', '.', '--sha256', SHA256]);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe(`downloaded li.txt (${BODY.length} bytes, sha256 verified; sha256 ${SHA256})\n`);
    expect(readFileSync(join(dir, 'li.txt')).equals(BODY)).toBe(true);
    const again = await curie(['download', `${base}/li.txt`, '--out', 'li.txt', '--sha256', SHA256]);
    expect(again.stderr).toMatch(/^cached li\.txt/);
    const bad = await curie(['download', `${base}/li.txt`, '--out', 'other.txt', '--md5', '0'.repeat(32)]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^curie: .*li\.txt has md5 [0-9a-f]{32}, not the expected 0{32}.*\n$/);
    expect(existsSync(join(dir, 'other.txt'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--list names the datasets; an unknown name or a non-http URL is one error line', async () => {
    const list = await curie(['download', '--list']);
    expect(list.stdout).toContain('emag2-v3\n');
    expect(list.stdout).toContain('li2017-curie-depth\n');
    const unknown = await curie(['download', 'emag3']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      "curie: unknown dataset 'emag3': known are emag2-v3, emag2-v3-npz, li2017-curie-depth (curie download --list), or give an http(s) URL\n",
    );
    const ftp = await curie(['download', 'ftp://example.org/x.tif']);
    expect(ftp.stderr).toMatch(/^curie: cannot download ftp:\/\/example\.org\/x\.tif: only http:\/\/ and https:\/\//);
  });
});
