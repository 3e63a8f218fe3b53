/**
 * Peak memory (max RSS) of `curie map` on a 5000 × 5000 Float64 GeoTIFF (200 MB of values):
 * 200 km windows every 250 km of a 1 km grid (400 windows), 2 workers, NDJSON discarded. Measured
 * on a child process with /usr/bin/time (the process's own RSS, worker threads included), so the
 * figure is what a user's `curie map` costs. It must not grow (0.94 GB before issue 9).
 * Usage: node bench/memory-map.mjs
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGeoTiff } from '../dist/io/write-geotiff.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const TIME = '/usr/bin/time';

/** Write the 5000 × 5000 test grid (deterministic: a smooth pattern plus pseudo-random noise). */
function writeGrid(path, side) {
  const values = new Float64Array(side * side);
  let s = 1;
  for (let i = 0; i < values.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    values[i] = 100 * Math.sin(i * 0.001) + 50 * (s / 4294967296 - 0.5);
  }
  writeFileSync(
    path,
    writeGeoTiff({
      cols: side,
      rows: side,
      xmin: 500,
      ymin: 500,
      spacingX: 1000,
      spacingY: 1000,
      bands: [{ name: 'anomaly', values }],
    }),
  );
}

export function benchMapMemory(side = 5000) {
  console.log('# memory (child process)');
  if (!existsSync(TIME)) return console.log(`  ${side} × ${side} map peak RSS: skipped (no ${TIME})`);
  const dir = mkdtempSync(join(tmpdir(), 'curie-bench-'));
  try {
    const grid = join(dir, 'grid.tif');
    writeGrid(grid, side);
    const args = [
      '-f',
      '%M %e',
      process.execPath,
      CLI,
      'map',
      grid,
      '--window',
      '200km',
      '--spacing',
      '250km',
      '--workers',
      '2',
      '--quiet',
    ];
    const run = spawnSync(TIME, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const last = run.stderr.trim().split('\n').pop() ?? '';
    const [kilobytes, seconds] = last.split(' ').map(Number);
    if (run.status !== 0 || !Number.isFinite(kilobytes))
      return console.log(`  ${side} × ${side} map failed: ${run.stderr.trim().split('\n')[0]}`);
    console.log(
      `  ${side} × ${side} map (400 windows, 2 workers): peak RSS ${(kilobytes / 2 ** 20).toFixed(2)} GB in ${seconds.toFixed(1)} s`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) benchMapMemory();
