import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CurieError } from '../errors.js';
import type { NcAttribute, NcDataset, NcVariable } from './netcdf-dataset.js';

// netCDF-4 files are HDF5 files: read with h5wasm, the HDF5 C library compiled to WebAssembly
// (shipped inside the npm package; no native build). It is imported only when an HDF5 file is met,
// since compiling its 4 MB module takes a moment. Its Node build opens real paths, so bytes are
// written to a private temporary directory first and removed afterwards.
//
// netCDF-4 conventions on top of HDF5: each dimension is a dimension scale (a dataset with
// CLASS = "DIMENSION_SCALE"), attached to the variables that use it; a dimension without a
// coordinate variable is a scale whose NAME starts "This is a netCDF dimension but not a netCDF variable".

/** HDF5 bookkeeping attributes that netCDF-4 uses internally (ncdump hides them too). */
const INTERNAL_ATTRIBUTES = new Set([
  'CLASS',
  'NAME',
  'REFERENCE_LIST',
  'DIMENSION_LIST',
  '_Netcdf4Dimid',
  '_Netcdf4Coordinates',
  '_nc3_strict',
  '_NCProperties',
  '_SuperblockVersion',
  '_IsNetcdf4',
]);
const H5T_INTEGER = 0;
const H5T_FLOAT = 1;

type H5 = typeof import('h5wasm/node').default;
type H5Dataset = InstanceType<H5['Dataset']>;
type H5Attrs = InstanceType<H5['Dataset']>['attrs'];

/**
 * Open a netCDF-4/HDF5 file's root group. Call `close()` when done.
 * @throws CurieError `E_FORMAT` naming `source` when HDF5 cannot open it.
 */
export async function openHdf5(bytes: Uint8Array, source: string): Promise<NcDataset> {
  const h5 = (await import('h5wasm/node')).default;
  await h5.ready;
  const directory = await mkdtemp(join(tmpdir(), 'curie-hdf5-'));
  const path = join(directory, 'grid.nc');
  let file: InstanceType<H5['File']>;
  try {
    await writeFile(path, bytes);
    file = new h5.File(path, 'r');
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    const reason = error instanceof Error ? error.message : String(error);
    throw new CurieError('E_FORMAT', `${source} is not a readable netCDF-4/HDF5 file (${reason.split('\n')[0]})`, {
      cause: error,
    });
  }
  const datasets = new Map<NcVariable, H5Dataset>();
  try {
    const variables: NcVariable[] = [];
    for (const name of file.keys()) {
      const item = file.get(name);
      if (!(item instanceof h5.Dataset)) continue;
      const attributes = attributeRecord(item.attrs);
      const scaleName = readText(item.attrs, 'NAME');
      if (scaleName?.startsWith('This is a netCDF dimension but not a netCDF variable')) continue;
      const shape = item.shape ?? [];
      const variable: NcVariable = {
        name,
        dimensions: shape.map((_, axis) => dimensionName(item, axis, name, shape.length)),
        shape,
        attributes,
        numeric: item.metadata.type === H5T_INTEGER || item.metadata.type === H5T_FLOAT,
      };
      datasets.set(variable, item);
      variables.push(variable);
    }
    return {
      format: 'netCDF-4/HDF5',
      variables,
      globalAttributes: attributeRecord(file.attrs),
      read(variable) {
        const dataset = datasets.get(variable);
        const value = dataset?.value;
        if (
          value === null ||
          value === undefined ||
          typeof value !== 'object' ||
          !('length' in value) ||
          Array.isArray(value)
        ) {
          throw new CurieError('E_FORMAT', `${source}: variable ${variable.name} holds no numbers`);
        }
        return Float64Array.from(value as ArrayLike<number | bigint>, Number);
      },
      close() {
        file.close();
        // At once: a command that exits right after reading must not leave the copy behind.
        rmSync(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    file.close();
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

/** Whether an attribute's value is a typed array (of numbers or bigints), not a DataView. */
function isTypedArray(value: unknown): value is ArrayLike<number | bigint> {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/** The name of the dimension scale attached to `axis`, as netCDF-4 names dimensions. */
function dimensionName(dataset: H5Dataset, axis: number, name: string, rank: number): string {
  if (rank === 1 && readText(dataset.attrs, 'CLASS') === 'DIMENSION_SCALE') return name;
  let scales: string[] = [];
  try {
    scales = dataset.get_attached_scales(axis);
  } catch {
    // no dimension scales: an HDF5 file not written by netCDF-4
  }
  const path = scales[0];
  return path === undefined ? `phony_dim_${axis}` : path.slice(path.lastIndexOf('/') + 1);
}

function readText(attrs: H5Attrs, name: string): string | undefined {
  try {
    const value = attrs[name]?.value;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function attributeRecord(attrs: H5Attrs): Record<string, NcAttribute> {
  const out: Record<string, NcAttribute> = {};
  for (const name of Object.keys(attrs)) {
    if (INTERNAL_ATTRIBUTES.has(name)) continue;
    let value: unknown;
    try {
      value = attrs[name].value;
    } catch {
      continue; // references and other types a grid does not need
    }
    if (typeof value === 'string') out[name] = value;
    else if (typeof value === 'number' || typeof value === 'bigint') out[name] = [Number(value)];
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[name] = value.join('');
    else if (isTypedArray(value)) out[name] = Array.from(value, Number);
  }
  return out;
}
