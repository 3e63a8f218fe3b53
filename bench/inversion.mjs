/**
 * Fitting benchmarks: one optimise on a 200 km window of a 1 km grid (99 spectrum points,
 * spectrum included) and one bouligand2009 call on 99 points. Issue targets: ≤ 3 ms per window,
 * ≤ 20 µs per model call. The grid is a synthetic fractal-like field made here (no fixtures needed).
 */
import ndarray from 'ndarray';
import { bouligand2009, CurieOptimiser, fft2d } from '../dist/index.js';
import { measure } from './harness.mjs';

/** A 305 × 305 field with a power-law spectrum (deterministic), so fits behave as on real data. */
function fractalGrid(n) {
  let s = 12345;
  const random = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const z = new Float64Array(2 * n * n);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) {
      const fr = Math.min(r, n - r), fc = Math.min(c, n - c);
      const k = Math.hypot(fr, fc) || 1;
      const amplitude = k ** -2 * Math.exp(-0.02 * k);
      const phase = 2 * Math.PI * random();
      z[2 * (r * n + c)] = amplitude * Math.cos(phase);
      z[2 * (r * n + c) + 1] = amplitude * Math.sin(phase);
    }
  fft2d(z, n, n, true);
  return ndarray(Float64Array.from({ length: n * n }, (_, i) => z[2 * i]), [n, n]);
}

export function benchInversion() {
  console.log('# fitting (one core)');
  const n = 305;
  const optimiser = new CurieOptimiser(fractalGrid(n), 500, 304_500, 500, 304_500);
  const centre = 152_500;
  const window = optimiser.subgrid(200e3, centre, centre);
  const { k } = optimiser.radialSpectrum(window);
  measure(`bouligand2009 on ${k.length} points`, () => bouligand2009(k, 2.8, 0.4, 9, -18));
  let i = 0;
  const offsets = [-20_000, -10_000, 0, 10_000, 20_000];
  const result = measure('optimise, 200 km window (spectrum + fit)', () => {
    const x = centre + offsets[i % 5], y = centre + offsets[Math.floor(i / 5) % 5];
    i++;
    return optimiser.optimise(200e3, x, y);
  });
  const fit = optimiser.optimise(200e3, centre, centre);
  console.log(`  (centre window: ${fit.iterations} iterations, converged ${fit.converged}, Curie depth ${fit.curieDepth.toFixed(2)} km)`);
  return result;
}
