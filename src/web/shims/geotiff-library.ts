/**
 * Browser build of `io/geotiff-library.ts` (swapped in by src/web/build.mjs): the same
 * `geotiffLibrary()` with a static import, since a page has no require(). The readers and the
 * writer reach `geotiff` through this one function, as in Node.
 */
import * as GeoTiffModule from 'geotiff';

/** The geotiff module. */
export function geotiffLibrary(): typeof GeoTiffModule {
  return GeoTiffModule;
}
