import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeArrayBuffer, type GeotiffWriterMetadata } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CurieError } from '../../src/errors.js';
import { isTiff, readGeoTiff } from '../../src/io/geotiff.js';
import { loadGrid } from '../../src/io/load.js';
import type { Raster } from '../../src/io/raster.js';
import { handMadeTiff, type TiffEntry } from '../helpers/tiff.js';

/** File order (row 0 = top/north): 3 columns × 2 rows. */
const TOP_ROW = [1, 2, 3];
const BOTTOM_ROW = [4, 5, 6];

/** UTM 23S, 1000 m × 500 m pixels, top-left corner at (100 000, 9 000 000). */
function northUpMetadata(extra: GeotiffWriterMetadata = {}): GeotiffWriterMetadata {
  return {
    width: 3,
    height: 2,
    ModelPixelScale: [1000, 500, 0],
    ModelTiepoint: [0, 0, 0, 100_000, 9_000_000, 0],
    ProjectedCSTypeGeoKey: 32723,
    GTModelTypeGeoKey: 1,
    GTRasterTypeGeoKey: 1,
    ...extra,
  };
}

function write(values: Float32Array | Float64Array, metadata: GeotiffWriterMetadata): ArrayBuffer {
  return writeArrayBuffer(values, metadata);
}

function rows(raster: Raster): number[][] {
  const [ny, nx] = raster.data.shape;
  return Array.from({ length: ny }, (_, r) => Array.from({ length: nx }, (_, c) => raster.data.get(r, c)));
}

function extent(raster: Raster): number[] {
  return [raster.xmin, raster.xmax, raster.ymin, raster.ymax];
}

async function rejection(promise: Promise<unknown>): Promise<CurieError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CurieError);
  return error as CurieError;
}

/** A minimal little-endian Int16 TIFF without any georeferencing tags (written by hand). */
function plainInt16Tiff(width: number, height: number, values: number[]): Uint8Array {
  const entries: TiffEntry[] = [
    [256, 3, width],
    [257, 3, height],
    [258, 3, 16],
    [259, 3, 1],
    [262, 3, 1],
    [273, 4, 0], // StripOffsets
    [277, 3, 1],
    [278, 3, height],
    [279, 4, width * height * 2],
    [339, 3, 2], // SampleFormat: signed integer
  ];
  return handMadeTiff(entries, new Uint8Array(Int16Array.from(values).buffer), 273);
}

describe('readGeoTiff', () => {
  it('flips a north-up Float64 file so row 0 is south, with node coordinates and the CRS', async () => {
    const raster = await readGeoTiff(write(Float64Array.from([...TOP_ROW, ...BOTTOM_ROW]), northUpMetadata()));
    expect(raster.data.shape).toEqual([2, 3]);
    expect(rows(raster)).toEqual([BOTTOM_ROW, TOP_ROW]);
    // Corners 100 000…103 000 and 8 999 000…9 000 000 moved half a pixel inward.
    expect(extent(raster)).toEqual([100_500, 102_500, 8_999_250, 8_999_750]);
    expect(raster.crs).toBe('EPSG:32723');
  });

  it('reads Float32 with GDAL_NODATA as NaN (nodata compared in float32)', async () => {
    const values = Float32Array.from([1.5, -9999.9, 3.25, 4, 5, -9999.9]);
    const raster = await readGeoTiff(write(values, northUpMetadata({ GDAL_NODATA: '-9999.9\0' })));
    const data = rows(raster);
    expect(data[0][0]).toBe(4);
    expect(data[0][1]).toBe(5);
    expect(data[0][2]).toBeNaN();
    expect(data[1][0]).toBe(1.5);
    expect(data[1][1]).toBeNaN();
    expect(data[1][2]).toBe(3.25);
  });

  it('takes PixelIsPoint tiepoints as nodes', async () => {
    const raster = await readGeoTiff(
      write(Float64Array.from([...TOP_ROW, ...BOTTOM_ROW]), northUpMetadata({ GTRasterTypeGeoKey: 2 })),
    );
    expect(extent(raster)).toEqual([100_000, 102_000, 8_999_500, 9_000_000]);
  });

  it('keeps a south-up file (negative y pixel scale) in file order', async () => {
    const metadata = northUpMetadata({ ModelPixelScale: [1000, -500, 0], ModelTiepoint: [0, 0, 0, 0, 0, 0] });
    const raster = await readGeoTiff(write(Float64Array.from([...TOP_ROW, ...BOTTOM_ROW]), metadata));
    expect(rows(raster)).toEqual([TOP_ROW, BOTTOM_ROW]);
    expect(extent(raster)).toEqual([500, 2500, 250, 750]);
  });

  it('reads a ModelTransformation without rotation, and a geographic CRS', async () => {
    const metadata: GeotiffWriterMetadata = {
      width: 3,
      height: 2,
      ModelTransformation: [0.5, 0, 0, -45, 0, -0.25, 0, -1, 0, 0, 0, 0, 0, 0, 0, 1],
      GeographicTypeGeoKey: 4326,
      GTModelTypeGeoKey: 2,
    };
    const raster = await readGeoTiff(write(Float64Array.from([...TOP_ROW, ...BOTTOM_ROW]), metadata));
    expect(rows(raster)).toEqual([BOTTOM_ROW, TOP_ROW]);
    expect(extent(raster)).toEqual([-44.75, -43.75, -1.375, -1.125]);
    expect(raster.crs).toBe('EPSG:4326');
  });

  it('rejects a rotated ModelTransformation', async () => {
    const metadata: GeotiffWriterMetadata = {
      width: 3,
      height: 2,
      ModelTransformation: [0.5, 0.1, 0, -45, 0, -0.25, 0, -1, 0, 0, 0, 0, 0, 0, 0, 1],
      GeographicTypeGeoKey: 4326,
    };
    const error = await rejection(
      readGeoTiff(write(Float64Array.from([...TOP_ROW, ...BOTTOM_ROW]), metadata), 'rot.tif'),
    );
    expect(error.code).toBe('E_FORMAT');
    expect(error.message).toBe(
      'rot.tif has a rotated or sheared ModelTransformation (terms 0.1, 0); only north-up or south-up grids are supported',
    );
  });

  it('gives no CRS for a user-defined projection', async () => {
    const raster = await readGeoTiff(
      write(Float64Array.from([...TOP_ROW, ...BOTTOM_ROW]), northUpMetadata({ ProjectedCSTypeGeoKey: 32767 })),
    );
    expect(raster.crs).toBeUndefined();
  });

  it('uses pixel indices, in file row order, for a TIFF without georeferencing', async () => {
    const raster = await readGeoTiff(plainInt16Tiff(3, 2, [-1, 2, -300, 4, 5, 32767]));
    expect(rows(raster)).toEqual([
      [-1, 2, -300],
      [4, 5, 32767],
    ]);
    expect(extent(raster)).toEqual([0, 2, 0, 1]);
    expect(raster.crs).toBeUndefined();
  });

  it('rejects empty, non-TIFF and truncated buffers with E_FORMAT naming the source', async () => {
    const empty = await rejection(readGeoTiff(new Uint8Array(0), 'empty.tif'));
    expect([empty.code, empty.message]).toEqual(['E_FORMAT', 'empty.tif is empty']);

    const png = await rejection(readGeoTiff(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]), 'x.png'));
    expect([png.code, png.message]).toEqual([
      'E_FORMAT',
      'x.png is not a TIFF file (it starts with bytes 89 50 4e 47)',
    ]);

    const whole = new Uint8Array(write(new Float64Array(400).fill(7), northUpMetadata({ width: 20, height: 20 })));
    const truncated = await rejection(readGeoTiff(whole.slice(0, whole.length >> 1), 'half.tif'));
    expect(truncated.code).toBe('E_FORMAT');
    expect(truncated.message).toMatch(/^half\.tif is truncated/);

    const header = await rejection(readGeoTiff(whole.slice(0, 6), 'tiny.tif'));
    expect(header.code).toBe('E_FORMAT');
    expect(header.message).toMatch(/^tiny\.tif is truncated/);
    expect(header.message).not.toContain('\n');
  });

  it('recognises TIFF and BigTIFF signatures', () => {
    expect(isTiff(Uint8Array.from([0x49, 0x49, 42, 0]))).toBe(true);
    expect(isTiff(Uint8Array.from([0x4d, 0x4d, 0, 42]))).toBe(true);
    expect(isTiff(Uint8Array.from([0x49, 0x49, 43, 0]))).toBe(true);
    expect(isTiff(Uint8Array.from([0x4d, 0x4d, 0, 43]))).toBe(true);
    expect(isTiff(Uint8Array.from([0x49, 0x49, 0, 42]))).toBe(false);
    expect(isTiff(new TextEncoder().encode('0 0 1\n'))).toBe(false);
  });
});

describe('loadGrid', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'curie-io-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('detects GeoTIFF and text from the bytes, for paths, URLs and buffers', async () => {
    const tiffPath = join(dir, 'grid.data'); // the extension is deliberately meaningless
    await writeFile(tiffPath, new Uint8Array(write(Float64Array.from([...TOP_ROW, ...BOTTOM_ROW]), northUpMetadata())));
    const fromPath = await loadGrid(tiffPath);
    expect(rows(fromPath)).toEqual([BOTTOM_ROW, TOP_ROW]);
    expect(fromPath.crs).toBe('EPSG:32723');
    expect(extent(await loadGrid(new URL(`file://${tiffPath}`)))).toEqual([100_500, 102_500, 8_999_250, 8_999_750]);

    const text = new TextEncoder().encode('0 0 1\n1 0 2\n0 1 3\n1 1 4\n');
    expect(rows(await loadGrid(text))).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(rows(await loadGrid(text.buffer, { format: 'xyz' }))).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('names the path of a missing file, a directory and an empty file', async () => {
    const missingPath = join(dir, 'nope.tif');
    const missing = await rejection(loadGrid(missingPath));
    expect([missing.code, missing.message]).toEqual(['E_NOT_FOUND', `${missingPath} does not exist`]);

    const directory = await rejection(loadGrid(dir));
    expect([directory.code, directory.message]).toEqual(['E_NOT_FOUND', `${dir} is a directory, not a grid file`]);

    const emptyPath = join(dir, 'empty.xyz');
    await writeFile(emptyPath, '');
    const empty = await rejection(loadGrid(emptyPath));
    expect([empty.code, empty.message]).toEqual(['E_FORMAT', `${emptyPath} is empty`]);
  });

  it('reports binary non-TIFF data as not a TIFF, and a forced format mismatch', async () => {
    const zip = await rejection(loadGrid(Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0])));
    expect([zip.code, zip.message]).toEqual([
      'E_FORMAT',
      'grid buffer is not a TIFF file (it starts with bytes 50 4b 03 04)',
    ]);
    const forced = await rejection(loadGrid(new TextEncoder().encode('0 0 1\n'), { format: 'geotiff' }));
    expect(forced.code).toBe('E_FORMAT');
  });

  it('rejects non-file URLs', async () => {
    const error = await rejection(loadGrid(new URL('https://example.org/grid.tif')));
    expect(error.code).toBe('E_ARGUMENT');
  });
});
