/**
 * `npm run bench`: prints speed figures (medians) of the built package, and the peak memory of a
 * 5000 × 5000 map. A benchmark, not a test:
 * nothing here passes or fails. Run on an idle machine and compare medians and ratios.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchExplore } from './explore.mjs';
import { benchInversion } from './inversion.mjs';
import { benchIo } from './io.mjs';
import { benchMapMemory } from './memory-map.mjs';
import { benchParallel } from './map-parallel.mjs';
import { benchSpectrum } from './spectrum.mjs';

console.log(`node ${process.version}, ${new Date().toISOString()}`);
benchSpectrum();
benchInversion();
benchIo();
// Two workers vs the machine's own ceiling, where the CPU goes, and N cores on paper (child processes).
await benchParallel();
benchMapMemory();
// Peak memory is per process: gridding 10 million points runs in a child of its own (~30 s).
process.stdout.write(
  execFileSync(process.execPath, [fileURLToPath(new URL('./grid-memory.mjs', import.meta.url))], { encoding: 'utf8' }),
);
// The explorer page in Debian's Chromium (playwright-core): click → fit shown, a 121-window map.
await benchExplore();
