import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The `curie` command line for tests, two ways. In-process (`curieInProcess`): the built
// dist/cli/program.js's `main(argv, io)` on captured streams, for everything that is about what
// a command prints, writes and returns (milliseconds a run). In a child process (`curieProcess`):
// the built dist/cli/main.js as users run it, for what only a process has: signals, exit codes
// seen by a shell, pipes whose reader goes away, a terminal, Node's own warning output.
// Both run the built code (`npm test` builds first; a missing build is made here), as does the
// library the tests compare with (dist/index.js), so all sides are the same code.

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The `curie` executable. */
export const CLI = join(root, 'dist/cli/main.js');

/** What a run printed and how it ended (`signal` only for a child process). */
export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

/** Where and with what a run starts: its directory, its standard input, extra environment variables. */
export interface RunOptions {
  cwd: string;
  input?: string;
  env?: Record<string, string>;
}

/** Launcher variables: MPI or Slurm would make `--shard auto` (and nothing else) pick a shard. */
const LAUNCHER = /^(OMPI_|PMI_|PMIX_|SLURM_)/;

/** The environment of a child: ours without any launcher variables, plus `extra`. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!LAUNCHER.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** Build dist/ when a test file runs without `npm test` (which builds first). */
export function ensureBuilt(): void {
  if (!existsSync(CLI))
    execFileSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')],
      { cwd: root, stdio: 'pipe' },
    );
}

/** `curie args…` in a child process; what it printed and how it ended. */
export function curieProcess(args: string[], options: RunOptions): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: childEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      const stdoutBytes = Buffer.concat(out);
      done({
        code,
        signal,
        stdout: stdoutBytes.toString('utf8'),
        stdoutBytes,
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A stream that keeps what is written to it. */
function collector(): { stream: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { stream, bytes: () => Buffer.concat(chunks) };
}

type Main = typeof import('../../src/cli/program.js').main;
let loaded: Promise<Main> | undefined;
/** Runs in this process, one at a time: each changes the working directory and the environment. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * `curie args…` run in this process by the built CLI's `main(argv, io)`, in `cwd` (relative paths
 * as a user types them), with `input` on standard input and the environment a child would have
 * (no launcher variables, plus `env`). Runs are serialised.
 * @param stdout where standard output goes instead of being collected (e.g. a stream on /dev/full)
 */
export function curieInProcess(args: string[], options: RunOptions & { stdout?: Writable }): Promise<Run> {
  loaded ??= import(pathToFileURL(join(root, 'dist/cli/program.js')).href).then((m: { main: Main }) => m.main);
  const run = queue.then(async () => {
    const main = await loaded!;
    const out = collector();
    const err = collector();
    const saved = { cwd: process.cwd(), env: { ...process.env } };
    for (const k of Object.keys(process.env)) if (LAUNCHER.test(k)) delete process.env[k];
    Object.assign(process.env, options.env);
    process.chdir(options.cwd);
    try {
      const code = await main(args, {
        stdin: Readable.from(options.input ? [Buffer.from(options.input)] : []),
        stdout: options.stdout ?? out.stream,
        stderr: err.stream,
      });
      const stdoutBytes = out.bytes();
      return {
        code,
        signal: null,
        stdout: stdoutBytes.toString('utf8'),
        stdoutBytes,
        stderr: err.bytes().toString('utf8'),
      };
    } finally {
      process.chdir(saved.cwd);
      for (const k of Object.keys(process.env)) if (!(k in saved.env)) delete process.env[k];
      Object.assign(process.env, saved.env);
    }
  });
  queue = run.catch(() => {});
  return run;
}
