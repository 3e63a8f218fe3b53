/** Spectrum benchmarks: one radial spectrum of 201 × 201 and 401 × 401 windows (issue: ≤ 2 ms for 201). */
import ndarray from 'ndarray';
import { azimuthalSpectrum, fft2d, radialSpectrum } from '../dist/index.js';
import { measure } from './harness.mjs';

function randomWindow(n, seed) {
  let s = seed;
  const values = Float64Array.from({ length: n * n }, () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5);
  return ndarray(values, [n, n]);
}

export function benchSpectrum() {
  console.log('# spectrum (one core)');
  for (const n of [201, 401]) {
    const window = randomWindow(n, n);
    measure(`radialSpectrum ${n} × ${n} (hanning, power 2)`, () => radialSpectrum(window, 1000, { taper: 'hanning' }));
    measure(`radialSpectrum ${n} × ${n} (default: 2 × 2 multitaper)`, () => radialSpectrum(window, 1000));
  }
  const complex = new Float64Array(2 * 201 * 201).map((_, i) => Math.sin(i));
  measure('fft2d complex 201 × 201', () => fft2d(complex, 201, 201));
  const window = randomWindow(201, 7);
  measure('azimuthalSpectrum 201 × 201 (θ step 5°)', () => azimuthalSpectrum(window, 1000), { batches: 11 });
}
