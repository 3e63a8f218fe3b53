/**
 * Bounded decoders for geotiff's compressed blocks. A corrupt or hostile block can claim to inflate
 * to any size (a DEFLATE "bomb" inflates ~1000×, PackBits 64×, and geotiff's own LZW decoder can
 * even abort the process): every block here decodes to at most the size its strip or tile must
 * have, and fails with an error (which the reader turns into one E_FORMAT line) past it.
 */
import { constants, inflateSync } from 'node:zlib';
import { geotiffLibrary } from './geotiff-library.js';
import { decodeLzw } from './tiff-lzw.js';

/** TIFF compression codes. */
const LZW = 5;
const DEFLATE = [8, 32946];
const PACKBITS = 32773;

/** geotiff's decoder parameters (the fields used here). */
interface BlockParameters {
  tileWidth: number;
  tileHeight: number;
  bitsPerSample: number | ArrayLike<number>;
  planarConfiguration: number;
}

/** Bytes of one whole decoded strip or tile: rows × ⌈width · bits per pixel / 8⌉. */
function blockBytes({ tileWidth, tileHeight, bitsPerSample, planarConfiguration }: BlockParameters): number {
  const bits = typeof bitsPerSample === 'number' ? [bitsPerSample] : Array.from(bitsPerSample);
  const bitsPerPixel = planarConfiguration === 2 ? bits[0] : bits.reduce((sum, b) => sum + b, 0);
  return Math.ceil((tileWidth * bitsPerPixel) / 8) * tileHeight;
}

/**
 * Inflate a zlib (TIFF DEFLATE) block to at most `maxBytes`. A stream cut short yields what it
 * holds, as geotiff's pako did (the reader checks that blocks lie inside the file).
 */
function inflateBounded(input: Uint8Array, maxBytes: number): Uint8Array {
  try {
    return inflateSync(input, { maxOutputLength: Math.max(1, maxBytes), finishFlush: constants.Z_SYNC_FLUSH });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new Error(`DEFLATE data decodes to more than the block's ${maxBytes} bytes`, { cause: error });
    throw error;
  }
}

/** Decode a PackBits block (TIFF 6.0 section 9) to at most `maxBytes`. */
function decodePackBits(input: Uint8Array, maxBytes: number): Uint8Array {
  const output = new Uint8Array(maxBytes);
  let written = 0;
  const overflow = () => new Error(`PackBits data decodes to more than the block's ${maxBytes} bytes`);
  for (let i = 0; i < input.length;) {
    const header = (input[i++] << 24) >> 24; // signed byte
    if (header >= 0) {
      const count = header + 1; // literal run
      if (written + count > maxBytes) throw overflow();
      if (i + count > input.length) throw new Error('PackBits data ends inside a literal run');
      output.set(input.subarray(i, i + count), written);
      written += count;
      i += count;
    } else if (header !== -128) {
      const count = 1 - header; // repeat run
      if (written + count > maxBytes) throw overflow();
      if (i >= input.length) throw new Error('PackBits data ends inside a repeat run');
      output.fill(input[i], written, written + count);
      written += count;
      i++;
    } // −128: no operation
  }
  return output.subarray(0, written);
}

/** An ArrayBuffer holding exactly `bytes` (zlib's small results are views into a shared pool). */
function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  const whole =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return whole ? bytes.buffer : bytes.slice().buffer;
}

let registered = false;

/** Make geotiff decode LZW, DEFLATE and PackBits blocks with the bounded decoders here (once per process). */
export function useBoundedDecoders(): void {
  if (registered) return;
  const { addDecoder, BaseDecoder } = geotiffLibrary();
  const decoderFor = (decode: (input: Uint8Array, maxBytes: number) => Uint8Array) =>
    class BoundedDecoder extends BaseDecoder {
      override decodeBlock(buffer: ArrayBufferLike): ArrayBufferLike {
        return exactBuffer(decode(new Uint8Array(buffer), blockBytes(this.parameters)));
      }
    };
  const lzw = decoderFor(decodeLzw),
    deflate = decoderFor(inflateBounded),
    packBits = decoderFor(decodePackBits);
  addDecoder(LZW, () => Promise.resolve(lzw), undefined, false);
  addDecoder(DEFLATE, () => Promise.resolve(deflate), undefined, false);
  addDecoder(PACKBITS, () => Promise.resolve(packBits), undefined, false);
  registered = true;
}
