import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The `curie` command line with the real tools of a cluster and a GIS: Open MPI's mpirun (Debian's
// openmpi-bin) launches two ranks of `curie map --shard auto`, `curie merge` joins them, and GDAL
// (gdal-bin) reads the GeoTIFF. `.ci/run` installs both; without them these tests fail, never skip.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(root, 'dist/cli/main.js');
const DATA = join(root, 'data/synthetic-anomaly.tif');
const MAP = ['--window', '200km', '--spacing', '10km'];
const BANDS = [
  'curie_depth',
  'zt',
  'dz',
  'beta',
  'C',
  'misfit',
  'curie_depth_low',
  'curie_depth_high',
  'verdict',
  'status',
];
/** The verdict band's codes (optimiseRoutine's), for the words CSV and NDJSON write. */
const VERDICT_NAMES = ['resolved', 'lower-bound', 'unresolved'];
/** A number as GDAL (%.15g) or our CSV prints it: inf / -inf for an open end, nan for a hole. */
const printedNumber = (s: string) => (/^[+]?inf$/i.test(s) ? Infinity : /^-inf$/i.test(s) ? -Infinity : Number(s));

let dir: string;

/** Our environment without launcher variables (the test itself may run under MPI or Slurm). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(OMPI_|PMI_|PMIX_|SLURM_)/.test(k)) env[k] = v;
  return env;
}

/** Run a program; it must succeed and print nothing on stderr. Returns stdout. */
function run(program: string, args: string[], what = `${program} ${args.join(' ')}`): string {
  const result = spawnSync(program, args, { cwd: dir, env: cleanEnv(), encoding: 'utf8', timeout: 100_000 });
  if (result.error) throw result.error;
  expect(result.stderr, `${what}: stderr`).toBe('');
  expect(result.status, `${what}: exit code`).toBe(0);
  return result.stdout;
}

const curie = (args: string[]) => run(process.execPath, [CLI, ...args], `curie ${args.join(' ')}`);

/**
 * `mpirun -n 2` as root in a container: `--allow-run-as-root` (Open MPI refuses root otherwise) and
 * `--oversubscribe` (two ranks even on one core). The ranks never call MPI_Init, so no transport
 * (btl) setting is needed; Open MPI 4.1 on Debian 12 runs them as is.
 */
function mpirun(args: string[]): string {
  return run(
    'mpirun',
    ['--allow-run-as-root', '--oversubscribe', '-n', '2', process.execPath, CLI, ...args],
    `mpirun … curie ${args.join(' ')}`,
  );
}

beforeAll(() => {
  // Both fail loudly (ENOENT) when the tools are not installed.
  execFileSync('mpirun', ['--version'], { stdio: 'pipe' });
  execFileSync('gdalinfo', ['--version'], { stdio: 'pipe' });
  expect(existsSync(CLI), 'dist/cli/main.js: run npm run build first').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'curie-cli-mpi-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('curie map under mpirun -n 2 --shard auto, then curie merge', () => {
  for (const format of ['tif', 'csv']) {
    it(`writes two parts whose merge is byte for byte the single run's ${format}`, () => {
      mpirun([
        'map',
        DATA,
        ...MAP,
        '--shard',
        'auto',
        '--out',
        join(dir, `mpi.${format}`),
        '--workers',
        '1',
        '--quiet',
      ]);
      const parts = [0, 1].map((i) => `mpi.${format}.part-${i}-of-2.ndjson`);
      expect(
        readdirSync(dir)
          .filter((f) => f.startsWith(`mpi.${format}`))
          .sort(),
      ).toEqual(parts);
      // Each rank took its own share from OMPI_COMM_WORLD_RANK/SIZE: windows i with i mod 2 = rank.
      parts.forEach((part, rank) => {
        const lines = readFileSync(join(dir, part), 'utf8').trimEnd().split('\n');
        expect(JSON.parse(lines[0])).toMatchObject({ curie_part: 1, shard: rank, shards: 2, total: 121 });
        expect(lines.slice(1).map((l) => (JSON.parse(l) as { i: number }).i)).toEqual(
          Array.from({ length: rank === 0 ? 61 : 60 }, (_, k) => 2 * k + rank),
        );
      });
      curie(['merge', ...parts.map((p) => join(dir, p)), '--out', join(dir, `merged.${format}`)]);
      curie(['map', DATA, ...MAP, '--out', join(dir, `single.${format}`), '--quiet']);
      const merged = readFileSync(join(dir, `merged.${format}`));
      expect(merged.length).toBeGreaterThan(1000);
      expect(merged.equals(readFileSync(join(dir, `single.${format}`)))).toBe(true);
    });
  }
});

interface GdalInfo {
  size: [number, number];
  geoTransform: number[];
  coordinateSystem?: { wkt: string };
  bands: { band: number; type: string; description?: string; noDataValue?: number | string }[];
}

describe('GDAL reads the map GeoTIFF', () => {
  let rows: Array<Record<string, number | string | null>>;

  beforeAll(() => {
    if (!existsSync(join(dir, 'single.tif'))) curie(['map', DATA, ...MAP, '--out', join(dir, 'single.tif'), '--quiet']);
    curie(['map', DATA, ...MAP, '--out', join(dir, 'single.ndjson'), '--quiet']);
    rows = readFileSync(join(dir, 'single.ndjson'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, number | string | null>);
  }, 100_000);

  it('gdalinfo -json: 10 Float64 bands with descriptions and nodata, on the centroid lattice (pixel = spacing), no CRS', () => {
    const info = JSON.parse(run('gdalinfo', ['-json', join(dir, 'single.tif')])) as GdalInfo;
    expect(rows).toHaveLength(121);
    const xs = [...new Set(rows.map((r) => r.x as number))],
      ys = [...new Set(rows.map((r) => r.y as number))];
    expect(xs).toEqual(Array.from({ length: 11 }, (_, i) => 100_500 + 10_000 * i));
    expect(ys).toEqual(xs);
    expect(info.size).toEqual([11, 11]);
    // Corner of the north-western pixel: half a spacing west and north of its centre.
    expect(info.geoTransform).toEqual([Math.min(...xs) - 5000, 10_000, 0, Math.max(...ys) + 5000, 0, -10_000]);
    expect(info.bands.map((b) => b.description)).toEqual(BANDS);
    for (const band of info.bands) {
      expect(band.type).toBe('Float64');
      expect(String(band.noDataValue).toLowerCase()).toBe('nan');
    }
    // The input has no CRS, so neither has the map (never a made-up one).
    expect(info.coordinateSystem?.wkt ?? '').toBe('');
  });

  it('gdalinfo -json: an input with a CRS gives a map with that CRS', () => {
    curie([
      'synth',
      '--rows',
      '61',
      '--cols',
      '61',
      '--spacing',
      '1km',
      '--zt',
      '0.5',
      '--dz',
      '8',
      '--crs',
      'EPSG:32723',
      '--out',
      join(dir, 'utm.tif'),
    ]);
    curie([
      'map',
      join(dir, 'utm.tif'),
      '--window',
      '30km',
      '--spacing',
      '5km',
      '--out',
      join(dir, 'utm-map.tif'),
      '--quiet',
    ]);
    const info = JSON.parse(run('gdalinfo', ['-json', join(dir, 'utm-map.tif')])) as GdalInfo;
    expect(info.coordinateSystem?.wkt).toMatch(/^PROJCRS\["WGS 84 \/ UTM zone 23S"/);
    expect(info.coordinateSystem?.wkt).toMatch(/ID\["EPSG",32723\]\]$/);
    expect(info.size).toEqual([6, 6]);
    expect(info.geoTransform).toEqual([15_500 - 2500, 5000, 0, 40_500 + 2500, 0, -5000]);
  });

  it('gdallocationinfo -valonly -geoloc at window centres gives the NDJSON and CSV values', () => {
    const csv = curie(['map', DATA, ...MAP, '--format', 'csv', '--quiet'])
      .trimEnd()
      .split('\n');
    expect(csv[0]).toBe('x,y,beta,zt,dz,C,curie_depth,curie_depth_low,curie_depth_high,verdict,misfit,status,message');
    for (const i of [0, 5, 10, 37, 60, 110, 120]) {
      const r = rows[i];
      expect(r.status).not.toBe(2);
      const values = run('gdallocationinfo', ['-valonly', '-geoloc', join(dir, 'single.tif'), String(r.x), String(r.y)])
        .trimEnd()
        .split('\n')
        .map(printedNumber);
      expect(values).toHaveLength(BANDS.length);
      const fromCsv = Object.fromEntries(csv[0].split(',').map((name, j) => [name, csv[i + 1].split(',')[j]]));
      BANDS.forEach((name, b) => {
        if (name === 'verdict') {
          expect(fromCsv.verdict, `window ${i}: CSV`).toBe(r.verdict);
          expect(VERDICT_NAMES[values[b]], `window ${i}: GDAL verdict code ${values[b]}`).toBe(r.verdict);
          return;
        }
        // NDJSON writes an open high end as null: it is +Infinity in CSV (inf) and the GeoTIFF.
        const expected = name === 'curie_depth_high' && r[name] === null ? Infinity : (r[name] as number);
        expect(printedNumber(fromCsv[name]), `window ${i} ${name}: CSV`).toBe(expected);
        if (!Number.isFinite(expected)) return expect(values[b], `window ${i} ${name}: GDAL`).toBe(expected);
        // GDAL prints 15 significant digits.
        expect(
          Math.abs(values[b] - expected),
          `window ${i} ${name}: GDAL ${values[b]} vs ${expected}`,
        ).toBeLessThanOrEqual(1e-14 * Math.abs(expected));
      });
    }
  });
});
