/**
 * `npm run bench`: prints speed figures (medians) of the built package, and the peak memory of a
 * 5000 × 5000 map. A benchmark, not a test:
 * nothing here passes or fails. Run on an idle machine and compare medians and ratios.
 */
import { benchInversion } from './inversion.mjs';
import { benchIo } from './io.mjs';
import { benchMapMemory } from './memory-map.mjs';
import { benchSpectrum } from './spectrum.mjs';

console.log(`node ${process.version}, ${new Date().toISOString()}`);
benchSpectrum();
benchInversion();
benchIo();
benchMapMemory();
