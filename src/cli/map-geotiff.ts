/**
 * The GeoTIFF of a whole Curie-depth map from its rows (`curie map --out map.tif` and the explorer
 * page's download): one band per value of the method, NaN where a window failed or is missing.
 */
import { type VerdictName, VERDICTS } from '../inversion/verdict.js';
import { BOULIGAND_BANDS, centroidLattice, TANAKA_BANDS, writeGeoTiff } from '../io/write-geotiff.js';
import type { TableRecord } from '../io/write-table.js';

/** What a map's GeoTIFF needs besides its rows. */
export interface MapGeoTiffDescription {
  method: 'bouligand' | 'tanaka';
  /** Centres of all windows of the map, metres, y outer and x inner. */
  xc: ArrayLike<number>;
  yc: ArrayLike<number>;
  /** Centre spacing (metres), for georeferencing a single row or column of windows. */
  spacing: { spacingX: number; spacingY: number };
  crs?: string;
}

/** The GeoTIFF bytes of a map: `rows[i]` is window i's record (the command line's fields). */
export function mapGeoTiffBytes(
  description: MapGeoTiffDescription,
  rows: ReadonlyArray<TableRecord | undefined>,
): Uint8Array {
  const lattice = centroidLattice(description.xc, description.yc, description.spacing);
  const names = description.method === 'tanaka' ? TANAKA_BANDS : BOULIGAND_BANDS;
  // The verdict travels as its word in tables and as its code (0 resolved, 1 lower-bound, 2 unresolved) in a band.
  const value = (r: TableRecord | undefined, name: string) =>
    name === 'verdict' && typeof r?.verdict === 'string'
      ? VERDICTS.indexOf(r.verdict as VerdictName)
      : typeof r?.[name] === 'number'
        ? r[name]
        : NaN;
  const bands = names.map((name) => ({ name, values: Float64Array.from(rows, (r) => value(r, name)) }));
  return writeGeoTiff({ ...lattice, bands, crs: description.crs });
}
