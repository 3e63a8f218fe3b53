/** The error a map rejects with when its signal aborts. */

/** The signal's reason when it is an `AbortError`, else an `AbortError` caused by it. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const error = new Error('the map was aborted', { cause: reason });
  error.name = 'AbortError';
  return error;
}

/** Whether `error` is an abort (ours, or piscina's `ABORT_ERR`). */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}
