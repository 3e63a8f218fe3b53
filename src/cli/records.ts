/**
 * One output row per window of a map, in the fields the command line writes.
 */
import type { OptimiseRoutineRow } from '../CurieOptimiser.js';
import type { TanakaResult } from '../inversion/window-routines.js';
import { BOULIGAND_FIELDS, LONLAT_FIELDS, TANAKA_FIELDS, type TableRecord } from '../io/write-table.js';

/** The two mapping methods of `curie map`. */
export type Method = 'bouligand' | 'tanaka';

/**
 * Output fields of a method, in file order; with `lonLat` (a grid with a CRS) `lon`, `lat` (WGS84
 * degrees of the window centre) come last, so that every other column keeps its position.
 */
export function fieldsOf(method: Method, lonLat = false): readonly string[] {
  const fields = method === 'tanaka' ? TANAKA_FIELDS : BOULIGAND_FIELDS;
  return lonLat ? [...fields, ...LONLAT_FIELDS] : fields;
}

/** The row of a Bouligand fit at centre (x, y), metres. */
export function bouligandRecord(x: number, y: number, row: OptimiseRoutineRow): TableRecord {
  return {
    x,
    y,
    beta: row.beta,
    zt: row.zt,
    dz: row.dz,
    C: row.C,
    curie_depth: row.curieDepth,
    curie_depth_low: row.curieDepthLow,
    curie_depth_high: row.curieDepthHigh,
    verdict: row.verdict,
    misfit: row.misfit,
    status: row.status,
    message: row.message ?? '',
  };
}

/** The row of a Tanaka estimate (or a failed window) at centre (x, y), metres. */
export function tanakaRecord(
  x: number,
  y: number,
  result: TanakaResult | { status: number; message: string },
): TableRecord {
  if ('status' in result)
    return {
      x,
      y,
      Ztr: NaN,
      dZtr: NaN,
      Zor: NaN,
      dZor: NaN,
      curie_depth: NaN,
      curie_depth_error: NaN,
      status: result.status,
      message: result.message,
    };
  return {
    x,
    y,
    Ztr: result.Ztr,
    dZtr: result.dZtr,
    Zor: result.Zor,
    dZor: result.dZor,
    curie_depth: result.Zb,
    curie_depth_error: result.eZb,
    status: 0,
    message: '',
  };
}

/** A record read back from NDJSON (null for NaN) with NaN restored, for writers that want numbers. */
export function restoreNaN(record: Record<string, unknown>, fields: readonly string[]): TableRecord {
  const out: TableRecord = {};
  for (const field of fields) {
    const value = record[field];
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- text fields are strings; anything else is shown as it came
    if (field === 'message' || field === 'verdict') out[field] = String(value ?? '');
    // An open interval's high end is written null in NDJSON: +Infinity, not a missing value.
    else if (value === null || value === undefined)
      out[field] = field === 'curie_depth_high' && typeof record.curie_depth_low === 'number' ? Infinity : NaN;
    else out[field] = value as number;
  }
  return out;
}
