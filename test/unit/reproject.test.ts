import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { reproject } from '../../src/grid/reproject.js';
import { transformCoordinates } from '../../src/io/crs.js';
import type { Raster } from '../../src/io/raster.js';
import { expectCurieError } from '../helpers/errors.js';

/** A lon/lat raster over 45–40° W, 4.5–1° S at 0.05° of f(lon, lat). */
function lonlatRaster(f: (lon: number, lat: number) => number): Raster {
  const values = new Float64Array(71 * 101);
  for (let r = 0; r < 71; r++) for (let c = 0; c < 101; c++) values[r * 101 + c] = f(-45 + 0.05 * c, -4.5 + 0.05 * r);
  return { data: ndarray(values, [71, 101]), xmin: -45, xmax: -40, ymin: -4.5, ymax: -1, crs: 'EPSG:4326' };
}

describe('reproject', () => {
  it('bilinear reproduces a field linear in lon/lat exactly at every UTM node (inverse mapping)', () => {
    const f = (lon: number, lat: number) => 100 + 7 * lon - 3 * lat;
    const utm = reproject(lonlatRaster(f), 'EPSG:32723', { spacing: 5000, extent: [520e3, 1020e3, 9520e3, 9880e3] });
    expect(utm.data.shape).toEqual([73, 101]);
    expect(utm.crs).toBe('EPSG:32723');
    const xs = Array.from({ length: 73 * 101 }, (_, i) => 520e3 + 5000 * (i % 101));
    const ys = Array.from({ length: 73 * 101 }, (_, i) => 9520e3 + 5000 * Math.floor(i / 101));
    const back = transformCoordinates(xs, ys, 32723, 4326);
    for (let i = 0; i < xs.length; i++) expect(Math.abs(utm.data.data[i] - f(back.x[i], back.y[i]))).toBeLessThan(1e-9);
  });

  it('defaults the extent to the data converted and trimmed to whole cells; nodes outside the lon/lat box are NaN', () => {
    const utm = reproject(
      lonlatRaster(() => 1),
      32723,
      { spacing: 5000, method: 'nearest' },
    );
    // lon/lat box in UTM 23S: x 500 000…1 057 002 m, y 9 500 700…9 889 470 m
    expect([utm.xmin, utm.xmax, utm.ymin, utm.ymax]).toEqual([500_000, 1_055_000, 9_505_000, 9_885_000]);
    expect(utm.data.data.every((v) => v === 1)).toBe(true);
    // one column further east: x = 1 060 000 m is east of the −40° meridian at every latitude
    const wider = reproject(
      lonlatRaster(() => 1),
      32723,
      { spacing: 5000, extent: [500e3, 1060e3, 9505e3, 9885e3], method: 'nearest' },
    );
    const [rows, cols] = wider.data.shape;
    for (let r = 0; r < rows; r++) {
      expect(wider.data.get(r, cols - 1)).toBeNaN();
      expect(wider.data.get(r, cols - 2)).toBe(1);
    }
  });

  it('cubic and bilinear agree closely on a smooth field, and a round trip UTM → lon/lat → UTM comes back', () => {
    const f = (lon: number, lat: number) => 50 * Math.sin(lon) * Math.cos(2 * lat);
    const source = lonlatRaster(f);
    const cubic = reproject(source, 32723, { spacing: 5000, extent: [520e3, 1020e3, 9520e3, 9880e3], method: 'cubic' });
    const bilinear = reproject(source, 32723, { spacing: 5000, extent: [520e3, 1020e3, 9520e3, 9880e3] });
    let worst = 0;
    for (let i = 0; i < cubic.data.data.length; i++)
      worst = Math.max(worst, Math.abs(cubic.data.data[i] - bilinear.data.data[i]));
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThan(0.1); // 0.2 % of the amplitude: bilinear's h²/8·f'' at 0.05°
    const back = reproject(cubic, 4326, { spacing: 0.05, extent: [-44.5, -40.5, -4, -1.5], method: 'cubic' });
    const [rows, cols] = back.data.shape;
    for (let r = 0; r < rows; r += 10)
      for (let c = 0; c < cols; c += 10)
        expect(Math.abs(back.data.get(r, c) - f(-44.5 + 0.05 * c, -4 + 0.05 * r))).toBeLessThan(0.2);
  });

  it('wraps longitudes into a 0…360° raster', () => {
    const values = Float64Array.from({ length: 11 * 21 }, (_, i) => 300 + 0.05 * (i % 21)); // value = longitude
    const raster: Raster = {
      data: ndarray(values, [11, 21]),
      xmin: 300,
      xmax: 301,
      ymin: -3,
      ymax: -2.5,
      crs: 'EPSG:4326',
    };
    const utm = reproject(raster, 32721, { spacing: 10000 }); // zone 21S: 60–54° W
    const [rows, cols] = utm.data.shape;
    const centre = utm.data.get(Math.floor(rows / 2), Math.floor(cols / 2));
    expect(centre).toBeGreaterThan(300);
    expect(centre).toBeLessThan(301);
  });

  it('names what is wrong: no CRS, an unknown CRS, an extent outside the data, a bad method or spacing', () => {
    const raster = lonlatRaster(() => 1);
    expectCurieError(
      () => reproject({ ...raster, crs: undefined }, 32723, { spacing: 5000 }),
      'E_CRS',
      'no CRS',
      'from',
    );
    expectCurieError(() => reproject(raster, 'EPSG:999999', { spacing: 5000 }), 'E_CRS', 'EPSG:999999');
    expectCurieError(
      () => reproject(raster, 32723, { spacing: 5000, extent: [2e6, 2.1e6, 9.5e6, 9.6e6] }),
      'E_OUTSIDE',
      '2000000',
      'outside the data',
    );
    expectCurieError(
      () => reproject(raster, 32723, { spacing: 5000, method: 'lanczos' as 'cubic' }),
      'E_ARGUMENT',
      'lanczos',
    );
    expectCurieError(
      () => reproject(raster, 32723, { spacing: 1e6 }),
      'E_ARGUMENT',
      'spacing = 1000000',
      'fewer than 2 nodes',
    );
    expectCurieError(() => reproject(raster, 32723, { spacing: 0.01 }), 'E_ARGUMENT', 'spacing = 0.01', 'more than');
  });
});
