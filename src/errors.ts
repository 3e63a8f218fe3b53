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
export type CurieWarningCode = 'CURIE_DEGREES' | 'CURIE_RTP_LOW_INCLINATION' | 'CURIE_DOWNWARD';

/** Emit a curie-depth warning (`process.emitWarning` with a `CURIE_…` code). */
export function warn(code: CurieWarningCode, message: string): void {
  process.emitWarning(message, { type: 'CurieWarning', code });
}

/** Format a number for an error message: short, but exact enough to find the value again. */
export function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(10)));
}
