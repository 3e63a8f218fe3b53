/**
 * Helpers shared by the synthetic-anomaly generators: DFT frequencies and the Hermitian pairing of
 * a 2-D spectrum, so that a spectrum built from random draws inverts to a real field.
 */
import type { RandomSource } from '../rng.js';
import { sharedFloat64 } from '../io/raster.js';
import { fftFrequency } from '../spectrum/frequencies.js';

/** All of {@link fftFrequency} for one axis, squared: `f_i²` in (cycles per unit of d)². */
export function squaredFrequencies(n: number, d: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => fftFrequency(i, n, d) ** 2);
}

/**
 * Visit each pair {(u, v), (−u mod rows, −v mod cols)} of a `rows × cols` 2-D spectrum once, in
 * row-major order of its first member, skipping the zero frequency (0, 0). A real field has
 * `F(−u, −v) = conj F(u, v)`, so a generator sets the first member and its conjugate partner.
 * `selfConjugate` marks the points that are their own partner (u ∈ {0, rows/2}, v ∈ {0, cols/2}
 * for even sizes), whose value must be real.
 *
 * @param visit called with row u, column v, flat index `u·cols + v`, the partner's flat index
 */
export function forEachHermitianPair(
  rows: number,
  cols: number,
  visit: (u: number, v: number, index: number, partner: number, selfConjugate: boolean) => void,
): void {
  for (let u = 0; u < rows; u++) {
    const pu = u === 0 ? 0 : rows - u;
    for (let v = 0; v < cols; v++) {
      const index = u * cols + v;
      const partner = pu * cols + (v === 0 ? 0 : cols - v);
      if (index === 0 || partner < index) continue;
      visit(u, v, index, partner, partner === index);
    }
  }
}

/**
 * A random Hermitian-symmetric `rows × cols` spectrum (interleaved complex) with
 * `E|F(u, v)|² = amplitude(u, v)²`: for each pair of {@link forEachHermitianPair}, in its order, two
 * normal draws (real then imaginary part, each of variance ½·amplitude²) for the first member and
 * the conjugate for its partner, or one draw (variance amplitude²) for a self-conjugate point.
 * F(0, 0) = 0. The inverse FFT of the result is real (to rounding).
 * @param amplitude √(expected power) at row u, column v (called once per pair)
 */
export function randomHermitianSpectrum(
  rows: number,
  cols: number,
  amplitude: (u: number, v: number) => number,
  rng: RandomSource,
): Float64Array {
  const spectrum = new Float64Array(2 * rows * cols);
  forEachHermitianPair(rows, cols, (u, v, index, partner, selfConjugate) => {
    const amp = amplitude(u, v);
    if (selfConjugate) {
      spectrum[2 * index] = amp * rng.normal();
      return;
    }
    const re = amp * Math.SQRT1_2 * rng.normal(),
      im = amp * Math.SQRT1_2 * rng.normal();
    spectrum[2 * index] = re;
    spectrum[2 * index + 1] = im;
    spectrum[2 * partner] = re;
    spectrum[2 * partner + 1] = -im;
  });
  return spectrum;
}

/**
 * A Hermitian-symmetric `rows × cols` spectrum (interleaved complex) with `|F(u, v)| = amplitude(u, v)`
 * exactly and uniformly random phases: for each pair of {@link forEachHermitianPair}, in its order,
 * one uniform draw for the phase (a random sign for a self-conjugate point). F(0, 0) = 0. Its
 * power spectrum is the model itself, with no sampling scatter.
 * @param amplitude |F| at row u, column v (called once per pair)
 */
export function randomPhaseSpectrum(
  rows: number,
  cols: number,
  amplitude: (u: number, v: number) => number,
  rng: RandomSource,
  randomAmplitudes = false,
): Float64Array {
  const spectrum = new Float64Array(2 * rows * cols);
  forEachHermitianPair(rows, cols, (u, v, index, partner, selfConjugate) => {
    let amp = amplitude(u, v);
    if (selfConjugate) {
      spectrum[2 * index] = randomAmplitudes ? amp * rng.normal() : rng.uniform() < 0.5 ? -amp : amp;
      return;
    }
    // A Gaussian field: |F|² = amp²·E, E exponential with mean 1 (Rayleigh amplitudes).
    if (randomAmplitudes) amp *= Math.sqrt(-Math.log(1 - rng.uniform()));
    const phase = 2 * Math.PI * rng.uniform();
    const re = amp * Math.cos(phase),
      im = amp * Math.sin(phase);
    spectrum[2 * index] = re;
    spectrum[2 * index + 1] = im;
    spectrum[2 * partner] = re;
    spectrum[2 * partner + 1] = -im;
  });
  return spectrum;
}

/**
 * A `rows × cols` array (row-major) from values that depend on |u| and |v| only, given for
 * 0 ≤ a ≤ rows/2, 0 ≤ b ≤ cols/2 as `quadrant[a·(⌊cols/2⌋ + 1) + b]` (a = min(u, rows − u), b likewise).
 */
export function unfoldQuadrant(quadrant: Float64Array, rows: number, cols: number): Float64Array {
  const qc = (cols >> 1) + 1;
  const out = new Float64Array(rows * cols);
  for (let u = 0; u < rows; u++) {
    const a = Math.min(u, rows - u);
    for (let v = 0; v < cols; v++) out[u * cols + v] = quadrant[a * qc + Math.min(v, cols - v)];
  }
  return out;
}

/** Real parts of an interleaved complex array, on a SharedArrayBuffer (a grid for worker threads). */
export function realPart(complex: Float64Array): Float64Array {
  const out = sharedFloat64(complex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = complex[2 * i];
  return out;
}
