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
import { BatchedBluestein } from './fft-batched.js';
import { fftPlan } from './fft.js';

/** Values at `data[offset + r·rowStride + c·colStride]`. */
export interface StridedSource {
  data: Float64Array;
  offset: number;
  rowStride: number;
  colStride: number;
}

/** The three passes, on the batched Bluestein kernel or (powers of two) one vector at a time on fft.js. */
interface RowColumnEngine {
  taperedPairs(src: Float64Array, first: number, colStride: number, pairStride: number, imagOffset: number, count: number, weights: Float64Array, out: Float64Array, outRow: number, half: number): void;
  taperedSolos(src: Float64Array, offsets: ArrayLike<number>, colStride: number, weights: Float64Array, out: Float64Array, outRows: ArrayLike<number>, half: number): void;
  taperedColumns(src: Float64Array, rowStart: Int32Array, weights: Float64Array, dst: Float64Array, half: number, squared?: boolean): void;
}

/** The same passes through {@link fftPlan}, one vector at a time (sizes the batched kernel does not take). */
class VectorEngine implements RowColumnEngine {
  private readonly packed: Float64Array;
  private readonly spectrum: Float64Array;
  constructor(readonly n: number) {
    this.packed = new Float64Array(2 * n);
    this.spectrum = new Float64Array(2 * n);
  }

  taperedPairs(src: Float64Array, first: number, colStride: number, pairStride: number, imagOffset: number, count: number, weights: Float64Array, out: Float64Array, outRow: number, half: number): void {
    const { n, packed, spectrum } = this;
    const plan = fftPlan(n);
    for (let p = 0; p < count; p++) {
      const a = first + p * pairStride;
      for (let c = 0; c < n; c++) {
        packed[2 * c] = src[a + c * colStride] * weights[c];
        packed[2 * c + 1] = src[a + imagOffset + c * colStride] * weights[c];
      }
      plan.forward(packed, 0, 1, spectrum, 0, 1);
      const oa = 2 * (outRow + 2 * p) * half, ob = oa + 2 * half;
      for (let k = 0; k < half; k++) {
        const nk = k === 0 ? 0 : n - k;
        const zr = spectrum[2 * k], zi = spectrum[2 * k + 1];
        const wr = spectrum[2 * nk], wi = -spectrum[2 * nk + 1];
        out[oa + 2 * k] = 0.5 * (zr + wr);
        out[oa + 2 * k + 1] = 0.5 * (zi + wi);
        out[ob + 2 * k] = 0.5 * (zi - wi);
        out[ob + 2 * k + 1] = -0.5 * (zr - wr);
      }
    }
  }

  taperedSolos(src: Float64Array, offsets: ArrayLike<number>, colStride: number, weights: Float64Array, out: Float64Array, outRows: ArrayLike<number>, half: number): void {
    const { n, packed, spectrum } = this;
    const plan = fftPlan(n);
    for (let b = 0; b < offsets.length; b++) {
      for (let c = 0; c < n; c++) {
        packed[2 * c] = src[offsets[b] + c * colStride] * weights[c];
        packed[2 * c + 1] = 0;
      }
      plan.forward(packed, 0, 1, spectrum, 0, 1);
      out.set(spectrum.subarray(0, 2 * half), 2 * outRows[b] * half);
    }
  }

  taperedColumns(src: Float64Array, rowStart: Int32Array, weights: Float64Array, dst: Float64Array, half: number, squared = false): void {
    const { n, packed, spectrum } = this;
    const plan = fftPlan(n);
    for (let k = 0; k < half; k++) {
      for (let j = 0; j < n; j++) {
        packed[2 * j] = src[rowStart[j] + 2 * k] * weights[j];
        packed[2 * j + 1] = src[rowStart[j] + 2 * k + 1] * weights[j];
      }
      plan.forward(packed, 0, 1, spectrum, 0, 1);
      for (let j = 0; j < n; j++) {
        const re = spectrum[2 * j], im = spectrum[2 * j + 1];
        if (squared) dst[j * half + k] = re * re + im * im;
        else {
          dst[2 * (j * half + k)] = re;
          dst[2 * (j * half + k) + 1] = im;
        }
      }
    }
  }
}

const engines = new Map<number, RowColumnEngine>();

function engine(n: number): RowColumnEngine {
  let found = engines.get(n);
  if (!found) {
    found = n >= 3 && (n & (n - 1)) !== 0 ? new BatchedBluestein(n) : new VectorEngine(n);
    engines.set(n, found);
  }
  return found;
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
 * Tapered half-spectra `n × (⌊n/2⌋ + 1)` (interleaved complex, as {@link rfft2dHalf}; or with
 * `squared` their |F|², one real each) of the windows `n × n` whose row 0 is row `rowStarts[i]` of
 * `src` and whose column 0 is column 0 of `src`. Each is passed to `visit(i, spectrum)` as it is
 * made, in an unspecified order; `spectrum` is scratch memory, valid during the call only. Row
 * pairing follows `parity0`, the {@link rowParity} of `src`'s row 0, so that a window gives the same
 * bits alone and among others. `weights` taper both axes, unless `rowWeights` (the taper of the
 * window's rows, applied in the column pass) is given: a multitaper's products t_p(row)·t_q(column).
 */
export function taperedWindowSpectra(src: StridedSource, n: number, parity0: number, rowStarts: ArrayLike<number>, weights: Float64Array, visit: (i: number, spectrum: Float64Array) => void, squared = false, rowWeights = weights): void {
  const count = rowStarts.length;
  if (count === 0) return;
  const half = (n >> 1) + 1;
  const order = Array.from({ length: count }, (_, i) => i);
  order.sort((a, b) => rowStarts[a] - rowStarts[b]);
  const maxSlots = Math.max(n + 2, Math.floor(ROW_BUFFER_LIMIT / (2 * half)));
  for (let from = 0; from < count; ) {
    // A chunk of windows (by first row) whose rows and solo rows fit in the row buffer.
    const lo = rowStarts[order[from]];
    let to = from + 1;
    while (to < count && rowStarts[order[to]] + n - lo + 2 * (to + 1 - from) <= maxSlots) to++;
    spectraOfChunk(src, n, half, parity0, rowStarts, order.slice(from, to), weights, visit, squared, rowWeights);
    from = to;
  }
}

function spectraOfChunk(src: StridedSource, n: number, half: number, parity0: number, rowStarts: ArrayLike<number>, windows: number[], weights: Float64Array, visit: (i: number, spectrum: Float64Array) => void, squared: boolean, rowWeights: Float64Array): void {
  const fft = engine(n);
  const { data, offset, rowStride, colStride } = src;
  const isFirst = (row: number) => ((parity0 + row) & 1) === 0; // first row of an absolute pair
  const lo = rowStarts[windows[0]];
  let hi = lo;
  for (const i of windows) hi = Math.max(hi, rowStarts[i] + n - 1);
  // Pair p is rows aBase + 2p and aBase + 2p + 1; a window needs the pairs wholly inside it.
  const aBase = isFirst(lo) ? lo : lo - 1;
  const pairs = ((hi - aBase) >> 1) + 1;
  const needed = new Int32Array(pairs + 1);
  const solos = new Map<number, number>(); // row → its solo's index
  for (const i of windows) {
    const s = rowStarts[i], e = s + n - 1;
    const firstA = isFirst(s) ? s : s + 1;
    const lastA = isFirst(e) ? e - 2 : e - 1;
    if (lastA >= firstA) {
      needed[(firstA - aBase) >> 1]++;
      needed[((lastA - aBase) >> 1) + 1]--;
    }
    if (!isFirst(s) && !solos.has(s)) solos.set(s, solos.size);
    if (isFirst(e) && !solos.has(e)) solos.set(e, solos.size);
  }
  // Compact slots: needed pairs first (two rows each, in order), then the solo rows.
  const pairSlot = new Int32Array(pairs).fill(-1);
  let slots = 0;
  for (let p = 0, depth = 0; p < pairs; p++) {
    depth += needed[p];
    if (depth > 0) {
      pairSlot[p] = slots;
      slots += 2;
    }
  }
  const soloBase = slots;
  slots += solos.size;
  if (rowBuffer.length < 2 * half * slots) rowBuffer = new Float64Array(2 * half * slots);
  const rows = rowBuffer;
  // Row pass: runs of consecutive needed pairs, then the solos.
  for (let p = 0; p < pairs; ) {
    if (pairSlot[p] < 0) {
      p++;
      continue;
    }
    let end = p + 1;
    while (end < pairs && pairSlot[end] >= 0) end++;
    fft.taperedPairs(data, offset + (aBase + 2 * p) * rowStride, colStride, 2 * rowStride, rowStride, end - p, weights, rows, pairSlot[p], half);
    p = end;
  }
  if (solos.size > 0) {
    const offsets: number[] = [], outRows: number[] = [];
    for (const [row, index] of solos) {
      offsets.push(offset + row * rowStride);
      outRows.push(soloBase + index);
    }
    fft.taperedSolos(data, offsets, colStride, weights, rows, outRows, half);
  }
  // Column pass of each window.
  const size = (squared ? 1 : 2) * n * half;
  if (windowBuffer.length < size) windowBuffer = new Float64Array(size);
  const out = windowBuffer.length === size ? windowBuffer : windowBuffer.subarray(0, size);
  const rowStart = new Int32Array(n);
  for (const i of windows) {
    const s = rowStarts[i];
    for (let j = 0; j < n; j++) {
      const row = s + j;
      const paired = isFirst(row) ? j + 1 < n : j > 0;
      const slot = paired ? pairSlot[(row - aBase) >> 1] + (isFirst(row) ? 0 : 1) : soloBase + solos.get(row)!;
      rowStart[j] = 2 * half * slot;
    }
    fft.taperedColumns(rows, rowStart, rowWeights, out, half, squared);
    visit(i, out);
  }
}

/**
 * Number of NaN or infinite values among the `rows × cols` values at
 * `data[offset + r·rowStride + c·colStride]`: the slow path once a spectrum came out non-finite.
 */
export function countNonFinite(data: ArrayLike<number>, offset: number, rowStride: number, colStride: number, rows: number, cols: number): number {
  let bad = 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (!Number.isFinite(data[offset + r * rowStride + c * colStride])) bad++;
  return bad;
}
