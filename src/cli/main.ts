#!/usr/bin/env node
/**
 * `curie`: Curie-depth maps from the command line. Bad input ends with one line on stderr and a
 * non-zero exit code (a stack trace only with --debug); nothing is written under the requested
 * name unless the command succeeds. Exit codes: 0 success (also when the reader of the output
 * went away, e.g. `| head`), 1 an error, 2 a usage error, 70 an internal error (a bug),
 * killed by signal N (Ctrl-C, SIGTERM, SIGHUP: after removing its temporary files it ends by the
 * same signal, so the shell reports 128 + N: 130, 143, 129).
 *
 * This file is the process around the command line (program.ts): its signals, its crashes, its
 * exit code.
 */
import { removeTemporaryFiles } from '../io/atomic-write.js';
import { main } from './program.js';

/**
 * Signals that end a command, with their numbers (the exit code is 128 + number, as a shell
 * reports a process killed by them): Ctrl-C, `kill`/Slurm's time limit/`scancel`, a closed terminal.
 */
const STOP_SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

const debug = process.argv.includes('--debug');
/** Whether the command is `curie explore`'s server (signals are its normal end). */
let serving = false;

// Node's own two-line "(node:PID) …" warnings give way to the command line's one-line form.
process.removeAllListeners('warning');
// Ctrl-C, SIGTERM, SIGHUP, in any phase: remove every temporary file (the output keeps its old
// content), one line, then end by the same signal, its default action restored, as careful Unix
// tools do: the shell reports 128 + its number (130, 143, 129), and a calling script or loop
// sees that its child was interrupted and stops too. (Not process.exit: it waits for libuv's
// threads, and one blocked opening a FIFO would hang it.) Every phase keeps the event loop free
// (long synchronous work runs in worker threads or in slices), so this runs within milliseconds.
for (const [name, number] of Object.entries(STOP_SIGNALS))
  process.on(name, () => {
    removeTemporaryFiles();
    const what = name === 'SIGINT' ? 'interrupted' : `stopped by ${name}`;
    // `curie explore` writes no output: stopping it is how it ends.
    process.stderr.write(
      serving
        ? `curie: ${what}; the explorer has stopped\n`
        : `curie: ${what}; nothing was written under the output name\n`,
    );
    process.removeAllListeners(name);
    process.kill(process.pid, name);
    // Only if the signal is ignored (inherited SIG_IGN): exit with the code the shell would show.
    process.exit(128 + number);
  });
// A crash (a bug) is one line too (its stack with --debug), and leaves no temporary file.
process.on('uncaughtException', (error) => {
  process.stderr.write(
    `curie: internal error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)} (a bug; please report it with the --debug output)\n`,
  );
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(70);
});
// A failing stderr (closed, full) has nowhere to be reported: it must not crash the command.
process.stderr.on('error', () => {});

void main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  onCommand: (name) => (serving = name === 'explore'),
}).then((code) => {
  process.exitCode = code;
});
