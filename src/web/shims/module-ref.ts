/**
 * Browser build of `parallel/module-ref.ts` (swapped in by src/web/build.mjs): a page cannot
 * import a user's module by path, so settings are always data there and `{ module, export }`
 * references are refused with the library's one-line error.
 */
import { CurieError } from '../../errors.js';

/** A value exported by a module (see the Node version). */
export interface ModuleRef {
  module: string;
  export: string;
}

/** Whether a value is `{ module, export }`. */
export function isModuleRef(value: unknown): value is ModuleRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ModuleRef).module === 'string' &&
    typeof (value as ModuleRef).export === 'string'
  );
}

/** @throws CurieError `E_ARGUMENT`: module references need Node. */
export function loadModuleExport<T = unknown>(ref: ModuleRef): T {
  throw new CurieError('E_ARGUMENT', `module ${ref.module} cannot be loaded in a browser; module references need Node`);
}

/** No module origins are recorded in a browser. */
export function originOf(_value: unknown): ModuleRef | undefined {
  return undefined;
}
