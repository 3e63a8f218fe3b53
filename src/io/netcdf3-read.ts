import { NetCDFReader } from 'netcdfjs';
import { CurieError } from '../errors.js';
import type { NcAttribute, NcDataset, NcVariable } from './netcdf-dataset.js';

// netcdfjs parses the header (dimensions, attributes, where each variable starts); the values are
// read here straight from the bytes with a DataView, into a Float64Array, because netcdfjs reads
// them one by one into a JavaScript array (slow and large for a big grid) and sizes them from the
// header's padded byte count (one value too many for an odd number of shorts).

const BYTES: Record<string, number> = { byte: 1, char: 1, short: 2, int: 4, float: 4, double: 8 };

/**
 * Open a netCDF-3 file (classic `CDF\x01` or 64-bit offset `CDF\x02`).
 * @throws CurieError `E_FORMAT` naming `source` when the header cannot be read (truncated, CDF-5, …).
 */
export function openNetcdf3(bytes: Uint8Array, source: string): NcDataset {
  let reader: NetCDFReader;
  try {
    reader = new NetCDFReader(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const hint =
      bytes[3] === 5
        ? ' (CDF-5 / 64-bit data files are not supported: convert with nccopy -k nc4 or gdal_translate -of netCDF)'
        : '';
    throw new CurieError('E_FORMAT', `${source} is not a readable netCDF-3 file: ${reason.split('\n')[0]}${hint}`, {
      cause: error,
    });
  }
  const dims = reader.dimensions;
  const recordId = reader.recordDimension.id;
  const recordCount = reader.recordDimension.length;
  const recordStep = reader.recordDimension.recordStep ?? 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const located = new Map<NcVariable, { type: string; offset: number; record: boolean }>();
  const variables = reader.variables.map((v) => {
    const variable: NcVariable = {
      name: v.name,
      dimensions: v.dimensions.map((id) => dims[id].name),
      shape: v.dimensions.map((id) => (id === recordId ? recordCount : dims[id].size)),
      attributes: attributeRecord(v.attributes),
      numeric: v.type !== 'char',
    };
    located.set(variable, { type: v.type, offset: v.offset, record: v.record });
    return variable;
  });
  return {
    format: reader.header.version === 2 ? 'netCDF-3 64-bit offset' : 'netCDF-3 classic',
    variables,
    globalAttributes: attributeRecord(reader.globalAttributes),
    close() {},
    read(variable) {
      const place = located.get(variable);
      if (place === undefined || !variable.numeric)
        throw new CurieError('E_FORMAT', `${source}: variable ${variable.name} holds no numbers`);
      const size = BYTES[place.type];
      const count = variable.shape.reduce((a, b) => a * b, 1);
      // A record variable is stored one record (slice along its first dimension) after another,
      // `recordStep` bytes apart, interleaved with the other record variables.
      const perRecord = place.record ? variable.shape.slice(1).reduce((a, b) => a * b, 1) : count;
      const records = place.record ? recordCount : 1;
      const last = place.offset + (records - 1) * recordStep + perRecord * size;
      if (count > 0 && last > bytes.length) {
        throw new CurieError(
          'E_FORMAT',
          `${source} is truncated: variable ${variable.name} needs bytes up to ${last} but the file has ${bytes.length}`,
        );
      }
      const out = new Float64Array(count);
      let k = 0;
      for (let r = 0; r < records; r++) {
        let at = place.offset + r * recordStep;
        for (let i = 0; i < perRecord; i++, at += size) out[k++] = readValue(view, place.type, at);
      }
      return out;
    },
  };
}

function readValue(view: DataView, type: string, at: number): number {
  switch (type) {
    case 'byte':
      return view.getInt8(at);
    case 'short':
      return view.getInt16(at);
    case 'int':
      return view.getInt32(at);
    case 'float':
      return view.getFloat32(at);
    default:
      return view.getFloat64(at);
  }
}

interface NetcdfjsAttribute {
  name: string;
  type: string;
  value: unknown;
}

function attributeRecord(list: NetcdfjsAttribute[]): Record<string, NcAttribute> {
  const out: Record<string, NcAttribute> = {};
  for (const { name, type, value } of list) {
    if (typeof value === 'string') out[name] = value;
    else if (typeof value === 'number') out[name] = [value];
    // NC_BYTE is signed; netcdfjs gives its bytes unsigned.
    else if (Array.isArray(value))
      out[name] = value.map((v) => (type === 'byte' && Number(v) > 127 ? Number(v) - 256 : Number(v)));
  }
  return out;
}
