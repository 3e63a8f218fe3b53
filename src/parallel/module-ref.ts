/**
 * Functions and objects cannot cross a thread boundary, so a custom taper, `processSubgrid` or
 * prior that must run in workers is named by the module that exports it: `{ module, export }`.
 * Every thread imports the module itself (require() of ES modules, Node ≥ 20.19).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CurieError } from '../errors.js';

/** A value exported by a module: `module` is an absolute path, a path relative to the working directory, or a `file:` URL. */
export interface ModuleRef {
  module: string;
  export: string;
}

/** Whether a value is a {@link ModuleRef}. */
export function isModuleRef(value: unknown): value is ModuleRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ModuleRef).module === 'string' &&
    typeof (value as ModuleRef).export === 'string'
  );
}

const requireHere = createRequire(import.meta.url);
/** Where each resolved export came from, so it can be named to a worker again. */
const origins = new WeakMap<object, ModuleRef>();

/** The module as an absolute file: URL (relative paths from the working directory, as a shell would read them). */
function absolute(module: string): string {
  if (module.startsWith('file:')) return module;
  return pathToFileURL(path.resolve(module)).href;
}

/**
 * Import `ref.module` and return its export `ref.export` (synchronously).
 * @throws CurieError `E_ARGUMENT` when the module cannot be loaded or has no such export
 */
export function loadModuleExport<T = unknown>(ref: ModuleRef): T {
  const url = absolute(ref.module);
  let exports: Record<string, unknown>;
  try {
    exports = requireHere(fileURLToPath(url)) as Record<string, unknown>;
  } catch (error) {
    throw new CurieError(
      'E_ARGUMENT',
      `cannot load module ${ref.module}: ${String((error as Error)?.message ?? error).split('\n')[0]}`,
      { cause: error },
    );
  }
  const value = exports?.[ref.export];
  if (value === undefined) throw new CurieError('E_ARGUMENT', `module ${ref.module} has no export '${ref.export}'`);
  if ((typeof value === 'object' && value !== null) || typeof value === 'function')
    origins.set(value, { module: url, export: ref.export });
  return value as T;
}

/** The {@link ModuleRef} a value was loaded from with {@link loadModuleExport}, if any. */
export function originOf(value: unknown): ModuleRef | undefined {
  return (typeof value === 'object' && value !== null) || typeof value === 'function' ? origins.get(value) : undefined;
}
