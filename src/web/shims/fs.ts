/**
 * `node:fs` for the page (swapped in by src/web/build.mjs): only `readFileSync`, which the CRS code
 * uses to read the EPSG table for codes beyond WGS84, Web Mercator and the UTM zones. The page
 * has no table: such codes are refused there, naming what to do.
 */
import { CurieError } from '../../errors.js';

export function readFileSync(): never {
  throw new CurieError(
    'E_CRS',
    'the page knows only EPSG:4326, EPSG:3857 and the WGS84 UTM zones; use the curie command for other CRS codes',
  );
}
