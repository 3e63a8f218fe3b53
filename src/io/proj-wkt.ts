import proj4 from 'proj4';

// GDAL reads a NetCDF file's CRS from WKT (`spatial_ref`/`crs_wkt`), not from a PROJ string or an
// EPSG code alone. This writes WKT1, as GDAL itself writes it, from a PROJ string for the
// projections magnetic grids use; the EPSG code, when there is one, goes in the final AUTHORITY so
// that readers (GDAL, our readNetcdf) give the code back.

/** `+key=value` parameters of a PROJ string (flags such as `+south` as `''`). */
function parameters(proj: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const token of proj.trim().split(/\s+/)) {
    const match = /^\+([A-Za-z_0-9]+)(?:=(.*))?$/.exec(token);
    if (match) out.set(match[1], match[2] ?? '');
  }
  return out;
}

const num = (text: string | undefined, fallback: number) =>
  text === undefined || text === '' || !Number.isFinite(Number(text)) ? fallback : Number(text);
const param = (name: string, value: number) => `PARAMETER["${name}",${value}]`;

const WGS84_GEOGCS =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],' +
  'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]';

/** The geographic CRS under a PROJ definition: WGS 84 when it is, else its ellipsoid (and TOWGS84). */
function geogcs(p: Map<string, string>, definition: string): string | undefined {
  const towgs84 = p.get('towgs84');
  const nullShift = towgs84 === undefined || towgs84.split(',').every((v) => Number(v) === 0);
  if ((p.get('datum') === 'WGS84' || (p.get('ellps') === 'WGS84' && nullShift)) && !p.has('a')) return WGS84_GEOGCS;
  let a: number, b: number;
  try {
    const parsed: { a: number; b: number } = proj4.Proj(definition);
    a = parsed.a;
    b = parsed.b;
  } catch {
    return undefined;
  }
  if (!(a > 0 && b > 0)) return undefined;
  const rf = a === b ? 0 : a / (a - b);
  const shift = towgs84 !== undefined ? `,TOWGS84[${towgs84.split(',').map(Number).join(',')}]` : '';
  return `GEOGCS["unknown",DATUM["unknown",SPHEROID["unknown",${a},${rf}]${shift}],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]`;
}

/**
 * WKT1 (GDAL's dialect) for a PROJ string, or undefined for a projection not handled here.
 * Handled: longlat, utm, tmerc, stere (polar and oblique), sterea, aea, lcc (1SP, 2SP), merc
 * (1SP, 2SP), laea, eqc. `code` adds `AUTHORITY["EPSG", code]` and a name.
 */
export function projToWkt(definition: string, code?: number): string | undefined {
  const p = parameters(definition);
  const base = geogcs(p, definition);
  if (base === undefined) return undefined;
  const authority = code !== undefined ? `,AUTHORITY["EPSG","${code}"]` : '';
  const name = code !== undefined ? `EPSG:${code}` : 'unknown';
  const proj = p.get('proj');
  if (proj === 'longlat' || proj === 'latlong' || proj === 'lonlat' || proj === 'latlon') {
    // A geographic CRS on another datum than WGS 84 takes its own code.
    return code !== undefined && base !== WGS84_GEOGCS ? `${base.slice(0, -1)}${authority}]` : base;
  }
  const lat0 = num(p.get('lat_0'), 0);
  const lon0 = num(p.get('lon_0'), 0);
  const k = num(p.get('k_0') ?? p.get('k'), 1);
  const fe = num(p.get('x_0'), 0);
  const fn = num(p.get('y_0'), 0);
  const lat1 = p.get('lat_1');
  const lat2 = p.get('lat_2');
  const latTs = p.get('lat_ts');
  const false_ = [param('false_easting', fe), param('false_northing', fn)];
  let projection: string;
  let params: string[];
  switch (proj) {
    case 'utm': {
      const zone = num(p.get('zone'), NaN);
      if (!(zone >= 1 && zone <= 60)) return undefined;
      projection = 'Transverse_Mercator';
      params = [
        param('latitude_of_origin', 0),
        param('central_meridian', 6 * zone - 183),
        param('scale_factor', 0.9996),
        param('false_easting', 500000),
        param('false_northing', p.has('south') ? 10000000 : 0),
      ];
      break;
    }
    case 'tmerc':
    case 'etmerc':
      projection = 'Transverse_Mercator';
      params = [
        param('latitude_of_origin', lat0),
        param('central_meridian', lon0),
        param('scale_factor', k),
        ...false_,
      ];
      break;
    case 'stere':
      if (Math.abs(lat0) === 90) {
        projection = 'Polar_Stereographic';
        params = [
          param('latitude_of_origin', latTs !== undefined ? Number(latTs) : lat0),
          param('central_meridian', lon0),
          param('scale_factor', latTs !== undefined ? 1 : k),
          ...false_,
        ];
      } else {
        projection = 'Stereographic';
        params = [
          param('latitude_of_origin', lat0),
          param('central_meridian', lon0),
          param('scale_factor', k),
          ...false_,
        ];
      }
      break;
    case 'sterea':
      projection = 'Oblique_Stereographic';
      params = [
        param('latitude_of_origin', lat0),
        param('central_meridian', lon0),
        param('scale_factor', k),
        ...false_,
      ];
      break;
    case 'aea':
      projection = 'Albers_Conic_Equal_Area';
      params = [
        param('standard_parallel_1', num(lat1, 0)),
        param('standard_parallel_2', num(lat2, num(lat1, 0))),
        param('latitude_of_center', lat0),
        param('longitude_of_center', lon0),
        ...false_,
      ];
      break;
    case 'lcc':
      if (lat2 !== undefined && Number(lat2) !== num(lat1, lat0)) {
        projection = 'Lambert_Conformal_Conic_2SP';
        params = [
          param('standard_parallel_1', num(lat1, lat0)),
          param('standard_parallel_2', Number(lat2)),
          param('latitude_of_origin', lat0),
          param('central_meridian', lon0),
          ...false_,
        ];
      } else {
        projection = 'Lambert_Conformal_Conic_1SP';
        params = [
          param('latitude_of_origin', num(lat1, lat0)),
          param('central_meridian', lon0),
          param('scale_factor', k),
          ...false_,
        ];
      }
      break;
    case 'merc':
      if (p.has('nadgrids') || (p.has('a') && p.get('a') === p.get('b'))) return undefined; // spherical Web Mercator: see EPSG:3857's template
      if (latTs !== undefined) {
        projection = 'Mercator_2SP';
        params = [param('standard_parallel_1', Number(latTs)), param('central_meridian', lon0), ...false_];
      } else {
        projection = 'Mercator_1SP';
        params = [param('central_meridian', lon0), param('scale_factor', k), ...false_];
      }
      break;
    case 'laea':
      projection = 'Lambert_Azimuthal_Equal_Area';
      params = [param('latitude_of_center', lat0), param('longitude_of_center', lon0), ...false_];
      break;
    case 'eqc':
      projection = 'Equirectangular';
      params = [param('standard_parallel_1', num(latTs, 0)), param('central_meridian', lon0), ...false_];
      break;
    default:
      return undefined;
  }
  const toMeter = num(p.get('to_meter'), 1);
  const unit = toMeter === 1 ? 'UNIT["metre",1,AUTHORITY["EPSG","9001"]]' : `UNIT["unknown",${toMeter}]`;
  return `PROJCS["${name}",${base},PROJECTION["${projection}"],${params.join(',')},${unit},AXIS["Easting",EAST],AXIS["Northing",NORTH]${authority}]`;
}
