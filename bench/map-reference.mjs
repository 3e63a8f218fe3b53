/**
 * Whole-process throughput on PyCurious's reference grid: load the text file, fit 200 km windows
 * every 2.5 km (1764 windows). Usage: node bench/map-reference.mjs <test_mag_data.txt> <workers>.
 * Time it as a whole process (e.g. /usr/bin/time -v) beside PyCurious's optimise_routine on the
 * same file, windows and spacing. A third argument names a taper (e.g. hanning; default: the
 * convention's 2 × 2 multitaper).
 */
import { CurieOptimiser, loadGrid } from '../dist/index.js';

const [path = '../shared/reference/pycurious/test_mag_data.txt', workers = '2', taper] = process.argv.slice(2);
const optimiser = CurieOptimiser.fromRaster(await loadGrid(path));
const { xc, yc } = optimiser.createCentroidList(200e3, { spacingX: 2500, spacingY: 2500 });
const result = await optimiser.optimiseRoutine(200e3, xc, yc, {
  workers: Number(workers),
  ...(taper ? { taper } : {}),
});
const depths = Float64Array.from(result.curieDepth).sort();
const verdicts = [0, 1, 2].map((code) => result.verdict.filter((v) => v === code).length);
console.log(
  `${xc.length} windows, ${workers} workers, median Curie depth ${depths[depths.length >> 1].toFixed(3)} km, not ok: ${result.status.filter((s) => s !== 0).length}, verdicts ${verdicts.join('/')} (resolved/lower-bound/unresolved)`,
);
await optimiser.close();
