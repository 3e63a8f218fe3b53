/**
 * Tapered 2-D half-spectra of square windows read in place from a strided array (a grid, or one
 * window of it), with the row transforms shared among windows that have the same columns.
 *
 * A window's spectrum is `F = FFT2(x · outer(t, t))`. Rows are transformed first, two real rows
 * packed into one complex transform, then columns. In a map, the windows centred on one grid column
 * have the same column range, so the tapered row segments `x[R][c0 + c]·t[c]` of a grid row R are the
 * same in all of them: their transforms are computed once for every row the windows cover, and each
 * window only does its column pass, weighting row r of the window by `t[r]` on the way in. For a
 * result that does not depend on which windows are computed together (and is bit-identical to the
 * spectrum of one window alone, whatever order or batch a map runs in), every row's arithmetic is a
 * function of the grid alone:
 *
 * - rows are paired by their absolute row parity: row R (with `(parity0 + R)` even) goes with row
 *   R + 1. A window whose first row is odd, or whose last row is even, has that row without its
 *   partner: it is transformed alone ("solo", zero imaginary part), never with a row outside the
 *   window (whose values might be NaN, and would change its rounding);
 * - the column taper multiplies the values as they are read (folded into the Bluestein chirp), the
 *   row taper multiplies each row's half-spectrum as the column pass reads it (likewise folded).
 *
 * Reading in place also means no copy of the window: a NaN or infinite value makes the whole
 * spectrum NaN (every output of a transform depends on every input), which the caller detects on
 * the spectrum and only then counts the bad values (see {@link countNonFinite}).
 */
import { fftEngine } from './fft-engine.js';

/** Values at `data[offset + r·rowStride + c·colStride]`. */
export interface StridedSource {
  data: Float64Array;
  offset: number;
  rowStride: number;
  colStride: number;
}

/** Square windows of one strided array that share their columns, for {@link taperedWindowSpectra}. */
export interface SharedColumnWindows {
  /** The array read; column 0 of every window is its column 0. */
  source: StridedSource;
  /** Window side, samples. */
  n: number;
  /** The {@link rowParity} of the source's row 0: rows are paired by their parity in the grid. */
  parity0: number;
  /** Row of `source` each window starts at. */
  rowStarts: ArrayLike<number>;
  /** Taper weights applied to the columns of each row (the row pass) and, unless `rowTapers` is given, to the rows. */
  weights: Float64Array;
  /**
   * Tapers of the window's rows (the column pass), when they differ: a multitaper's products
   * t_p(row)·t_q(column) for every p share one row pass. `visit` is then called once per window and
   * row taper, in this order.
   */
  rowTapers?: readonly Float64Array[];
  /** Pass |F|² (one real a sample) instead of the complex half-spectrum; default false. */
  squared?: boolean;
}

/** ⌊a / b⌋ on integers, exactly (b ≠ 0). */
function floorDiv(a: number, b: number): number {
  if (b < 0) return floorDiv(-a, -b);
  let q = Math.floor(a / b);
  const r = a - q * b;
  if (r < 0) q--;
  else if (r >= b) q++;
  return q;
}

/**
 * Parity (0 or 1) of the absolute row of the element at `offset` of an array with row stride
 * `rowStride`: the row of the underlying grid for a window view of it (`⌊offset / rowStride⌋`, which
 * for a view cut at grid row R is R plus a constant), 0 for a contiguous array.
 */
export function rowParity(offset: number, rowStride: number): number {
  return rowStride === 0 ? 0 : floorDiv(offset, rowStride) & 1;
}

/** Row spectra of one group of windows: grown, never shrunk. */
let rowBuffer = new Float64Array(0);
let windowBuffer = new Float64Array(0);
/** Bound on the row spectra held at once (doubles): windows far apart are done in several chunks. */
const ROW_BUFFER_LIMIT = 1 << 21;

/**
 * Tapered half-spectra `n × (⌊n/2⌋ + 1)` (interleaved complex, as `rfft2dHalf`; or with `squared`
 * their |F|², one real each) of the windows `n × n` whose row 0 is row `rowStarts[i]` of the source
 * and whose column 0 is its column 0. Each is passed to `visit(i, spectrum)` as it is made, in an
 * unspecified order; `spectrum` is scratch memory, valid during the call only. Row pairing follows
 * `parity0`, so that a window gives the same bits alone and among others.
 */
export function taperedWindowSpectra(
  windows: SharedColumnWindows,
  visit: (i: number, spectrum: Float64Array) => void,
): void {
  const { n, rowStarts } = windows;
  const count = rowStarts.length;
  if (count === 0) return;
  const half = (n >> 1) + 1;
  const order = Array.from({ length: count }, (_, i) => i);
  order.sort((a, b) => rowStarts[a] - rowStarts[b]);
  const maxSlots = Math.max(n + 2, Math.floor(ROW_BUFFER_LIMIT / (2 * half)));
  for (let from = 0; from < count;) {
    // A chunk of windows (by first row) whose rows and solo rows fit in the row buffer.
    const lo = rowStarts[order[from]];
    let to = from + 1;
    while (to < count && rowStarts[order[to]] + n - lo + 2 * (to + 1 - from) <= maxSlots) to++;
    spectraOfChunk({ windows, chunk: order.slice(from, to), visit });
    from = to;
  }
}

/** One chunk of {@link taperedWindowSpectra}: the indices of its windows (by first row) and where their spectra go. */
interface Chunk {
  windows: SharedColumnWindows;
  chunk: number[];
  visit: (i: number, spectrum: Float64Array) => void;
}

function spectraOfChunk({ windows, chunk, visit }: Chunk): void {
  const { n, weights, rowTapers = [weights], squared = false } = windows;
  const half = (n >> 1) + 1;
  const slots = rowSlots(windows, chunk);
  if (rowBuffer.length < 2 * half * slots.count) rowBuffer = new Float64Array(2 * half * slots.count);
  transformRows(windows, slots, rowBuffer, half);
  // Column pass of each window.
  const size = (squared ? 1 : 2) * n * half;
  if (windowBuffer.length < size) windowBuffer = new Float64Array(size);
  const out = windowBuffer.length === size ? windowBuffer : windowBuffer.subarray(0, size);
  const rowStart = new Int32Array(n);
  const fft = fftEngine(n);
  for (const i of chunk) {
    windowRowStarts(windows, slots, windows.rowStarts[i], half, rowStart);
    for (const rowTaper of rowTapers) {
      fft.taperedColumns({ src: rowBuffer, rowStart, weights: rowTaper, out, half, squared });
      visit(i, out);
    }
  }
}

/**
 * The rows a chunk of windows needs transformed, and the slot of the row buffer each row's
 * half-spectrum goes to: the pairs some window holds whole, two slots each and in order, then the
 * rows transformed alone.
 */
interface RowSlots {
  /** Pair p is rows `aBase + 2p` and `aBase + 2p + 1`. */
  aBase: number;
  /** Slot of pair p's first row (its partner's is the next), or −1 when no window holds the pair. */
  pairSlot: Int32Array;
  /** Row → slot, for the rows transformed alone (a window's first row that ends a pair, or last row that starts one). */
  soloSlot: Map<number, number>;
  /** Slots in all. */
  count: number;
}

/** Whether a row is the first of its pair: rows are paired by their absolute parity. */
function startsPair(parity0: number, row: number): boolean {
  return ((parity0 + row) & 1) === 0;
}

function rowSlots({ n, parity0, rowStarts }: SharedColumnWindows, chunk: number[]): RowSlots {
  const lo = rowStarts[chunk[0]];
  let hi = lo;
  for (const i of chunk) hi = Math.max(hi, rowStarts[i] + n - 1);
  const aBase = startsPair(parity0, lo) ? lo : lo - 1;
  const pairs = ((hi - aBase) >> 1) + 1;
  // How many windows hold each pair whole, as a difference array; and the rows without a partner.
  const needed = new Int32Array(pairs + 1);
  const solos: number[] = [];
  for (const i of chunk) {
    const s = rowStarts[i],
      e = s + n - 1;
    const firstA = startsPair(parity0, s) ? s : s + 1;
    const lastA = startsPair(parity0, e) ? e - 2 : e - 1;
    if (lastA >= firstA) {
      needed[(firstA - aBase) >> 1]++;
      needed[((lastA - aBase) >> 1) + 1]--;
    }
    if (!startsPair(parity0, s)) solos.push(s);
    if (startsPair(parity0, e)) solos.push(e);
  }
  const pairSlot = new Int32Array(pairs).fill(-1);
  let count = 0;
  for (let p = 0, depth = 0; p < pairs; p++) {
    depth += needed[p];
    if (depth > 0) {
      pairSlot[p] = count;
      count += 2;
    }
  }
  const soloSlot = new Map<number, number>();
  for (const row of solos) if (!soloSlot.has(row)) soloSlot.set(row, count++);
  return { aBase, pairSlot, soloSlot, count };
}

/** Row pass: runs of consecutive needed pairs, then the rows alone, into their slots of `rows`. */
function transformRows(
  { source, n, weights }: SharedColumnWindows,
  { aBase, pairSlot, soloSlot }: RowSlots,
  rows: Float64Array,
  half: number,
): void {
  const fft = fftEngine(n);
  const { data, offset, rowStride, colStride } = source;
  for (let p = 0; p < pairSlot.length;) {
    if (pairSlot[p] < 0) {
      p++;
      continue;
    }
    let end = p + 1;
    while (end < pairSlot.length && pairSlot[end] >= 0) end++;
    fft.taperedPairs({
      src: data,
      first: offset + (aBase + 2 * p) * rowStride,
      colStride,
      pairStride: 2 * rowStride,
      partnerOffset: rowStride,
      count: end - p,
      weights,
      out: rows,
      outRow: pairSlot[p],
      half,
    });
    p = end;
  }
  if (soloSlot.size > 0) {
    const starts = Array.from(soloSlot.keys(), (row) => offset + row * rowStride);
    fft.taperedSolos({
      src: data,
      starts,
      colStride,
      weights,
      out: rows,
      outRows: Array.from(soloSlot.values()),
      half,
    });
  }
}

/** Where each row j of the window starting at row `s` has its half-spectrum in the row buffer. */
function windowRowStarts(
  { n, parity0 }: SharedColumnWindows,
  { aBase, pairSlot, soloSlot }: RowSlots,
  s: number,
  half: number,
  rowStart: Int32Array,
): void {
  for (let j = 0; j < n; j++) {
    const row = s + j;
    const first = startsPair(parity0, row);
    const paired = first ? j + 1 < n : j > 0;
    const slot = paired ? pairSlot[(row - aBase) >> 1] + (first ? 0 : 1) : soloSlot.get(row)!;
    rowStart[j] = 2 * half * slot;
  }
}

/**
 * Number of NaN or infinite values among the `rows × cols` values at
 * `data[offset + r·rowStride + c·colStride]`: the slow path once a spectrum came out non-finite.
 */
export function countNonFinite(
  data: ArrayLike<number>,
  offset: number,
  rowStride: number,
  colStride: number,
  rows: number,
  cols: number,
): number {
  let bad = 0;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) if (!Number.isFinite(data[offset + r * rowStride + c * colStride])) bad++;
  return bad;
}
