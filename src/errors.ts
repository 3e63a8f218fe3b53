/**
 * Error codes of curie-depth. Every failure on bad input is a {@link CurieError} with one of these
 * codes and a one-line message that names the offending value and what to do about it.
 */
export type CurieErrorCode =
  | 'E_SPACING'
  | 'E_WINDOW'
  | 'E_OUTSIDE'
  | 'E_NAN'
  | 'E_FORMAT'
  | 'E_LATTICE'
  | 'E_NOT_FOUND'
  | 'E_ARGUMENT'
  | 'E_CRS'
  | 'E_NO_SIGNAL'
  | 'E_MEMORY'
  | 'E_CHECKSUM'
  | 'E_DOWNLOAD'
  /** An output could not be written (disk full, permission denied, reader gone…). */
  | 'E_WRITE';

/** The one error class curie-depth throws for bad input; `code` says which kind of problem it is. */
export class CurieError extends Error {
  /** Machine-readable kind of error, e.g. `'E_WINDOW'`. */
  readonly code: CurieErrorCode;

  constructor(code: CurieErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CurieError';
    this.code = code;
  }
}

/** Warning codes emitted through `process.emitWarning`, so scripts can filter them. */
export type CurieWarningCode =
  'CURIE_DEGREES' | 'CURIE_RTP_LOW_INCLINATION' | 'CURIE_DOWNWARD' | 'CURIE_WORKERS' | 'CURIE_NO_LONLAT';

/** Emit a curie-depth warning (`process.emitWarning` with a `CURIE_…` code). */
export function warn(code: CurieWarningCode, message: string): void {
  process.emitWarning(message, { type: 'CurieWarning', code });
}

/** Format a number for an error message: short, but exact enough to find the value again. */
export function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(10)));
}

/**
 * A value as an error message should show it: numbers as {@link fmt}, strings quoted (so that
 * `'10'` given where 10 belongs is visible), anything else as JSON or its type.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? fmt(value) : String(value);
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}' (a string)`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return 'a function';
  try {
    const json = JSON.stringify(value);
    return json === undefined ? typeof value : json.length > 60 ? `${json.slice(0, 60)}…` : json;
  } catch {
    return typeof value;
  }
}
