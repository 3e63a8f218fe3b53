/**
 * A random field whose power spectrum is the Bouligand et al. (2009) model exactly: each Fourier
 * coefficient has the model's amplitude √(N·exp(Φ(|k|)))/h and a uniformly random phase, Hermitian
 * pairs conjugate so the field is real, inverted by one exact-size 2-D FFT (no padding, periodic).
 * Only the phases are random, so every realisation has the model's spectrum without sampling
 * scatter: a fit recovers the parameters it was made with (the known answer a test needs).
 */
import { CurieError, fmt } from '../errors.js';
import type { RandomSource } from '../rng.js';
import { bouligand2009 } from '../models/bouligand.js';
import { fft2d } from '../spectrum/fft.js';
import { fftFrequency } from '../spectrum/frequencies.js';
import { randomPhaseSpectrum, realPart, unfoldQuadrant } from './fourier-grid.js';

/** Parameters of the Bouligand et al. (2009) spectrum (depths in km). */
export interface BouligandParameters {
  /** Fractal exponent β of the 3-D magnetisation (power ∝ k^−β); > −1 for the spectral model. */
  beta: number;
  /** Depth to the top of the magnetic layer, km. */
  zt: number;
  /** Thickness of the magnetic layer, km (Curie depth = z_t + Δz). */
  dz: number;
  /** Additive constant of ln Φ (see {@link spectralField} for its normalisation). */
  C: number;
}

/**
 * Default C of the spectral method: 12 gives a field whose standard deviation is of order 100
 * (read as nT): ≈ 125 for β = 3, z_t = 1 km, Δz = 20 km; ≈ 110 for Δz = 10 km; ≈ 85 for β = 2.5;
 * ≈ 400 for β = 4 (measured on 305² and 401² grids, any spacing from 0.5 to 2 km). The
 * amplitude scales as e^{C/2}: C + 2 ln a multiplies the field by a.
 */
export const DEFAULT_SPECTRAL_C = 12;

/**
 * A `rows × cols` real field (row-major) with the Bouligand et al. (2009) spectrum.
 *
 * Normalisation: `exp(Φ(|k|))` is the power spectral density of the field (units² · km²): the
 * DFT coefficient at wavenumber k (numpy's unnormalised forward `fft2` of the field) has
 * `|F(k)|² = N·exp(Φ(|k|))/h²`, N = rows·cols, h the spacing in km, and
 * `|k| = 2π·hypot(fftfreq(cols, h)[v], fftfreq(rows, h)[u])` rad/km. So the field's variance,
 * `Σ_k exp(Φ(|k|))/(N h²) ≈ (1/4π²)∫exp(Φ) d²k`, hardly depends on the grid's size or spacing,
 * and the radial spectrum of the whole grid without a taper is the bin average of
 * `Φ(k) + ln N − 2 ln h` at the wavenumbers above (PyCurious's bins label them n/(n−1) higher).
 * F(0) = 0: the field has zero mean. Phases are drawn in row-major order of the half spectrum
 * (see `randomPhaseSpectrum`), so a seed fixes the field bit for bit.
 *
 * Cost: one evaluation of the model per distinct (|u|, |v|) (≈ N/4) and one inverse FFT of size
 * rows × cols; memory 2N doubles (the complex spectrum) plus the N-sample output.
 *
 * @param rows number of rows (y), ≥ 2
 * @param cols number of columns (x), ≥ 2
 * @param spacingKm node spacing, km, in both directions
 * @param params β, z_t (km), Δz (km), C
 * @param rng the random source (consumed)
 * @throws CurieError `E_ARGUMENT` when the model's amplitude is not finite (C too large, β ≤ −1)
 */
export function spectralField(
  rows: number,
  cols: number,
  spacingKm: number,
  params: BouligandParameters,
  rng: RandomSource,
  randomAmplitudes = false,
): Float64Array {
  const amplitude = quadrantPower(rows, cols, spacingKm, params).map(Math.sqrt);
  const qc = (cols >> 1) + 1;
  const spectrum = randomPhaseSpectrum(
    rows,
    cols,
    (u, v) => amplitude[Math.min(u, rows - u) * qc + Math.min(v, cols - v)],
    rng,
    randomAmplitudes,
  );
  return realPart(fft2d(spectrum, rows, cols, true));
}

/**
 * The expected power `E|F(u, v)|² = N·exp(Φ(|k|))/h²` of {@link spectralField} at each DFT sample
 * (row-major rows × cols, numpy's unnormalised `fft2`; 0 at (0, 0)): the spectrum the random
 * field is drawn from.
 * @param rows rows (y)
 * @param cols columns (x)
 * @param spacingKm node spacing, km
 * @param params β, z_t (km), Δz (km), C
 * @throws CurieError `E_ARGUMENT` when the model's power is not finite
 */
export function spectralPower(
  rows: number,
  cols: number,
  spacingKm: number,
  params: BouligandParameters,
): Float64Array {
  return unfoldQuadrant(quadrantPower(rows, cols, spacingKm, params), rows, cols);
}

/** {@link spectralPower} for |u| ≤ rows/2, |v| ≤ cols/2 (|k| depends on |u| and |v| only), as `[a·(⌊cols/2⌋ + 1) + b]`. */
function quadrantPower(rows: number, cols: number, spacingKm: number, params: BouligandParameters): Float64Array {
  const { beta, zt, dz, C } = params;
  const qr = (rows >> 1) + 1,
    qc = (cols >> 1) + 1;
  const kh = new Float64Array(qr * qc);
  for (let a = 0; a < qr; a++) {
    const fy = fftFrequency(a, rows, spacingKm);
    for (let b = 0; b < qc; b++) kh[a * qc + b] = 2 * Math.PI * Math.hypot(fy, fftFrequency(b, cols, spacingKm));
  }
  kh[0] = kh[1]; // any positive value: the zero frequency is set to 0 below
  const lnScale = Math.log(rows * cols) - 2 * Math.log(spacingKm);
  const power = bouligand2009(kh, beta, zt, dz, C).map((phi) => Math.exp(phi + lnScale));
  power[0] = 0;
  for (let i = 1; i < power.length; i++) {
    if (!Number.isFinite(power[i]))
      throw new CurieError(
        'E_ARGUMENT',
        `the spectral model (beta ${fmt(beta)}, zt ${fmt(zt)} km, dz ${fmt(dz)} km, C ${fmt(C)}) has a non-finite power at k = ${fmt(kh[i])} rad/km; use beta > -1 and a smaller C`,
      );
  }
  return power;
}
