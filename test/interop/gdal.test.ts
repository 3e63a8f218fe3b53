import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CurieError } from '../../src/errors.js';
import { loadGrid } from '../../src/io/load.js';
import type { Raster } from '../../src/io/raster.js';

// GeoTIFFs made by real GDAL (gdal_translate, Debian's gdal-bin) from an ASCII grid written here,
// read back by loadGrid. Without gdal_translate these tests fail: they must never be skipped.

const COLS = 37; // more than two 16-pixel tiles, so tiles and strips are partial at the edges
const ROWS = 23;
const CELL = 1000; // metres
const XLL = 500_000; // lower-left corner, UTM 23S
const YLL = 9_500_000;
const NODATA = -9999;
/** Where the source grid holds nodata, as [row from the top, col]. */
const HOLES: [number, number][] = [
  [0, 0],
  [7, 20],
  [22, 36],
];

/** Source values, row 0 = top (northern) row, as an ASCII grid lists them. */
function sourceGrid(value: (row: number, col: number) => number): number[][] {
  const grid = Array.from({ length: ROWS }, (_, r) => Array.from({ length: COLS }, (_, c) => value(r, c)));
  for (const [r, c] of HOLES) grid[r][c] = NODATA;
  return grid;
}

// Full double precision, negative and positive, not representable in float32.
const float64Grid = sourceGrid((r, c) => Math.sin(0.37 * r + 0.11 * c) * 1234.5678901234 + r / 3);
const float32Grid = float64Grid.map((row) => row.map((v) => Math.fround(v)));
const int16Grid = sourceGrid((r, c) => (r * COLS + c) * 7 - 3000);
const int32Grid = sourceGrid((r, c) => (r * COLS + c) * 100_003 - 40_000_000);

function asciiGrid(grid: number[][], digits: number): string {
  const header = [
    `ncols ${COLS}`,
    `nrows ${ROWS}`,
    `xllcorner ${XLL}`,
    `yllcorner ${YLL}`,
    `cellsize ${CELL}`,
    `NODATA_value ${NODATA}`,
  ];
  const body = grid.map((row) => row.map((v) => (Number.isInteger(v) ? String(v) : v.toPrecision(digits))).join(' '));
  return [...header, ...body, ''].join('\n');
}

let dir: string;

/** Run gdal_translate on `source` with `args`, return the path of the GeoTIFF it wrote. */
function translate(name: string, source: string, args: string[]): string {
  const output = join(dir, `${name}.tif`);
  execFileSync('gdal_translate', ['-q', '-of', 'GTiff', ...args, join(dir, source), output], { stdio: 'pipe' });
  return output;
}

/** The node extent GDAL's corner georeferencing implies, half a cell inside the corners. */
const EXPECTED_EXTENT = [XLL + CELL / 2, XLL + (COLS - 0.5) * CELL, YLL + CELL / 2, YLL + (ROWS - 0.5) * CELL];

/** Loaded (row 0 south) against source (row 0 north): ours[r][c] must be source[ROWS-1-r][c], nodata as NaN. */
function expectSameGrid(raster: Raster, source: number[][]): void {
  expect(raster.data.shape).toEqual([ROWS, COLS]);
  const wrong: string[] = [];
  for (let r = 0; r < ROWS; r++) {
    for (let c = 0; c < COLS; c++) {
      const written = source[ROWS - 1 - r][c];
      const expected = written === NODATA ? NaN : written;
      const got = raster.data.get(r, c);
      if (!Object.is(got, expected)) wrong.push(`(${r},${c}): ${got} != ${expected}`);
    }
  }
  expect(wrong.slice(0, 5)).toEqual([]);
}

beforeAll(() => {
  // Fails loudly (ENOENT) when GDAL is not installed.
  execFileSync('gdal_translate', ['--version'], { stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'curie-gdal-'));
  writeFileSync(join(dir, 'float64.asc'), asciiGrid(float64Grid, 17));
  writeFileSync(join(dir, 'float32.asc'), asciiGrid(float32Grid, 9));
  writeFileSync(join(dir, 'int16.asc'), asciiGrid(int16Grid, 0));
  writeFileSync(join(dir, 'int32.asc'), asciiGrid(int32Grid, 0));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const UTM = ['-a_srs', 'EPSG:32723', '-a_nodata', String(NODATA)];
const FLOAT64 = ['--config', 'AAIGRID_DATATYPE', 'Float64', '-ot', 'Float64'];
const TILED = ['-co', 'TILED=YES', '-co', 'BLOCKXSIZE=16', '-co', 'BLOCKYSIZE=16'];
const STRIPS = ['-co', 'BLOCKYSIZE=5']; // several strips, the last one partial

interface Case {
  name: string;
  source: string;
  args: string[];
  grid: number[][];
}

const cases: Case[] = [
  { name: 'Float64 stripped uncompressed', source: 'float64.asc', args: [...FLOAT64, ...STRIPS], grid: float64Grid },
  {
    name: 'Float64 tiled DEFLATE predictor 3',
    source: 'float64.asc',
    args: [...FLOAT64, ...TILED, '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=3'],
    grid: float64Grid,
  },
  {
    name: 'Float64 stripped LZW predictor 3',
    source: 'float64.asc',
    args: [...FLOAT64, ...STRIPS, '-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=3'],
    grid: float64Grid,
  },
  { name: 'Float32 tiled uncompressed', source: 'float32.asc', args: ['-ot', 'Float32', ...TILED], grid: float32Grid },
  {
    name: 'Float32 stripped DEFLATE predictor 3',
    source: 'float32.asc',
    args: ['-ot', 'Float32', ...STRIPS, '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=3'],
    grid: float32Grid,
  },
  {
    name: 'Float32 tiled LZW predictor 3',
    source: 'float32.asc',
    args: ['-ot', 'Float32', ...TILED, '-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=3'],
    grid: float32Grid,
  },
  { name: 'Int16 stripped uncompressed', source: 'int16.asc', args: ['-ot', 'Int16', ...STRIPS], grid: int16Grid },
  {
    name: 'Int16 tiled DEFLATE predictor 2',
    source: 'int16.asc',
    args: ['-ot', 'Int16', ...TILED, '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=2'],
    grid: int16Grid,
  },
  {
    name: 'Int16 stripped LZW predictor 2',
    source: 'int16.asc',
    args: ['-ot', 'Int16', ...STRIPS, '-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=2'],
    grid: int16Grid,
  },
  {
    name: 'Int32 tiled LZW predictor 2',
    source: 'int32.asc',
    args: ['-ot', 'Int32', ...TILED, '-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=2'],
    grid: int32Grid,
  },
  {
    name: 'Int32 stripped DEFLATE predictor 2',
    source: 'int32.asc',
    args: ['-ot', 'Int32', ...STRIPS, '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=2'],
    grid: int32Grid,
  },
  {
    name: 'Float64 BigTIFF tiled DEFLATE',
    source: 'float64.asc',
    args: [...FLOAT64, ...TILED, '-co', 'COMPRESS=DEFLATE', '-co', 'BIGTIFF=YES'],
    grid: float64Grid,
  },
];

describe('GeoTIFFs written by gdal_translate', () => {
  it.each(cases)(
    '$name: values, nodata, node extent and CRS round-trip exactly',
    async ({ name, source, args, grid }) => {
      const path = translate(name.replace(/\W+/g, '-'), source, [...UTM, ...args]);
      const raster = await loadGrid(path);
      expectSameGrid(raster, grid);
      expect([raster.xmin, raster.xmax, raster.ymin, raster.ymax]).toEqual(EXPECTED_EXTENT);
      expect(raster.crs).toBe('EPSG:32723');
    },
  );

  it('LZW blocks long enough to grow codes to 12 bits and reset the table decode exactly', async () => {
    // 300 × 200 noisy Float64 in 100-row strips: each strip is 240 kB, far past 4096 LZW codes.
    const [cols, rows] = [300, 200];
    const values = Array.from({ length: rows }, (_, r) =>
      Array.from({ length: cols }, (_, c) => Math.sin(r * 12.9898 + c * 78.233) * 43758.5453),
    );
    const header = [`ncols ${cols}`, `nrows ${rows}`, 'xllcorner 0', 'yllcorner 0', 'cellsize 1'];
    writeFileSync(
      join(dir, 'noise.asc'),
      [...header, ...values.map((row) => row.map((v) => v.toPrecision(17)).join(' ')), ''].join('\n'),
    );
    const path = translate('noise-lzw', 'noise.asc', [...FLOAT64, '-co', 'COMPRESS=LZW', '-co', 'BLOCKYSIZE=100']);
    const raster = await loadGrid(path);
    expect(raster.data.shape).toEqual([rows, cols]);
    let wrong = 0;
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) if (raster.data.get(r, c) !== values[rows - 1 - r][c]) wrong++;
    expect(wrong).toBe(0);
  });

  it('missing data marked by an alpha sample or an internal mask is NaN, where the alpha or the mask band is 0', async () => {
    // A warp onto a larger extent leaves its corners empty: 0 in the band, 0 in the alpha sample
    // (-dstalpha) or in an internal mask (GDAL_TIFF_INTERNAL_MASK). Read as 0 they would be data.
    const source = translate('mask-source', 'float32.asc', [
      '-ot',
      'Float32',
      '-a_srs',
      'EPSG:32723',
      '-a_nodata',
      'none',
    ]);
    const warp = (name: string, args: string[]) => {
      const output = join(dir, `${name}.tif`);
      const extent = [
        '-te',
        String(XLL - 5 * CELL),
        String(YLL - 4 * CELL),
        String(XLL + (COLS + 3) * CELL),
        String(YLL + (ROWS + 6) * CELL),
        '-tr',
        String(CELL),
        String(CELL),
      ];
      execFileSync('gdalwarp', ['-q', '-overwrite', ...extent, ...args, source, output], { stdio: 'pipe' });
      return output;
    };
    const alpha = warp('alpha', ['-dstalpha', ...TILED]);
    const masked = join(dir, 'internal-mask.tif');
    execFileSync(
      'gdal_translate',
      ['-q', '-b', '1', '-mask', '2', '--config', 'GDAL_TIFF_INTERNAL_MASK', 'YES', alpha, masked],
      { stdio: 'pipe' },
    );
    // Where GDAL says data are missing, row 0 north: the alpha band itself (GDAL takes only Byte and
    // UInt16 alpha bands as masks, but gdalwarp's Float32 one means the same), and the mask band.
    for (const [path, band] of [
      [alpha, '2'],
      [masked, 'mask'],
    ]) {
      const maskText = execFileSync('gdal_translate', ['-q', '-b', band, '-of', 'AAIGrid', path, '/vsistdout/'], {
        encoding: 'utf8',
      });
      const maskRows = maskText
        .trim()
        .split('\n')
        .filter((line) => /^\s*\d/.test(line) && !/^\s*(ncols|nrows)/.test(line))
        .map((line) => line.trim().split(/\s+/).map(Number));
      const raster = await loadGrid(path);
      const [rows, cols] = raster.data.shape;
      expect([maskRows.length, maskRows[0].length]).toEqual([rows, cols]);
      let missing = 0,
        wrong = 0;
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) {
          const gdalMissing = maskRows[rows - 1 - r][c] === 0;
          if (gdalMissing) missing++;
          if (gdalMissing !== Number.isNaN(raster.data.get(r, c))) wrong++;
        }
      // The source's own nodata holes are data here (-a_nodata none): the empty frame is what is missing.
      expect(missing).toBe(rows * cols - ROWS * COLS);
      expect(wrong).toBe(0);
    }
  });

  it('PixelIsPoint: GDAL moves the tiepoint to the first node, and the extent stays the same', async () => {
    const path = translate('point', 'float64.asc', [...UTM, ...FLOAT64, '-mo', 'AREA_OR_POINT=Point']);
    const raster = await loadGrid(path);
    expectSameGrid(raster, float64Grid);
    expect([raster.xmin, raster.xmax, raster.ymin, raster.ymax]).toEqual(EXPECTED_EXTENT);
  });

  it('geographic CRS: EPSG:4326 from GeographicTypeGeoKey', async () => {
    const path = translate('geographic', 'float32.asc', [
      '-a_srs',
      'EPSG:4326',
      '-a_ullr',
      '-45',
      '-1',
      '-44.075',
      '-1.575',
    ]);
    const raster = await loadGrid(path);
    expect(raster.crs).toBe('EPSG:4326');
    expectSameGrid(raster, float32Grid);
    // 0.025° cells: nodes from -44.9875 to -44.0875 and -1.5625 to -1.0125.
    expect(raster.xmin).toBeCloseTo(-44.9875, 12);
    expect(raster.xmax).toBeCloseTo(-44.0875, 12);
    expect(raster.ymin).toBeCloseTo(-1.5625, 12);
    expect(raster.ymax).toBeCloseTo(-1.0125, 12);
  });

  it('a rotated geotransform (written as ModelTransformation) is refused with E_FORMAT', async () => {
    const vrt = join(dir, 'rotated.vrt');
    writeFileSync(
      vrt,
      `<VRTDataset rasterXSize="${COLS}" rasterYSize="${ROWS}">
  <GeoTransform>500000, 1000, 50, 9523000, 30, -1000</GeoTransform>
  <VRTRasterBand dataType="Float32" band="1">
    <SimpleSource><SourceFilename relativeToVRT="1">float32.asc</SourceFilename><SourceBand>1</SourceBand></SimpleSource>
  </VRTRasterBand>
</VRTDataset>
`,
    );
    const path = translate('rotated', 'rotated.vrt', []);
    const error = await loadGrid(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CurieError);
    expect((error as CurieError).code).toBe('E_FORMAT');
    expect((error as CurieError).message).toBe(
      `${path} has a rotated or sheared ModelTransformation (terms 50, 30); only north-up or south-up grids are supported`,
    );
  });
});
