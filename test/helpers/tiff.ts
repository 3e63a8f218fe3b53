/** A tag of a hand-made TIFF: type 3 (SHORT) or 4 (LONG), one value. */
export type TiffEntry = [tag: number, type: 3 | 4, value: number];

/**
 * A minimal little-endian classic TIFF written by hand: one IFD of single-valued `entries` (sorted
 * by tag), followed by `data`. The entry whose tag is `offsetTag` (StripOffsets 273 or TileOffsets
 * 324) gets the data's offset. For tests of hostile or unusual headers that writers refuse to make.
 */
export function handMadeTiff(entries: TiffEntry[], data: Uint8Array, offsetTag: 273 | 324): Uint8Array {
  const dataOffset = 8 + 2 + entries.length * 12 + 4;
  const bytes = new Uint8Array(dataOffset + data.length);
  const view = new DataView(bytes.buffer);
  bytes.set([0x49, 0x49, 42, 0]);
  view.setUint32(4, 8, true);
  view.setUint16(8, entries.length, true);
  entries.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    view.setUint16(at, tag, true);
    view.setUint16(at + 2, type, true);
    view.setUint32(at + 4, 1, true);
    const stored = tag === offsetTag ? dataOffset : value;
    if (type === 3) view.setUint16(at + 8, stored, true);
    else view.setUint32(at + 8, stored, true);
  });
  bytes.set(data, dataOffset);
  return bytes;
}
