/**
 * The 3-D forward model of Bouligand et al. (2009) that made PyCurious's test grid
 * (`tests/Bouligand_forward.py`, after C. Bouligand's MATLAB code): a fractal magnetisation in a
 * periodic volume, cut into horizontal slabs from z_t to z_t + Δz, each slab's anomaly computed in
 * the Fourier domain and the slabs summed.
 *
 * The model, with frequencies f in cycles/km and wavenumbers |k| = 2π|f_h| in rad/km:
 * 1. White noise W (sd σ = 0.2 A/m, PyCurious's `M2`) on a `rows × cols × L` grid (y, x, z) with
 *    L = max(rows, cols, nz), filtered in 3-D: `M = ifftn(fftn(W) · (f_x² + f_y² + f_z²)^(−β/4))`,
 *    power ∝ |f|^−β. (PyCurious's `b = −3` with `(f²)^(b/4)` is this with β = 3.)
 * 2. Slab j (j = 0 … nz−1), depths z₁ = z_t + j·t to z₂ = z₁ + t, t = Δz/nz, holds the
 *    magnetisation `M[:, :, j]`; its anomaly is `ifft2(fft2(M[:, :, j]) · 2π·c_m·(e^{−|k|z₁} − e^{−|k|z₂}))`
 *    with c_m = 1e-7. The grid is the real part of the sum over slabs.
 *
 * What this does instead of building the volume (PyCurious holds n³ complex values: 305³ is 450 MB
 * in numpy, and an FFT over all of it): step 2 only needs `fft2(M[:, :, j])`, which is the inverse
 * DFT along z alone of the 3-D spectrum, `(1/L) Σ_kz M̂(u, v, kz) ω^{kz·j}`, ω = e^{2πi/L}; and the
 * slab filter is `2π c_m e^{−|k|z_t}(1 − q) q^j`, q = e^{−|k|t}, a geometric sequence in j. So the
 * sum over slabs is, for each horizontal frequency (u, v),
 *   `Σ_kz M̂(u, v, kz) · 2π c_m e^{−|k|z_t}(1 − q)/L · (1 − (qω^{kz})^{nz}) / (1 − qω^{kz})`,
 * which is exact (the same number as the slab-by-slab computation, to rounding: the unit tests
 * compare the two to 1e-12) and visits each
 * 3-D frequency once ({@link layeredAnomalySpectrum}, for a given noise spectrum).
 * Each anomaly coefficient F(u, v) = Σ_kz a(kz)·Ŵ(u, v, kz) is thus a fixed linear combination of
 * the noise coefficients of one kz-column, and the columns of different conjugate pairs are
 * independent Gaussians (the DFT of Gaussian white noise: variance N₃σ², N₃ = rows·cols·L,
 * circular except at self-conjugate points). So F(u, v) is itself a Gaussian, independent across
 * pairs, of variance `N₃σ² Σ_kz |a(kz)|²` ({@link layeredAnomalyPower}), and {@link layeredField}
 * draws it directly: the same distribution of grids as building and filtering the volume (not the
 * same numbers as a particular volume: the random source is not numpy's anyway), with rows·cols
 * normal draws instead of rows·cols·L.
 * Cost: a(kz) depends on (u, v) through |f_h| only, and a(L − kz) = conj a(kz): it is computed for
 * 0 ≤ u ≤ rows/2, 0 ≤ v ≤ cols/2 (v ≥ u when rows = cols) and kz ≤ L/2, rows·cols·L/16 terms (for
 * 305 × 305, L = 305: 1.8·10⁶), one exp/log and one complex division each; then rows·cols normal
 * draws and one rows × cols inverse FFT. Memory O(rows·cols + L): a few rows × cols arrays,
 * nothing of size L³.
 *
 * Differences from PyCurious's script, all of them defects there: its frequency vectors put the
 * Nyquist-adjacent entry on the wrong side (for n = 305, f[152] = −153/305 cycles/km where numpy's
 * `fftfreq` has +152/305) and its filter loop
 * (`range(0, nmax − 1)`) leaves the last plane of every axis unfiltered, which makes its 3-D filter
 * non-Hermitian and its field complex (it keeps the real part); it adds 1e-7 to f² (a < 1 % change
 * at the lowest frequency of a 305³ volume) where this sets the filter to 0 at f = 0 (that term
 * never reaches the anomaly: the slab filter is 0 at |k| = 0); and it requires a cubic volume of
 * side max(nx, ny, nz) with the grid as its corner, where this uses the exact rows × cols grid
 * (periodic, as the exact-size FFT of a window assumes) and depth period L.
 */
import type { RandomSource } from '../rng.js';
import { fft2d } from '../spectrum/fft.js';
import {
  forEachHermitianPair,
  randomHermitianSpectrum,
  realPart,
  squaredFrequencies,
  unfoldQuadrant,
} from './fourier-grid.js';

/** Standard deviation of the white-noise magnetisation before filtering, A/m (PyCurious's `M2`). */
export const LAYERED_MAGNETISATION_SD = 0.2;

/** PyCurious's magnetic constant c_m = μ₀/4π (SI), in the slab filter 2π·c_m·(e^{−|k|z₁} − e^{−|k|z₂}). */
export const LAYERED_CM = 1e-7;

/** Grid and layer of the layered model. */
export interface LayeredParameters {
  /** Rows of the anomaly grid (y). */
  rows: number;
  /** Columns of the anomaly grid (x). */
  cols: number;
  /** Horizontal node spacing, km. */
  spacingKm: number;
  /** Fractal exponent β: the 3-D magnetisation has power ∝ |f|^−β. */
  beta: number;
  /** Depth to the top of the layer, km. */
  zt: number;
  /** Thickness of the layer, km. */
  dz: number;
}

/** How the layer is cut: `slabs` slabs of `slabThickness` km, in a volume of `depthPeriod` cells along z. */
export interface LayeredLayout {
  /** nz = max(1, round(Δz / spacing)): one slab per horizontal cell size of depth, as PyCurious. */
  slabs: number;
  /** Δz / nz, km: equal to the spacing when Δz is a multiple of it. */
  slabThickness: number;
  /** L = max(rows, cols, nz): the period of the magnetisation along z, in slabs (PyCurious's n). */
  depthPeriod: number;
}

/** The slab layout of the layered model for a grid and layer (see {@link LayeredLayout}). */
export function layeredLayout(rows: number, cols: number, spacingKm: number, dz: number): LayeredLayout {
  const slabs = Math.max(1, Math.round(dz / spacingKm));
  return { slabs, slabThickness: dz / slabs, depthPeriod: Math.max(rows, cols, slabs) };
}

/**
 * Fills `column` (interleaved complex, L values for kz = 0 … L−1) with the 3-D DFT of the
 * unfiltered magnetisation noise at horizontal frequency (u, v) (A/m, numpy's unnormalised `fftn`).
 * Called once per conjugate pair (see `forEachHermitianPair`); for a self-conjugate (u, v) the
 * column must satisfy `column[L − kz] = conj column[kz]`.
 */
export type NoiseColumn = (u: number, v: number, selfConjugate: boolean, column: Float64Array) => void;

/**
 * The kernel a(kz) of the layered model at each horizontal frequency: `F(u, v) = Σ_kz a(kz)·Ŵ(u, v, kz)`,
 * `a = 2π c_m e^{−|k|z_t}(1 − q)/L · (f_h² + f_z²)^(−β/4) · (1 − (qω^kz)^nz)/(1 − qω^kz)`.
 * Returns a function that fills `kernel` (interleaved complex, length L) for (u, v) ≠ (0, 0).
 */
function kernelOf(params: LayeredParameters): {
  depthPeriod: number;
  fill: (u: number, v: number, kernel: Float64Array) => void;
} {
  const { rows, cols, spacingKm, beta, zt, dz } = params;
  const { slabs, slabThickness, depthPeriod: L } = layeredLayout(rows, cols, spacingKm, dz);
  const fy2 = squaredFrequencies(rows, spacingKm);
  const fx2 = squaredFrequencies(cols, spacingKm);
  const fz2 = squaredFrequencies(L, slabThickness);
  // ω^j = e^{2πij/L}: 1 − qω^j = (1 − q) + 2q·sin²(πj/L) − i·q·sin(2πj/L), no cancellation.
  const sinFull = new Float64Array(L),
    sinHalfSquared = new Float64Array(L),
    power = new Int32Array(L);
  for (let j = 0; j < L; j++) {
    sinFull[j] = Math.sin((2 * Math.PI * j) / L);
    sinHalfSquared[j] = Math.sin((Math.PI * j) / L) ** 2;
    power[j] = (j * slabs) % L; // ω^{kz·nz} = ω^{(kz·nz) mod L}
  }
  const exponent = -beta / 4;
  const fill = (u: number, v: number, kernel: Float64Array): void => {
    const fh2 = fy2[u] + fx2[v];
    const k = 2 * Math.PI * Math.sqrt(fh2);
    const q = Math.exp(-k * slabThickness),
      oneMinusQ = -Math.expm1(-k * slabThickness);
    const qn = Math.exp(-k * dz),
      oneMinusQn = -Math.expm1(-k * dz); // q^nz = e^{−|k|Δz}
    const prefactor = (2 * Math.PI * LAYERED_CM * Math.exp(-k * zt) * oneMinusQ) / L;
    for (let kz = 0; 2 * kz <= L; kz++) {
      // (f_h² + f_z²)^(−β/4) through exp/log: V8's Math.pow is markedly slower here.
      const filter = prefactor * Math.exp(exponent * Math.log(fh2 + fz2[kz]));
      // (1 − q^nz ω^{kz·nz}) / (1 − q ω^kz)
      const j = power[kz];
      const nr = oneMinusQn + 2 * qn * sinHalfSquared[j],
        ni = -qn * sinFull[j];
      const dr = oneMinusQ + 2 * q * sinHalfSquared[kz],
        di = -q * sinFull[kz];
      const scale = filter / (dr * dr + di * di);
      const re = (nr * dr + ni * di) * scale,
        im = (ni * dr - nr * di) * scale;
      kernel[2 * kz] = re;
      kernel[2 * kz + 1] = im;
      if (kz > 0 && 2 * kz < L) {
        kernel[2 * (L - kz)] = re; // a(L − kz) = conj a(kz)
        kernel[2 * (L - kz) + 1] = -im;
      }
    }
  };
  return { depthPeriod: L, fill };
}

/**
 * The 2-D DFT (numpy's `fft2`, interleaved complex, rows × cols) of the layered model's anomaly for
 * a given 3-D noise spectrum: the slabs summed in closed form (see the module comment), the same
 * numbers as PyCurious's slab-by-slab sum for the same `fftn(W)` (defects aside). The zero
 * frequency is 0; conjugate partners are set from the visited member.
 * @param params grid, spacing (km), β, z_t and Δz (km)
 * @param noise supplies `fftn(W)` one kz-column at a time (A/m)
 */
export function layeredAnomalySpectrum(params: LayeredParameters, noise: NoiseColumn): Float64Array {
  const { rows, cols } = params;
  const { depthPeriod: L, fill } = kernelOf(params);
  const kernel = new Float64Array(2 * L),
    column = new Float64Array(2 * L);
  const spectrum = new Float64Array(2 * rows * cols);
  forEachHermitianPair(rows, cols, (u, v, index, partner, selfConjugate) => {
    fill(u, v, kernel);
    noise(u, v, selfConjugate, column);
    let re = 0,
      im = 0;
    for (let i = 0; i < 2 * L; i += 2) {
      re += kernel[i] * column[i] - kernel[i + 1] * column[i + 1];
      im += kernel[i] * column[i + 1] + kernel[i + 1] * column[i];
    }
    spectrum[2 * index] = re;
    if (selfConjugate) return; // real by symmetry of the column: drop the rounding
    spectrum[2 * index + 1] = im;
    spectrum[2 * partner] = re;
    spectrum[2 * partner + 1] = -im;
  });
  return spectrum;
}

/**
 * Expected power `E|F(u, v)|²` of the layered model's anomaly at each DFT sample (row-major
 * rows × cols, numpy's unnormalised `fft2`, in (PyCurious's units)²): `N₃σ² Σ_kz |a(kz)|²`, with
 * σ = {@link LAYERED_MAGNETISATION_SD} and N₃ = rows·cols·L. 0 at (0, 0). This is the discrete
 * model's exact spectrum, the counterpart of `exp(Φ)` of the Bouligand formula. a depends on
 * (u, v) through |f_h| only, so it is computed once per (|u|, |v|) (and once per unordered pair
 * when rows = cols).
 * @param params grid, spacing (km), β, z_t and Δz (km)
 */
export function layeredAnomalyPower(params: LayeredParameters): Float64Array {
  return unfoldQuadrant(quadrantPower(params), params.rows, params.cols);
}

/** {@link layeredAnomalyPower} for |u| ≤ rows/2, |v| ≤ cols/2, as `[a·(⌊cols/2⌋ + 1) + b]`. */
function quadrantPower(params: LayeredParameters): Float64Array {
  const { rows, cols } = params;
  const { depthPeriod: L, fill } = kernelOf(params);
  const variance = LAYERED_MAGNETISATION_SD ** 2 * rows * cols * L;
  const kernel = new Float64Array(2 * L);
  const qr = (rows >> 1) + 1,
    qc = (cols >> 1) + 1;
  const power = new Float64Array(qr * qc);
  for (let a = 0; a < qr; a++) {
    for (let b = 0; b < qc; b++) {
      if (a === 0 && b === 0) continue;
      if (rows === cols && b < a) {
        power[a * qc + b] = power[b * qc + a]; // same |f_h|, bit for bit
        continue;
      }
      fill(a, b, kernel);
      let sum = 0;
      for (let i = 0; i < 2 * L; i++) sum += kernel[i] * kernel[i];
      power[a * qc + b] = variance * sum;
    }
  }
  return power;
}

/**
 * A `rows × cols` anomaly (row-major, in PyCurious's units: its 305 × 305 test grid has a standard
 * deviation of 5.1e-7) from the layered 3-D model: each Fourier coefficient drawn as the Gaussian
 * it is under the model, of variance {@link layeredAnomalyPower} (see the module comment), in the
 * order of `randomHermitianSpectrum`; a seed therefore fixes the field bit for bit.
 * @param rows rows (y)
 * @param cols columns (x)
 * @param spacingKm node spacing, km
 * @param layer β, z_t (km), Δz (km)
 * @param rng the random source (consumed)
 */
export function layeredField(
  rows: number,
  cols: number,
  spacingKm: number,
  layer: { beta: number; zt: number; dz: number },
  rng: RandomSource,
): Float64Array {
  const amplitude = quadrantPower({ rows, cols, spacingKm, ...layer }).map(Math.sqrt);
  const qc = (cols >> 1) + 1;
  const spectrum = randomHermitianSpectrum(
    rows,
    cols,
    (u, v) => amplitude[Math.min(u, rows - u) * qc + Math.min(v, cols - v)],
    rng,
  );
  return realPart(fft2d(spectrum, rows, cols, true));
}
