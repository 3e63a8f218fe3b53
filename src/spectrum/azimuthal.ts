/**
 * Azimuthal power spectrum (PyCurious `CurieGrid.azimuthal_spectrum`): the 1-D log spectrum of the
 * Radon projection of a square window at angles 0, θ, 2θ, … < 180°, to see whether the anomaly's
 * spectrum depends on direction.
 */
import ndarray from 'ndarray';
import type { NdArray } from 'ndarray';
import { CurieError, fmt } from '../errors.js';
import { fftPlan } from './fft.js';
import { radon2d } from './radon.js';
import { arange, arangeLength } from '../grid/sequences.js';
import { checkAllocation } from '../memory-budget.js';
import { checkConvention, type Convention } from './convention.js';
import { wavenumberStep } from './radial.js';
import { cachedTaper, type Taper } from './taper.js';
import { readWindow, squareSide } from '../grid/window-data.js';

/** Options of {@link azimuthalSpectrum}. */
export interface AzimuthalSpectrumOptions {
  /** Taper of each projection before its FFT (default `'hanning'`, as PyCurious). */
  taper?: Taper;
  /** Factor on the log spectrum: 2 gives ln |F|² (Bouligand, default), 1 ln |F| (Tanaka; 0.5 in PyCurious 1.1). */
  power?: number;
  /** Angle step in degrees, 0 < θ < 180 (default 5). */
  theta?: number;
  /** `'default'`: k in steps of 2π/(n·dx); `'pycurious-1.1'`: 2π/((n−1)·dx), as PyCurious 1.1. */
  convention?: Convention;
}

/** Result of {@link azimuthalSpectrum}. */
export interface AzimuthalSpectrum {
  /** Wavenumbers in rad/km: PyCurious's bin edges `kbins` (dk, 2dk, …), one per column of `S`. */
  k: Float64Array;
  /** `power · ln |FFT|` of each projection, shape `[theta.length, k.length]`. */
  S: NdArray<Float64Array>;
  /** Projection angles in degrees: 0, θ, 2θ, … < 180. */
  theta: Float64Array;
}

/**
 * Azimuthal spectrum of a square window, as PyCurious's `azimuthal_spectrum`: for each angle
 * 0, θ, … < 180° (θ in degrees), the Radon projection of the window (see `radon2d`), tapered, Fourier-transformed at length
 * `1 + 2·k.length` (numpy's `fft(x, n)`: zero-padded if longer than the window, truncated if
 * shorter; equal for odd windows), then `power · ln |F|` at frequencies 1 … k.length.
 *
 * Angles are in index space from the row axis towards the column axis, as in PyCurious (whose x is
 * the first axis): at 0° the projection follows the row index (south → north in a curie-depth
 * raster), at 90° the column index (west → east); a plane wave whose crests run east–west peaks at 0°.
 * Where |F| is exactly 0, S is −∞, as in PyCurious.
 *
 * @param data window of shape `[n, n]` (any strides), e.g. from `subgrid`
 * @param dx node spacing in metres
 * @returns `k` in rad/km, `S` of shape `[angles, k]`, `theta` in degrees
 * @throws CurieError `E_ARGUMENT` for a non-square or too small window, bad dx, power or θ;
 *   `E_NAN` when the window has NaN (or infinite) values
 */
export function azimuthalSpectrum(
  data: NdArray,
  dx: number,
  options: AzimuthalSpectrumOptions = {},
): AzimuthalSpectrum {
  const { taper = 'hanning', power = 2, theta: step = 5 } = options;
  const n = squareSide(data, 'azimuthalSpectrum');
  if (n < 3)
    throw new CurieError('E_ARGUMENT', `azimuthalSpectrum needs a window of at least 3 × 3 samples; got ${n} × ${n}`);
  if (!(Number.isFinite(dx) && dx > 0))
    throw new CurieError('E_ARGUMENT', `azimuthalSpectrum spacing dx = ${fmt(dx)} m must be a positive number`);
  if (!Number.isFinite(power))
    throw new CurieError('E_ARGUMENT', `azimuthalSpectrum power ${fmt(power)} must be a finite number`);
  if (!(Number.isFinite(step) && step > 0 && step < 180))
    throw new CurieError('E_ARGUMENT', `azimuthalSpectrum angle step theta = ${fmt(step)}° must be in (0, 180)`);

  // One projection of n values and one spectrum of ~n/2 per angle: a tiny θ means billions of them.
  const angles = arangeLength(0, 180, step);
  checkAllocation(
    `azimuthalSpectrum with theta = ${fmt(step)}° (${fmt(angles)} angles of a ${n}-node window)`,
    8 * angles * (2 * n + 2),
    'use a larger theta (e.g. 1°)',
  );
  const window = readWindow(data, 'azimuthalSpectrum window');
  // PyCurious's radial bin edges kbins = arange(dk, dk·n/2, dk), the same as the radial spectrum's,
  // and angles arange(0, 180, θ): ceil(180/θ) of them.
  const convention = checkConvention(options.convention);
  const dk = wavenumberStep(n, dx, 'pycurious-1.1');
  let kbins = arange(dk, (dk * n) / 2, dk);
  if (convention !== 'pycurious-1.1') kbins = kbins.map((_, i) => (i + 1) * wavenumberStep(n, dx, convention));
  const degrees = arange(0, 180, step);
  // PyCurious: np.pi * dtheta / 180.0, evaluated left to right.
  const radians = degrees.map((d) => (Math.PI * d) / 180);
  const sinogram = radon2d(window, n, radians);

  const weights = cachedTaper(taper, n);
  const nk = 1 + 2 * kbins.length;
  const used = Math.min(n, nk); // samples of the projection that fit in the FFT
  const plan = fftPlan(nk);
  const buffer = new Float64Array(2 * nk);
  const nAngles = degrees.length;
  const S = new Float64Array(nAngles * kbins.length);
  for (let a = 0; a < nAngles; a++) {
    buffer.fill(0);
    for (let r = 0; r < used; r++) buffer[2 * r] = weights[r] * sinogram[r * nAngles + a];
    plan.forward(buffer, 0, 1, buffer, 0, 1);
    for (let f = 1; f <= kbins.length; f++)
      S[a * kbins.length + f - 1] = power * Math.log(Math.hypot(buffer[2 * f], buffer[2 * f + 1]));
  }
  return { k: kbins, S: ndarray(S, [nAngles, kbins.length]), theta: degrees };
}
