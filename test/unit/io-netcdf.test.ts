import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CurieError } from '../../src/errors.js';
import { loadGrid } from '../../src/io/load.js';
import { isNetcdf, listNetcdfVariables, readNetcdf } from '../../src/io/netcdf.js';
import type { Raster } from '../../src/io/raster.js';
import { encodeNetcdf3, type NcWriteFile, type NcWriteVariable } from '../../src/io/write-netcdf.js';

// Small netCDF-3 files made here with the writer (any layout a reader may meet), and one
// netCDF-4/HDF5 file made by GDAL 3.6 (test/fixtures/lonlat-nc4.nc: a 5 × 4 ASCII grid, cell 0.25°,
// lower-left corner −46, −5, value 10·row + col + 0.5 with row 0 north, one −9999 hole at row 1,
// col 2; `gdal_translate -a_srs EPSG:4326 -ot Float32 -of netCDF -co FORMAT=NC4 -co COMPRESS=DEFLATE
// -co WRITE_BOTTOMUP=NO`: latitudes descending, deflate-compressed).

async function rejection(promise: Promise<unknown>, code: string, ...fragments: string[]): Promise<CurieError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a CurieError ${code}`).toBeInstanceOf(CurieError);
  const curie = error as CurieError;
  expect(curie.code).toBe(code);
  expect(curie.message).not.toContain('\n');
  for (const fragment of fragments) expect(curie.message).toContain(fragment);
  return curie;
}

const rows = (r: Raster) =>
  Array.from({ length: r.data.shape[0] }, (_, j) =>
    Array.from(r.data.data.subarray(j * r.data.shape[1], (j + 1) * r.data.shape[1])),
  );

/** A file with coordinate variables `xName(xName)`, `yName(yName)` and one grid variable. */
function gridFile(options: {
  x: number[];
  y: number[];
  xName?: string;
  yName?: string;
  order?: 'yx' | 'xy';
  grid: Partial<NcWriteVariable> & { values: number[] };
  extra?: NcWriteVariable[];
  xAttributes?: Record<string, string>;
}): Uint8Array {
  const xName = options.xName ?? 'x';
  const yName = options.yName ?? 'y';
  return encodeNetcdf3({
    dimensions: { [xName]: options.x.length, [yName]: options.y.length },
    variables: [
      { name: xName, dimensions: [xName], type: 'double', values: options.x, attributes: options.xAttributes ?? {} },
      { name: yName, dimensions: [yName], type: 'double', values: options.y },
      {
        name: 'z',
        type: 'double',
        dimensions: options.order === 'xy' ? [xName, yName] : [yName, xName],
        ...options.grid,
      },
      ...(options.extra ?? []),
    ],
  });
}

describe('reading netCDF-3 grids', () => {
  it('reads lon/lat with descending latitudes: row 0 south, node extent, EPSG:4326 without grid mapping', async () => {
    // File rows north first: 1 2 3 / 4 5 6.
    const bytes = gridFile({
      xName: 'lon',
      yName: 'lat',
      x: [10, 10.5, 11],
      y: [-20, -20.5],
      grid: { values: [1, 2, 3, 4, 5, 6] },
    });
    expect(isNetcdf(bytes)).toBe(true);
    const r = await readNetcdf(bytes, 'll.nc');
    expect(rows(r)).toEqual([
      [4, 5, 6],
      [1, 2, 3],
    ]);
    expect([r.xmin, r.xmax, r.ymin, r.ymax]).toEqual([10, 11, -20.5, -20]);
    expect(r.crs).toBe('EPSG:4326');
  });

  it("reads a variable stored (x, y) with descending x, found by the coordinates' attributes", async () => {
    // z(x, y): x = 3 (east) then 1 then -1; y = 0, 2.
    const bytes = gridFile({
      xName: 'easting',
      yName: 'northing',
      x: [3, 1, -1],
      y: [0, 2],
      order: 'xy',
      grid: { values: [30, 31, 10, 11, -10, -9] },
    });
    const r = await readNetcdf(bytes, 'xy.nc');
    expect(rows(r)).toEqual([
      [-10, 10, 30],
      [-9, 11, 31],
    ]);
    expect([r.xmin, r.xmax, r.ymin, r.ymax]).toEqual([-1, 3, 0, 2]);
    expect(r.crs).toBeUndefined();
  });

  it('unpacks shorts: _FillValue and missing_value become NaN, then scale_factor and add_offset apply', async () => {
    const bytes = gridFile({
      x: [0, 1000, 2000],
      y: [0, 1000],
      grid: {
        type: 'short',
        values: [0, 10, -32768, 20, -1, 30000],
        attributes: { _FillValue: [-32768], missing_value: [-1], scale_factor: [0.5], add_offset: [100] },
      },
    });
    const r = await readNetcdf(bytes, 'packed.nc');
    expect(rows(r)).toEqual([
      [100, 105, NaN],
      [110, NaN, 15100],
    ]);
  });

  it('takes the CRS from grid_mapping: WKT ending with its EPSG code, epsg_code, or the WKT itself', async () => {
    const utm =
      'PROJCS["WGS 84 / UTM zone 23S",GEOGCS["WGS 84",AUTHORITY["EPSG","4326"]],PROJECTION["Transverse_Mercator"],AUTHORITY["EPSG","32723"]]';
    const noCode = 'PROJCS["Custom",GEOGCS["WGS 84",AUTHORITY["EPSG","4326"]],PROJECTION["Albers_Conic_Equal_Area"]]';
    const withMapping = (attributes: Record<string, string>) =>
      gridFile({
        x: [0, 1],
        y: [0, 1],
        grid: { values: [1, 2, 3, 4], attributes: { grid_mapping: 'crs' } },
        extra: [{ name: 'crs', dimensions: [], type: 'int', attributes }],
      });
    expect((await readNetcdf(withMapping({ spatial_ref: utm }), 'a.nc')).crs).toBe('EPSG:32723');
    expect((await readNetcdf(withMapping({ crs_wkt: noCode, epsg_code: 'EPSG:3577' }), 'b.nc')).crs).toBe('EPSG:3577');
    expect((await readNetcdf(withMapping({ crs_wkt: noCode }), 'c.nc')).crs).toBe(noCode);
    expect((await readNetcdf(withMapping({ grid_mapping_name: 'latitude_longitude' }), 'd.nc')).crs).toBe('EPSG:4326');
  });

  it('makes a PROJ string from CF projection parameters when the mapping has no WKT or code', async () => {
    const withMapping = (attributes: Record<string, string | number[]>) =>
      gridFile({
        x: [0, 1],
        y: [0, 1],
        grid: { values: [1, 2, 3, 4], attributes: { grid_mapping: 'crs' } },
        extra: [{ name: 'crs', dimensions: [], type: 'int', attributes }],
      });
    const polar = {
      grid_mapping_name: 'polar_stereographic',
      straight_vertical_longitude_from_pole: [0],
      latitude_of_projection_origin: [-90],
      standard_parallel: [-71],
      false_easting: [0],
      false_northing: [0],
      semi_major_axis: [6378137],
      inverse_flattening: [298.257223563],
    };
    expect((await readNetcdf(withMapping(polar), 'polar.nc')).crs).toBe(
      '+proj=stere +lat_0=-90 +lat_ts=-71 +lon_0=0 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs',
    );
    const tm = {
      grid_mapping_name: 'transverse_mercator',
      longitude_of_central_meridian: [-8],
      latitude_of_projection_origin: [53.5],
      scale_factor_at_central_meridian: [0.99982],
      false_easting: [600000],
      false_northing: [750000],
      semi_major_axis: [6378137],
      inverse_flattening: [298.257222101],
    };
    expect((await readNetcdf(withMapping(tm), 'tm.nc')).crs).toBe(
      '+proj=tmerc +lat_0=53.5 +lon_0=-8 +k=0.99982 +x_0=600000 +y_0=750000 +a=6378137 +rf=298.257222101 +units=m +no_defs',
    );
    expect(
      (
        await readNetcdf(
          withMapping({ grid_mapping_name: 'rotated_latitude_longitude', grid_north_pole_latitude: [40] }),
          'rot.nc',
        )
      ).crs,
    ).toBeUndefined();
  });

  it('reads a 64-bit offset file and a GMT 4/5 grid (x, y node coordinates, pixel registration)', async () => {
    const file: NcWriteFile = {
      format: '64bit-offset',
      dimensions: { x: 2, y: 2 },
      globalAttributes: { Conventions: 'COARDS, CF-1.5', node_offset: { type: 'int', values: [1] } },
      variables: [
        { name: 'x', dimensions: ['x'], type: 'double', values: [0.5, 1.5], attributes: { actual_range: [0, 2] } },
        { name: 'y', dimensions: ['y'], type: 'double', values: [10.5, 11.5] },
        { name: 'z', dimensions: ['y', 'x'], type: 'float', values: [1, 2, NaN, 4], attributes: { _FillValue: [NaN] } },
      ],
    };
    const bytes = encodeNetcdf3(file);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x43, 0x44, 0x46, 2]);
    const r = await readNetcdf(bytes, 'gmt.nc');
    expect(rows(r)).toEqual([
      [1, 2],
      [NaN, 4],
    ]);
    expect([r.xmin, r.xmax, r.ymin, r.ymax]).toEqual([0.5, 1.5, 10.5, 11.5]);
  });

  it("reads GMT's legacy 1-D z layout, gridline and pixel registered", async () => {
    const legacy = (nodeOffset: number) =>
      encodeNetcdf3({
        dimensions: { side: 2, xysize: 6 },
        variables: [
          { name: 'x_range', dimensions: ['side'], type: 'double', values: [0, 2000], attributes: { units: 'm' } },
          { name: 'y_range', dimensions: ['side'], type: 'double', values: [0, 1000] },
          { name: 'z_range', dimensions: ['side'], type: 'double', values: [1, 6] },
          { name: 'spacing', dimensions: ['side'], type: 'double', values: [1000, 1000] },
          { name: 'dimension', dimensions: ['side'], type: 'int', values: [3, 2] },
          // North row first.
          {
            name: 'z',
            dimensions: ['xysize'],
            type: 'float',
            values: [4, 5, 6, 1, 2, 3],
            attributes: { node_offset: { type: 'int', values: [nodeOffset] } },
          },
        ],
      });
    const gridline = await readNetcdf(legacy(0), 'legacy.grd');
    expect(rows(gridline)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect([gridline.xmin, gridline.xmax, gridline.ymin, gridline.ymax]).toEqual([0, 2000, 0, 1000]);
    const pixel = await readNetcdf(legacy(1), 'legacy.grd');
    expect([pixel.xmin, pixel.xmax, pixel.ymin, pixel.ymax]).toEqual([2000 / 6, 2000 - 2000 / 6, 250, 750]);
  });

  it('skips 2-D auxiliary coordinates (GDAL WRITE_LONLAT) and picks the one grid variable', async () => {
    const lonlat = (name: string): NcWriteVariable => ({
      name,
      dimensions: ['y', 'x'],
      type: 'double',
      values: [0, 0, 0, 0],
    });
    const bytes = gridFile({
      x: [0, 1],
      y: [0, 1],
      grid: { values: [1, 2, 3, 4], attributes: { coordinates: 'lon lat' } },
      extra: [lonlat('lon'), lonlat('lat')],
    });
    expect(rows(await readNetcdf(bytes, 'aux.nc'))).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
});

describe('bad NetCDF input', () => {
  const two = gridFile({
    x: [0, 1],
    y: [0, 1],
    grid: { values: [1, 2, 3, 4] },
    extra: [{ name: 'err', dimensions: ['y', 'x'], type: 'float', values: [9, 9, 9, 9] }],
  });

  it('several 2-D variables: an error listing them; { variable } chooses; an unknown name lists them', async () => {
    await rejection(
      readNetcdf(two, 'two.nc'),
      'E_ARGUMENT',
      'two.nc has several 2-D variables: z(y, x), err(y, x)',
      '--variable',
    );
    expect(rows(await readNetcdf(two, 'two.nc', { variable: 'err' }))).toEqual([
      [9, 9],
      [9, 9],
    ]);
    expect(rows(await loadGrid(two, { variable: 'z' }))).toEqual([
      [1, 2],
      [3, 4],
    ]);
    await rejection(
      readNetcdf(two, 'two.nc', { variable: 'anomaly' }),
      'E_ARGUMENT',
      "two.nc has no variable 'anomaly'",
      'z(y, x), err(y, x)',
    );
    await rejection(
      readNetcdf(two, 'two.nc', { variable: 'x' }),
      'E_ARGUMENT',
      'x(x) of two.nc is not a 2-D numeric grid',
    );
  });

  it('no 2-D variable, uneven coordinates, a truncated file, CDF-5: one clear error each', async () => {
    const profile = encodeNetcdf3({
      dimensions: { t: 3 },
      variables: [
        { name: 't', dimensions: ['t'], type: 'double', values: [1, 2, 3] },
        { name: 'mag', dimensions: ['t'], type: 'float', values: [4, 5, 6] },
      ],
    });
    await rejection(readNetcdf(profile, 'profile.nc'), 'E_FORMAT', 'profile.nc has no 2-D variable', 'mag(t)');
    const uneven = gridFile({
      xName: 'lon',
      yName: 'lat',
      x: [0, 1, 3],
      y: [0, 1],
      grid: { values: [1, 2, 3, 4, 5, 6] },
    });
    await rejection(
      readNetcdf(uneven, 'uneven.nc'),
      'E_LATTICE',
      'uneven.nc: coordinate lon is not evenly spaced',
      'resample',
    );
    await rejection(
      readNetcdf(two.subarray(0, two.length - 8), 'cut.nc', { variable: 'err' }),
      'E_FORMAT',
      'cut.nc is truncated',
    );
    await rejection(loadGrid(Uint8Array.from([0x43, 0x44, 0x46, 5, 0, 0, 0, 0])), 'E_FORMAT', 'CDF-5');
  });
});

describe('netCDF-4/HDF5 (GDAL-made fixture)', () => {
  it('reads a deflated, north-up float grid with _FillValue and lists its variables', async () => {
    const bytes = readFileSync(new URL('../fixtures/lonlat-nc4.nc', import.meta.url));
    const r = await loadGrid(bytes);
    expect(r.data.shape).toEqual([4, 5]);
    expect(rows(r)).toEqual([
      [30.5, 31.5, 32.5, 33.5, 34.5],
      [20.5, 21.5, 22.5, 23.5, 24.5],
      [10.5, 11.5, NaN, 13.5, 14.5],
      [0.5, 1.5, 2.5, 3.5, 4.5],
    ]);
    expect([r.xmin, r.xmax, r.ymin, r.ymax]).toEqual([-45.875, -44.875, -4.875, -4.125]);
    expect(r.crs).toBe('EPSG:4326');
    const { format, variables } = await listNetcdfVariables(bytes, 'lonlat-nc4.nc');
    expect(format).toBe('netCDF-4/HDF5');
    expect(variables.filter((v) => v.grid).map((v) => `${v.name}(${v.dimensions.join(',')})`)).toEqual([
      'Band1(lat,lon)',
    ]);
  });
});
