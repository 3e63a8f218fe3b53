/**
 * With `--trace`, a line on stderr as each phase of a command begins (reading, parsing, opening the
 * output, synthesising, fitting, writing) (`curie: trace: parsing
 * grid.xyz (0.052 s)`), with the seconds since the start: where time goes, and where a stop
 * request landed.
 */
let enabled = false;
const start = performance.now();

/** Turn phase lines on (the CLI does for `--trace`). */
export function showPhases(on: boolean): void {
  enabled = on;
}

/** Announce that a phase begins, e.g. `phase('parsing', 'grid.xyz')`. */
export function phase(name: string, detail = ''): void {
  if (enabled) process.stderr.write(`curie: trace: ${name}${detail ? ` ${detail}` : ''} (${((performance.now() - start) / 1000).toFixed(3)} s)\n`);
}
