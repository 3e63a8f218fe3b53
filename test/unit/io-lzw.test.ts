import { describe, expect, it } from 'vitest';
import { decodeLzw } from '../../src/io/tiff-lzw.js';

/** Pack 9-bit codes MSB-first, as TIFF LZW does before the table reaches 511 entries. */
function pack9(codes: number[]): Uint8Array {
  const bytes = new Uint8Array(Math.ceil((codes.length * 9) / 8));
  codes.forEach((code, i) => {
    for (let b = 0; b < 9; b++) {
      if ((code >> (8 - b)) & 1) {
        const bit = i * 9 + b;
        bytes[bit >> 3] |= 0x80 >> (bit & 7);
      }
    }
  });
  return bytes;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const [CLEAR, EOI, A, B] = [256, 257, 65, 66];

describe('decodeLzw', () => {
  it('decodes codes defined earlier in the block', () => {
    expect(text(decodeLzw(pack9([CLEAR, A, B, 258, EOI]), 100))).toBe('ABAB');
  });

  it('decodes the code being defined (KwKwK) and tolerates a missing end code', () => {
    expect(text(decodeLzw(pack9([CLEAR, A, 258, 259]), 100))).toBe('AAAAAA');
  });

  it('throws on an undefined code or output longer than the block, instead of looping', () => {
    expect(() => decodeLzw(pack9([CLEAR, A, 300, EOI]), 100)).toThrow('code 300 is not yet defined');
    expect(() => decodeLzw(pack9([CLEAR, A, B, 258, EOI]), 3)).toThrow("more than the block's 3 bytes");
  });
});
