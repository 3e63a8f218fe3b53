import { fromArrayBuffer, type TypedArray } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { CurieError } from '../../src/errors.js';
import { gridGeometry } from '../../src/grid/geometry.js';
import { createCentroidList } from '../../src/grid/windows.js';
import { readGeoTiff } from '../../src/io/geotiff.js';
import {
  BOULIGAND_BANDS,
  TANAKA_BANDS,
  centroidLattice,
  epsgCode,
  isGeographicEpsg,
  writeGeoTiff,
  type WriteGeoTiffOptions,
} from '../../src/io/write-geotiff.js';
import { expectCurieError } from '../helpers/errors.js';

const COLS = 5;
const ROWS = 4;
const LATTICE = { cols: COLS, rows: ROWS, xmin: 500_000, ymin: 9_500_000, spacingX: 10_000, spacingY: 10_000 };

/** Row-major, row 0 south: value encodes band, row and column; a few NaN holes. */
function band(b: number, holes: number[] = []): Float64Array {
  const v = Float64Array.from(
    { length: COLS * ROWS },
    (_, k) => 100 * b + Math.floor(k / COLS) + (k % COLS) / 10 + Math.PI / 1e6,
  );
  for (const k of holes) v[k] = NaN;
  return v;
}

function bouligand(extra: Partial<WriteGeoTiffOptions> = {}): WriteGeoTiffOptions {
  return {
    ...LATTICE,
    bands: BOULIGAND_BANDS.map((name, b) => ({ name, values: band(b, b === 0 ? [0, 7, 19] : []) })),
    crs: 'EPSG:32723',
    ...extra,
  };
}

/** All bands as written in the file, back in our order (row 0 south). */
async function fileBands(bytes: Uint8Array): Promise<{ bands: Float64Array[]; directory: Map<string, unknown> }> {
  const tiff = await fromArrayBuffer(bytes.slice().buffer);
  const image = await tiff.getImage();
  const raw = (await image.readRasters()) as TypedArray[];
  const bands = raw.map((r) => {
    const out = new Float64Array(COLS * ROWS);
    for (let row = 0; row < ROWS; row++)
      for (let c = 0; c < COLS; c++) out[row * COLS + c] = r[(ROWS - 1 - row) * COLS + c];
    return out;
  });
  const d = image.getFileDirectory();
  const directory = new Map<string, unknown>();
  for (const name of [
    'GDAL_METADATA',
    'GDAL_NODATA',
    'ExtraSamples',
    'SamplesPerPixel',
    'PhotometricInterpretation',
    'BitsPerSample',
  ]) {
    // GDAL_METADATA sits after the pixels (no room in the writer's header block): geotiff defers it.
    const value = (name === 'GDAL_METADATA' ? await d.loadValue(name as never) : d.getValue(name as never)) as unknown;
    // ASCII tags are stored with their terminating NUL, which geotiff's reader keeps.
    directory.set(name, typeof value === 'string' ? value.replace(/\0$/, '') : value);
  }
  directory.set('geoKeys', image.getGeoKeys());
  return { bands, directory };
}

describe('writeGeoTiff', () => {
  it('round-trips through readGeoTiff: first band, extent and CRS', async () => {
    const options = bouligand();
    const raster = await readGeoTiff(writeGeoTiff(options));
    expect(raster.data.shape).toEqual([ROWS, COLS]);
    expect([raster.xmin, raster.xmax, raster.ymin, raster.ymax]).toEqual([500_000, 540_000, 9_500_000, 9_530_000]);
    expect(raster.crs).toBe('EPSG:32723');
    const expected = options.bands[0].values;
    for (let k = 0; k < COLS * ROWS; k++) expect(Object.is(raster.data.data[k], expected[k]), `value ${k}`).toBe(true);
    expect(raster.data.data[0]).toBeNaN(); // south-west node
  });

  it('writes every band in order, with descriptions, nodata and ExtraSamples', async () => {
    const options = bouligand();
    const { bands, directory } = await fileBands(writeGeoTiff(options));
    expect(bands).toHaveLength(10);
    bands.forEach((values, b) => expect(values).toEqual(options.bands[b].values));
    expect(directory.get('GDAL_METADATA')).toBe(
      '<GDALMetadata>' +
        BOULIGAND_BANDS.map(
          (name, i) => `<Item name="DESCRIPTION" sample="${i}" role="description">${name}</Item>`,
        ).join('') +
        '</GDALMetadata>',
    );
    expect(directory.get('GDAL_NODATA')).toBe('nan');
    expect(Array.from(directory.get('ExtraSamples') as ArrayLike<number>)).toEqual(
      new Array(BOULIGAND_BANDS.length - 1).fill(0),
    );
    expect(directory.get('SamplesPerPixel')).toBe(10);
    expect(directory.get('PhotometricInterpretation')).toBe(1);
    expect(directory.get('geoKeys')).toEqual({
      GTModelTypeGeoKey: 1,
      GTRasterTypeGeoKey: 1,
      ProjectedCSTypeGeoKey: 32723,
    });
  });

  it('gives a file without any CRS for an input without one (never a made-up EPSG:4326)', async () => {
    const bytes = writeGeoTiff(bouligand({ crs: undefined }));
    const raster = await readGeoTiff(bytes);
    expect(raster.crs).toBeUndefined();
    expect('crs' in raster).toBe(false);
    expect([raster.xmin, raster.ymin]).toEqual([500_000, 9_500_000]);
    const { directory } = await fileBands(bytes);
    expect(directory.get('geoKeys')).toEqual({});
  });

  it('writes geographic codes as GeographicTypeGeoKey', async () => {
    const options: WriteGeoTiffOptions = {
      cols: 3,
      rows: 2,
      xmin: -45.25,
      ymin: -4.75,
      spacingX: 0.25,
      spacingY: 0.5,
      crs: 'epsg:4326',
      bands: [{ name: 'curie_depth', values: Float64Array.of(1, 2, 3, 4, 5, 6) }],
    };
    const bytes = writeGeoTiff(options);
    const raster = await readGeoTiff(bytes);
    expect(raster.crs).toBe('EPSG:4326');
    expect([raster.xmin, raster.xmax, raster.ymin, raster.ymax]).toEqual([-45.25, -44.75, -4.75, -4.25]);
    expect(Array.from(raster.data.data)).toEqual([1, 2, 3, 4, 5, 6]);
    const { directory } = await fileBands(bytes);
    expect(directory.get('geoKeys')).toEqual({
      GTModelTypeGeoKey: 2,
      GTRasterTypeGeoKey: 1,
      GeographicTypeGeoKey: 4326,
    });
  });

  it('writes a finite nodata value in place of NaN, read back as NaN', async () => {
    const options = bouligand({ nodata: -9999 });
    const bytes = writeGeoTiff(options);
    const { bands, directory } = await fileBands(bytes);
    expect(directory.get('GDAL_NODATA')).toBe('-9999');
    expect(bands[0][7]).toBe(-9999);
    const raster = await readGeoTiff(bytes);
    expect(raster.data.data[7]).toBeNaN();
    expect(raster.data.data[8]).toBe(options.bands[0].values[8]);
  });

  it('refuses a finite nodata value that occurs in the data', () => {
    const options = bouligand({ nodata: 0 });
    options.bands[3].values[6] = 0;
    expectCurieError(() => writeGeoTiff(options), 'E_ARGUMENT', '"beta"', 'nodata value 0', 'row 1, column 1');
  });

  it('handles a single band, a single node and unequal spacings', async () => {
    const one = await readGeoTiff(
      writeGeoTiff({
        cols: 1,
        rows: 1,
        xmin: 10,
        ymin: 20,
        spacingX: 4,
        spacingY: 2,
        bands: [{ name: 'zt', values: Float64Array.of(7.5) }],
      }),
    );
    expect([one.xmin, one.xmax, one.ymin, one.ymax, one.data.get(0, 0)]).toEqual([10, 10, 20, 20, 7.5]);
    const tanaka = writeGeoTiff({
      ...LATTICE,
      spacingY: 5000,
      crs: 'EPSG:3857',
      bands: TANAKA_BANDS.map((name, b) => ({ name, values: band(b) })),
    });
    const raster = await readGeoTiff(tanaka);
    expect([raster.ymin, raster.ymax]).toEqual([9_500_000, 9_515_000]);
    expect((await fileBands(tanaka)).bands).toHaveLength(4);
  });

  it('escapes band names for XML', async () => {
    const { directory } = await fileBands(
      writeGeoTiff({ ...LATTICE, bands: [{ name: 'a<b & "c"', values: band(0) }] }),
    );
    expect(directory.get('GDAL_METADATA')).toContain('>a&lt;b &amp; &quot;c&quot;</Item>');
  });

  it('rejects bad input with CurieErrors', () => {
    const ok = bouligand();
    expectCurieError(() => writeGeoTiff({ ...ok, bands: [] }), 'E_ARGUMENT', 'at least one band');
    expectCurieError(
      () => writeGeoTiff({ ...ok, bands: [{ name: 'zt', values: new Float64Array(3) }] }),
      'E_ARGUMENT',
      '"zt"',
      '3 values',
      '20',
    );
    expectCurieError(() => writeGeoTiff({ ...ok, spacingX: 0 }), 'E_ARGUMENT', 'pixel size 0 × 10000');
    expectCurieError(() => writeGeoTiff({ ...ok, spacingY: NaN }), 'E_ARGUMENT', 'pixel size');
    expectCurieError(() => writeGeoTiff({ ...ok, cols: 0 }), 'E_ARGUMENT', 'columns and rows');
    expectCurieError(() => writeGeoTiff({ ...ok, xmin: Infinity }), 'E_ARGUMENT', 'origin');
    expectCurieError(() => writeGeoTiff({ ...ok, crs: 'WGS84' }), 'E_ARGUMENT', '"WGS84"', 'EPSG:<code>');
    expectCurieError(() => writeGeoTiff({ ...ok, crs: 'EPSG:102100' }), 'E_ARGUMENT', 'EPSG:102100');
    expectCurieError(() => writeGeoTiff({ ...ok, nodata: Infinity }), 'E_ARGUMENT', 'nodata Infinity');
    expectCurieError(
      () => writeGeoTiff({ ...ok, bands: [{ name: 'profondeur_é', values: band(0) }] }),
      'E_ARGUMENT',
      'ASCII',
    );
  });

  it('keeps any number of long band names (the descriptions live after the pixels)', async () => {
    const long = Array.from({ length: 12 }, (_, b) => ({
      name: `a_rather_long_band_name_number_${b}`,
      values: band(b),
    }));
    const { directory, bands } = await fileBands(writeGeoTiff({ ...LATTICE, bands: long }));
    expect(bands).toHaveLength(12);
    expect(directory.get('GDAL_METADATA')).toBe(
      `<GDALMetadata>${long.map((b, i) => `<Item name="DESCRIPTION" sample="${i}" role="description">${b.name}</Item>`).join('')}</GDALMetadata>`,
    );
  });
});

describe('EPSG codes', () => {
  it('tells geographic from projected codes', () => {
    for (const code of [4326, 4269, 4258, 4283, 4167, 4979, 7844, 6318, 4999])
      expect(isGeographicEpsg(code), String(code)).toBe(true);
    for (const code of [32723, 3857, 2193, 4087, 4499, 4800, 27700, 31983])
      expect(isGeographicEpsg(code), String(code)).toBe(false);
  });

  it('parses EPSG:NNNN only', () => {
    expect(epsgCode('EPSG:32723')).toBe(32723);
    expect(epsgCode(' epsg:4326 ')).toBe(4326);
    expect(() => epsgCode('EPSG:0')).toThrow(CurieError);
    expect(() => epsgCode('EPSG:32767')).toThrow(CurieError);
    expect(() => epsgCode('+proj=utm +zone=23 +south')).toThrow(CurieError);
  });
});

describe('centroidLattice', () => {
  const geometry = gridGeometry(41, 61, 0, 600_000, 1_000_000, 1_400_000);

  it('recovers the lattice of createCentroidList, y outer and x inner', () => {
    const { xc, yc } = createCentroidList(geometry, 100_000, { spacingX: 30_000, spacingY: 20_000 });
    const lattice = centroidLattice(xc, yc);
    expect(lattice).toEqual({ cols: 17, rows: 15, xmin: 50_000, ymin: 1_050_000, spacingX: 30_000, spacingY: 20_000 });
    expect(lattice.cols * lattice.rows).toBe(xc.length);
  });

  it('puts map values where writeGeoTiff expects them', async () => {
    const { xc, yc } = createCentroidList(geometry, 100_000, { spacingX: 50_000, spacingY: 50_000 });
    const lattice = centroidLattice(xc, yc);
    const values = Float64Array.from(xc, (x, k) => x / 1000 + yc[k] / 1e7); // a function of the centre
    const raster = await readGeoTiff(writeGeoTiff({ ...lattice, bands: [{ name: 'v', values }] }));
    for (let r = 0; r < lattice.rows; r++) {
      for (let c = 0; c < lattice.cols; c++) {
        const x = raster.xmin + c * lattice.spacingX;
        const y = raster.ymin + r * lattice.spacingY;
        expect(raster.data.get(r, c)).toBe(x / 1000 + y / 1e7);
      }
    }
  });

  it('needs a spacing for a single row or column', () => {
    expect(centroidLattice([5], [7], { spacingX: 2, spacingY: 3 })).toEqual({
      cols: 1,
      rows: 1,
      xmin: 5,
      ymin: 7,
      spacingX: 2,
      spacingY: 3,
    });
    expect(centroidLattice([1, 2, 3], [0, 0, 0], { spacingY: 1 }).cols).toBe(3);
    expectCurieError(() => centroidLattice([1, 2, 3], [0, 0, 0]), 'E_LATTICE', 'single row', 'y spacing');
  });

  it('rejects centres that are not such a lattice', () => {
    expectCurieError(() => centroidLattice([0, 1, 0, 1, 0], [0, 0, 1, 1, 2]), 'E_LATTICE', 'full rows');
    expectCurieError(() => centroidLattice([0, 1, 2, 0, 1, 2.5], [0, 0, 0, 1, 1, 1]), 'E_LATTICE', 'window centre 5');
    expectCurieError(() => centroidLattice([0, 1, 0, 1], [1, 1, 0, 0]), 'E_LATTICE', 'not positive');
    expectCurieError(() => centroidLattice([], []), 'E_LATTICE');
  });
});
