import { resolveCrs } from './crs.js';
import { projToWkt } from './proj-wkt.js';
import { isGeographicEpsg } from './write-geotiff.js';

// CRSs in NetCDF files are WKT strings (GDAL's `spatial_ref`, CF's `crs_wkt`); curie-depth keeps a
// CRS as `'EPSG:NNNN'` whenever it has a code, since that is what every other part takes.

/** Whether `text` is a WKT CRS (WKT1 or WKT2) rather than a code or a PROJ string. */
export function isWkt(text: string): boolean {
  return /^\s*(PROJCS|GEOGCS|GEOCCS|COMPD_CS|PROJCRS|GEOGCRS|GEODCRS|BOUNDCRS|COMPOUNDCRS|PROJECTEDCRS|GEOGRAPHICCRS)\s*\[/i.test(
    text,
  );
}

/**
 * `'EPSG:NNNN'` when a WKT CRS names its EPSG code at the top level (WKT1's last
 * `AUTHORITY["EPSG","NNNN"]`, WKT2's last `ID["EPSG",NNNN]`, just before the final bracket), else the
 * WKT itself (trimmed). Codes of the datum or units inside do not count.
 */
export function crsFromWkt(wkt: string): string {
  const text = wkt.trim();
  const code = /(?:AUTHORITY|ID)\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*(?:,[^\]]*)?\]\s*\]\s*$/i.exec(text);
  return code ? `EPSG:${Number(code[1])}` : text;
}

/** `'EPSG:NNNN'` from an `epsg_code`-style attribute (`'EPSG:32723'`, `'32723'` or 32723), else undefined. */
export function crsFromEpsgAttribute(value: string | number[] | undefined): string | undefined {
  const text = Array.isArray(value) ? String(value[0]) : value;
  const match = text === undefined ? null : /^\s*(?:EPSG:)?(\d{1,6})\s*$/i.exec(text);
  return match && Number(match[1]) > 0 ? `EPSG:${Number(match[1])}` : undefined;
}

const WGS84_GEOGCS =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],' +
  'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]]';

/**
 * The WKT1 of a CRS, as GDAL writes it: WKT given as the CRS itself; EPSG:4326, EPSG:3857 and the
 * WGS84 UTM zones from templates; any other EPSG code that {@link resolveCrs} knows, and PROJ
 * strings, converted from their PROJ definition (see {@link projToWkt}). Undefined when neither
 * works: a writer then records only the code.
 */
export function wktForCrs(crs: string): string | undefined {
  if (isWkt(crs)) return crs.trim();
  if (/^\s*\+proj=/.test(crs)) return projToWkt(crs);
  const match = /^\s*EPSG:(\d+)\s*$/i.exec(crs);
  if (!match) return undefined;
  const code = Number(match[1]);
  if (code === 4326) return `${WGS84_GEOGCS},AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]`;
  const geog = `${WGS84_GEOGCS},AUTHORITY["EPSG","4326"]]`;
  const metre = 'UNIT["metre",1,AUTHORITY["EPSG","9001"]]';
  if (code === 3857) {
    return (
      `PROJCS["WGS 84 / Pseudo-Mercator",${geog},PROJECTION["Mercator_1SP"],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],` +
      `PARAMETER["false_easting",0],PARAMETER["false_northing",0],${metre},AXIS["Easting",EAST],AXIS["Northing",NORTH],` +
      'EXTENSION["PROJ4","+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs"],AUTHORITY["EPSG","3857"]]'
    );
  }
  const family = Math.floor(code / 100);
  const zone = code % 100;
  if ((family === 326 || family === 327) && zone >= 1 && zone <= 60) {
    const south = family === 327;
    return (
      `PROJCS["WGS 84 / UTM zone ${zone}${south ? 'S' : 'N'}",${geog},PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],` +
      `PARAMETER["central_meridian",${6 * zone - 183}],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],` +
      `PARAMETER["false_northing",${south ? 10000000 : 0}],${metre},AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","${code}"]]`
    );
  }
  try {
    return projToWkt(resolveCrs(code), code);
  } catch {
    return undefined; // a code not known offline
  }
}

/** Whether a CRS (`'EPSG:NNNN'` or WKT) is geographic: coordinates are longitude and latitude in degrees. */
export function isGeographicCrs(crs: string): boolean {
  const match = /^\s*EPSG:(\d+)\s*$/i.exec(crs);
  if (match) return isGeographicEpsg(Number(match[1]));
  return (
    /^\s*(GEOGCS|GEOGCRS|GEOGRAPHICCRS)\s*\[/i.test(crs) || /^\s*\+proj=(longlat|latlong|lonlat|latlon)\b/.test(crs)
  );
}
