import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import ndarray from 'ndarray';
import { epsgDefinition, isGeographic, resolveCrs, transformCoordinates } from '../../src/io/crs.js';
import { convertExtent } from '../../src/io/extent.js';
import { trim } from '../../src/grid/trim.js';
import { expectCurieError } from '../helpers/errors.js';

/**
 * WGS84 → UTM written here from the published formula, independently of proj4: Krüger's series
 * in n (third order, as given by Karney 2011 and the "Universal Transverse Mercator" formulae),
 * accurate to well under a millimetre within a zone. Degrees in, metres out.
 */
function krugerUtm(lonDeg: number, latDeg: number, zone: number, south: boolean): [number, number] {
  const a = 6378137;
  const f = 1 / 298.257223563;
  const k0 = 0.9996;
  const n = f / (2 - f);
  const A = (a / (1 + n)) * (1 + n ** 2 / 4 + n ** 4 / 64);
  const alpha = [
    n / 2 - (2 / 3) * n ** 2 + (5 / 16) * n ** 3,
    (13 / 48) * n ** 2 - (3 / 5) * n ** 3,
    (61 / 240) * n ** 3,
  ];
  const phi = (latDeg * Math.PI) / 180;
  const lambda = ((lonDeg - (6 * zone - 183)) * Math.PI) / 180;
  const c = (2 * Math.sqrt(n)) / (1 + n);
  const t = Math.sinh(Math.atanh(Math.sin(phi)) - c * Math.atanh(c * Math.sin(phi)));
  const xi = Math.atan(t / Math.cos(lambda));
  const eta = Math.atanh(Math.sin(lambda) / Math.sqrt(1 + t * t));
  let e = eta;
  let nn = xi;
  for (let j = 1; j <= 3; j++) {
    e += alpha[j - 1] * Math.cos(2 * j * xi) * Math.sinh(2 * j * eta);
    nn += alpha[j - 1] * Math.sin(2 * j * xi) * Math.cosh(2 * j * eta);
  }
  return [500000 + k0 * A * e, (south ? 10000000 : 0) + k0 * A * nn];
}

describe('transformCoordinates', () => {
  it('projects WGS84 to UTM as the Krüger series does, within 1 mm', () => {
    const cases: Array<[number, number, number, boolean]> = [
      [-45, -4.5, 23, true],
      [-40, -1, 23, true],
      [-42.35, -3.05, 23, true],
      [-47.9, -15.8, 23, true], // Brasília, 2.9° west of the central meridian
      [2.35, 48.85, 31, false], // Paris
      [-74.0, 40.7, 18, false], // New York
      [151.2, -33.9, 56, true], // Sydney
      [177.5, 70, 60, false],
      [-177.5, -70, 1, true],
    ];
    for (const [lon, lat, zone, south] of cases) {
      const code = (south ? 32700 : 32600) + zone;
      const { x, y } = transformCoordinates([lon], [lat], 4326, `EPSG:${code}`);
      const [ex, ey] = krugerUtm(lon, lat, zone, south);
      expect(Math.abs(x[0] - ex), `x of ${lon}, ${lat} in ${code}`).toBeLessThan(1e-3);
      expect(Math.abs(y[0] - ey), `y of ${lon}, ${lat} in ${code}`).toBeLessThan(1e-3);
    }
  });

  it('puts the central meridian at easting 500 000 m and the equator at 0 m (north) or 10 000 000 m (south)', () => {
    const north = transformCoordinates([-45, 9], [0, 0], 'EPSG:4326', 'EPSG:32623');
    expect(north.x[0]).toBeCloseTo(500000, 6);
    expect(north.y[0]).toBeCloseTo(0, 6);
    const south = transformCoordinates([-45], [0], 'epsg:4326', 32723);
    expect(south.x[0]).toBeCloseTo(500000, 6);
    expect(south.y[0]).toBeCloseTo(10000000, 6);
  });

  it('round-trips UTM back to degrees', () => {
    const lon = [-45, -44.95, -40, -42.5];
    const lat = [-4.5, -1, -2.25, -3.3];
    const utm = transformCoordinates(lon, lat, 'EPSG:4326', 'EPSG:32723');
    const back = transformCoordinates(utm.x, utm.y, 'EPSG:32723', 'EPSG:4326');
    for (let i = 0; i < lon.length; i++) {
      expect(back.x[i]).toBeCloseTo(lon[i], 9);
      expect(back.y[i]).toBeCloseTo(lat[i], 9);
    }
  });

  it('projects to Web Mercator (EPSG:3857) as R·λ, R·ln tan(π/4 + φ/2)', () => {
    const R = 6378137;
    const { x, y } = transformCoordinates(
      Float64Array.of(-45, 10),
      Float64Array.of(-4.5, 60),
      'EPSG:4326',
      'EPSG:3857',
    );
    const expected = (lon: number, lat: number) => [
      (R * lon * Math.PI) / 180,
      R * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)),
    ];
    expect(x[0]).toBeCloseTo(expected(-45, -4.5)[0], 5);
    expect(y[0]).toBeCloseTo(expected(-45, -4.5)[1], 5);
    expect(x[1]).toBeCloseTo(expected(10, 60)[0], 5);
    expect(y[1]).toBeCloseTo(expected(10, 60)[1], 5);
  });

  it('accepts PROJ strings and gives the same as the EPSG code', () => {
    const viaCode = transformCoordinates([-43], [-2], 4326, 32723);
    const viaProj = transformCoordinates(
      [-43],
      [-2],
      '+proj=longlat +datum=WGS84 +no_defs',
      '+proj=utm +zone=23 +south +datum=WGS84 +units=m +no_defs',
    );
    expect(viaProj.x[0]).toBe(viaCode.x[0]);
    expect(viaProj.y[0]).toBe(viaCode.y[0]);
  });

  it('gives NaN for non-finite input points and keeps the others', () => {
    const { x, y } = transformCoordinates([NaN, -45], [0, 0], 4326, 32723);
    expect(Number.isNaN(x[0]) && Number.isNaN(y[0])).toBe(true);
    expect(x[1]).toBeCloseTo(500000, 6);
  });

  it('knows every WGS84 UTM zone by formula and every other EPSG projected or geographic code from the table', () => {
    for (let zone = 1; zone <= 60; zone++) {
      expect(epsgDefinition(32600 + zone)).toBe(`+proj=utm +zone=${zone} +datum=WGS84 +units=m +no_defs`);
      expect(epsgDefinition(32700 + zone)).toBe(`+proj=utm +zone=${zone} +south +datum=WGS84 +units=m +no_defs`);
    }
    expect(epsgDefinition(27700)).toMatch(/^\+proj=tmerc .*\+ellps=airy/);
    expect(epsgDefinition(4269)).toMatch(/^\+proj=longlat .*\+datum=NAD83/);
    expect(epsgDefinition(3031)).toMatch(/^\+proj=stere \+lat_0=-90 \+lat_ts=-71/);
    // not CRSs (an ellipsoid, a unit, a vertical CRS), the table's own note, nonsense
    for (const code of [7030, 9001, 5703, 32600, 0, -4326, 1.5]) expect(epsgDefinition(code)).toBeUndefined();
    expect(resolveCrs(' EPSG:4326 ')).toBe(resolveCrs(4326));
  });

  it('tells geographic from projected CRSs', () => {
    expect(isGeographic(4326)).toBe(true);
    expect(isGeographic('EPSG:4269')).toBe(true);
    expect(isGeographic(32723)).toBe(false);
    expect(isGeographic('+proj=utm +zone=23 +south +datum=WGS84')).toBe(false);
  });

  it('transforms between two datums with the table’s Helmert shift (ED50 UTM 31N → WGS84 UTM 31N moves ~100 m)', () => {
    const { x, y } = transformCoordinates([500000], [5400000], 'EPSG:23031', 'EPSG:32631');
    const shift = Math.hypot(x[0] - 500000, y[0] - 5400000);
    expect(shift).toBeGreaterThan(80);
    expect(shift).toBeLessThan(250);
  });

  it('rejects an unknown CRS with E_CRS naming it, and unequal lengths with E_ARGUMENT', () => {
    expectCurieError(() => transformCoordinates([0], [0], 4326, 'EPSG:999999'), 'E_CRS', 'EPSG:999999', 'PROJ string');
    expectCurieError(() => transformCoordinates([0], [0], 5703, 4326), 'E_CRS', 'EPSG:5703');
    expectCurieError(() => transformCoordinates([0], [0], 'WGS 84', 4326), 'E_CRS', 'WGS 84');
    expectCurieError(() => transformCoordinates([0], [0], 4326, '+proj=nosuchprojection'), 'E_CRS', 'nosuchprojection');
    expectCurieError(() => transformCoordinates([0, 1], [0], 4326, 32723), 'E_ARGUMENT', '2', '1');
  });
});

describe('transformCoordinates against PROJ (pyproj 3.4.1, PROJ 9.1.1; test/fixtures/make-crs-reference.py)', () => {
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/crs-pyproj.json', import.meta.url), 'utf8')) as {
    cases: Array<{ epsg: number; name: string; lon: number[]; lat: number[]; x: number[]; y: number[] }>;
  };
  it.each(fixture.cases.map((c) => [c.epsg, c.name, c] as const))(
    'EPSG:%i (%s) equals PROJ to 1 cm, both ways',
    (code, _name, c) => {
      const forward = transformCoordinates(c.lon, c.lat, 4326, code);
      const back = transformCoordinates(c.x, c.y, code, 'EPSG:4326');
      for (let i = 0; i < c.lon.length; i++) {
        expect(Math.hypot(forward.x[i] - c.x[i], forward.y[i] - c.y[i]), `${c.lon[i]}, ${c.lat[i]}`).toBeLessThan(0.01);
        // 1 cm is ~9e-8° of latitude
        expect(Math.abs(back.y[i] - c.lat[i])).toBeLessThan(1e-7);
        if (Math.abs(c.lat[i]) < 89.999)
          expect(
            Math.abs((((back.x[i] - c.lon[i] + 540) % 360) - 180) * Math.cos((c.lat[i] * Math.PI) / 180)),
          ).toBeLessThan(1e-7);
      }
    },
  );
});

describe('convertExtent', () => {
  it('is the bounding box of the densified edges: a box across the central meridian bulges past its corners', () => {
    // PROJ, edges sampled at 1001 points: ymax 7 788 518.69 m, 2.8 km north of the corners' 7 785 705.97 m
    const [xmin, xmax, ymin, ymax] = convertExtent([-48, -42, -30, -20], 'EPSG:4326', 'EPSG:32723');
    expect(xmin).toBeCloseTo(186073.67956642434, 3);
    expect(xmax).toBeCloseTo(813926.3204335751, 3);
    expect(ymin).toBeCloseTo(6677424.095615236, 3);
    expect(Math.abs(ymax - 7788518.692330036)).toBeLessThan(0.5); // 101 points an edge: within 0.5 m of the exact edge
    const corners = convertExtent([-48, -42, -30, -20], 'EPSG:4326', 'EPSG:32723', { densify: 2 });
    expect(corners[3]).toBeCloseTo(7785705.973673515, 3);
  });

  it('round-trips a UTM box through lon/lat to a box holding it', () => {
    const box = [520e3, 1020e3, 9520e3, 9880e3] as const;
    const lonlat = convertExtent(box, 32723, 4326);
    expect(lonlat[0]).toBeGreaterThan(-45);
    expect(lonlat[1]).toBeLessThan(-40);
    const back = convertExtent(lonlat, 4326, 32723);
    expect(back[0]).toBeLessThanOrEqual(box[0]);
    expect(back[1]).toBeGreaterThanOrEqual(box[1]);
    expect(back[2]).toBeLessThanOrEqual(box[2]);
    expect(back[3]).toBeGreaterThanOrEqual(box[3]);
  });

  it('rejects a malformed extent, a bad densify and an unknown CRS', () => {
    expectCurieError(() => convertExtent([1, 0, 0, 1], 4326, 32723), 'E_ARGUMENT', 'xmin = 1');
    expectCurieError(() => convertExtent([0, 1, 0] as never, 4326, 32723), 'E_ARGUMENT', '[0,1,0]');
    expectCurieError(() => convertExtent([0, 1, 0, 1], 4326, 32723, { densify: 1 }), 'E_ARGUMENT', 'densify = 1');
    expectCurieError(() => convertExtent([0, 1, 0, 1], 4326, 'EPSG:1'), 'E_CRS', 'EPSG:1');
  });
});

describe('trim', () => {
  const values = Float64Array.from({ length: 6 * 5 }, (_, i) => i);
  const raster = { data: ndarray(values, [6, 5]), xmin: 100, xmax: 140, ymin: 0, ymax: 50, crs: 'EPSG:32723' };

  it('keeps the nodes inside the extent, edges included', () => {
    const cropped = trim(raster, [110, 130, 10, 40]);
    expect(cropped.data.shape).toEqual([4, 3]);
    expect([cropped.xmin, cropped.xmax, cropped.ymin, cropped.ymax]).toEqual([110, 130, 10, 40]);
    expect(cropped.data.get(0, 0)).toBe(values[1 * 5 + 1]);
    expect(cropped.data.get(3, 2)).toBe(values[4 * 5 + 3]);
    expect(cropped.crs).toBe('EPSG:32723');
  });

  it('rounds inwards between nodes and clips to the raster', () => {
    const cropped = trim(raster, [105, 1e6, -1e6, 24]);
    expect([cropped.xmin, cropped.xmax, cropped.ymin, cropped.ymax]).toEqual([110, 140, 0, 20]);
    expect(cropped.data.shape).toEqual([3, 4]);
    expect(cropped.data.get(2, 3)).toBe(values[2 * 5 + 4]);
  });

  it('rejects an extent holding fewer than 2 × 2 nodes with E_OUTSIDE naming it', () => {
    expectCurieError(() => trim(raster, [200, 300, 0, 50]), 'E_OUTSIDE', '[200, 300, 0, 50]', '100…140');
    expectCurieError(() => trim(raster, [101, 119, 0, 50]), 'E_OUTSIDE');
  });
});
