/**
 * Browser build of `io/hdf5-read.ts` (swapped in by src/web/build.mjs): netCDF-4 is HDF5, which the
 * library reads through h5wasm's Node build and a temporary file; the page reads netCDF-3 only.
 */
import { CurieError } from '../../errors.js';
import type { NcDataset } from '../../io/netcdf-dataset.js';

/** Refuse netCDF-4 in the page, saying how to convert it. */
export function openHdf5(_bytes: Uint8Array, source: string): Promise<NcDataset> {
  return Promise.reject(
    new CurieError(
      'E_FORMAT',
      `${source} is netCDF-4 (HDF5), which the page does not read; convert it to netCDF-3 (nccopy -k classic in.nc out.nc, or gdal_translate -of netCDF) or use the curie command`,
    ),
  );
}
