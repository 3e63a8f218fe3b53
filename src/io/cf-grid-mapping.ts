import { type NcAttribute, numberAttribute, textAttribute } from './netcdf-dataset.js';

// A CF grid mapping described only by its parameters (no WKT, no EPSG code), as netCDF4-python,
// older GDAL and many data centres write it, turned into the PROJ string that transformCoordinates
// takes. The attribute names and their meaning are those of the CF conventions' appendix F.

const WGS84_A = 6378137;
const WGS84_RF = 298.257223563;

/**
 * The PROJ string of a CF grid-mapping variable's attributes, or undefined for a
 * `grid_mapping_name` not handled here (handled: transverse_mercator, polar_stereographic,
 * stereographic, albers_conical_equal_area, lambert_conformal_conic,
 * lambert_azimuthal_equal_area, mercator). Angles in degrees, false easting/northing in metres;
 * the ellipsoid from `semi_major_axis` and `inverse_flattening` (or `semi_minor_axis`), WGS 84
 * when absent.
 */
export function cfGridMappingToProj(attributes: Record<string, NcAttribute>): string | undefined {
  const name = textAttribute(attributes, 'grid_mapping_name');
  const get = (key: string) => numberAttribute(attributes, key);
  const one = (key: string, fallback: number) => get(key)?.[0] ?? fallback;
  const fe = one('false_easting', 0);
  const fn = one('false_northing', 0);
  const lat0 = one('latitude_of_projection_origin', 0);
  const parallels = get('standard_parallel');
  let head: string;
  switch (name) {
    case 'transverse_mercator':
      head = `+proj=tmerc +lat_0=${lat0} +lon_0=${one('longitude_of_central_meridian', 0)} +k=${one('scale_factor_at_central_meridian', 1)}`;
      break;
    case 'polar_stereographic': {
      const lon0 = one('straight_vertical_longitude_from_pole', one('longitude_of_projection_origin', 0));
      head = parallels
        ? `+proj=stere +lat_0=${lat0} +lat_ts=${parallels[0]} +lon_0=${lon0}`
        : `+proj=stere +lat_0=${lat0} +lon_0=${lon0} +k=${one('scale_factor_at_projection_origin', 1)}`;
      break;
    }
    case 'stereographic':
      head = `+proj=stere +lat_0=${lat0} +lon_0=${one('longitude_of_projection_origin', 0)} +k=${one('scale_factor_at_projection_origin', 1)}`;
      break;
    case 'albers_conical_equal_area':
    case 'lambert_conformal_conic': {
      const [lat1, lat2 = lat1] = parallels ?? [lat0];
      const proj = name === 'albers_conical_equal_area' ? 'aea' : 'lcc';
      head = `+proj=${proj} +lat_0=${lat0} +lon_0=${one('longitude_of_central_meridian', 0)} +lat_1=${lat1} +lat_2=${lat2}`;
      break;
    }
    case 'lambert_azimuthal_equal_area':
      head = `+proj=laea +lat_0=${lat0} +lon_0=${one('longitude_of_projection_origin', 0)}`;
      break;
    case 'mercator':
      head = parallels
        ? `+proj=merc +lat_ts=${parallels[0]} +lon_0=${one('longitude_of_projection_origin', 0)}`
        : `+proj=merc +lon_0=${one('longitude_of_projection_origin', 0)} +k=${one('scale_factor_at_projection_origin', 1)}`;
      break;
    default:
      return undefined;
  }
  const a = one('semi_major_axis', WGS84_A);
  const b = get('semi_minor_axis')?.[0];
  const rf = get('inverse_flattening')?.[0] ?? (b !== undefined && b !== a ? a / (a - b) : b === a ? 0 : WGS84_RF);
  const ellipsoid =
    a === WGS84_A && Math.abs(rf - WGS84_RF) < 1e-9 ? '+datum=WGS84' : rf === 0 ? `+R=${a}` : `+a=${a} +rf=${rf}`;
  return `${head} +x_0=${fe} +y_0=${fn} ${ellipsoid} +units=m +no_defs`;
}
