import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ndarray from 'ndarray';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CurieError } from '../../src/errors.js';
import { loadGrid } from '../../src/io/load.js';
import type { Raster } from '../../src/io/raster.js';
import { projToWkt } from '../../src/io/proj-wkt.js';
import { saveGrid } from '../../src/io/save.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'curie-save-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 3 rows × 4 columns, row 0 south, values not representable in float32, one NaN. */
function raster(crs: string | undefined, extent = [500_000, 515_000, 9_500_000, 9_510_000]): Raster {
  const values = Float64Array.from({ length: 12 }, (_, i) => (i === 5 ? NaN : Math.sin(i) * 1234.567890123 - i / 3));
  const [xmin, xmax, ymin, ymax] = extent;
  return { data: ndarray(values, [3, 4]), xmin, xmax, ymin, ymax, ...(crs !== undefined ? { crs } : {}) };
}

async function roundTrip(name: string, source: Raster): Promise<Raster> {
  const path = join(dir, name);
  await saveGrid(source, path);
  const back = await loadGrid(path);
  expect(back.data.shape).toEqual(source.data.shape);
  expect(Array.from(back.data.data)).toEqual(Array.from(source.data.data));
  expect([back.xmin, back.xmax, back.ymin, back.ymax]).toEqual([source.xmin, source.xmax, source.ymin, source.ymax]);
  return back;
}

describe('saveGrid → loadGrid', () => {
  it('NetCDF keeps every value (doubles), NaN, the node extent and the CRS', async () => {
    expect((await roundTrip('utm.nc', raster('EPSG:32723'))).crs).toBe('EPSG:32723');
    expect((await roundTrip('lonlat.nc', raster('EPSG:4326', [-46, -45.25, -5, -4.5]))).crs).toBe('EPSG:4326');
    // A code without a WKT here (polar stereographic) comes back from epsg_code.
    expect((await roundTrip('polar.grd', raster('EPSG:3031'))).crs).toBe('EPSG:3031');
    expect((await roundTrip('proj.nc', raster('+proj=utm +zone=23 +south +datum=WGS84 +units=m +no_defs'))).crs).toBe(
      '+proj=utm +zone=23 +south +datum=WGS84 +units=m +no_defs',
    );
    expect((await roundTrip('none.nc', raster(undefined))).crs).toBeUndefined();
  });

  it('writes lon/lat coordinate variables for a geographic CRS and x/y in metres otherwise', async () => {
    await saveGrid(raster('EPSG:4326', [-46, -45.25, -5, -4.5]), join(dir, 'geo.nc'));
    const geo = readFileSync(join(dir, 'geo.nc')).toString('latin1');
    expect(geo).toContain('degrees_east');
    expect(geo).toContain('latitude_longitude');
    await saveGrid(raster('EPSG:32723'), join(dir, 'proj.nc'));
    const proj = readFileSync(join(dir, 'proj.nc')).toString('latin1');
    expect(proj).toContain('projection_x_coordinate');
    expect(proj).toContain('AUTHORITY["EPSG","32723"]]');
  });

  it('GeoTIFF and text (space-separated .xyz, .csv with a header) read back the same', async () => {
    expect((await roundTrip('grid.tif', raster('EPSG:32723'))).crs).toBe('EPSG:32723');
    await roundTrip('grid.xyz', raster(undefined));
    await roundTrip('grid.csv', raster(undefined));
    const csv = readFileSync(join(dir, 'grid.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('x,y,z');
    expect(csv[1]).toBe(`500000,9500000,${Math.sin(0) * 1234.567890123}`);
    expect(csv[6]).toBe('505000,9505000,nan');
  });

  it('an unknown extension or a one-column GeoTIFF is an E_ARGUMENT; nothing is left behind', async () => {
    const before = readdirSync(dir).length;
    await expect(saveGrid(raster(undefined), join(dir, 'grid.png'))).rejects.toMatchObject({
      code: 'E_ARGUMENT',
      message: expect.stringContaining('grid.png'),
    });
    const column: Raster = { data: ndarray(new Float64Array([1, 2]), [2, 1]), xmin: 0, xmax: 0, ymin: 0, ymax: 1 };
    await expect(saveGrid(column, join(dir, 'column.tif'))).rejects.toBeInstanceOf(CurieError);
    await expect(saveGrid(raster(undefined), join(dir, 'missing', 'grid.nc'))).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
    });
    expect(readdirSync(dir).length).toBe(before);
    // A single column is fine in NetCDF.
    const back = await (async () => {
      await saveGrid(column, join(dir, 'column.nc'));
      return loadGrid(join(dir, 'column.nc'));
    })();
    expect(Array.from(back.data.data)).toEqual([1, 2]);
  });
});

describe('projToWkt', () => {
  it("writes GDAL's WKT1 for a polar stereographic PROJ string, with the code; undefined for a projection it does not know", () => {
    expect(
      projToWkt('+proj=stere +lat_0=-90 +lat_ts=-71 +lon_0=0 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs', 3031),
    ).toBe(
      'PROJCS["EPSG:3031",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],' +
        'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]],' +
        'PROJECTION["Polar_Stereographic"],PARAMETER["latitude_of_origin",-71],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],' +
        'PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","3031"]]',
    );
    // GRS80 with a null shift: its own ellipsoid, TOWGS84 kept.
    expect(
      projToWkt(
        '+proj=aea +lat_0=0 +lon_0=132 +lat_1=-18 +lat_2=-36 +x_0=0 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
      ),
    ).toMatch(
      /^PROJCS\["unknown",GEOGCS\["unknown",DATUM\["unknown",SPHEROID\["unknown",6378137,298\.2572221\d*\],TOWGS84\[0,0,0,0,0,0,0\]\].*PROJECTION\["Albers_Conic_Equal_Area"\],PARAMETER\["standard_parallel_1",-18\],PARAMETER\["standard_parallel_2",-36\],PARAMETER\["latitude_of_center",0\],PARAMETER\["longitude_of_center",132\]/,
    );
    expect(projToWkt('+proj=robin +lon_0=0 +datum=WGS84')).toBeUndefined();
  });
});
