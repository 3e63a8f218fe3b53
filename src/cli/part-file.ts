/**
 * A shard's part file (`OUT.part-I-of-N.ndjson`): its name, its header line, and writing and
 * reading it. `curie map --shard I/N` writes one; `curie merge` reads them back. A part file may
 * have been truncated, edited or written by another version: every field the merge relies on is
 * checked, and a bad one is an `E_FORMAT` naming the file, the line and the field.
 */
import { readFile } from 'node:fs/promises';
import { CurieError, describeValue } from '../errors.js';
import { openOutput } from '../io/output.js';
import { ndjsonLine } from '../io/write-table.js';
import { type VerdictName, VERDICTS } from '../inversion/verdict.js';
import { fieldsOf } from './records.js';
import type { Shard } from './shard.js';
import { FORMATS, type MapDescription, type Sink } from './sinks.js';

/** First line of a shard's part file: what run it belongs to. */
export interface PartHeader {
  curie_part: 1;
  shard: number;
  shards: number;
  total: number;
  /** Digest of the input and of every option that changes results: parts of one run share it. */
  run: string;
  format: string;
  description: Omit<MapDescription, 'xc' | 'yc'> & { xc: number[]; yc: number[] };
}

/** The path of shard I of N's part file for output `out`. */
export function partPath(out: string, shard: Shard): string {
  return `${out}.part-${shard.index}-of-${shard.count}.ndjson`;
}

/**
 * Open shard `shard`'s part file of the output `out` (written atomically): its header line now,
 * then one NDJSON row per window, `{ i, ...record }`. The header records `run` (the digest of the
 * input and of the options that change results), `format` (the merged output's) and `description`
 * (the whole map's).
 */
export async function openPartSink(
  out: string,
  shard: Shard,
  { run, format, description }: { run: string; format: string; description: MapDescription },
): Promise<Sink> {
  const file = await openOutput(partPath(out, shard));
  const header: PartHeader = {
    curie_part: 1,
    shard: shard.index,
    shards: shard.count,
    total: description.xc.length,
    run,
    format,
    description: { ...description, xc: Array.from(description.xc), yc: Array.from(description.yc) },
  };
  await file.write(`${JSON.stringify(header)}\n`);
  return {
    write: (i, r) => file.write(ndjsonLine({ i, ...r })),
    close: () => file.commit(),
    abort: () => file.abort(),
  };
}

/** A part file read and checked: its header and its rows by window index. */
export interface Part {
  file: string;
  header: PartHeader;
  lines: Array<Record<string, unknown>>;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const isCount = (value: unknown, least: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= least;

function formatError(file: string, line: number, what: string): CurieError {
  return new CurieError(
    'E_FORMAT',
    `${file} line ${line}: ${what}; is it an unmodified part file of a complete curie map --shard run?`,
  );
}

/** Check the header (line 1) of `file`: every field a PartHeader has, with its type. */
function checkHeader(value: unknown, file: string): asserts value is PartHeader {
  const bad = (what: string) => formatError(file, 1, what);
  if (!isObject(value) || value.curie_part !== 1)
    throw new CurieError('E_FORMAT', `${file} is not a curie map part file (no part header on line 1)`);
  if (!isCount(value.shards, 1)) throw bad(`shards ${describeValue(value.shards)} must be a whole number ≥ 1`);
  if (!isCount(value.shard, 0) || value.shard >= value.shards)
    throw bad(`shard ${describeValue(value.shard)} must be a whole number below shards (${value.shards})`);
  if (typeof value.run !== 'string' || value.run === '')
    throw bad(`run ${describeValue(value.run)} must be the run's digest`);
  if (typeof value.format !== 'string' || !(FORMATS as readonly string[]).includes(value.format))
    throw bad(`format ${describeValue(value.format)} must be one of ${FORMATS.join(', ')}`);
  const d = value.description;
  if (!isObject(d)) throw bad(`description ${describeValue(d)} must be an object`);
  if (d.method !== 'bouligand' && d.method !== 'tanaka')
    throw bad(`description.method ${describeValue(d.method)} must be bouligand or tanaka`);
  const fields = fieldsOf(d.method, Array.isArray(d.fields) && d.fields.includes('lon') && typeof d.crs === 'string');
  if (!Array.isArray(d.fields) || d.fields.length !== fields.length || d.fields.some((f, j) => f !== fields[j]))
    throw bad(`description.fields ${describeValue(d.fields)} must be ${fields.join(',')}`);
  for (const axis of ['xc', 'yc'] as const) {
    const list = d[axis];
    if (!Array.isArray(list) || !list.every((v) => typeof v === 'number' && Number.isFinite(v)))
      throw bad(`description.${axis} must be a list of window centres (numbers)`);
  }
  const windows = (d.xc as number[]).length;
  if ((d.yc as number[]).length !== windows)
    throw bad(`description.xc and .yc list ${windows} and ${(d.yc as number[]).length} centres`);
  if (!isCount(value.total, 0) || value.total !== windows)
    throw bad(`total ${describeValue(value.total)} must be the number of windows the description lists (${windows})`);
  const spacing = d.spacing;
  if (
    !isObject(spacing) ||
    ![spacing.spacingX, spacing.spacingY].every((s) => typeof s === 'number' && s > 0 && Number.isFinite(s))
  )
    throw bad(`description.spacing ${describeValue(spacing)} must be { spacingX, spacingY } in metres`);
  if (d.crs !== undefined && typeof d.crs !== 'string')
    throw bad(`description.crs ${describeValue(d.crs)} must be a string`);
  if (!isObject(d.metadata)) throw bad(`description.metadata ${describeValue(d.metadata)} must be an object`);
}

/** Check one row of `file` (line `line`) against its header: window index, centre and every field's type. */
function checkRow(value: unknown, header: PartHeader, file: string, line: number): Json {
  const bad = (what: string) => formatError(file, line, what);
  if (!isObject(value)) throw bad(`${describeValue(value)} is not a row`);
  const { total, shard, shards, description } = header;
  const i = value.i;
  if (!isCount(i, 0) || i >= total || i % shards !== shard)
    throw bad(`window ${describeValue(i)} is not one of shard ${shard}/${shards}'s ${total} windows`);
  if (value.x !== description.xc[i] || value.y !== description.yc[i])
    throw bad(
      `window ${i} is at (${describeValue(value.x)}, ${describeValue(value.y)}), not at its centre (${description.xc[i]}, ${description.yc[i]})`,
    );
  for (const field of description.fields) {
    const v = value[field];
    if (field === 'message') {
      if (typeof v !== 'string') throw bad(`field message ${describeValue(v)} must be a string`);
    } else if (field === 'verdict') {
      if (!VERDICTS.includes(v as VerdictName))
        throw bad(`field verdict ${describeValue(v)} must be one of ${VERDICTS.join(', ')}`);
    } else if (field === 'status') {
      if (!isCount(v, 0) || v > 3) throw bad(`field status ${describeValue(v)} must be 0, 1, 2 or 3`);
    } else if (v !== null && !(typeof v === 'number' && Number.isFinite(v)))
      throw bad(`field ${field} ${describeValue(v)} must be a number, or null`);
  }
  return value;
}

/**
 * Read and check a part file: line 1 its header, then one row per window of its shard.
 * @throws CurieError `E_NOT_FOUND` when it cannot be read, `E_FORMAT` naming the line and field
 */
export async function readPart(file: string): Promise<Part> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CurieError('E_NOT_FOUND', `part file ${file} cannot be read; check the path`);
  }
  let header: PartHeader | undefined;
  const lines: Json[] = [];
  const rows = text.split('\n');
  for (let n = 0; n < rows.length; n++) {
    if (rows[n].trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(rows[n]);
    } catch {
      if (header === undefined)
        throw new CurieError('E_FORMAT', `${file} is not a curie map part file (no part header on line 1)`);
      throw formatError(file, n + 1, 'not JSON (truncated?)');
    }
    if (header === undefined) {
      checkHeader(value, file);
      header = value;
    } else lines.push(checkRow(value, header, file, n + 1));
  }
  if (header === undefined)
    throw new CurieError('E_FORMAT', `${file} is not a curie map part file (no part header on line 1)`);
  return { file, header, lines };
}
