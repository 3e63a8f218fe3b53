/**
 * Fitting benchmarks: one optimise on a 200 km window of a 1 km grid (99 spectrum points, spectrum,
 * global fit, 90 % interval and verdict included; issue target ≤ 5 ms) under both conventions, and
 * one bouligand2009 call on 99 points (≤ 20 µs). The grid is a Gaussian random field (β 3, z_t 1 km,
 * Δz 10 km) made by the package, so the benchmark needs no fixtures.
 */
import { bouligand2009, CurieOptimiser, synthesiseAnomaly } from '../dist/index.js';
import { measure } from './harness.mjs';

export function benchInversion() {
  console.log('# fitting (one core)');
  const raster = synthesiseAnomaly({
    rows: 305,
    cols: 305,
    spacing: 1000,
    zt: 1,
    dz: 10,
    beta: 3,
    seed: 1,
    amplitudes: 'random',
  });
  const optimiser = CurieOptimiser.fromRaster(raster);
  const centre = 152_500;
  const window = optimiser.subgrid(200e3, centre, centre);
  const { k } = optimiser.radialSpectrum(window);
  measure(`bouligand2009 on ${k.length} points`, () => bouligand2009(k, 2.8, 0.4, 9, -18));
  const offsets = [-20_000, -10_000, 0, 10_000, 20_000];
  let result;
  for (const [label, fitter, options] of [
    ['default: 2 × 2 multitaper', optimiser, {}],
    ['default convention, Hann taper', optimiser, { taper: 'hanning' }],
    ['pycurious-1.1', CurieOptimiser.fromRaster(raster, { convention: 'pycurious-1.1' }), {}],
  ]) {
    let i = 0;
    const figure = measure(`optimise (${label}), 200 km window: spectrum + global fit + interval + verdict`, () => {
      const x = centre + offsets[i % 5],
        y = centre + offsets[Math.floor(i / 5) % 5];
      i++;
      return fitter.optimise(200e3, x, y, options);
    });
    result ??= figure;
    const fit = fitter.optimise(200e3, centre, centre, options);
    console.log(
      `  (centre window: ${fit.iterations} iterations, Curie depth ${fit.curieDepth.toFixed(2)} km, 90 % [${fit.interval.curieDepth.map((v) => v.toFixed(2)).join(', ')}], ${fit.verdict})`,
    );
  }
  return result;
}
