/**
 * The three passes every real 2-D half-spectrum is made of, as both FFT engines (fft-batched.ts for
 * most sizes, fft-engine.ts's per-vector engine for the others) take them: tapered pairs of real
 * rows, tapered rows without a partner, and tapered columns. A pass is described by one object whose
 * fields name where it reads and where it writes. Row half-spectra are rows of `half = ⌊n/2⌋ + 1`
 * interleaved complex samples: row r of `out` starts at `out[2·r·half]`.
 */

/** Consecutive pairs of real rows of a strided array, each packed into one complex transform. */
export interface PairPass {
  /** The values read (a grid, or a window in it). */
  src: Float64Array;
  /** Index in `src` of element 0 of pair 0's first row. */
  first: number;
  /** From one element of a row to the next, in `src`. */
  colStride: number;
  /** From the first row of a pair to the first row of the next pair. */
  pairStride: number;
  /** From a pair's first row to its second (its partner). */
  partnerOffset: number;
  /** Number of pairs. */
  count: number;
  /** Element j of every row is multiplied by `weights[j]` (a taper; length n). */
  weights: Float64Array;
  /** Where the half-spectra go: pair p's first row to row `outRow + 2p`, its partner to the row after. */
  out: Float64Array;
  /** Row of `out` that pair 0's first row goes to. */
  outRow: number;
  /** Columns of a half-spectrum row: ⌊n/2⌋ + 1. */
  half: number;
}

/** Real rows without a partner, each transformed alone (zero imaginary part). */
export interface SoloPass {
  /** The values read. */
  src: Float64Array;
  /** Index in `src` of element 0 of each row. */
  starts: ArrayLike<number>;
  /** From one element of a row to the next, in `src`. */
  colStride: number;
  /** Element j of every row is multiplied by `weights[j]` (length n). */
  weights: Float64Array;
  /** Row half-spectra, as {@link PairPass}'s. */
  out: Float64Array;
  /** The row of `out` each row's half-spectrum goes to. */
  outRows: ArrayLike<number>;
  /** Columns of a half-spectrum row: ⌊n/2⌋ + 1. */
  half: number;
}

/** The n-point DFT down each of the `half` columns of n half-spectrum rows. */
export interface ColumnPass {
  /** Row half-spectra (interleaved complex); must not overlap `out`. */
  src: Float64Array;
  /** Index in `src` of row j of the window, j < n. */
  rowStart: Int32Array;
  /** Row j is multiplied by `weights[j]` on the way in. */
  weights: Float64Array;
  /** `n × half` interleaved complex, row-major; or with `squared` `n × half` values |F|². */
  out: Float64Array;
  /** Columns of the row half-spectra, each transformed. */
  half: number;
  /** Write |F|² rather than F; default false. */
  squared?: boolean;
}

/** A length-n engine for the three passes. Engines keep scratch memory: one thread each. */
export interface RowColumnEngine {
  /** Transform length, samples. */
  readonly n: number;
  /** Row half-spectra of pairs of real rows, packed two to a transform. */
  taperedPairs(pass: PairPass): void;
  /** Row half-spectra of real rows transformed alone. */
  taperedSolos(pass: SoloPass): void;
  /** The DFT down each column of n row half-spectra. */
  taperedColumns(pass: ColumnPass): void;
}

/**
 * Half-spectra of `count` pairs of real rows a and b from the DFTs Z of z = a + ib:
 * A_k = (Z_k + conj Z_{n−k})/2, B_k = (Z_k − conj Z_{n−k})/2i, for k < half. Vector v's Z_k is at
 * `z[k·zRow + 2v]` (re, im); pair v's A goes to row `outRow + 2v` of `out` (rows of `half`
 * interleaved complex samples) and its B to the row after. Walks z row by row: a batch of vectors
 * is unpacked in the order its transform wrote it.
 */
export function unpackRealPairs(
  z: Float64Array,
  zRow: number,
  count: number,
  n: number,
  out: Float64Array,
  outRow: number,
  half: number,
): void {
  for (let k = 0; k < half; k++) {
    const nk = k === 0 ? 0 : n - k;
    for (let v = 0, s = k * zRow, t = nk * zRow; v < count; v++, s += 2, t += 2) {
      const zr = z[s],
        zi = z[s + 1];
      const wr = z[t],
        wi = -z[t + 1]; // conj Z_{n−k}
      const oa = 2 * ((outRow + 2 * v) * half + k);
      out[oa] = 0.5 * (zr + wr);
      out[oa + 1] = 0.5 * (zi + wi);
      const ob = oa + 2 * half;
      out[ob] = 0.5 * (zi - wi); // (Z − conj W)/2i
      out[ob + 1] = -0.5 * (zr - wr);
    }
  }
}
