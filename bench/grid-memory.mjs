/**
 * Peak memory of gridding 10 million scattered points (linear, Delaunay) onto a 2000 × 2000 grid:
 * the bar is 4 × (points + output) bytes, points = x, y, value as Float64 (240 MB), output
 * 32 MB. Peak RSS is the whole process's (maxRSS), node itself included (~50 MB).
 * Usage: node bench/grid-memory.mjs [points] [method]; prints one line (run.mjs runs it in a child
 * process, so that the peak is this job's alone).
 */
import { gridScattered } from '../dist/index.js';

const n = Number(process.argv[2] ?? 10_000_000);
const method = process.argv[3] ?? 'linear';
const side = 2000;
const x = new Float64Array(n),
  y = new Float64Array(n),
  values = new Float64Array(n);
let s = 1;
const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 4294967296);
// A survey-like box of UTM coordinates, 400 km × 400 km, with a smooth field.
for (let i = 0; i < n; i++) {
  x[i] = 500e3 + 400e3 * random();
  y[i] = 9_500e3 + 400e3 * random();
  values[i] = 100 * Math.sin(x[i] / 3e4) * Math.cos(y[i] / 5e4);
}
const start = performance.now();
const raster = gridScattered(
  { x, y, values },
  { extent: [500e3 + 100, 900e3 - 100, 9_500e3 + 100, 9_900e3 - 100], shape: [side, side], method },
);
const seconds = (performance.now() - start) / 1000;
const pointBytes = x.byteLength + y.byteLength + values.byteLength;
const outputBytes = raster.data.data.byteLength;
const peak = process.resourceUsage().maxRSS * 1024;
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const ratio = peak / (pointBytes + outputBytes);
console.log(
  `gridScattered ${method}, ${(n / 1e6).toFixed(1)} M points → ${side} × ${side}: ${seconds.toFixed(1)} s, peak RSS ${mb(peak)} = ${ratio.toFixed(2)} × (points ${mb(pointBytes)} + output ${mb(outputBytes)}); bar 4 ×: ${ratio <= 4 ? 'below' : 'ABOVE'}`,
);
