/**
 * `node:os` for the page (swapped in by src/web/build.mjs): only `totalmem`, which the memory
 * budget halves. Browsers report memory only roughly (`navigator.deviceMemory`, GiB, capped at 8);
 * 4 GiB where they do not.
 */
const GIB = 2 ** 30;

/** The device's memory in bytes, as far as the browser tells. */
function totalmem(): number {
  const reported = (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory;
  return (typeof reported === 'number' && reported > 0 ? reported : 4) * GIB;
}

export default { totalmem };
