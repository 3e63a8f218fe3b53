/**
 * What the NetCDF readers share: the variables of a netCDF-3 or netCDF-4/HDF5 file, their
 * dimensions and attributes, and a way to read one variable's values. The two file formats are
 * read by different libraries (netcdfjs, h5wasm); `netcdf.ts` turns either into a Raster.
 */

/** An attribute value: text, or numbers (a single number is a one-element array). */
export type NcAttribute = string | number[];

/** One variable of a NetCDF file. */
export interface NcVariable {
  /** Variable name, e.g. `'z'`, `'lat'`. */
  name: string;
  /** Names of its dimensions, slowest-varying first (C order, as ncdump lists them). */
  dimensions: string[];
  /** Length of each dimension, in the order of `dimensions`. */
  shape: number[];
  /** Its attributes by name. */
  attributes: Record<string, NcAttribute>;
  /** Whether its values are numbers (char/string variables are not). */
  numeric: boolean;
}

/** An open NetCDF file. */
export interface NcDataset {
  /** e.g. `'netCDF-3 classic'`, `'netCDF-3 64-bit offset'`, `'netCDF-4/HDF5'`. */
  format: string;
  variables: NcVariable[];
  globalAttributes: Record<string, NcAttribute>;
  /** The stored values of a numeric variable, row-major (C order), before any scale_factor/add_offset. */
  read(variable: NcVariable): Float64Array;
  /** Release the file (HDF5 files are open in the WebAssembly library until then). */
  close(): void;
}

/** The attribute as text, or undefined when absent or numeric. */
export function textAttribute(attributes: Record<string, NcAttribute>, name: string): string | undefined {
  const value = attributes[name];
  return typeof value === 'string' ? value : undefined;
}

/** The attribute's numbers, or undefined when absent or text. */
export function numberAttribute(attributes: Record<string, NcAttribute>, name: string): number[] | undefined {
  const value = attributes[name];
  return Array.isArray(value) && value.length > 0 ? value : undefined;
}
