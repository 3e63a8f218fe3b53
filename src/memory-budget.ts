/**
 * The memory budget: every allocation whose size the input controls (a file header's dimensions, a
 * compressed block's output, a lattice implied by an extent and spacing, a sample count, a number
 * of angles, standard input) is checked against it *before* it is made, so that hostile or
 * mistaken input ends with one clear {@link CurieError} `E_MEMORY` instead of a RangeError, an
 * out-of-memory kill or minutes of swapping.
 *
 * The budget is, first found: the value given to {@link setMaxMemory} (the CLI's `--max-memory`),
 * the environment variable `CURIE_MAX_MEMORY` (a size such as `4GB`; worker threads inherit it, and
 * {@link setMaxMemory} sets it for them), or half of the machine's memory (`os.totalmem() / 2`).
 * It lives at the root of the source tree, beside errors.ts, so that every layer may use it.
 */
import os from 'node:os';
import { CurieError } from './errors.js';

const ENVIRONMENT = 'CURIE_MAX_MEMORY';
let explicit: number | undefined;

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  kib: 2 ** 10,
  m: 1e6,
  mb: 1e6,
  mib: 2 ** 20,
  g: 1e9,
  gb: 1e9,
  gib: 2 ** 30,
  t: 1e12,
  tb: 1e12,
  tib: 2 ** 40,
};

/**
 * A memory size such as `4GB`, `512MiB`, `1.5g` or `1000000` (bytes) in bytes. Decimal units (kB,
 * MB, GB, TB: powers of 1000) and binary ones (KiB, MiB, GiB, TiB: powers of 1024); case is ignored.
 * @param what the option's name for the error message (default `'--max-memory'`)
 * @throws CurieError `E_ARGUMENT` for anything else, or a size under 1 MB
 */
export function parseMemorySize(text: string, what = '--max-memory'): number {
  const match = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([a-z]*)\s*$/i.exec(String(text));
  const unit = match ? UNITS[match[2].toLowerCase()] : undefined;
  const bytes = match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : NaN;
  if (!(bytes >= 1e6) || !Number.isFinite(bytes))
    throw new CurieError(
      'E_ARGUMENT',
      `${what} '${text}' must be a memory size of at least 1MB, such as 512MiB or 4GB`,
    );
  return bytes;
}

/**
 * Set the memory budget in bytes (the CLI's `--max-memory`), or go back to the default with
 * `undefined`. Worker threads started afterwards inherit it (through `CURIE_MAX_MEMORY`).
 * @throws CurieError `E_ARGUMENT` for a budget that is not a number of bytes ≥ 1e6
 */
export function setMaxMemory(bytes: number | undefined): void {
  if (bytes === undefined) {
    explicit = undefined;
    delete process.env[ENVIRONMENT];
    return;
  }
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 1e6)
    throw new CurieError('E_ARGUMENT', `maxMemory ${String(bytes)} must be a number of bytes of at least 1e6`);
  explicit = Math.floor(bytes);
  process.env[ENVIRONMENT] = String(explicit);
}

/** The memory budget in bytes: see the module's description for where it comes from. */
export function maxMemory(): number {
  if (explicit !== undefined) return explicit;
  const fromEnvironment = process.env[ENVIRONMENT];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return parseMemorySize(fromEnvironment, ENVIRONMENT);
  return Math.floor(os.totalmem() / 2);
}

/** A byte count for messages: `12.3 GB`, `512 MB`, `900 kB` (decimal units, 3 significant digits). */
function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} bytes`;
  const units: Array<[number, string]> = [
    [1e15, 'PB'],
    [1e12, 'TB'],
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'kB'],
  ];
  for (const [size, name] of units) if (bytes >= size) return `${Number((bytes / size).toPrecision(3))} ${name}`;
  return `${bytes} bytes`;
}

/**
 * Check that an allocation of `bytes` (whose size the input decides) fits the budget, before it is
 * made. `what` says what would be allocated, e.g. `'the 1000000 × 1000000 raster of big.tif'`;
 * `remedy` what to do besides raising the budget, e.g. `'crop the input'`.
 * @throws CurieError `E_MEMORY` naming what, its size, the budget and what to do
 */
export function checkAllocation(what: string, bytes: number, remedy: string): void {
  const budget = maxMemory();
  if (bytes <= budget) return; // NaN (an impossible size) fails too
  throw new CurieError(
    'E_MEMORY',
    `${what} needs ${formatBytes(bytes)}, over the memory budget of ${formatBytes(budget)}; ${remedy}, or raise --max-memory (library: setMaxMemory)`,
  );
}
