/**
 * Fitting benchmarks: one optimise on a 200 km window of a 1 km grid (99 spectrum points,
 * spectrum included) and one bouligand2009 call on 99 points. Issue targets: ≤ 3 ms per window,
 * ≤ 20 µs per model call. The grid is a synthetic anomaly (β 3, z_t 1 km, Δz 10 km) made by the
 * package, so the benchmark needs no fixtures.
 */
import { bouligand2009, CurieOptimiser, synthesiseAnomaly } from '../dist/index.js';
import { measure } from './harness.mjs';

export function benchInversion() {
  console.log('# fitting (one core)');
  const optimiser = CurieOptimiser.fromRaster(synthesiseAnomaly({ rows: 305, cols: 305, spacing: 1000, zt: 1, dz: 10, beta: 3, seed: 1 }));
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
