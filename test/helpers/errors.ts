import { expect } from 'vitest';
import { CurieError } from '../../src/errors.js';

/** Assert that `f` throws a CurieError with `code`, a one-line message containing every fragment. */
export function expectCurieError(f: () => unknown, code: string, ...fragments: string[]): void {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error, `expected a CurieError ${code}`).toBeInstanceOf(CurieError);
  const curie = error as CurieError;
  expect(curie.code).toBe(code);
  expect(curie.message).not.toContain('\n');
  for (const fragment of fragments) expect(curie.message).toContain(fragment);
}
