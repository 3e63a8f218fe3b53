/**
 * Batched Bluestein DFTs: many length-n transforms at once, on the project's own power-of-two
 * kernel, run along one axis of an `M × batch` matrix whose batch index is contiguous in memory.
 * The engine of the real 2-D spectra for every size but 1, 2 and powers of two (fft-engine.ts says
 * why it exists); it offers the three passes of row-column.ts.
 *
 * Bluestein: with `c_j = e^{−iπ j²/n}`, `X_k = c_k Σ_j (x_j c_j) conj(c_{k−j})`, a cyclic convolution
 * of length M ≥ 2n − 1 (a power of two) of the chirped input with the kernel `conj(c)`:
 *
 * - the forward transform is by decimation in frequency. Its first radix-2 stage (size M) and first
 *   radix-4 stage (size L = M/2) are one pass, fused with reading the input and the chirp product:
 *   an 8-point butterfly whose upper four inputs are zero (n ≤ M/2), and inputs at rows ≥ n skipped;
 * - then radix-4 stages; the last forward stage, the kernel product and the first inverse stage are
 *   one pass. The digit-reversed order the forward stages leave is never undone: the kernel is
 *   stored in that order, and the inverse, by decimation in time, takes it back to natural order;
 * - the inverse's last two stages are fused with the output chirp and the write-out, of the n
 *   outputs needed only.
 *
 * In every stage the inner loop runs over the batch: twiddles are loaded once per batch and memory
 * is walked sequentially. Planes are split, `re[row·w + b]` and `im[row·w + b]`. Sign convention as
 * numpy (forward `e^{−2πi jk/n}`). A plan owns scratch memory: one thread each.
 */
import { type ColumnPass, type PairPass, type RowColumnEngine, type SoloPass, unpackRealPairs } from './row-column.js';

/** A chirp (times taper weights), split planes, length n. */
interface Chirp {
  re: Float64Array;
  im: Float64Array;
}

/**
 * Where a batched transform reads: element j of vector b is `data[offset + rowAt[j] + b·vectorStride]`
 * (real part) and `imagOffset` further (imaginary part); it is multiplied by `chirp[j]` on the way in.
 */
interface TransformInput {
  data: Float64Array;
  offset: number;
  rowAt: Int32Array;
  vectorStride: number;
  imagOffset: number;
  chirp: Chirp;
}

/**
 * Where a batched transform writes: output k of vector b goes to `data[offset + k·rowStride + 2b]`
 * (re, im), or with `squared` its |X_k|² to `data[offset + k·rowStride + b]`.
 */
interface TransformOutput {
  data: Float64Array;
  offset: number;
  rowStride: number;
  squared: boolean;
}

const SQRT1_2 = Math.SQRT1_2;

export class BatchedBluestein implements RowColumnEngine {
  /** Convolution length, a power of two ≥ 2n − 1 (and ≥ 8). */
  readonly m: number;
  /** M/2 and M/8: after the fused first pass, rows j + r·Q (r < 4) of each half feed one radix-4 butterfly. */
  private readonly l: number;
  private readonly q: number;
  /** Vectors transformed together: the two M × batch planes stay within ~256 KiB (L2 cache). */
  private readonly maxBatch: number;
  /** Chirp c_j, j < n. */
  private readonly cRe: Float64Array;
  private readonly cIm: Float64Array;
  /** Fused first/last pass twiddles: w_L^{p·j} (p = 1…3) for the top half, w_M^j·w_L^{p·j} (p = 0…3) for the bottom. */
  private readonly topTw: Float64Array;
  private readonly botTw: Float64Array;
  /** Inner radix-4 stage sizes (forward order, Q down to > the middle size) and their twiddles. */
  private readonly stages: number[];
  private readonly twiddles: Float64Array[];
  /** Size of the fused middle pass: 4, 2 or 1. */
  private readonly middle: number;
  /** Kernel FFT_M(conj c)/M, in the forward stages' digit-reversed order. */
  private readonly kernelRe: Float64Array;
  private readonly kernelIm: Float64Array;
  /** Work planes (M rows, odd row stride ≤ maxBatch + 1), and the row passes' output (interleaved complex, n rows). */
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly staging: Float64Array;
  /** Where element j of the first vector starts, for {@link gather} (n entries, refilled per call). */
  private readonly rowAt: Int32Array;
  /** Solo rows copied out with a zero imaginary half: `[x_0 … x_{n−1}, 0 … 0]` per vector. */
  private readonly soloStage: Float64Array;
  /** Chirps multiplied by taper weights, per weights array (named tapers are cached, so this hits). */
  private readonly weightedChirps = new WeakMap<Float64Array, Chirp>();

  constructor(readonly n: number) {
    if (!Number.isInteger(n) || n < 3) throw new RangeError(`batched Bluestein length ${n} must be an integer ≥ 3`);
    let m = 8;
    while (m < 2 * n - 1) m *= 2;
    this.m = m;
    const l = m >> 1,
      q = m >> 3;
    this.l = l;
    this.q = q;
    this.maxBatch = Math.max(8, Math.min(32, Math.floor(16384 / m)));
    this.cRe = new Float64Array(n);
    this.cIm = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const angle = (-Math.PI * ((j * j) % (2 * n))) / n; // j² mod 2n keeps the angle exact
      this.cRe[j] = Math.cos(angle);
      this.cIm[j] = Math.sin(angle);
    }
    this.topTw = new Float64Array(6 * q);
    this.botTw = new Float64Array(8 * q);
    for (let j = 0; j < q; j++) {
      for (let p = 1; p <= 3; p++) {
        const angle = (-2 * Math.PI * p * j) / l;
        this.topTw[6 * j + 2 * p - 2] = Math.cos(angle);
        this.topTw[6 * j + 2 * p - 1] = Math.sin(angle);
      }
      for (let p = 0; p <= 3; p++) {
        const angle = (-2 * Math.PI * (j + 2 * p * j)) / m;
        this.botTw[8 * j + 2 * p] = Math.cos(angle);
        this.botTw[8 * j + 2 * p + 1] = Math.sin(angle);
      }
    }
    this.stages = [];
    this.twiddles = [];
    let s = q;
    while (s > 4) {
      this.stages.push(s);
      this.twiddles.push(radix4Twiddles(s));
      s >>= 2;
    }
    this.middle = s;
    // Kernel h_j = conj(c_j) for |j| < n, wrapped to M, through the same forward stages; scaled by 1/M.
    const kr = new Float64Array(m),
      ki = new Float64Array(m);
    for (let j = 0; j < n; j++) {
      kr[j] = kr[(m - j) % m] = this.cRe[j];
      ki[j] = ki[(m - j) % m] = -this.cIm[j];
    }
    for (let j = 0; j < l; j++) {
      const ar = kr[j],
        ai = ki[j],
        br = kr[j + l],
        bi = ki[j + l];
      const angle = (-2 * Math.PI * j) / m;
      const wr = Math.cos(angle),
        wi = Math.sin(angle);
      kr[j] = ar + br;
      ki[j] = ai + bi;
      kr[j + l] = (ar - br) * wr - (ai - bi) * wi;
      ki[j + l] = (ar - br) * wi + (ai - bi) * wr;
    }
    difRadix4(kr, ki, m, 1, 1, l, radix4Twiddles(l));
    for (let i = 0; i < this.stages.length; i++) difRadix4(kr, ki, m, 1, 1, this.stages[i], this.twiddles[i]);
    if (this.middle === 4) difRadix4(kr, ki, m, 1, 1, 4, radix4Twiddles(4));
    else if (this.middle === 2)
      for (let i = 0; i < m; i += 2) {
        const ar = kr[i],
          ai = ki[i];
        kr[i] = ar + kr[i + 1];
        ki[i] = ai + ki[i + 1];
        kr[i + 1] = ar - kr[i + 1];
        ki[i + 1] = ai - ki[i + 1];
      }
    for (let i = 0; i < m; i++) {
      kr[i] /= m;
      ki[i] /= m;
    }
    this.kernelRe = kr;
    this.kernelIm = ki;
    this.re = new Float64Array(m * (this.maxBatch + 1));
    this.im = new Float64Array(m * (this.maxBatch + 1));
    this.staging = new Float64Array(2 * n * (this.maxBatch + 1));
    this.rowAt = new Int32Array(n);
    this.soloStage = new Float64Array(2 * n * this.maxBatch);
  }

  /**
   * The input chirp times real weights, `t_j·c_j`: weighting a vector's elements before the
   * transform costs nothing when folded in here (the taper of the three passes).
   */
  private chirpTimes(weights: Float64Array): Chirp {
    let chirp = this.weightedChirps.get(weights);
    if (!chirp) {
      const { n, cRe, cIm } = this;
      if (weights.length !== n) throw new RangeError(`${weights.length} weights for a length-${n} transform`);
      chirp = { re: new Float64Array(n), im: new Float64Array(n) };
      for (let j = 0; j < n; j++) {
        chirp.re[j] = weights[j] * cRe[j];
        chirp.im[j] = weights[j] * cIm[j];
      }
      this.weightedChirps.set(weights, chirp);
    }
    return chirp;
  }

  /** Fill {@link rowAt} with `j·step`. */
  private linearRows(step: number): Int32Array {
    const { rowAt, n } = this;
    for (let j = 0; j < n; j++) rowAt[j] = j * step;
    return rowAt;
  }

  /** Batches of at most maxBatch vectors, as even as can be: the size of each (the last may be smaller). */
  private batchSize(count: number): number {
    return Math.ceil(count / Math.ceil(count / this.maxBatch));
  }

  /**
   * Tapered row pass over pairs of real rows (see {@link PairPass}), packed as z = a + ib,
   * transformed and unpacked. Each pair's arithmetic is the same whichever batch it is in, so a
   * row's half-spectrum depends only on its own and its partner's values.
   */
  taperedPairs(pass: PairPass): void {
    const { src, first, colStride, pairStride, partnerOffset, count, weights, out, outRow, half } = pass;
    const { n, staging } = this;
    const input: TransformInput = {
      data: src,
      offset: first,
      rowAt: this.linearRows(colStride),
      vectorStride: pairStride,
      imagOffset: partnerOffset,
      chirp: this.chirpTimes(weights),
    };
    const size = this.batchSize(count);
    for (let v0 = 0; v0 < count; v0 += size) {
      const bb = Math.min(size, count - v0);
      const sw = 2 * (bb | 1); // staging row stride, not a power of two (see transform)
      input.offset = first + v0 * pairStride;
      this.transform(input, { data: staging, offset: 0, rowStride: sw, squared: false }, bb);
      unpackRealPairs(staging, sw, bb, n, out, outRow + 2 * v0, half);
    }
  }

  /** Tapered row pass of rows without a partner (see {@link SoloPass}), each with a zero imaginary part. */
  taperedSolos(pass: SoloPass): void {
    const { src, starts, colStride, weights, out, outRows, half } = pass;
    const { n, staging, soloStage } = this;
    const count = starts.length;
    // Solo rows are copied out as `[x_0 … x_{n−1}, 0 … 0]` per vector: the imaginary halves stay zero.
    const input: TransformInput = {
      data: soloStage,
      offset: 0,
      rowAt: this.linearRows(1),
      vectorStride: 2 * n,
      imagOffset: n,
      chirp: this.chirpTimes(weights),
    };
    const size = this.batchSize(count);
    for (let v0 = 0; v0 < count; v0 += size) {
      const bb = Math.min(size, count - v0);
      for (let b = 0; b < bb; b++) {
        const from = starts[v0 + b];
        for (let j = 0, d = 2 * n * b; j < n; j++, d++) soloStage[d] = src[from + j * colStride];
      }
      const sw = 2 * (bb | 1);
      this.transform(input, { data: staging, offset: 0, rowStride: sw, squared: false }, bb);
      for (let b = 0; b < bb; b++) {
        const o = 2 * outRows[v0 + b] * half;
        for (let k = 0, s = 2 * b; k < half; k++, s += sw) {
          out[o + 2 * k] = staging[s];
          out[o + 2 * k + 1] = staging[s + 1];
        }
      }
    }
  }

  /**
   * Tapered column pass (see {@link ColumnPass}); with `squared` the output chirp, of modulus 1, is
   * skipped.
   */
  taperedColumns(pass: ColumnPass): void {
    const { src, rowStart, weights, out, half, squared = false } = pass;
    const input: TransformInput = {
      data: src,
      offset: 0,
      rowAt: rowStart,
      vectorStride: 2,
      imagOffset: 1,
      chirp: this.chirpTimes(weights),
    };
    const output: TransformOutput = { data: out, offset: 0, rowStride: squared ? half : 2 * half, squared };
    const size = this.batchSize(half);
    for (let c0 = 0; c0 < half; c0 += size) {
      input.offset = 2 * c0;
      output.offset = squared ? c0 : 2 * c0;
      this.transform(input, output, Math.min(size, half - c0));
    }
  }

  /** DFTs of bb vectors read as `input` says, written as `output` says (`output.data` may be `input.data`). */
  private transform(input: TransformInput, output: TransformOutput, bb: number): void {
    const { m, re, im, stages, twiddles, kernelRe, kernelIm } = this;
    // Odd row stride: with a power-of-two stride (bb = 16, say) the rows a butterfly touches, S/4·w
    // apart, fall in the same L1 cache sets (401 × 401 with 16-wide batches was measured slower).
    const w = bb | 1;
    this.gather(input, bb, w);
    for (let i = 0; i < stages.length; i++) difRadix4(re, im, m, bb, w, stages[i], twiddles[i]);
    if (this.middle === 4) middle4(re, im, m, bb, w, kernelRe, kernelIm);
    else if (this.middle === 2) middle2(re, im, m, bb, w, kernelRe, kernelIm);
    else middle1(re, im, m, bb, w, kernelRe, kernelIm);
    for (let i = stages.length - 1; i >= 0; i--) ditRadix4(re, im, m, bb, w, stages[i], twiddles[i]);
    this.scatter(output, bb, w);
  }

  /**
   * Chirp product and the first two forward stages in one pass. For j < Q the inputs
   * u_r = x_{j+rQ}·c_{j+rQ} (r < 4; zero at rows ≥ n) give the top half's radix-4 stage of size L,
   * and the bottom half's inputs u_r·w_M^{j+rQ} = w_M^j·(u_r·W8^r), W8 = e^{−iπ/4}, the same with
   * w_M^j folded into its twiddles.
   */
  private gather(input: TransformInput, bb: number, w: number): void {
    const { data: src, offset, rowAt, vectorStride, imagOffset } = input;
    const { re: cRe, im: cIm } = input.chirp;
    const { n, l, q, re, im, topTw, botTw } = this;
    const qs = q * w,
      ls = l * w;
    for (let j = 0; j < q; j++) {
      const w1r = topTw[6 * j],
        w1i = topTw[6 * j + 1],
        w2r = topTw[6 * j + 2],
        w2i = topTw[6 * j + 3],
        w3r = topTw[6 * j + 4],
        w3i = topTw[6 * j + 5];
      const b0r = botTw[8 * j],
        b0i = botTw[8 * j + 1],
        b1r = botTw[8 * j + 2],
        b1i = botTw[8 * j + 3];
      const b2r = botTw[8 * j + 4],
        b2i = botTw[8 * j + 5],
        b3r = botTw[8 * j + 6],
        b3i = botTw[8 * j + 7];
      // Rows j and j + Q are always below n (n > L/2); j + 2Q and j + 3Q may not be: their input is
      // zero, through a zero chirp (row j + 2Q, source row clamped) or left out of the sums (row
      // j + 3Q, which is beyond n for most j).
      const has2 = j + 2 * q < n,
        has3 = j + 3 * q < n;
      const c0r = cRe[j],
        c0i = cIm[j],
        c1r = cRe[j + q],
        c1i = cIm[j + q];
      const c2r = has2 ? cRe[j + 2 * q] : 0,
        c2i = has2 ? cIm[j + 2 * q] : 0;
      const c3r = has3 ? cRe[j + 3 * q] : 0,
        c3i = has3 ? cIm[j + 3 * q] : 0;
      const s0 = offset + rowAt[j],
        s1 = offset + rowAt[j + q];
      const s2 = has2 ? offset + rowAt[j + 2 * q] : s0,
        s3 = has3 ? offset + rowAt[j + 3 * q] : s0;
      for (let p = j * w, end = p + bb, e = 0; p < end; p++, e += vectorStride) {
        let xr = src[s0 + e],
          xi = src[s0 + e + imagOffset];
        const u0r = xr * c0r - xi * c0i,
          u0i = xr * c0i + xi * c0r;
        xr = src[s1 + e];
        xi = src[s1 + e + imagOffset];
        const u1r = xr * c1r - xi * c1i,
          u1i = xr * c1i + xi * c1r;
        xr = src[s2 + e];
        xi = src[s2 + e + imagOffset];
        const u2r = xr * c2r - xi * c2i,
          u2i = xr * c2i + xi * c2r;
        // t2, t3 (top half) and d2, d3 (bottom half): sums with u3 and v3 = −u3(1 + i)/√2, or u1 and v1 alone.
        const v1r = (u1r + u1i) * SQRT1_2,
          v1i = (u1i - u1r) * SQRT1_2;
        let t2r = u1r,
          t2i = u1i,
          t3r = u1r,
          t3i = u1i,
          d2r = v1r,
          d2i = v1i,
          d3r = v1r,
          d3i = v1i;
        if (has3) {
          xr = src[s3 + e];
          xi = src[s3 + e + imagOffset];
          const u3r = xr * c3r - xi * c3i,
            u3i = xr * c3i + xi * c3r;
          const v3r = (u3i - u3r) * SQRT1_2,
            v3i = -(u3r + u3i) * SQRT1_2;
          t2r = u1r + u3r;
          t2i = u1i + u3i;
          t3r = u1r - u3r;
          t3i = u1i - u3i;
          d2r = v1r + v3r;
          d2i = v1i + v3i;
          d3r = v1r - v3r;
          d3i = v1i - v3i;
        }
        // Top half: y0 = t0 + t2, y1 = t1 − i t3, y2 = t0 − t2, y3 = t1 + i t3, times w_L^{pj}.
        let t0r = u0r + u2r,
          t0i = u0i + u2i,
          t1r = u0r - u2r,
          t1i = u0i - u2i;
        re[p] = t0r + t2r;
        im[p] = t0i + t2i;
        let yr = t1r + t3i,
          yi = t1i - t3r;
        re[p + qs] = yr * w1r - yi * w1i;
        im[p + qs] = yr * w1i + yi * w1r;
        yr = t0r - t2r;
        yi = t0i - t2i;
        re[p + 2 * qs] = yr * w2r - yi * w2i;
        im[p + 2 * qs] = yr * w2i + yi * w2r;
        yr = t1r - t3i;
        yi = t1i + t3r;
        re[p + 3 * qs] = yr * w3r - yi * w3i;
        im[p + 3 * qs] = yr * w3i + yi * w3r;
        // Bottom half on v_r = u_r·W8^r: v1 = u1(1 − i)/√2, v2 = −i u2, v3 = −u3(1 + i)/√2.
        t0r = u0r + u2i;
        t0i = u0i - u2r;
        t1r = u0r - u2i;
        t1i = u0i + u2r;
        const bp = p + ls;
        yr = t0r + d2r;
        yi = t0i + d2i;
        re[bp] = yr * b0r - yi * b0i;
        im[bp] = yr * b0i + yi * b0r;
        yr = t1r + d3i;
        yi = t1i - d3r;
        re[bp + qs] = yr * b1r - yi * b1i;
        im[bp + qs] = yr * b1i + yi * b1r;
        yr = t0r - d2r;
        yi = t0i - d2i;
        re[bp + 2 * qs] = yr * b2r - yi * b2i;
        im[bp + 2 * qs] = yr * b2i + yi * b2r;
        yr = t1r - d3i;
        yi = t1i + d3r;
        re[bp + 3 * qs] = yr * b3r - yi * b3i;
        im[bp + 3 * qs] = yr * b3i + yi * b3r;
      }
    }
  }

  /**
   * The inverse's last two stages, the output chirp and the write-out in one pass. Top half: E_{j+rQ}
   * from the inverse radix-4 stage of size L; bottom half the same with e^{+2πij/M} folded into its
   * twiddles, giving O'_{j+rQ} = e^{+2πij/M}·O_{j+rQ}; then X_k = c_k (E_k + e^{+2πik/M} O_k)
   * = c_{j+rQ} (E + conj(W8^r)·O'), for the outputs k = j + rQ < n only.
   */
  private scatter(output: TransformOutput, bb: number, w: number): void {
    const { data: dst, offset, rowStride, squared } = output;
    const { n, l, q, re, im, cRe, cIm, topTw, botTw } = this;
    const qs = q * w,
      ls = l * w;
    const step = squared ? 1 : 2;
    for (let j = 0; j < q; j++) {
      const w1r = topTw[6 * j],
        w1i = topTw[6 * j + 1],
        w2r = topTw[6 * j + 2],
        w2i = topTw[6 * j + 3],
        w3r = topTw[6 * j + 4],
        w3i = topTw[6 * j + 5];
      const b0r = botTw[8 * j],
        b0i = botTw[8 * j + 1],
        b1r = botTw[8 * j + 2],
        b1i = botTw[8 * j + 3];
      const b2r = botTw[8 * j + 4],
        b2i = botTw[8 * j + 5],
        b3r = botTw[8 * j + 6],
        b3i = botTw[8 * j + 7];
      const has2 = j + 2 * q < n,
        has3 = j + 3 * q < n;
      const c0r = cRe[j],
        c0i = cIm[j],
        c1r = cRe[j + q],
        c1i = cIm[j + q];
      const c2r = has2 ? cRe[j + 2 * q] : 0,
        c2i = has2 ? cIm[j + 2 * q] : 0;
      const c3r = has3 ? cRe[j + 3 * q] : 0,
        c3i = has3 ? cIm[j + 3 * q] : 0;
      const d0 = offset + j * rowStride,
        d1 = d0 + q * rowStride,
        d2 = d1 + q * rowStride,
        d3 = d2 + q * rowStride;
      for (let p = j * w, end = p + bb, e = 0; p < end; p++, e += step) {
        // Top half: Z'_p = Z_p·conj(w_L^{pj}), then the inverse butterfly's t0…t3.
        let zr = re[p],
          zi = im[p];
        let xr = re[p + 2 * qs],
          xi = im[p + 2 * qs];
        let ar = xr * w2r + xi * w2i,
          ai = xi * w2r - xr * w2i;
        const t0r = zr + ar,
          t0i = zi + ai,
          t1r = zr - ar,
          t1i = zi - ai;
        xr = re[p + qs];
        xi = im[p + qs];
        zr = xr * w1r + xi * w1i;
        zi = xi * w1r - xr * w1i;
        xr = re[p + 3 * qs];
        xi = im[p + 3 * qs];
        ar = xr * w3r + xi * w3i;
        ai = xi * w3r - xr * w3i;
        const t2r = zr + ar,
          t2i = zi + ai,
          t3r = zr - ar,
          t3i = zi - ai;
        // Bottom half, with conj(w_M^j·w_L^{pj}).
        const bp = p + ls;
        xr = re[bp];
        xi = im[bp];
        zr = xr * b0r + xi * b0i;
        zi = xi * b0r - xr * b0i;
        xr = re[bp + 2 * qs];
        xi = im[bp + 2 * qs];
        ar = xr * b2r + xi * b2i;
        ai = xi * b2r - xr * b2i;
        const s0r = zr + ar,
          s0i = zi + ai,
          s1r = zr - ar,
          s1i = zi - ai;
        xr = re[bp + qs];
        xi = im[bp + qs];
        zr = xr * b1r + xi * b1i;
        zi = xi * b1r - xr * b1i;
        xr = re[bp + 3 * qs];
        xi = im[bp + 3 * qs];
        ar = xr * b3r + xi * b3i;
        ai = xi * b3r - xr * b3i;
        const s2r = zr + ar,
          s2i = zi + ai,
          s3r = zr - ar,
          s3i = zi - ai;
        // r = 0: E = t0 + t2, O' = s0 + s2. Written as X = c·E, or with `squared` |X|² = |E|² (|c| = 1).
        let er = t0r + t2r + s0r + s2r,
          ei = t0i + t2i + s0i + s2i;
        if (squared) dst[d0 + e] = er * er + ei * ei;
        else {
          dst[d0 + e] = er * c0r - ei * c0i;
          dst[d0 + e + 1] = er * c0i + ei * c0r;
        }
        // r = 1: E = t1 + i t3, O' = s1 + i s3, times (1 + i)/√2.
        let or = s1r - s3i,
          oi = s1i + s3r;
        er = t1r - t3i + (or - oi) * SQRT1_2;
        ei = t1i + t3r + (or + oi) * SQRT1_2;
        if (squared) dst[d1 + e] = er * er + ei * ei;
        else {
          dst[d1 + e] = er * c1r - ei * c1i;
          dst[d1 + e + 1] = er * c1i + ei * c1r;
        }
        if (has2) {
          // r = 2: E = t0 − t2, O' = s0 − s2, times i.
          or = s0r - s2r;
          oi = s0i - s2i;
          er = t0r - t2r - oi;
          ei = t0i - t2i + or;
          if (squared) dst[d2 + e] = er * er + ei * ei;
          else {
            dst[d2 + e] = er * c2r - ei * c2i;
            dst[d2 + e + 1] = er * c2i + ei * c2r;
          }
          if (has3) {
            // r = 3: E = t1 − i t3, O' = s1 − i s3, times (−1 + i)/√2.
            or = s1r + s3i;
            oi = s1i - s3r;
            er = t1r + t3i - (or + oi) * SQRT1_2;
            ei = t1i - t3r + (or - oi) * SQRT1_2;
            if (squared) dst[d3 + e] = er * er + ei * ei;
            else {
              dst[d3 + e] = er * c3r - ei * c3i;
              dst[d3 + e + 1] = er * c3i + ei * c3r;
            }
          }
        }
      }
    }
  }
}

/** Twiddles w^j, w^2j, w^3j (w = e^{−2πi/S}) of a radix-4 stage of size S, interleaved, j < S/4. */
function radix4Twiddles(s: number): Float64Array {
  const q = s >> 2;
  const tw = new Float64Array(6 * q);
  for (let j = 0; j < q; j++)
    for (let p = 1; p <= 3; p++) {
      const angle = (-2 * Math.PI * p * j) / s;
      tw[6 * j + 2 * p - 2] = Math.cos(angle);
      tw[6 * j + 2 * p - 1] = Math.sin(angle);
    }
  return tw;
}

/**
 * One radix-4 decimation-in-frequency stage of size S over `rows` rows (bb vectors, row stride w): for each
 * block and j < S/4, with a…d at rows j + {0, 1, 2, 3}·S/4, t0 = a + c, t1 = a − c, t2 = b + d,
 * t3 = b − d, the rows become t0 + t2, (t1 − i t3)w^j, (t0 − t2)w^2j, (t1 + i t3)w^3j.
 */
function difRadix4(
  re: Float64Array,
  im: Float64Array,
  rows: number,
  bb: number,
  w: number,
  s: number,
  tw: Float64Array,
): void {
  const q = s >> 2;
  const qs = q * w;
  for (let s0 = 0; s0 < rows; s0 += s) {
    // j = 0: twiddle-free.
    for (let p0 = s0 * w, end = p0 + bb; p0 < end; p0++) {
      const p1 = p0 + qs,
        p2 = p1 + qs,
        p3 = p2 + qs;
      const ar = re[p0],
        ai = im[p0],
        br = re[p1],
        bi = im[p1];
      const cr = re[p2],
        ci = im[p2],
        dr = re[p3],
        di = im[p3];
      const t0r = ar + cr,
        t0i = ai + ci,
        t1r = ar - cr,
        t1i = ai - ci;
      const t2r = br + dr,
        t2i = bi + di,
        t3r = br - dr,
        t3i = bi - di;
      re[p0] = t0r + t2r;
      im[p0] = t0i + t2i;
      re[p1] = t1r + t3i;
      im[p1] = t1i - t3r;
      re[p2] = t0r - t2r;
      im[p2] = t0i - t2i;
      re[p3] = t1r - t3i;
      im[p3] = t1i + t3r;
    }
    for (let j = 1; j < q; j++) {
      const w1r = tw[6 * j],
        w1i = tw[6 * j + 1],
        w2r = tw[6 * j + 2],
        w2i = tw[6 * j + 3],
        w3r = tw[6 * j + 4],
        w3i = tw[6 * j + 5];
      for (let p0 = (s0 + j) * w, end = p0 + bb; p0 < end; p0++) {
        const p1 = p0 + qs,
          p2 = p1 + qs,
          p3 = p2 + qs;
        const ar = re[p0],
          ai = im[p0],
          br = re[p1],
          bi = im[p1];
        const cr = re[p2],
          ci = im[p2],
          dr = re[p3],
          di = im[p3];
        const t0r = ar + cr,
          t0i = ai + ci,
          t1r = ar - cr,
          t1i = ai - ci;
        const t2r = br + dr,
          t2i = bi + di,
          t3r = br - dr,
          t3i = bi - di;
        re[p0] = t0r + t2r;
        im[p0] = t0i + t2i;
        let yr = t1r + t3i,
          yi = t1i - t3r;
        re[p1] = yr * w1r - yi * w1i;
        im[p1] = yr * w1i + yi * w1r;
        yr = t0r - t2r;
        yi = t0i - t2i;
        re[p2] = yr * w2r - yi * w2i;
        im[p2] = yr * w2i + yi * w2r;
        yr = t1r - t3i;
        yi = t1i + t3r;
        re[p3] = yr * w3r - yi * w3i;
        im[p3] = yr * w3i + yi * w3r;
      }
    }
  }
}

/**
 * One radix-4 decimation-in-time stage of size S, inverse direction: with a = row j and b…d the rows
 * j + {1, 2, 3}·S/4 times conj(w^j), conj(w^2j), conj(w^3j), the rows become t0 + t2, t1 + i t3,
 * t0 − t2, t1 − i t3 (t as in {@link difRadix4}).
 */
function ditRadix4(
  re: Float64Array,
  im: Float64Array,
  rows: number,
  bb: number,
  w: number,
  s: number,
  tw: Float64Array,
): void {
  const q = s >> 2;
  const qs = q * w;
  for (let s0 = 0; s0 < rows; s0 += s) {
    for (let p0 = s0 * w, end = p0 + bb; p0 < end; p0++) {
      const p1 = p0 + qs,
        p2 = p1 + qs,
        p3 = p2 + qs;
      const ar = re[p0],
        ai = im[p0],
        br = re[p1],
        bi = im[p1];
      const cr = re[p2],
        ci = im[p2],
        dr = re[p3],
        di = im[p3];
      const t0r = ar + cr,
        t0i = ai + ci,
        t1r = ar - cr,
        t1i = ai - ci;
      const t2r = br + dr,
        t2i = bi + di,
        t3r = br - dr,
        t3i = bi - di;
      re[p0] = t0r + t2r;
      im[p0] = t0i + t2i;
      re[p1] = t1r - t3i;
      im[p1] = t1i + t3r;
      re[p2] = t0r - t2r;
      im[p2] = t0i - t2i;
      re[p3] = t1r + t3i;
      im[p3] = t1i - t3r;
    }
    for (let j = 1; j < q; j++) {
      const w1r = tw[6 * j],
        w1i = tw[6 * j + 1],
        w2r = tw[6 * j + 2],
        w2i = tw[6 * j + 3],
        w3r = tw[6 * j + 4],
        w3i = tw[6 * j + 5];
      for (let p0 = (s0 + j) * w, end = p0 + bb; p0 < end; p0++) {
        const p1 = p0 + qs,
          p2 = p1 + qs,
          p3 = p2 + qs;
        const ar = re[p0],
          ai = im[p0];
        let xr = re[p2],
          xi = im[p2];
        const cr = xr * w2r + xi * w2i,
          ci = xi * w2r - xr * w2i;
        xr = re[p1];
        xi = im[p1];
        const br = xr * w1r + xi * w1i,
          bi = xi * w1r - xr * w1i;
        xr = re[p3];
        xi = im[p3];
        const dr = xr * w3r + xi * w3i,
          di = xi * w3r - xr * w3i;
        const t0r = ar + cr,
          t0i = ai + ci,
          t1r = ar - cr,
          t1i = ai - ci;
        const t2r = br + dr,
          t2i = bi + di,
          t3r = br - dr,
          t3i = bi - di;
        re[p0] = t0r + t2r;
        im[p0] = t0i + t2i;
        re[p1] = t1r - t3i;
        im[p1] = t1i + t3r;
        re[p2] = t0r - t2r;
        im[p2] = t0i - t2i;
        re[p3] = t1r + t3i;
        im[p3] = t1i - t3r;
      }
    }
  }
}

/** Last forward stage of size 4, kernel product and first inverse stage of size 4, in one pass. */
function middle4(
  re: Float64Array,
  im: Float64Array,
  rows: number,
  bb: number,
  w: number,
  kr: Float64Array,
  ki: Float64Array,
): void {
  for (let s0 = 0; s0 < rows; s0 += 4) {
    const h0r = kr[s0],
      h0i = ki[s0],
      h1r = kr[s0 + 1],
      h1i = ki[s0 + 1];
    const h2r = kr[s0 + 2],
      h2i = ki[s0 + 2],
      h3r = kr[s0 + 3],
      h3i = ki[s0 + 3];
    for (let p0 = s0 * w, end = p0 + bb; p0 < end; p0++) {
      const p1 = p0 + w,
        p2 = p1 + w,
        p3 = p2 + w;
      const ar = re[p0],
        ai = im[p0],
        br = re[p1],
        bi = im[p1];
      const cr = re[p2],
        ci = im[p2],
        dr = re[p3],
        di = im[p3];
      let t0r = ar + cr,
        t0i = ai + ci,
        t1r = ar - cr,
        t1i = ai - ci;
      let t2r = br + dr,
        t2i = bi + di,
        t3r = br - dr,
        t3i = bi - di;
      let yr = t0r + t2r,
        yi = t0i + t2i;
      const u0r = yr * h0r - yi * h0i,
        u0i = yr * h0i + yi * h0r;
      yr = t1r + t3i;
      yi = t1i - t3r;
      const u1r = yr * h1r - yi * h1i,
        u1i = yr * h1i + yi * h1r;
      yr = t0r - t2r;
      yi = t0i - t2i;
      const u2r = yr * h2r - yi * h2i,
        u2i = yr * h2i + yi * h2r;
      yr = t1r - t3i;
      yi = t1i + t3r;
      const u3r = yr * h3r - yi * h3i,
        u3i = yr * h3i + yi * h3r;
      t0r = u0r + u2r;
      t0i = u0i + u2i;
      t1r = u0r - u2r;
      t1i = u0i - u2i;
      t2r = u1r + u3r;
      t2i = u1i + u3i;
      t3r = u1r - u3r;
      t3i = u1i - u3i;
      re[p0] = t0r + t2r;
      im[p0] = t0i + t2i;
      re[p1] = t1r - t3i;
      im[p1] = t1i + t3r;
      re[p2] = t0r - t2r;
      im[p2] = t0i - t2i;
      re[p3] = t1r + t3i;
      im[p3] = t1i - t3r;
    }
  }
}

/** Last forward stage of size 2, kernel product and first inverse stage of size 2, in one pass. */
function middle2(
  re: Float64Array,
  im: Float64Array,
  rows: number,
  bb: number,
  w: number,
  kr: Float64Array,
  ki: Float64Array,
): void {
  for (let s0 = 0; s0 < rows; s0 += 2) {
    const h0r = kr[s0],
      h0i = ki[s0],
      h1r = kr[s0 + 1],
      h1i = ki[s0 + 1];
    for (let p0 = s0 * w, end = p0 + bb; p0 < end; p0++) {
      const p1 = p0 + w;
      const ar = re[p0],
        ai = im[p0],
        br = re[p1],
        bi = im[p1];
      const y0r = ar + br,
        y0i = ai + bi,
        y1r = ar - br,
        y1i = ai - bi;
      const u0r = y0r * h0r - y0i * h0i,
        u0i = y0r * h0i + y0i * h0r;
      const u1r = y1r * h1r - y1i * h1i,
        u1i = y1r * h1i + y1i * h1r;
      re[p0] = u0r + u1r;
      im[p0] = u0i + u1i;
      re[p1] = u0r - u1r;
      im[p1] = u0i - u1i;
    }
  }
}

/** Kernel product alone (M = 8: the fused first pass leaves blocks of one row). */
function middle1(
  re: Float64Array,
  im: Float64Array,
  rows: number,
  bb: number,
  w: number,
  kr: Float64Array,
  ki: Float64Array,
): void {
  for (let s0 = 0; s0 < rows; s0++) {
    const hr = kr[s0],
      hi = ki[s0];
    for (let p = s0 * w, end = p + bb; p < end; p++) {
      const yr = re[p],
        yi = im[p];
      re[p] = yr * hr - yi * hi;
      im[p] = yr * hi + yi * hr;
    }
  }
}
