/**
 * The one engine of the real 2-D spectra: every radial spectrum (window-fft.ts) and
 * {@link rfft2dHalf} run the three passes of row-column.ts on the engine picked here per length.
 *
 * Lengths other than 1, 2 and powers of two (odd windows such as 201 × 201 above all) go through
 * fft-batched.ts, the project's own power-of-two kernel batched over the ~n/2 vectors of a pass
 * (batch index contiguous, one twiddle load per batch, chirp, kernel product and first/last stages
 * fused, no bit reversal, no allocation), where one Bluestein transform at a time on fft.js spends
 * much of its time on copies, chirp products and separate passes (`npm run bench` measures the
 * spectra). Powers of two, 1 and 2 go one vector at a time through {@link fftPlan}.
 */
import { fftPlan } from './fft.js';
import { BatchedBluestein } from './fft-batched.js';
import { type ColumnPass, type PairPass, type RowColumnEngine, type SoloPass, unpackRealPairs } from './row-column.js';

/** The three passes through {@link fftPlan}, one vector at a time (sizes the batched kernel does not take). */
class VectorEngine implements RowColumnEngine {
  private readonly packed: Float64Array;
  private readonly spectrum: Float64Array;
  constructor(readonly n: number) {
    this.packed = new Float64Array(2 * n);
    this.spectrum = new Float64Array(2 * n);
  }

  taperedPairs({
    src,
    first,
    colStride,
    pairStride,
    partnerOffset,
    count,
    weights,
    out,
    outRow,
    half,
  }: PairPass): void {
    const { n, packed, spectrum } = this;
    const plan = fftPlan(n);
    for (let p = 0; p < count; p++) {
      const a = first + p * pairStride;
      for (let c = 0; c < n; c++) {
        packed[2 * c] = src[a + c * colStride] * weights[c];
        packed[2 * c + 1] = src[a + partnerOffset + c * colStride] * weights[c];
      }
      plan.forward(packed, 0, 1, spectrum, 0, 1);
      unpackRealPairs(spectrum, 2, 1, n, out, outRow + 2 * p, half);
    }
  }

  taperedSolos({ src, starts, colStride, weights, out, outRows, half }: SoloPass): void {
    const { n, packed, spectrum } = this;
    const plan = fftPlan(n);
    for (let b = 0; b < starts.length; b++) {
      for (let c = 0; c < n; c++) {
        packed[2 * c] = src[starts[b] + c * colStride] * weights[c];
        packed[2 * c + 1] = 0;
      }
      plan.forward(packed, 0, 1, spectrum, 0, 1);
      out.set(spectrum.subarray(0, 2 * half), 2 * outRows[b] * half);
    }
  }

  taperedColumns({ src, rowStart, weights, out, half, squared = false }: ColumnPass): void {
    const { n, packed, spectrum } = this;
    const plan = fftPlan(n);
    for (let k = 0; k < half; k++) {
      for (let j = 0; j < n; j++) {
        packed[2 * j] = src[rowStart[j] + 2 * k] * weights[j];
        packed[2 * j + 1] = src[rowStart[j] + 2 * k + 1] * weights[j];
      }
      plan.forward(packed, 0, 1, spectrum, 0, 1);
      for (let j = 0; j < n; j++) {
        const re = spectrum[2 * j],
          im = spectrum[2 * j + 1];
        if (squared) out[j * half + k] = re * re + im * im;
        else {
          out[2 * (j * half + k)] = re;
          out[2 * (j * half + k) + 1] = im;
        }
      }
    }
  }
}

const engines = new Map<number, RowColumnEngine>();

/** The cached engine for length-n passes (n ≥ 1). Engines keep scratch memory: one thread each. */
export function fftEngine(n: number): RowColumnEngine {
  let found = engines.get(n);
  if (!found) {
    found = n >= 3 && (n & (n - 1)) !== 0 ? new BatchedBluestein(n) : new VectorEngine(n);
    engines.set(n, found);
  }
  return found;
}

/** Weights of one, per length: an untapered pass (cached, so the batched kernel's chirp cache hits). */
const unitWeights = new Map<number, Float64Array>();
function ones(n: number): Float64Array {
  let weights = unitWeights.get(n);
  if (!weights) {
    weights = new Float64Array(n).fill(1);
    unitWeights.set(n, weights);
  }
  return weights;
}

/** Row half-spectra of {@link rfft2dHalf}: grown, never shrunk. */
let rowSpectra = new Float64Array(0);

/**
 * Non-redundant half of the 2-D DFT of a real `rows × cols` row-major array: columns
 * 0…⌊cols/2⌋ of numpy's `fft2`, returned interleaved, `rows × (⌊cols/2⌋ + 1)` complex samples.
 * The rest follows from `F[r][c] = conj(F[(rows−r) mod rows][(cols−c) mod cols])`.
 *
 * The radial spectra's engine, untapered: rows r and r + 1 (r even) are packed into one complex
 * transform (z = a + ib), a last odd row is transformed alone, and only the half of the columns
 * that is not redundant is transformed along the rows axis, about half the work of a complex 2-D
 * transform. Results agree with `fft2d` to ~1e-15 of the peak. `out` (of the result's length)
 * may be passed to reuse memory.
 */
export function rfft2dHalf(real: ArrayLike<number>, rows: number, cols: number, out?: Float64Array): Float64Array {
  if (real.length !== rows * cols) throw new RangeError(`rfft2dHalf: ${real.length} values is not ${rows} × ${cols}`);
  const half = (cols >> 1) + 1;
  const size = 2 * rows * half;
  const result = out && out.length === size ? out : new Float64Array(size);
  const values = real instanceof Float64Array ? real : Float64Array.from(real);
  if (rowSpectra.length < size) rowSpectra = new Float64Array(size);
  const rowEngine = fftEngine(cols),
    weights = ones(cols);
  const pairs = rows >> 1;
  if (pairs > 0)
    rowEngine.taperedPairs({
      src: values,
      first: 0,
      colStride: 1,
      pairStride: 2 * cols,
      partnerOffset: cols,
      count: pairs,
      weights,
      out: rowSpectra,
      outRow: 0,
      half,
    });
  if (rows % 2 === 1)
    rowEngine.taperedSolos({
      src: values,
      starts: [(rows - 1) * cols],
      colStride: 1,
      weights,
      out: rowSpectra,
      outRows: [rows - 1],
      half,
    });
  const rowStart = Int32Array.from({ length: rows }, (_, j) => 2 * half * j);
  fftEngine(rows).taperedColumns({ src: rowSpectra, rowStart, weights: ones(rows), out: result, half });
  return result;
}
