import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { BOULIGAND_BANDS, TANAKA_BANDS, writeGeoTiff, type WriteGeoTiffOptions } from '../../src/io/write-geotiff.js';

// GeoTIFFs written by writeGeoTiff, read by real GDAL (Debian's gdal-bin: gdalinfo, gdallocationinfo,
// gdal_translate). Without GDAL these tests fail: they must never be skipped.

let dir: string;

beforeAll(() => {
  // Fails loudly (ENOENT) when GDAL is not installed.
  execFileSync('gdalinfo', ['--version'], { stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'curie-write-gdal-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Run a GDAL tool; it must succeed and print nothing on stderr (no warnings). */
function gdal(tool: string, args: string[]): string {
  const run = spawnSync(tool, args, { encoding: 'utf8' });
  if (run.error) throw run.error;
  expect(run.stderr, `${tool} ${args.join(' ')} warned`).toBe('');
  expect(run.status, `${tool} ${args.join(' ')} failed`).toBe(0);
  return run.stdout;
}

interface GdalInfo {
  size: [number, number];
  geoTransform: number[];
  coordinateSystem?: { wkt: string };
  metadata: Record<string, Record<string, string>>;
  bands: {
    band: number;
    type: string;
    description?: string;
    noDataValue?: number | string;
    colorInterpretation: string;
  }[];
}

function gdalinfo(path: string): GdalInfo {
  return JSON.parse(gdal('gdalinfo', ['-json', path])) as GdalInfo;
}

/** Values as GDAL decodes them, exactly: converted to raw Float64 (ENVI, band-sequential), back in our row order. */
function gdalValues(path: string, cols: number, rows: number, nb: number): Float64Array[] {
  const raw = join(dir, 'decoded.raw');
  gdal('gdal_translate', ['-q', '-of', 'ENVI', '-co', 'INTERLEAVE=BSQ', path, raw]);
  const bytes = readFileSync(raw);
  expect(bytes.length).toBe(8 * cols * rows * nb);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  return Array.from({ length: nb }, (_, b) => {
    const out = new Float64Array(cols * rows);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++)
        out[r * cols + c] = view.getFloat64(8 * ((b * rows + (rows - 1 - r)) * cols + c), true);
    }
    return out;
  });
}

/** Write `options` as a GeoTIFF through writeFileAtomic, as the command line does. */
async function writeMap(name: string, options: WriteGeoTiffOptions): Promise<string> {
  const path = join(dir, `${name}.tif`);
  await writeFileAtomic(path, writeGeoTiff(options));
  return path;
}

/** Values with full double precision; band b, node k; NaN at `holes`. */
function values(count: number, b: number, holes: number[] = []): Float64Array {
  const v = Float64Array.from({ length: count }, (_, k) => Math.sin(0.37 * k + b) * 12.345678901234567 + 20 + b);
  for (const k of holes) v[k] = NaN;
  return v;
}

/** gdallocationinfo prints %.15g: the value rounded to 15 significant digits, `nan` for NaN. */
function as15(v: number): string {
  return Number.isNaN(v) ? 'nan' : String(Number(v.toPrecision(15)));
}

/** The EPSG code in GDAL's WKT2 (its last ID[...]), or undefined. */
function epsgOf(info: GdalInfo): number | undefined {
  const wkt = info.coordinateSystem?.wkt ?? '';
  const match = /ID\["EPSG",(\d+)\]\]\s*$/.exec(wkt);
  return match ? Number(match[1]) : undefined;
}

describe('writeGeoTiff read by GDAL', () => {
  // A Bouligand map: 7 × 5 window centres, 10 km × 8 km apart, UTM 23S; failed windows are NaN.
  const cols = 7;
  const rows = 5;
  const lattice = { cols, rows, xmin: 400_000, ymin: 9_300_000, spacingX: 10_000, spacingY: 8_000 };
  const holes = [0, 9, 34];
  const bouligand: WriteGeoTiffOptions = {
    ...lattice,
    crs: 'EPSG:32723',
    bands: BOULIGAND_BANDS.map((name, b) => ({ name, values: values(cols * rows, b, holes) })),
  };

  it('reports bands, descriptions, nodata, geotransform and CRS, without warnings', async () => {
    const info = gdalinfo(await writeMap('bouligand', bouligand));
    expect(info.size).toEqual([cols, rows]);
    const ymax = lattice.ymin + (rows - 1) * lattice.spacingY;
    expect(info.geoTransform).toEqual([400_000 - 5_000, 10_000, 0, ymax + 4_000, 0, -8_000]);
    expect(epsgOf(info)).toBe(32723);
    expect(info.coordinateSystem?.wkt).toMatch(/^PROJCRS\["WGS 84 \/ UTM zone 23S"/);
    expect(info.metadata['']?.AREA_OR_POINT).toBe('Area');
    expect(info.bands.map((b) => b.description)).toEqual([...BOULIGAND_BANDS]);
    expect(info.bands).toHaveLength(10);
    expect(info.bands.map((b) => b.type)).toEqual(new Array(BOULIGAND_BANDS.length).fill('Float64'));
    expect(info.bands.map((b) => b.noDataValue)).toEqual(new Array(BOULIGAND_BANDS.length).fill('NaN'));
    expect(info.bands[0].colorInterpretation).toBe('Gray');
  });

  it('gives the written values at window centres (gdallocationinfo -geoloc)', async () => {
    const path = await writeMap('bouligand-points', bouligand);
    for (const [c, r] of [
      [0, 0],
      [6, 0],
      [2, 1],
      [3, 2],
      [6, 4],
      [0, 4],
      [5, 3],
    ]) {
      const x = lattice.xmin + c * lattice.spacingX;
      const y = lattice.ymin + r * lattice.spacingY;
      const printed = gdal('gdallocationinfo', ['-valonly', '-geoloc', path, String(x), String(y)])
        .trim()
        .split('\n');
      const expected = bouligand.bands.map((band) => as15(band.values[r * cols + c]));
      expect(
        printed.map((p) => (p === 'nan' ? p : String(Number(p)))),
        `centre (${x}, ${y})`,
      ).toEqual(expected);
    }
  });

  it('decodes every value exactly, NaN holes included', async () => {
    const decoded = gdalValues(await writeMap('bouligand-exact', bouligand), cols, rows, BOULIGAND_BANDS.length);
    decoded.forEach((band, b) => {
      const wrong = Array.from(band).flatMap((v, k) =>
        Object.is(v, bouligand.bands[b].values[k]) ? [] : [`band ${b} node ${k}: ${v}`],
      );
      expect(wrong).toEqual([]);
    });
  });

  it('writes a map without CRS as a file without CRS', async () => {
    const tanaka: WriteGeoTiffOptions = {
      cols: 4,
      rows: 3,
      xmin: 0,
      ymin: 0,
      spacingX: 2_500,
      spacingY: 2_500,
      bands: TANAKA_BANDS.map((name, b) => ({ name, values: values(12, b, [5]) })),
    };
    const path = await writeMap('tanaka-nocrs', tanaka);
    const info = gdalinfo(path);
    expect(info.coordinateSystem).toBeUndefined();
    expect(epsgOf(info)).toBeUndefined();
    expect(info.geoTransform).toEqual([-1_250, 2_500, 0, 6_250, 0, -2_500]);
    expect(info.bands.map((b) => b.description)).toEqual([...TANAKA_BANDS]);
    const printed = gdal('gdallocationinfo', ['-valonly', '-geoloc', path, '2500', '5000']).trim().split('\n');
    expect(printed.map((p) => String(Number(p)))).toEqual(tanaka.bands.map((band) => as15(band.values[2 * 4 + 1])));
    expect(gdal('gdallocationinfo', ['-valonly', '-geoloc', path, '2500', '2500']).trim().split('\n')[0]).toBe('nan');
  });

  it('writes a finite nodata value that GDAL reports and masks', async () => {
    const path = await writeMap('nodata', {
      cols: 3,
      rows: 2,
      xmin: -45.25,
      ymin: -4.75,
      spacingX: 0.25,
      spacingY: 0.5,
      crs: 'EPSG:4326',
      nodata: -9999,
      bands: [{ name: 'curie_depth', values: Float64Array.of(30.5, NaN, 28.25, 31, 32, 33) }],
    });
    const info = gdalinfo(path);
    expect(info.bands[0].noDataValue).toBe(-9999);
    expect(info.bands[0].description).toBe('curie_depth');
    expect(epsgOf(info)).toBe(4326);
    expect(info.coordinateSystem?.wkt).toMatch(/^GEOGCRS\["WGS 84"/);
    expect(info.geoTransform).toEqual([-45.375, 0.25, 0, -4, 0, -0.5]);
    expect(gdal('gdallocationinfo', ['-valonly', '-geoloc', path, '-45', '-4.75']).trim()).toBe('-9999');
    expect(gdal('gdallocationinfo', ['-valonly', '-geoloc', path, '-44.75', '-4.75']).trim()).toBe('28.25');
    // With the mask applied (as any GDAL-based reader does), the hole is not a value.
    const stats = JSON.parse(gdal('gdalinfo', ['-json', '-stats', path])) as {
      bands: { minimum: number; maximum: number }[];
    };
    expect([stats.bands[0].minimum, stats.bands[0].maximum]).toEqual([28.25, 33]);
    rmSync(`${path}.aux.xml`, { force: true });
  });

  it('tells projected from geographic EPSG codes as GDAL does', async () => {
    const cases: [string, number, number, RegExp][] = [
      // a projected code inside 4000–4999 (CGCS2000 / Gauss-Kruger zone 21) and geographic codes outside it
      ['EPSG:4499', 21_500_000, 4_000_000, /^PROJCRS\["CGCS2000 \/ Gauss-Kruger zone 21"/],
      ['EPSG:7844', 133, -25, /^GEOGCRS\["GDA2020"/],
      ['EPSG:6318', -100, 40, /^GEOGCRS\["NAD83\(2011\)"/],
      ['EPSG:3857', 1_000_000, 2_000_000, /^PROJCRS\["WGS 84 \/ Pseudo-Mercator"/],
    ];
    for (const [crs, xmin, ymin, wkt] of cases) {
      const small = xmin < 1000 && xmin > -1000;
      const spacing = small ? 0.1 : 1000;
      const path = await writeMap(crs.replace(':', '-'), {
        cols: 2,
        rows: 2,
        xmin,
        ymin,
        spacingX: spacing,
        spacingY: spacing,
        crs,
        bands: [{ name: 'v', values: Float64Array.of(1, 2, 3, 4) }],
      });
      const info = gdalinfo(path);
      expect(info.coordinateSystem?.wkt, crs).toMatch(wkt);
      expect(epsgOf(info), crs).toBe(Number(crs.slice(5)));
    }
  });
});
