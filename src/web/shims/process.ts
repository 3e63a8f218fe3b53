/**
 * The `process` the library touches, for the page (injected by src/web/build.mjs): an empty
 * environment and warnings on the console (the library emits them with `process.emitWarning`).
 */
export const process = {
  env: {} as Record<string, string | undefined>,
  emitWarning(message: string, _options?: unknown): void {
    console.warn(message);
  },
};
