import { describe, expect, it } from 'vitest';
import { epsgDefinition, resolveCrs, transformCoordinates } from '../../src/io/crs.js';
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
  const alpha = [n / 2 - (2 / 3) * n ** 2 + (5 / 16) * n ** 3, (13 / 48) * n ** 2 - (3 / 5) * n ** 3, (61 / 240) * n ** 3];
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
    const { x, y } = transformCoordinates(Float64Array.of(-45, 10), Float64Array.of(-4.5, 60), 'EPSG:4326', 'EPSG:3857');
    const expected = (lon: number, lat: number) => [(R * lon * Math.PI) / 180, R * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))];
    expect(x[0]).toBeCloseTo(expected(-45, -4.5)[0], 5);
    expect(y[0]).toBeCloseTo(expected(-45, -4.5)[1], 5);
    expect(x[1]).toBeCloseTo(expected(10, 60)[0], 5);
    expect(y[1]).toBeCloseTo(expected(10, 60)[1], 5);
  });

  it('accepts PROJ strings and gives the same as the EPSG code', () => {
    const viaCode = transformCoordinates([-43], [-2], 4326, 32723);
    const viaProj = transformCoordinates([-43], [-2], '+proj=longlat +datum=WGS84 +no_defs', '+proj=utm +zone=23 +south +datum=WGS84 +units=m +no_defs');
    expect(viaProj.x[0]).toBe(viaCode.x[0]);
    expect(viaProj.y[0]).toBe(viaCode.y[0]);
  });

  it('gives NaN for non-finite input points and keeps the others', () => {
    const { x, y } = transformCoordinates([NaN, -45], [0, 0], 4326, 32723);
    expect(Number.isNaN(x[0]) && Number.isNaN(y[0])).toBe(true);
    expect(x[1]).toBeCloseTo(500000, 6);
  });

  it('knows every WGS84 UTM zone by formula and nothing else beyond 4326 and 3857', () => {
    for (let zone = 1; zone <= 60; zone++) {
      expect(epsgDefinition(32600 + zone)).toBe(`+proj=utm +zone=${zone} +datum=WGS84 +units=m +no_defs`);
      expect(epsgDefinition(32700 + zone)).toBe(`+proj=utm +zone=${zone} +south +datum=WGS84 +units=m +no_defs`);
    }
    for (const code of [32600, 32661, 32700, 32761, 27700, 4269]) expect(epsgDefinition(code)).toBeUndefined();
    expect(resolveCrs(' EPSG:4326 ')).toBe(resolveCrs(4326));
  });

  it('rejects an unknown CRS with E_CRS naming it, and unequal lengths with E_ARGUMENT', () => {
    expectCurieError(() => transformCoordinates([0], [0], 4326, 'EPSG:27700'), 'E_CRS', 'EPSG:27700', 'PROJ string');
    expectCurieError(() => transformCoordinates([0], [0], 32661, 4326), 'E_CRS', 'EPSG:32661');
    expectCurieError(() => transformCoordinates([0], [0], 'WGS 84', 4326), 'E_CRS', 'WGS 84');
    expectCurieError(() => transformCoordinates([0], [0], 4326, '+proj=nosuchprojection'), 'E_CRS', 'nosuchprojection');
    expectCurieError(() => transformCoordinates([0, 1], [0], 4326, 32723), 'E_ARGUMENT', '2', '1');
  });
});
