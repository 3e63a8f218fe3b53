// geotiff 3.0.5's own LZW decoder follows dictionary links without bounds: a corrupt LZW block can
// make it grow a JS array until V8 aborts the whole process (no exception to catch). This decoder
// (registered by tiff-decoders.ts) is the same TIFF 6.0 LZW (MSB-first codes, 9 to 12 bits, "early change"), but every code is
// checked, strings are copied from fixed-size tables, and the output cannot exceed the block size.

const CLEAR_CODE = 256;
const END_OF_INFORMATION = 257;
const FIRST_FREE_CODE = 258;
const MAX_CODE_BITS = 12;
const TABLE_SIZE = 1 << MAX_CODE_BITS;

/** Decode one TIFF LZW block, at most `maxBytes` bytes (the strip or tile size). Throws on corrupt data. */
export function decodeLzw(input: Uint8Array, maxBytes: number): Uint8Array {
  const prefix = new Uint16Array(TABLE_SIZE);
  const suffix = new Uint8Array(TABLE_SIZE);
  const firstByte = new Uint8Array(TABLE_SIZE);
  const stringLength = new Uint16Array(TABLE_SIZE);
  for (let code = 0; code < 256; code++) {
    suffix[code] = firstByte[code] = code;
    stringLength[code] = 1;
  }
  let output = new Uint8Array(Math.min(maxBytes, Math.max(1024, input.length * 4)));
  let written = 0;
  const totalBits = input.length * 8;
  let bitPosition = 0;
  let codeBits = 9;
  let nextCode = FIRST_FREE_CODE;
  let previous = -1;

  const readCode = (): number => {
    if (bitPosition + codeBits > totalBits) return END_OF_INFORMATION; // a missing EOI is tolerated, as libtiff does
    let code = 0;
    for (let need = codeBits; need > 0;) {
      const bitInByte = bitPosition & 7;
      const take = Math.min(8 - bitInByte, need);
      const bits = (input[bitPosition >> 3] >> (8 - bitInByte - take)) & ((1 << take) - 1);
      code = (code << take) | bits;
      bitPosition += take;
      need -= take;
    }
    return code;
  };
  const emit = (code: number): void => {
    const length = stringLength[code];
    if (written + length > maxBytes) throw new Error(`LZW data decodes to more than the block's ${maxBytes} bytes`);
    if (written + length > output.length) {
      const grown = new Uint8Array(Math.min(maxBytes, Math.max(2 * output.length, written + length)));
      grown.set(output.subarray(0, written));
      output = grown;
    }
    for (let at = written + length - 1, c = code; at >= written; at--, c = prefix[c]) output[at] = suffix[c];
    written += length;
  };
  const addString = (before: number, byte: number): void => {
    if (nextCode >= TABLE_SIZE) return; // table full without a clear code: keep decoding, add nothing
    prefix[nextCode] = before;
    suffix[nextCode] = byte;
    firstByte[nextCode] = firstByte[before];
    stringLength[nextCode] = stringLength[before] + 1;
    nextCode++;
  };

  for (let code = readCode(); code !== END_OF_INFORMATION; code = readCode()) {
    if (code === CLEAR_CODE) {
      codeBits = 9;
      nextCode = FIRST_FREE_CODE;
      previous = -1;
      continue;
    }
    if (previous === -1) {
      if (code > 255) throw new Error(`corrupt LZW data: code ${code} right after a clear code`);
      emit(code);
    } else if (code < nextCode) {
      emit(code);
      addString(previous, firstByte[code]);
    } else if (code === nextCode && nextCode < TABLE_SIZE) {
      addString(previous, firstByte[previous]); // the "KwKwK" case: the new string is previous + its own first byte
      emit(code);
    } else {
      throw new Error(`corrupt LZW data: code ${code} is not yet defined (next free code ${nextCode})`);
    }
    previous = code;
    if (nextCode + 1 >= 1 << codeBits && codeBits < MAX_CODE_BITS) codeBits++;
  }
  return output.slice(0, written);
}
