/**
 * Parallel scaling of the map engine itself, start-up excluded: the reference grid's 1764 windows
 * mapped after a warm-up map, with 1 and with 2 workers, alternated; medians of wall time.
 * Usage: node bench/map-scaling.mjs [test_mag_data.txt] [rounds]
 */
import { CurieOptimiser, loadGrid } from '../dist/index.js';

const [path = '../shared/reference/pycurious/test_mag_data.txt', rounds = '5'] = process.argv.slice(2);
const raster = await loadGrid(path);
// One optimiser (so one pool, kept warm) per worker count.
const optimisers = { 1: CurieOptimiser.fromRaster(raster), 2: CurieOptimiser.fromRaster(raster) };
const { xc, yc } = optimisers[1].createCentroidList(200e3, { spacingX: 2500, spacingY: 2500 });
const times = { 1: [], 2: [] };
for (let round = 0; round <= Number(rounds); round++)
  for (const workers of [1, 2]) {
    const start = performance.now();
    await optimisers[workers].optimiseRoutine(200e3, xc, yc, { workers });
    if (round > 0) times[workers].push((performance.now() - start) / 1000); // round 0 warms up
  }
await Promise.all([optimisers[1].close(), optimisers[2].close()]);
const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];
console.log(
  `${xc.length} windows: 1 worker ${median(times[1]).toFixed(3)} s, 2 workers ${median(times[2]).toFixed(3)} s, ratio ${(median(times[1]) / median(times[2])).toFixed(2)}`,
);
