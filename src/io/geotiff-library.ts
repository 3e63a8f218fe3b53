/**
 * The `geotiff` library, loaded on first use. Importing it loads its decoder pool's `web-worker`
 * dependency, which fails inside a user's own worker thread (it reads that thread's workerData), and
 * slows the start of every program, TIFF or not. It is loaded with require() (its CommonJS
 * build) so that synchronous writers can use it too; every use in the package goes through here, so
 * the decoder and tag tables registered on it are the ones its readers and writer use.
 */
import { createRequire } from 'node:module';
import type * as GeoTiffModule from 'geotiff';

let library: typeof GeoTiffModule | undefined;

/** The geotiff module (loaded once). */
export function geotiffLibrary(): typeof GeoTiffModule {
  library ??= createRequire(import.meta.url)('geotiff') as typeof GeoTiffModule;
  return library;
}
