/**
 * Exact-size discrete Fourier transforms: the one FFT module of curie-depth.
 *
 * Windows are odd-sized (201 × 201 for 200 km at 1 km), and the spectrum must be that of exactly
 * n samples: zero padding would change it. fft.js only transforms powers of two, so other sizes go
 * through Bluestein's chirp-z algorithm on fft.js (two power-of-two transforms per length-n DFT).
 * Plans are cached per size. Complex data is interleaved `[re0, im0, re1, im1, …]` in Float64Arrays.
 *
 * One exception, for speed: {@link rfft2dHalf} (and window-fft.ts, which makes every radial spectrum
 * the same way, reading windows in place and sharing row transforms between windows) with a
 * dimension that is not a power of two runs its Bluestein transforms through fft-batched.ts, the project's own power-of-two
 * kernel, batched over the ~n/2 vectors of each pass (batch index contiguous, one twiddle load per
 * batch, chirp, kernel product and first/last stages fused, no bit reversal, no allocation). Why:
 * on fft.js, a 201 × 201 `rfft2dHalf` is 202 separate Bluestein transforms, each two 512-point fft.js
 * transforms plus copies and chirp products of comparable cost; batched, those passes share their
 * loads and the spectrum takes markedly less time (`npm run bench` measures it). fft.js stays the
 * kernel of {@link fftPlan}, {@link fft1d} and {@link fft2d}.
 *
 * Sign convention as numpy: forward `X_k = Σ x_j e^{−2πi jk/n}`, inverse divides by n.
 */
import FFT from 'fft.js';
import { BatchedBluestein } from './fft-batched.js';

/** A length-n complex DFT that reads and writes strided interleaved complex vectors. */
export interface FFTPlan {
  /** Transform length (number of complex samples). */
  readonly n: number;
  /**
   * Forward DFT of the n complex samples at `src[2·(srcOffset + j·srcStride)]` (j = 0…n−1), written
   * to `dst` likewise. Offsets and strides count complex samples; `src` and `dst` may be the same.
   */
  forward(src: Float64Array, srcOffset: number, srcStride: number, dst: Float64Array, dstOffset: number, dstStride: number): void;
}

/** Power-of-two sizes: fft.js directly, through contiguous scratch buffers. */
class Radix4Plan implements FFTPlan {
  private readonly fft: FFT;
  private readonly input: Float64Array;
  private readonly output: Float64Array;

  constructor(readonly n: number) {
    this.fft = new FFT(n);
    this.input = new Float64Array(2 * n);
    this.output = new Float64Array(2 * n);
  }

  forward(src: Float64Array, srcOffset: number, srcStride: number, dst: Float64Array, dstOffset: number, dstStride: number): void {
    const { n, input, output } = this;
    for (let j = 0, s = 2 * srcOffset; j < n; j++, s += 2 * srcStride) {
      input[2 * j] = src[s];
      input[2 * j + 1] = src[s + 1];
    }
    this.fft.transform(output, input);
    for (let j = 0, d = 2 * dstOffset; j < n; j++, d += 2 * dstStride) {
      dst[d] = output[2 * j];
      dst[d + 1] = output[2 * j + 1];
    }
  }
}

/**
 * Bluestein: with `c_j = e^{−iπ j²/n}`, `X_k = c_k Σ_j (x_j c_j) conj(c_{k−j})`, a convolution done
 * with power-of-two FFTs of size M ≥ 2n − 1. The inverse FFT of the convolution is folded into a
 * forward one by conjugation (`ifft(P) = conj(fft(conj(P)))/M`), with 1/M folded into the kernel.
 */
class BluesteinPlan implements FFTPlan {
  private readonly m: number;
  private readonly fft: FFT;
  /** Chirp c_j = e^{−iπ j²/n}, interleaved, length n. */
  private readonly chirp: Float64Array;
  /** FFT_M of the kernel conj(c) (wrapped to negative indices), divided by M. */
  private readonly kernel: Float64Array;
  private readonly work: Float64Array;
  private readonly spectrum: Float64Array;

  constructor(readonly n: number) {
    let m = 2;
    while (m < 2 * n - 1) m *= 2;
    this.m = m;
    this.fft = new FFT(m);
    this.chirp = new Float64Array(2 * n);
    // j² mod 2n keeps the angle exact for large j (π j²/n is periodic in j² with period 2n).
    for (let j = 0; j < n; j++) {
      const angle = (Math.PI * ((j * j) % (2 * n))) / n;
      this.chirp[2 * j] = Math.cos(angle);
      this.chirp[2 * j + 1] = -Math.sin(angle);
    }
    const b = new Float64Array(2 * m);
    for (let j = 0; j < n; j++) {
      b[2 * j] = this.chirp[2 * j];
      b[2 * j + 1] = -this.chirp[2 * j + 1];
      if (j > 0) {
        b[2 * (m - j)] = b[2 * j];
        b[2 * (m - j) + 1] = b[2 * j + 1];
      }
    }
    this.kernel = new Float64Array(2 * m);
    this.fft.transform(this.kernel, b);
    for (let i = 0; i < 2 * m; i++) this.kernel[i] /= m;
    this.work = new Float64Array(2 * m);
    this.spectrum = new Float64Array(2 * m);
  }

  forward(src: Float64Array, srcOffset: number, srcStride: number, dst: Float64Array, dstOffset: number, dstStride: number): void {
    const { n, m, chirp, kernel, work, spectrum } = this;
    for (let j = 0, s = 2 * srcOffset; j < n; j++, s += 2 * srcStride) {
      const xr = src[s], xi = src[s + 1];
      const cr = chirp[2 * j], ci = chirp[2 * j + 1];
      work[2 * j] = xr * cr - xi * ci;
      work[2 * j + 1] = xr * ci + xi * cr;
    }
    work.fill(0, 2 * n);
    this.fft.transform(spectrum, work);
    // conj(A · K) into work, ready for the conjugated inverse.
    for (let i = 0; i < 2 * m; i += 2) {
      const ar = spectrum[i], ai = spectrum[i + 1];
      const kr = kernel[i], ki = kernel[i + 1];
      work[i] = ar * kr - ai * ki;
      work[i + 1] = -(ar * ki + ai * kr);
    }
    this.fft.transform(spectrum, work);
    // X_k = c_k · conj(R_k)
    for (let k = 0, d = 2 * dstOffset; k < n; k++, d += 2 * dstStride) {
      const rr = spectrum[2 * k], ri = -spectrum[2 * k + 1];
      const cr = chirp[2 * k], ci = chirp[2 * k + 1];
      dst[d] = rr * cr - ri * ci;
      dst[d + 1] = rr * ci + ri * cr;
    }
  }
}

/** Length 1: the DFT is the identity. */
class IdentityPlan implements FFTPlan {
  readonly n = 1;
  forward(src: Float64Array, srcOffset: number, _srcStride: number, dst: Float64Array, dstOffset: number): void {
    dst[2 * dstOffset] = src[2 * srcOffset];
    dst[2 * dstOffset + 1] = src[2 * srcOffset + 1];
  }
}

const plans = new Map<number, FFTPlan>();

/** The cached plan for length-n complex DFTs (n ≥ 1, any integer). Plans keep scratch space: one thread each. */
export function fftPlan(n: number): FFTPlan {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`FFT length ${n} must be a positive integer`);
  let plan = plans.get(n);
  if (!plan) {
    plan = n === 1 ? new IdentityPlan() : (n & (n - 1)) === 0 ? new Radix4Plan(n) : new BluesteinPlan(n);
    plans.set(n, plan);
  }
  return plan;
}

/**
 * 1-D DFT of an interleaved complex vector of `n = data.length / 2` samples, in place.
 * `inverse` applies the inverse transform including the 1/n factor (numpy's `ifft`).
 */
export function fft1d(data: Float64Array, inverse = false): Float64Array {
  const n = data.length >> 1;
  if (inverse) conjugate(data);
  fftPlan(n).forward(data, 0, 1, data, 0, 1);
  if (inverse) {
    conjugate(data);
    scale(data, 1 / n);
  }
  return data;
}

/**
 * 2-D DFT of an interleaved complex `rows × cols` row-major array, in place (numpy's `fft2`, or
 * `ifft2` with `inverse`, which divides by rows·cols).
 */
export function fft2d(data: Float64Array, rows: number, cols: number, inverse = false): Float64Array {
  if (data.length !== 2 * rows * cols) throw new RangeError(`fft2d: ${data.length / 2} samples is not ${rows} × ${cols}`);
  if (inverse) conjugate(data);
  const rowPlan = fftPlan(cols);
  for (let r = 0; r < rows; r++) rowPlan.forward(data, r * cols, 1, data, r * cols, 1);
  const colPlan = fftPlan(rows);
  for (let c = 0; c < cols; c++) colPlan.forward(data, c, cols, data, c, cols);
  if (inverse) {
    conjugate(data);
    scale(data, 1 / (rows * cols));
  }
  return data;
}

/**
 * Non-redundant half of the 2-D DFT of a real `rows × cols` row-major array: columns
 * 0…⌊cols/2⌋ of numpy's `fft2`, returned interleaved, `rows × (⌊cols/2⌋ + 1)` complex samples.
 * The rest follows from `F[r][c] = conj(F[(rows−r) mod rows][(cols−c) mod cols])`.
 *
 * Two real rows are packed into one complex transform (z = a + ib, A_k = (Z_k + conj Z_{n−k})/2,
 * B_k = (Z_k − conj Z_{n−k})/2i), and only the half of the columns that is not redundant is
 * transformed along the rows axis: about half the work of a complex 2-D transform. Sizes other than
 * powers of two go through the batched Bluestein kernel (fft-batched.ts); results agree with the
 * per-vector path of {@link fft2d} to ~1e-15 of the peak. `out` may be passed to reuse memory.
 */
export function rfft2dHalf(real: ArrayLike<number>, rows: number, cols: number, out?: Float64Array): Float64Array {
  const half = (cols >> 1) + 1;
  const size = 2 * rows * half;
  const result = out && out.length === size ? out : new Float64Array(size);
  const rowBatch = batchedPlan(cols);
  if (rowBatch) rowBatch.realRowPairs(real instanceof Float64Array ? real : Float64Array.from(real), rows, result, half);
  else rowPairsOneByOne(real, rows, cols, result, half);
  const colBatch = batchedPlan(rows);
  if (colBatch) colBatch.columns(result, half);
  else {
    const colPlan = fftPlan(rows);
    for (let k = 0; k < half; k++) colPlan.forward(result, k, half, result, k, half);
  }
  return result;
}

const batchedPlans = new Map<number, BatchedBluestein>();

/** The batched Bluestein plan for n (cached), or undefined when n is 1 or a power of two (fft.js then). */
function batchedPlan(n: number): BatchedBluestein | undefined {
  if (n < 3 || (n & (n - 1)) === 0) return undefined;
  let plan = batchedPlans.get(n);
  if (!plan) {
    plan = new BatchedBluestein(n);
    batchedPlans.set(n, plan);
  }
  return plan;
}

/** Row pass of {@link rfft2dHalf} one packed pair at a time, through {@link fftPlan}. */
function rowPairsOneByOne(real: ArrayLike<number>, rows: number, cols: number, result: Float64Array, half: number): void {
  const rowPlan = fftPlan(cols);
  const packed = scratch(2 * cols, 0);
  const spectrum = scratch(2 * cols, 1);
  for (let r = 0; r < rows; r += 2) {
    const pair = r + 1 < rows;
    const a = r * cols, b = (r + 1) * cols;
    for (let c = 0; c < cols; c++) {
      packed[2 * c] = real[a + c];
      packed[2 * c + 1] = pair ? real[b + c] : 0;
    }
    rowPlan.forward(packed, 0, 1, spectrum, 0, 1);
    const outA = 2 * r * half, outB = 2 * (r + 1) * half;
    for (let k = 0; k < half; k++) {
      const nk = k === 0 ? 0 : cols - k;
      const zr = spectrum[2 * k], zi = spectrum[2 * k + 1];
      const wr = spectrum[2 * nk], wi = -spectrum[2 * nk + 1]; // conj Z_{n−k}
      result[outA + 2 * k] = 0.5 * (zr + wr);
      result[outA + 2 * k + 1] = 0.5 * (zi + wi);
      if (pair) {
        // (Z − conj W)/2i = ((zi − wi) − i(zr − wr))/2
        result[outB + 2 * k] = 0.5 * (zi - wi);
        result[outB + 2 * k + 1] = -0.5 * (zr - wr);
      }
    }
  }
}

/** Per-thread scratch buffers reused across calls (grown, never shrunk). */
const scratchBuffers: Float64Array[] = [];
function scratch(length: number, slot: number): Float64Array {
  let buffer = scratchBuffers[slot];
  if (!buffer || buffer.length < length) {
    buffer = new Float64Array(length);
    scratchBuffers[slot] = buffer;
  }
  return buffer;
}

function conjugate(data: Float64Array): void {
  for (let i = 1; i < data.length; i += 2) data[i] = -data[i];
}

function scale(data: Float64Array, factor: number): void {
  for (let i = 0; i < data.length; i++) data[i] *= factor;
}
