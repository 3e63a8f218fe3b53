import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curieInProcess } from '../helpers/cli.js';

// Reliability of the built command line (dist/cli/main.js, `npm test` builds it) in child processes:
// signals are obeyed within moments in every phase and leave no temporary file and the old output;
// a full standard output or a reader that goes away is one line or a quiet success. In-process
// (its main(argv, io)): outputs that are inputs, directories or devices are handled before any
// work; write errors are one line. Phases are seen through `--trace`'s phase lines (or the map's
// progress lines).

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(root, 'dist/cli/main.js');
const DATA = join(root, 'data/synthetic-anomaly.tif');
/** Time from a signal to the process's exit that counts as "at once" on a loaded CI machine (typical: tens of ms). */
const PROMPT_MS = 1000;

let dir: string;
let count = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'curie-reliability-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function freshDir(name: string): string {
  const path = join(dir, `${name}-${++count}`);
  mkdirSync(path);
  return path;
}

/** The environment of a child without launcher variables (MPI or Slurm would pick a shard). */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(OMPI_|PMI_|PMIX_|SLURM_)/.test(k)) env[k] = v;
  return env;
}

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(
  args: string[],
  cwd: string,
  stdout: 'pipe' | number = 'pipe',
): { child: ChildProcess; ended: Promise<Ended>; stderrMatches: (pattern: RegExp) => Promise<void> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: childEnv(), stdio: ['ignore', stdout, 'pipe'] });
  let out = '',
    err = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  const waiting: Array<[RegExp, () => void]> = [];
  child.stderr!.on('data', (b: Buffer) => {
    err += b.toString();
    for (const [pattern, done] of waiting) if (pattern.test(err)) done();
  });
  const ended = new Promise<Ended>((done) =>
    child.on('close', (code, signal) => done({ code, signal, stdout: out, stderr: err })),
  );
  const stderrMatches = (pattern: RegExp) =>
    new Promise<void>((done, fail) => {
      if (pattern.test(err)) return done();
      waiting.push([pattern, done]);
      void ended.then((e) => fail(new Error(`ended (code ${e.code}) before stderr matched ${pattern}: ${e.stderr}`)));
    });
  return { child, ended, stderrMatches };
}

async function run(args: string[], cwd: string, stdout: 'pipe' | number = 'pipe'): Promise<Ended & { ms: number }> {
  const began = performance.now();
  const ended = await start(args, cwd, stdout).ended;
  return { ...ended, ms: performance.now() - began };
}

/** `curie args…` in-process in `cwd`; how it ended and how long it took. */
async function runInProcess(args: string[], cwd: string, stdout?: Writable): Promise<Ended & { ms: number }> {
  const began = performance.now();
  const { code, signal, stdout: out, stderr } = await curieInProcess(args, { cwd, ...(stdout ? { stdout } : {}) });
  return { code, signal, stdout: out, stderr, ms: performance.now() - began };
}

/** Signal the child once `ready` matches its stderr (plus `delayMs`); its end and the time from the signal. */
async function stopDuring(
  args: string[],
  cwd: string,
  ready: RegExp,
  signal: NodeJS.Signals,
  delayMs = 0,
): Promise<Ended & { afterSignalMs: number }> {
  const { child, ended, stderrMatches } = start(args, cwd);
  await stderrMatches(ready);
  if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  const signalled = performance.now();
  child.kill(signal);
  const end = await ended;
  return { ...end, afterSignalMs: performance.now() - signalled };
}

/** An `x y value` text grid of n × n nodes 1 km apart (n = 700: 11 MB, ~0.3 s of parsing). */
function textGrid(path: string, n: number): void {
  const lines: string[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) lines.push(`${j * 1000} ${i * 1000} ${Math.sin(i * 0.1 + j * 0.07).toFixed(3)}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('signals end every phase at once, leave no temporary file and keep the old output', () => {
  it('SIGTERM while synthesising', async () => {
    const cwd = freshDir('synth');
    writeFileSync(join(cwd, 'out.tif'), 'old output');
    const end = await stopDuring(
      [
        '--trace',
        'synth',
        '--rows',
        '3000',
        '--cols',
        '3000',
        '--spacing',
        '1km',
        '--zt',
        '1',
        '--dz',
        '20',
        '--out',
        'out.tif',
      ],
      cwd,
      /trace: synthesising/,
      'SIGTERM',
      50,
    );
    expect(end.stderr).not.toMatch(/trace: writing/); // stopped during synthesis, not after
    expect(end.code).toBeNull();
    expect(end.signal).toBe('SIGTERM');
    expect(end.afterSignalMs).toBeLessThan(PROMPT_MS);
    expect(end.stderr.trimEnd().split('\n').at(-1)).toBe(
      'curie: stopped by SIGTERM; nothing was written under the output name',
    );
    expect(readdirSync(cwd)).toEqual(['out.tif']);
    expect(readFileSync(join(cwd, 'out.tif'), 'utf8')).toBe('old output');
  });

  it('SIGINT while parsing a large text grid (the first SIGINT used to be ignored)', async () => {
    const cwd = freshDir('parse');
    textGrid(join(cwd, 'grid.xyz'), 700);
    const end = await stopDuring(['--trace', 'info', 'grid.xyz'], cwd, /trace: parsing/, 'SIGINT', 50);
    expect(end.signal).toBe('SIGINT');
    expect(end.stdout).toBe('');
    expect(end.afterSignalMs).toBeLessThan(PROMPT_MS);
    expect(readdirSync(cwd)).toEqual(['grid.xyz']);
  });

  for (const [signal, workers] of [
    ['SIGTERM', '0'],
    ['SIGHUP', '1'],
  ] as const)
    it(`${signal} while fitting with --workers ${workers}`, async () => {
      const cwd = freshDir(`fit-${workers}`);
      writeFileSync(join(cwd, 'map.csv'), 'old output\n');
      // ~65 000 windows: a minute of work, stopped at its first progress line.
      const end = await stopDuring(
        ['map', DATA, '--window', '50km', '--out', 'map.csv', '--progress', 'lines', '--workers', workers],
        cwd,
        /windows \(/,
        signal,
      );
      expect(end.signal).toBe(signal);
      expect(end.afterSignalMs).toBeLessThan(PROMPT_MS);
      expect(readdirSync(cwd)).toEqual(['map.csv']);
      expect(readFileSync(join(cwd, 'map.csv'), 'utf8')).toBe('old output\n');
    });

  it('SIGINT while waiting for a FIFO that nobody opens (input or output): no hang', async () => {
    const cwd = freshDir('fifo');
    execFileSync('mkfifo', [join(cwd, 'in.xyz'), join(cwd, 'out.csv')]);
    for (const args of [
      ['info', 'in.xyz'],
      ['map', DATA, '--window', '50km', '--spacing', '100km', '--out', 'out.csv'],
    ]) {
      const end = await stopDuring(
        ['--trace', ...args],
        cwd,
        args[0] === 'info' ? /trace: reading/ : /trace: opening/,
        'SIGINT',
        200,
      );
      expect(end.signal, args.join(' ')).toBe('SIGINT');
      expect(end.afterSignalMs).toBeLessThan(PROMPT_MS);
    }
    expect(readdirSync(cwd).sort()).toEqual(['in.xyz', 'out.csv']);
  });

  it('the shell reports 128 + the signal, as for any process a signal ended', () => {
    // Killed once its trace says the map is fitting (so by curie's own handler, not before it is set
    // up), with one worker thread; the trace goes to a file outside the working directory.
    const script = [
      `"$0" "$1" --trace map "$2" --window 50km --workers 1 --quiet --out map.csv 2>"$3" &`,
      `n=0; until grep -q 'trace: fitting' "$3" || [ $n -ge 400 ]; do sleep 0.05; n=$((n + 1)); done`,
      `kill -TERM $!; wait $!; echo "status=$?"`,
    ].join('\n');
    const cwd = freshDir('status');
    const trace = join(dir, 'status-trace.txt');
    const out = execFileSync('sh', ['-c', script, process.execPath, CLI, DATA, trace], {
      cwd,
      env: childEnv(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 60_000,
    });
    expect(out).toBe('status=143\n');
    expect(readFileSync(trace, 'utf8').trimEnd().split('\n').at(-1)).toBe(
      'curie: stopped by SIGTERM; nothing was written under the output name',
    );
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('outputs are checked before any work', () => {
  it('refuses an output that is the input (by inode, through a symbolic link too), naming both, input intact', async () => {
    const cwd = freshDir('same');
    copyFileSync(DATA, join(cwd, 'grid.tif'));
    const before = readFileSync(join(cwd, 'grid.tif'));
    const end = await runInProcess(
      ['map', 'grid.tif', '--window', '50km', '--out', './grid.tif', '--format', 'csv'],
      cwd,
    );
    expect(end.code).toBe(1);
    expect(end.stderr).toBe(
      'curie: --out ./grid.tif is the same file as the input grid.tif: writing it would destroy the input; choose another output name\n',
    );
    expect(readFileSync(join(cwd, 'grid.tif')).equals(before)).toBe(true);
    expect(readdirSync(cwd)).toEqual(['grid.tif']);
  });

  it('refuses a merge whose --out is one of its parts', async () => {
    const cwd = freshDir('merge');
    writeFileSync(join(cwd, 'm.part-0-of-1.ndjson'), '{"curie_part":1}\n');
    const end = await runInProcess(
      ['merge', 'm.part-0-of-1.ndjson', '--out', 'm.part-0-of-1.ndjson', '--format', 'ndjson'],
      cwd,
    );
    expect(end.code).toBe(1);
    expect(end.stderr).toBe(
      'curie: --out m.part-0-of-1.ndjson is the same file as the input m.part-0-of-1.ndjson: writing it would destroy the input; choose another output name\n',
    );
    expect(readFileSync(join(cwd, 'm.part-0-of-1.ndjson'), 'utf8')).toBe('{"curie_part":1}\n');
  });

  it('refuses a directory at --out at once, not after the map (a minute of work)', async () => {
    const cwd = freshDir('dir');
    mkdirSync(join(cwd, 'map.csv'));
    const end = await runInProcess(['map', DATA, '--window', '50km', '--out', 'map.csv'], cwd);
    expect(end.code).toBe(1);
    expect(end.stderr).toBe(
      'curie: output map.csv is a directory; give the name of a file to write, e.g. map.csv/map.csv\n',
    );
    expect(end.ms).toBeLessThan(10_000);
    expect(readdirSync(join(cwd, 'map.csv'))).toEqual([]);
  });

  it('writes a device in place (/dev/null stays a device; no format needed from its name)', async () => {
    const cwd = freshDir('device');
    const end = await runInProcess(
      ['map', DATA, '--window', '50km', '--spacing', '100km', '--out', '/dev/null', '--quiet', '--workers', '0'],
      cwd,
    );
    expect(end.stderr).toBe('');
    expect(end.code).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('write errors are one line', () => {
  it("curie map > /dev/full (the process's standard output): exit 1 with one line (used to exit 0 or print a stack)", async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const end = await run(['map', DATA, '--window', '50km', '--spacing', '100km', '--quiet'], freshDir('full'), full);
      expect(end.stderr).toBe('curie: cannot write standard output: no space left on device (ENOSPC)\n');
      expect(end.code).toBe(1);
    } finally {
      closeSync(full);
    }
  });

  for (const args of [
    ['info', DATA],
    ['spectrum', DATA, '--window', '50km', '--at', '150000,150000'],
  ])
    it(`curie ${args[0]} with a standard output on /dev/full: exit 1 with one line`, async () => {
      const end = await runInProcess(args, freshDir('full'), createWriteStream('/dev/full'));
      expect(end.stderr).toBe('curie: cannot write standard output: no space left on device (ENOSPC)\n');
      expect(end.code).toBe(1);
    });

  it('--out /dev/full: one line naming it', async () => {
    const cwd = freshDir('full-out');
    const end = await runInProcess(
      ['map', DATA, '--window', '50km', '--spacing', '100km', '--quiet', '--out', '/dev/full', '--format', 'csv'],
      cwd,
    );
    expect(end.stderr).toBe('curie: cannot write /dev/full: no space left on device (ENOSPC)\n');
    expect(end.code).toBe(1);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('--out /dev/full with no worker threads (a real process): the device’s own error, not "the stream was closed"', async () => {
    // Rows then come faster than the failed write's 'error' event, which a check of the destroyed
    // stream used to beat.
    const cwd = freshDir('full-out-0');
    const end = await run(
      [
        'map',
        DATA,
        '--window',
        '50km',
        '--spacing',
        '100km',
        '--quiet',
        '--workers',
        '0',
        '--out',
        '/dev/full',
        '--format',
        'csv',
      ],
      cwd,
    );
    expect(end.stderr).toBe('curie: cannot write /dev/full: no space left on device (ENOSPC)\n');
    expect(end.code).toBe(1);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a reader that goes away (--out /dev/stdout | head -n 1) is a quiet exit 0, soon', async () => {
    // One worker thread: the first row waits for the first batch whatever the count.
    const script = `{ "$0" "$1" map "$2" --window 50km --workers 1 --quiet --out /dev/stdout; echo "curie-exit=$?" >&2; } | head -n 1`;
    const began = performance.now();
    const end = await new Promise<Ended>((done) => {
      const child = spawn('sh', ['-c', script, process.execPath, CLI, DATA], {
        env: childEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '',
        err = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      child.on('close', (code, signal) => done({ code, signal, stdout: out, stderr: err }));
    });
    expect(end.stderr).toBe('curie-exit=0\n');
    expect(end.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(performance.now() - began).toBeLessThan(20_000); // the whole map: about a minute
  });
});
