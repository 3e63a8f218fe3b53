/**
 * `node:zlib` for the page (swapped in by src/web/build.mjs): the bounded `inflateSync` the
 * TIFF decoders use, on pako (geotiff's own inflater). As in Node, output past `maxOutputLength`
 * fails with code `ERR_BUFFER_TOO_LARGE` as soon as it is produced (a DEFLATE bomb is stopped, not
 * inflated), and with `Z_SYNC_FLUSH` a stream cut short yields what it holds.
 */
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- pako ships no types: this file declares the part used, for eslint's program as for tsc
/// <reference path="./pako.d.ts" />
import { Inflate } from 'pako';

export const constants = { Z_SYNC_FLUSH: 2 } as const;

/** zlib-inflate `input` to at most `options.maxOutputLength` bytes. */
export function inflateSync(input: Uint8Array, options: { maxOutputLength: number; finishFlush?: number }): Uint8Array {
  const inflator = new Inflate({ chunkSize: 64 * 1024 });
  const chunks: Uint8Array[] = [];
  let total = 0;
  inflator.onData = (chunk: Uint8Array) => {
    total += chunk.length;
    if (total > options.maxOutputLength)
      throw Object.assign(new Error(`inflated data exceed ${options.maxOutputLength} bytes`), {
        code: 'ERR_BUFFER_TOO_LARGE',
      });
    chunks.push(chunk);
  };
  inflator.push(input, options.finishFlush === constants.Z_SYNC_FLUSH ? constants.Z_SYNC_FLUSH : true);
  if (inflator.err && options.finishFlush !== constants.Z_SYNC_FLUSH)
    throw new Error(inflator.msg || 'invalid DEFLATE data');
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
