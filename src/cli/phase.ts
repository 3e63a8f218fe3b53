/**
 * With `--trace`, a line on stderr as each phase of a command begins (reading, parsing, opening the
 * output, synthesising, fitting, writing) (`curie: trace: parsing
 * grid.xyz (0.052 s)`), with the seconds since the start: where time goes, and where a stop
 * request landed.
 */
import type { Writable } from 'node:stream';

/** Where phase lines go; undefined: nowhere (no `--trace`). */
let traceStream: Writable | undefined;
const start = performance.now();

/** Print phase lines on `stream` (the CLI's stderr with `--trace`), or stop with undefined. */
export function showPhases(stream: Writable | undefined): void {
  traceStream = stream;
}

/** Announce that a phase begins, e.g. `phase('parsing', 'grid.xyz')`. */
export function phase(name: string, detail = ''): void {
  traceStream?.write(
    `curie: trace: ${name}${detail ? ` ${detail}` : ''} (${((performance.now() - start) / 1000).toFixed(3)} s)\n`,
  );
}
