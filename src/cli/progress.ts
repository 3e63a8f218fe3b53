/**
 * Progress of a map on stderr: a bar with rate and ETA on a terminal, plain periodic lines
 * otherwise, nothing with `--progress none` or `--quiet`.
 */
import type { Writable } from 'node:stream';
import cliProgress from 'cli-progress';

/** How progress is shown. */
export type ProgressMode = 'bar' | 'lines' | 'none';

/** Receives `{ done, total }` updates; `stop()` at the end. */
export interface ProgressReporter {
  update(done: number, total: number): void;
  stop(): void;
}

/** The mode from `--progress`/`--quiet`: a bar when `stderr` is a terminal, lines when it is not. */
export function progressMode(
  option: string | undefined,
  quiet: boolean,
  stderr: { isTTY?: boolean } = process.stderr,
): ProgressMode {
  if (quiet || option === 'none') return 'none';
  if (option === 'bar' || option === 'lines') return option;
  return stderr.isTTY ? 'bar' : 'lines';
}

/** A reporter for `mode` on `stream`; lines are printed at most every `intervalMs` (and at the end). */
export function createProgress(
  mode: ProgressMode,
  label: string,
  stream: Writable = process.stderr,
  intervalMs = 2000,
): ProgressReporter {
  if (mode === 'none') return { update() {}, stop() {} };
  if (mode === 'bar') {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} windows | {rate}/s | ETA {eta_formatted}`,
        stream,
        etaBuffer: 50,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    const begin = performance.now();
    return {
      update(done, total) {
        if (!started) bar.start(total, 0, { rate: '0' });
        started = true;
        bar.update(done, { rate: (done / ((performance.now() - begin) / 1000)).toFixed(0) });
      },
      stop: () => started && bar.stop(),
    };
  }
  const begin = performance.now();
  let last = -Infinity,
    lastPrinted = -1,
    seen = 0,
    seenTotal = 0;
  const print = (done: number, total: number) => {
    const seconds = (performance.now() - begin) / 1000;
    const rate = done / Math.max(seconds, 1e-9);
    const eta = rate > 0 ? (total - done) / rate : NaN;
    stream.write(
      `${label}: ${done}/${total} windows (${((100 * done) / Math.max(total, 1)).toFixed(0)}%), ${rate.toFixed(0)} windows/s, ETA ${Number.isFinite(eta) ? eta.toFixed(1) : '?'} s\n`,
    );
    lastPrinted = done;
  };
  return {
    update(done, total) {
      seen = done;
      seenTotal = total;
      const now = performance.now();
      if (now - last >= intervalMs) {
        last = now;
        print(done, total);
      }
    },
    stop() {
      // The last state, if it was not printed (the end of a map always is).
      if (seen !== lastPrinted && seenTotal > 0) print(seen, seenTotal);
    },
  };
}
