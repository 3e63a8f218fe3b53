/**
 * Peak memory of a map of a grid the size of the global EMAG2 (10 800 × 5 400 Float64, ~470 MB):
 * 200 km windows every 50 km of a 1 km grid, 2 workers. Bar: peak RSS of the whole process below
 * grid bytes × 1.5 + 300 MB. Usage: node bench/memory-emag2.mjs [workers]
 */
import ndarray from 'ndarray';
import { CurieOptimiser } from '../dist/index.js';

const workers = Number(process.argv[2] ?? 2);
const cols = 10_800,
  rows = 5_400;
const values = new Float64Array(new SharedArrayBuffer(8 * rows * cols));
// Deterministic fill: a smooth pattern plus pseudo-random noise, so every window has a spectrum.
let s = 1;
for (let i = 0; i < values.length; i++) {
  s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
  values[i] = Math.sin(i * 0.001) + s / 4294967296 - 0.5;
}
const gridBytes = values.byteLength;
const optimiser = new CurieOptimiser(
  ndarray(values, [rows, cols]),
  500,
  500 + (cols - 1) * 1000,
  500,
  500 + (rows - 1) * 1000,
);
const { xc, yc } = optimiser.createCentroidList(200e3, { spacingX: 50e3, spacingY: 50e3 });
const start = performance.now();
const result = await optimiser.optimiseRoutine(200e3, xc, yc, { workers });
const seconds = (performance.now() - start) / 1000;
await optimiser.close();
const peak = process.resourceUsage().maxRSS * 1024;
const bar = gridBytes * 1.5 + 300 * 2 ** 20;
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
console.log(
  `${xc.length} windows with ${workers} workers in ${seconds.toFixed(1)} s (${result.status.filter((v) => v > 1).length} failed)`,
);
console.log(`grid ${mb(gridBytes)}; peak RSS ${mb(peak)}; bar ${mb(bar)}: ${peak < bar ? 'below' : 'ABOVE'}`);
