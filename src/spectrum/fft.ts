/**
 * Exact-size discrete Fourier transforms of complex data, one vector at a time.
 *
 * Windows are odd-sized (201 × 201 for 200 km at 1 km), and the spectrum must be that of exactly
 * n samples: zero padding would change it. fft.js only transforms powers of two, so other sizes go
 * through Bluestein's chirp-z algorithm on fft.js (two power-of-two transforms per length-n DFT).
 * Plans are cached per size. Complex data is interleaved `[re0, im0, re1, im1, …]` in Float64Arrays.
 *
 * The real 2-D spectra (every radial spectrum, and `rfft2dHalf`) run on fft-engine.ts, which batches
 * many vectors per transform and uses these plans only for powers of two.
 *
 * Sign convention as numpy: forward `X_k = Σ x_j e^{−2πi jk/n}`, inverse divides by n.
 */
import FFT from 'fft.js';

/** A length-n complex DFT that reads and writes strided interleaved complex vectors. */
export interface FFTPlan {
  /** Transform length (number of complex samples). */
  readonly n: number;
  /**
   * Forward DFT of the n complex samples at `src[2·(srcOffset + j·srcStride)]` (j = 0…n−1), written
   * to `dst` likewise. Offsets and strides count complex samples; `src` and `dst` may be the same.
   */
  forward(
    src: Float64Array,
    srcOffset: number,
    srcStride: number,
    dst: Float64Array,
    dstOffset: number,
    dstStride: number,
  ): void;
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

  forward(
    src: Float64Array,
    srcOffset: number,
    srcStride: number,
    dst: Float64Array,
    dstOffset: number,
    dstStride: number,
  ): void {
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

  forward(
    src: Float64Array,
    srcOffset: number,
    srcStride: number,
    dst: Float64Array,
    dstOffset: number,
    dstStride: number,
  ): void {
    const { n, m, chirp, kernel, work, spectrum } = this;
    for (let j = 0, s = 2 * srcOffset; j < n; j++, s += 2 * srcStride) {
      const xr = src[s],
        xi = src[s + 1];
      const cr = chirp[2 * j],
        ci = chirp[2 * j + 1];
      work[2 * j] = xr * cr - xi * ci;
      work[2 * j + 1] = xr * ci + xi * cr;
    }
    work.fill(0, 2 * n);
    this.fft.transform(spectrum, work);
    // conj(A · K) into work, ready for the conjugated inverse.
    for (let i = 0; i < 2 * m; i += 2) {
      const ar = spectrum[i],
        ai = spectrum[i + 1];
      const kr = kernel[i],
        ki = kernel[i + 1];
      work[i] = ar * kr - ai * ki;
      work[i + 1] = -(ar * ki + ai * kr);
    }
    this.fft.transform(spectrum, work);
    // X_k = c_k · conj(R_k)
    for (let k = 0, d = 2 * dstOffset; k < n; k++, d += 2 * dstStride) {
      const rr = spectrum[2 * k],
        ri = -spectrum[2 * k + 1];
      const cr = chirp[2 * k],
        ci = chirp[2 * k + 1];
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
  if (data.length !== 2 * rows * cols)
    throw new RangeError(`fft2d: ${data.length / 2} samples is not ${rows} × ${cols}`);
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

function conjugate(data: Float64Array): void {
  for (let i = 1; i < data.length; i += 2) data[i] = -data[i];
}

function scale(data: Float64Array, factor: number): void {
  for (let i = 0; i < data.length; i++) data[i] *= factor;
}
