import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fromArrayBuffer, type TypedArray } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, CLI, curieInProcess, curieProcess, ensureBuilt, root, type Run } from '../helpers/cli.js';

// The `curie` command line: what each command prints, writes and exits with, run in-process through
// the built CLI's main(argv, io) (test/helpers/cli.ts); and, in child processes of the built
// dist/cli/main.js, what only a process shows (exit codes as a shell sees them, signals, a reader
// that goes away, a terminal, Node's warnings). The library it is compared with is the built one
// too (dist/index.js), so both sides are the same code.

const DATA = join(root, 'data/synthetic-anomaly.tif');

type Library = typeof import('../../src/index.js');
let lib: Library;
let dir: string;

// A small synthetic map: 61 × 61 nodes 1 km apart (centres 0.5…60.5 km), windows of 30 km every 10 km,
// centres arange(15.5, 45.5, 10) km on each axis → 3 × 3 = 9 windows. Most tests run it several
// times: what they check does not depend on its size.
const SMALL = { window: '30km', spacing: '10km', windowMetres: 30_000, spacingMetres: 10_000, windows: 9 };
/** The `curie synth` command that makes the small map's grid (its output name to add). */
const SMALL_SYNTH = [
  'synth',
  '--rows',
  '61',
  '--cols',
  '61',
  '--spacing',
  '1km',
  '--zt',
  '0.5',
  '--dz',
  '8',
  '--seed',
  '3',
];
const BOULIGAND_HEADER = 'x,y,beta,zt,dz,C,curie_depth,curie_depth_low,curie_depth_high,verdict,misfit,status,message';
/** Verdict codes of optimiseRoutine (0, 1, 2) and the words the files write. */
const VERDICT_NAMES = ['resolved', 'lower-bound', 'unresolved'];
/** Text fields of a Bouligand row: everything else is a number. */
const TEXT_FIELDS = new Set(['verdict', 'message']);
const TANAKA_HEADER = 'x,y,Ztr,dZtr,Zor,dZor,curie_depth,curie_depth_error,status,message';

/** Run `curie args…` in-process in `cwd` (the test directory by default) and collect what it prints. */
function curie(
  args: string[],
  options: { cwd?: string; input?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  return curieInProcess(args, { ...options, cwd: options.cwd ?? dir });
}

/** `curie args…` must succeed; its stdout. */
async function ok(
  args: string[],
  options: { cwd?: string; input?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  const run = await curie(args, options);
  expect(run.stderr, `curie ${args.join(' ')}`).toBe('');
  expect(run.code, `curie ${args.join(' ')}`).toBe(0);
  return run;
}

/** A fresh, empty directory under the test directory. */
let dirCount = 0;
function freshDir(name: string): string {
  const path = join(dir, `${name}-${++dirCount}`);
  mkdirSync(path);
  return path;
}

/** `text` as one word for sh -c. */
const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A stack-trace line, as Node prints them. */
const STACK_LINE = /^\s+at .+/m;

/**
 * `curie args…` run in an empty directory (after `setup` puts its inputs there) must fail: exit code
 * `code` (1, an error, unless told: 2 for a usage error), exactly one line on stderr saying what and
 * where (`where`), no stack trace, nothing on stdout, and the directory left as it was (no output
 * under `out`, no temporary file). With `--debug` the same line comes first and a stack trace follows.
 */
async function expectFailure(
  name: string,
  args: string[],
  where: RegExp,
  options: { setup?: (cwd: string) => void; out?: string; input?: string; code?: number } = {},
): Promise<void> {
  const cwd = freshDir(name);
  options.setup?.(cwd);
  const before = readdirSync(cwd).sort();
  const run = await curie(args, { cwd, input: options.input });
  expect(run.code, `${name}: exit code`).toBe(options.code ?? 1);
  expect(run.stderr, `${name}: stderr`).toMatch(/^curie: [^\n]+\n$/);
  expect(run.stderr, `${name}: stderr`).toMatch(where);
  expect(run.stderr).not.toMatch(STACK_LINE);
  expect(run.stdout, `${name}: stdout`).toBe('');
  expect(readdirSync(cwd).sort(), `${name}: files left in the directory`).toEqual(before);
  if (options.out) expect(existsSync(join(cwd, options.out))).toBe(false);

  const debug = await curie([...args, '--debug'], { cwd, input: options.input });
  expect(debug.code, `${name} --debug: exit code`).toBe(run.code);
  const [first, ...rest] = debug.stderr.split('\n');
  expect(`${first}\n`, `${name} --debug: first line`).toBe(run.stderr);
  expect(rest.join('\n'), `${name} --debug: stack trace`).toMatch(STACK_LINE);
  expect(readdirSync(cwd).sort(), `${name} --debug: files left in the directory`).toEqual(before);
}

/** Shortest round-trip form, empty for NaN, inf and -inf for an open end: how CSV writes numbers. */
const csvNumber = (v: number) => (Number.isNaN(v) ? '' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v));
const csvText = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

interface SmallMap {
  xc: Float64Array;
  yc: Float64Array;
  /** Bouligand rows as the library gives them (optimiseRoutine), in window order. */
  bouligand: Array<Record<string, number | string>>;
}
let small: SmallMap;

/** The expected Bouligand records of the small map, in window order and file field order. */
function bouligandRecords(): Array<Record<string, number | string>> {
  return small.bouligand;
}

beforeAll(async () => {
  ensureBuilt();
  lib = (await import(pathToFileURL(join(root, 'dist/index.js')).href)) as Library;
  dir = mkdtempSync(join(tmpdir(), 'curie-cli-'));

  await ok([...SMALL_SYNTH, '--out', 'small.tif']);
  const optimiser = lib.CurieOptimiser.fromRaster(await lib.loadGrid(join(dir, 'small.tif')));
  try {
    const { xc, yc } = optimiser.createCentroidList(SMALL.windowMetres, {
      spacingX: SMALL.spacingMetres,
      spacingY: SMALL.spacingMetres,
    });
    // In this thread: a map is the same bits with any worker count, and a worker thread would start cold.
    const fit = await optimiser.optimiseRoutine(SMALL.windowMetres, xc, yc, { workers: 0 });
    const bouligand = Array.from(xc, (x, i) => ({
      x,
      y: yc[i],
      beta: fit.beta[i],
      zt: fit.zt[i],
      dz: fit.dz[i],
      C: fit.C[i],
      curie_depth: fit.curieDepth[i],
      curie_depth_low: fit.curieDepthLow[i],
      curie_depth_high: fit.curieDepthHigh[i],
      verdict: VERDICT_NAMES[fit.verdict[i]],
      misfit: fit.misfit[i],
      status: fit.status[i],
      message: fit.messages.get(i) ?? '',
    }));
    small = { xc, yc, bouligand };
  } finally {
    await optimiser.close();
  }
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(
  'bad input: exit code ≠ 0, one line on stderr saying what and where, nothing written',
  { timeout: 30_000 },
  () => {
    const map = (input: string, ...rest: string[]) => ['map', input, '--window', '30km', '--out', 'out.csv', ...rest];
    const copySmall = (name: string) => (cwd: string) =>
      writeFileSync(join(cwd, name), readFileSync(join(dir, 'small.tif')));

    it.concurrent('a missing input', async () => {
      await expectFailure('missing', map('nope.tif'), /nope\.tif does not exist/, { out: 'out.csv' });
    });

    it.concurrent('an empty input', async () => {
      await expectFailure('empty', map('empty.txt'), /empty\.txt is empty/, {
        out: 'out.csv',
        setup: (cwd) => writeFileSync(join(cwd, 'empty.txt'), ''),
      });
      await expectFailure('empty-stdin', map('-'), /standard input is empty/, { out: 'out.csv', input: '' });
    });

    it.concurrent('an unreadable input (a directory)', async () => {
      await expectFailure('unreadable', map('grids'), /grids is a directory/, {
        out: 'out.csv',
        setup: (cwd) => mkdirSync(join(cwd, 'grids')),
      });
    });

    it.concurrent('an unknown format (binary, not a TIFF)', async () => {
      const png = Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
        Buffer.alloc(200, 7),
      ]);
      await expectFailure('format', map('anomaly.png'), /anomaly\.png is not a TIFF/, {
        out: 'out.csv',
        setup: (cwd) => writeFileSync(join(cwd, 'anomaly.png'), png),
      });
    });

    it.concurrent('a truncated GeoTIFF (one made by curie synth, cut)', async () => {
      const whole = readFileSync(join(dir, 'small.tif'));
      await expectFailure('truncated', map('cut.tif'), /cut\.tif is truncated/, {
        out: 'out.csv',
        setup: (cwd) => writeFileSync(join(cwd, 'cut.tif'), whole.subarray(0, Math.floor(whole.length / 2))),
      });
    });

    it.concurrent('an irregular text lattice, naming the line', async () => {
      // An 8 × 8 lattice 1 km apart with one point off it, on line 37 (line 1 is a header).
      let text = 'x y value\n';
      for (let j = 0; j < 8; j++)
        for (let i = 0; i < 8; i++) text += `${i === 3 && j === 4 ? 3400 : i * 1000} ${j * 1000} ${i + j}\n`;
      expect(text.split('\n')[36]).toBe('3400 4000 7');
      await expectFailure(
        'lattice',
        map('irregular.txt'),
        /irregular\.txt: line 37: x = 3400 is not on the 1000-spaced lattice/,
        {
          out: 'out.csv',
          setup: (cwd) => writeFileSync(join(cwd, 'irregular.txt'), text),
        },
      );
    });

    it.concurrent('a window larger than the grid', async () => {
      await expectFailure(
        'window',
        ['map', 'small.tif', '--window', '100km', '--out', 'out.tif'],
        /window 100000 m \(101 nodes\) does not fit in the 61 × 61 grid/,
        {
          out: 'out.tif',
          setup: copySmall('small.tif'),
        },
      );
    });

    it.concurrent(
      'a wrong argument every window shares: one line before any output, not a failure per row',
      async () => {
        // To standard output as CSV: not even the header line may be written.
        const csv = (name: string, ...rest: string[]) =>
          ['map', 'small.tif', '--window', '30km', '--spacing', '10km', '--format', 'csv', ...rest].map((a) =>
            a === '30km' && name === 'bare' ? '40' : a,
          );
        const cases: Array<[string, string[], RegExp]> = [
          [
            'bare',
            [],
            /window 40 m spans 1 node of this grid's 1000 m spacing, too few for a fit of β, z_t, Δz and C \(4 spectrum points\); use at least 11 nodes/,
          ],
          ['zt', ['--zt', '-1'], /starting zt = -1 is outside its bounds \[0, Infinity\]/],
          ['power0', ['--power', '0'], /power 0 must be a positive number/],
          ['powerneg', ['--power', '-2'], /power -2 must be a positive number/],
          ['dz', ['--dz', '1e308'], /starting dz = 1e\+308 km is deeper than the Earth's radius/],
          ['tanaka-power', ['--method', 'tanaka', '--power', '0'], /power 0 must be a positive number/],
        ];
        for (const [name, rest, message] of cases)
          await expectFailure(`global-${name}`, csv(name, ...rest), message, { setup: copySmall('small.tif') });
      },
    );

    it.concurrent('curie plot: a field the map lacks, an empty map, an unknown input or figure type', async () => {
      const csv = 'x,y,curie_depth,verdict\n1000,1000,12.5,resolved\n2000,1000,,unresolved\n';
      const setup = (cwd: string) => {
        writeFileSync(join(cwd, 'map.csv'), csv);
        writeFileSync(join(cwd, 'empty.csv'), 'x,y,curie_depth\n');
        writeFileSync(join(cwd, 'map.txt'), csv);
      };
      await expectFailure(
        'plot-field',
        ['plot', 'map.csv', '--field', 'beta', '--out', 'fig.png'],
        /map\.csv has no numeric column 'beta'; it has x, y, curie_depth/,
        { out: 'fig.png', setup },
      );
      await expectFailure('plot-empty', ['plot', 'empty.csv', '--out', 'fig.svg'], /empty\.csv has no rows to plot/, {
        out: 'fig.svg',
        setup,
      });
      await expectFailure('plot-input', ['plot', 'map.txt', '--out', 'fig.svg'], /cannot plot 'map\.txt': give a map/, {
        out: 'fig.svg',
        setup,
      });
      await expectFailure(
        'plot-out',
        ['plot', 'map.csv', '--out', 'fig.jpg'],
        /--out 'fig\.jpg' must end in \.svg or \.png/,
        { out: 'fig.jpg', setup },
      );
    });

    it.concurrent('curie plot of a map and curie spectrum --plot write figures', async () => {
      const cwd = freshDir('plot-ok');
      writeFileSync(
        join(cwd, 'map.csv'),
        'x,y,curie_depth,verdict\n1000,1000,12.5,resolved\n2000,1000,14,unresolved\n1000,2000,11,lower-bound\n2000,2000,13,resolved\n',
      );
      writeFileSync(join(cwd, 'small.tif'), readFileSync(join(dir, 'small.tif')));
      expect((await curie(['plot', 'map.csv', '--out', 'map.png'], { cwd })).code).toBe(0);
      expect(Array.from(readFileSync(join(cwd, 'map.png')).subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
      const run = await curie(
        [
          'spectrum',
          'small.tif',
          '--window',
          '40km',
          '--at',
          '30000,30000',
          '--out',
          'spectrum.csv',
          '--plot',
          'spectrum.svg',
        ],
        { cwd },
      );
      expect(run.code, run.stderr).toBe(0);
      const svg = readFileSync(join(cwd, 'spectrum.svg'), 'utf8');
      expect(svg).toContain('wavenumber k (rad/km)');
      expect(svg).toMatch(/Curie depth \d+\.\d km/);
    });

    it.concurrent('a spacing below the cell size', async () => {
      await expectFailure(
        'spacing',
        ['map', 'small.tif', '--window', '30km', '--spacing', '500m', '--out', 'out.json'],
        /--spacing 500 m is below the grid's cell size 1000 m/,
        {
          out: 'out.json',
          setup: copySmall('small.tif'),
        },
      );
    });

    it.concurrent('bad distance syntax (20kmm)', async () => {
      await expectFailure(
        'distance',
        ['map', 'small.tif', '--window', '20kmm', '--out', 'out.csv'],
        /--window '20kmm' is not a distance/,
        { out: 'out.csv', setup: copySmall('small.tif') },
      );
    });

    it.concurrent('an unknown option', async () => {
      // commander's suggestion stays on the same line.
      await expectFailure('option', [...map('small.tif'), '--windw', '20km'], /unknown option '--windw'.*--window/, {
        out: 'out.csv',
        setup: copySmall('small.tif'),
        code: 2,
      });
      await expectFailure(
        'command',
        ['mapp', 'small.tif', '--window', '30km', '--out', 'out.csv'],
        /unknown command 'mapp'/,
        { out: 'out.csv', setup: copySmall('small.tif'), code: 2 },
      );
    });

    it.concurrent('a missing output directory (found before the map is computed)', async () => {
      for (const out of ['missing/out.csv', 'missing/out.tif', 'missing/out.json']) {
        const started = performance.now();
        // ~65 000 windows would take about a minute; the error comes at once (two runs, with and without --debug).
        await expectFailure(
          'outdir',
          ['map', DATA, '--window', '50km', '--out', out],
          /output directory \S*missing does not exist; create it first/,
          { out },
        );
        expect(performance.now() - started).toBeLessThan(15_000);
      }
    });

    it.concurrent('other bad options of map: method, taper, format, progress, shard, level, convention', async () => {
      const cases: Array<[string[], RegExp]> = [
        [['--method', 'spector'], /--method 'spector' must be bouligand or tanaka/],
        [['--taper', 'tukey:2'], /--taper 'tukey:2'/],
        [['--taper', 'multitaper:9'], /--taper 'multitaper:9' must be multitaper:K with 1 ≤ K ≤ 4/],
        [['--format', 'xyz'], /--format 'xyz' is not one of/],
        [['--progress', 'loud'], /--progress 'loud' must be bar, lines or none/],
        [['--shard', '2/2'], /0 ≤ I < N/],
        [['--shard', 'auto'], /--shard auto found no launcher/],
        [['--level', '1.5'], /level 1\.5 must be a probability strictly between 0 and 1/],
        [['--level', 'ninety'], /--level 'ninety'/],
        [['--convention', 'pycurious-2'], /convention "pycurious-2" is not one of 'default', 'pycurious-1\.1'/],
      ];
      for (const [extra, where] of cases)
        await expectFailure('options', [...map('small.tif'), ...extra], where, {
          out: 'out.csv',
          setup: copySmall('small.tif'),
        });
    });
  },
);

describe('a map', { timeout: 30_000 }, () => {
  it('makes a window that fails inside a good map a row with status 2 and a message (exit 0)', async () => {
    // 31 × 31 nodes 1 km apart with one NaN node at (5 km, 5 km): the windows holding it fail.
    let text = '';
    for (let j = 0; j < 31; j++)
      for (let i = 0; i < 31; i++)
        text += `${i * 1000} ${j * 1000} ${i === 5 && j === 5 ? 'NaN' : String(Math.sin(0.7 * i) * Math.cos(1.3 * j) * 100 + ((i * j) % 7))}\n`;
    writeFileSync(join(dir, 'hole.txt'), text);
    const run = await ok(['map', 'hole.txt', '--window', '10km', '--spacing', '5km', '--workers', '0', '--quiet']);
    const rows = run.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r.x, r.y])).toEqual(
      [5, 10, 15, 20].flatMap((y) => [5, 10, 15, 20].map((x) => [x * 1000, y * 1000])),
    );
    const failed = rows.filter((r) => r.status === 2);
    expect(failed.map((r) => [r.x, r.y])).toEqual([
      [5000, 5000],
      [10000, 5000],
      [5000, 10000],
      [10000, 10000],
    ]);
    for (const r of failed) {
      expect(r.message).toMatch(/NaN/);
      expect([r.beta, r.zt, r.dz, r.C, r.curie_depth, r.curie_depth_low, r.curie_depth_high, r.misfit]).toEqual([
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
      ]);
      // A window that failed is counted unresolved (optimiseRoutine's verdict 2).
      expect(r.verdict).toBe('unresolved');
    }
    for (const r of rows.filter((r) => r.status !== 2)) {
      expect(typeof r.curie_depth).toBe('number');
      expect(typeof r.curie_depth_low).toBe('number');
      // high is a number, or null for an open end (Infinity): null only when not resolved.
      if (r.verdict === 'resolved') expect(typeof r.curie_depth_high).toBe('number');
      else expect(r.curie_depth_high).toBeNull();
      expect(VERDICT_NAMES).toContain(r.verdict);
    }
    // The same from standard input, as CSV: failed windows have empty number fields.
    const csv = await ok(
      ['map', '-', '--window', '10km', '--spacing', '5km', '--workers', '0', '--quiet', '--format', 'csv'],
      { input: text },
    );
    const lines = csv.stdout.split('\n');
    expect(lines[0]).toBe(BOULIGAND_HEADER);
    expect(lines[1]).toMatch(/^5000,5000,,,,,,,,unresolved,,2,radialSpectrum window of 11 × 11 contains 1 NaN/);
  });

  it('streams NDJSON to stdout in window order: `curie map … | head -n 3` prints 3 lines and exits promptly', async () => {
    // Every node of the 305 × 305 file with 50 km windows: ~65 000 windows, about a minute of work.
    const optimiser = lib.CurieOptimiser.fromRaster(await lib.loadGrid(DATA));
    const { xc, yc } = optimiser.createCentroidList(50_000);
    expect(xc.length).toBeGreaterThan(60_000);
    const script = `{ ${quote(process.execPath)} ${quote(CLI)} map ${quote(DATA)} --window 50km --quiet; echo "curie-exit=$?" >&2; } | head -n 3`;
    const started = performance.now();
    const run = await new Promise<{ stdout: string; stderr: string; code: number | null }>((done, fail) => {
      const child = spawn('sh', ['-c', script], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let stdout = '',
        stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      // Past 20 s the map did not stop: end the whole pipeline (its process group) and fail.
      const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
      child.on('error', fail);
      child.on('close', (code) => {
        clearTimeout(timer);
        done({ stdout, stderr, code });
      });
    });
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeLessThan(20);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('curie-exit=0\n');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const rows = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r.x, r.y])).toEqual([0, 1, 2].map((i) => [xc[i], yc[i]]));
    for (const r of rows) expect(Object.keys(r)).toEqual(BOULIGAND_HEADER.split(','));
  });

  // A CSV map stopped by SIGTERM and SIGHUP: cli-reliability.test.ts.
  it('leaves nothing under --out map.json after SIGINT, and ends by SIGINT', async () => {
    const out = 'map.json';
    const cwd = freshDir('sigint');
    writeFileSync(join(cwd, 'keep.txt'), 'unrelated');
    const child = spawn(
      process.execPath,
      [CLI, 'map', DATA, '--window', '50km', '--out', out, '--progress', 'lines', '--workers', '1'],
      { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.on('close', (code, signal) => done({ code, signal })),
    );
    // Interrupt once the map is under way (its first progress line).
    await new Promise<void>((done) =>
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (/windows/.test(stderr)) done();
      }),
    );
    expect(readdirSync(cwd).some((f) => f.endsWith('.tmp'))).toBe(true);
    const interrupted = performance.now();
    child.kill('SIGINT');
    const { code, signal } = await exited;
    expect(performance.now() - interrupted).toBeLessThan(10_000);
    // It removes its temporary file, then ends by the signal itself (the shell reports 130).
    expect(code).toBeNull();
    expect(signal).toBe('SIGINT');
    expect(stderr.trimEnd().split('\n').at(-1)).toBe('curie: interrupted; nothing was written under the output name');
    expect(readdirSync(cwd)).toEqual(['keep.txt']);
  });

  it('--help works on every command', async () => {
    for (const command of [[], ['map'], ['spectrum'], ['synth'], ['info'], ['merge']]) {
      const run = await ok([...command, '--help']);
      expect(run.stdout).toMatch(new RegExp(`^Usage: curie${command.length ? ` ${command[0]}` : ''} \\[options\\]`));
    }
    const run = await ok(['help', 'map']);
    expect(run.stdout).toMatch(/^Usage: curie map \[options\] <input>/);
    for (const option of [
      '--window',
      '--spacing',
      '--method',
      '--workers',
      '--taper',
      '--power',
      '--prior',
      '--kmin-range',
      '--shard',
      '--out',
      '--format',
      '--progress',
      '--quiet',
    ])
      expect(run.stdout).toContain(option);
  });

  it('exits as a shell sees it: 0 on success and --help, 1 on an error, 2 on a usage error, one line each (a stack trace with --debug)', async () => {
    const cwd = freshDir('exit');
    const [help, info, error, debug, usage] = await Promise.all([
      curieProcess(['--help'], { cwd }),
      curieProcess(['info', DATA, '--json'], { cwd }),
      curieProcess(['map', 'nope.tif', '--window', '30km'], { cwd }),
      curieProcess(['map', 'nope.tif', '--window', '30km', '--debug'], { cwd }),
      curieProcess(['map', 'nope.tif', '--window', '30km', '--windw', '20km'], { cwd }),
    ]);
    expect([help.code, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(/^Usage: curie \[options\] \[command\]/);
    expect([info.code, info.stderr]).toEqual([0, '']);
    expect(JSON.parse(info.stdout)).toMatchObject({ rows: 305, cols: 305 });
    expect([error.code, error.stdout, error.stderr]).toEqual([1, '', 'curie: nope.tif does not exist\n']);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^curie: nope\.tif does not exist\n\w*Error: nope\.tif does not exist\n\s+at /);
    expect([usage.code, usage.stdout, usage.stderr]).toEqual([
      2,
      '',
      "curie: unknown option '--windw' (Did you mean --window?)\n",
    ]);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('shows progress as lines on stderr (--progress lines, and by default when stderr is not a terminal), then the verdict count; no progress with --progress none, nothing with --quiet', async () => {
    const args = ['map', 'small.tif', '--window', SMALL.window, '--spacing', SMALL.spacing, '--workers', '0'];
    const line = new RegExp(
      `^curie map: \\d+/${SMALL.windows} windows \\(\\d+%\\), \\d+ windows/s, ETA (\\d+\\.\\d|\\?) s$`,
    );
    for (const extra of [['--progress', 'lines'], []]) {
      const run = await curie([...args, ...extra, '--out', 'progress.csv']);
      expect(run.code).toBe(0);
      const lines = run.stderr.trimEnd().split('\n');
      // The progress lines, then one line counting the verdicts.
      const summary = lines.pop()!;
      expect(summary).toMatch(
        new RegExp(`^${SMALL.windows} windows: \\d+ resolved, \\d+ lower-bound, \\d+ unresolved \\(90 % intervals\\)$`),
      );
      const counts = summary.match(/\d+(?= (resolved|lower-bound|unresolved))/g)!.map(Number);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(SMALL.windows);
      expect(counts).toEqual(VERDICT_NAMES.map((name) => bouligandRecords().filter((r) => r.verdict === name).length));
      expect(lines.length).toBeGreaterThanOrEqual(1);
      for (const l of lines) expect(l).toMatch(line);
      expect(lines.at(-1)).toMatch(new RegExp(`: ${SMALL.windows}/${SMALL.windows} windows \\(100%\\)`));
    }
    for (const extra of [['--quiet'], ['--progress', 'none'], ['--progress', 'lines', '--quiet']]) {
      const run = await curie([...args, ...extra]);
      expect(run.code).toBe(0);
      // --progress none silences the progress only: the verdict count still ends the run; --quiet silences both.
      if (extra.includes('--quiet')) expect(run.stderr, extra.join(' ')).toBe('');
      else
        expect(run.stderr, extra.join(' ')).toMatch(
          new RegExp(
            `^${SMALL.windows} windows: \\d+ resolved, \\d+ lower-bound, \\d+ unresolved \\(90 % intervals\\)\\n$`,
          ),
        );
      expect(run.stdout.trimEnd().split('\n')).toHaveLength(SMALL.windows);
    }
  });

  it('shows a bar with rate and ETA when stderr is a terminal (under script(1)), nothing with --quiet', async () => {
    // The small map (each run is a fresh process, whose fits run uncompiled at first).
    const windows = SMALL.windows;
    const onTerminal = (extra: string[]) =>
      new Promise<string>((done, fail) => {
        const command = [
          process.execPath,
          CLI,
          'map',
          join(dir, 'small.tif'),
          '--window',
          SMALL.window,
          '--spacing',
          SMALL.spacing,
          '--workers',
          '0',
          '--out',
          join(dir, 'bar.csv'),
          ...extra,
        ]
          .map(quote)
          .join(' ');
        // script(1) (util-linux) runs the command on a pseudo-terminal and copies what it prints.
        const child = spawn('script', ['-qec', command, '/dev/null'], {
          env: childEnv(),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let text = '';
        child.stdout.on('data', (b: Buffer) => (text += b.toString()));
        child.stderr.on('data', (b: Buffer) => (text += b.toString()));
        child.on('error', fail);
        child.on('close', (code) => (code === 0 ? done(text) : fail(new Error(`script exited with ${code}: ${text}`))));
      });
    const bar = await onTerminal([]);
    expect(bar).toMatch(
      new RegExp(`curie map \\[[^\\]]+\\] 100% \\| ${windows}/${windows} windows \\| \\d+/s \\| ETA \\d+s`),
    );
    expect(bar).not.toMatch(/windows \(\d+%\)/); // not the plain lines
    expect(await onTerminal(['--quiet'])).toBe('');
    expect(readFileSync(join(dir, 'bar.csv'), 'utf8').split('\n')).toHaveLength(windows + 2);
  });

  it('prints a warning as one line (a grid that looks like degrees) and still maps', async () => {
    let text = '';
    for (let j = 0; j < 41; j++)
      for (let i = 0; i < 41; i++) text += `${-50 + i * 0.01} ${-10 + j * 0.01} ${Math.sin(i) * Math.cos(0.3 * j)}\n`;
    writeFileSync(join(dir, 'degrees.txt'), text);
    // In a child process: Node's own two-line form of warnings is replaced by one line.
    const run = await curieProcess(
      ['map', 'degrees.txt', '--window', '0.2', '--spacing', '0.1', '--quiet', '--workers', '0'],
      { cwd: dir },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /^curie: warning: grid extent x -50…-49\.6, y -10…-9\.6 with spacing 0\.01 looks like degrees; [^\n]+\n$/,
    );
    // Every window of the map, one line each.
    const grid = lib.CurieGrid.fromRaster(await lib.loadGrid(join(dir, 'degrees.txt')));
    const windows = grid.createCentroidList(0.2, { spacingX: 0.1, spacingY: 0.1 }).xc.length;
    expect(windows).toBeGreaterThan(1);
    expect(
      run.stdout
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { status: number }).status),
    ).toHaveLength(windows);
    // Before an error it explains, the warning comes first: two lines, one each.
    const bad = await curieProcess(['map', 'degrees.txt', '--window', '200m', '--quiet'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^curie: warning: [^\n]+looks like degrees[^\n]+\ncurie: window 200 m \(20001 nodes\) does not fit in the 41 × 41 grid[^\n]+\n$/,
    );
  });
});

describe.concurrent('synth, info, spectrum', { timeout: 30_000 }, () => {
  it('curie synth gives the same bytes for the same arguments, other bytes for another seed; info --json describes it', async () => {
    const args = [
      'synth',
      '--rows',
      '305',
      '--cols',
      '305',
      '--spacing',
      '1km',
      '--zt',
      '0.3',
      '--dz',
      '10',
      '--beta',
      '3',
      '--amplitudes',
      'random',
    ];
    const [a, b, c] = await Promise.all([
      ok([...args, '--seed', '1', '--out', 'a.tif']),
      ok([...args, '--seed', '1', '--out', 'b.tif']),
      ok([...args, '--seed', '2', '--out', 'c.tif']),
    ]);
    for (const run of [a, b, c]) expect(run.stdout).toBe('');
    const [bytesA, bytesB, bytesC] = ['a.tif', 'b.tif', 'c.tif'].map((f) => readFileSync(join(dir, f)));
    expect(bytesA.length).toBeGreaterThan(305 * 305 * 4);
    expect(bytesA.equals(bytesB)).toBe(true);
    expect(bytesA.equals(bytesC)).toBe(false);
    expect(bytesC.length).toBe(bytesA.length);
    // data/synthetic-anomaly.tif is this very command's output, byte for byte.
    expect(readFileSync(DATA).equals(bytesA)).toBe(true);

    const info = JSON.parse((await ok(['info', 'a.tif', '--json'])).stdout) as Record<string, unknown>;
    expect(info).toMatchObject({ rows: 305, cols: 305, spacing: { x: 1000, y: 1000 }, crs: null, nan: 0 });
    expect(info.extent).toEqual({ xmin: 500, xmax: 304_500, ymin: 500, ymax: 304_500 });
    const range = info.range as { min: number; max: number };
    expect(range.min).toBeLessThan(0);
    expect(range.max).toBeGreaterThan(0);
    expect(info.largestWindow).toBe(304_000);
    const text = (await ok(['info', 'a.tif'])).stdout;
    expect(text).toContain('size: 305 rows × 305 columns');
    expect(text).toContain('crs: none');
    expect(text).toContain('NaN values: 0');
  });

  it('curie spectrum prints k,Phi,sigma equal to CurieGrid.radialSpectrum of the same window, to the last digit', async () => {
    const grid = lib.CurieGrid.fromRaster(await lib.loadGrid(join(dir, 'small.tif')));
    const cases: Array<[string[], Parameters<typeof grid.radialSpectrum>[1]]> = [
      [[], {}],
      [['--taper', 'none', '--power', '1'], { taper: 'none', power: 1 }],
      [['--taper', 'tukey:0.25'], { taper: { tukey: 0.25 } }],
      [['--taper', 'multitaper:3'], { taper: { multitaper: 3 } }],
    ];
    for (const [extra, options] of cases) {
      const { k, Phi, sigmaPhi } = grid.radialSpectrum(grid.subgrid(30_000, 25_500, 35_500), options);
      const expected = `k,Phi,sigma\n${Array.from(k, (_, i) => `${k[i]},${Phi[i]},${sigmaPhi[i]}\n`).join('')}`;
      expect(k.length).toBeGreaterThan(5);
      expect((await ok(['spectrum', 'small.tif', '--window', '30km', '--at', '25500,35500', ...extra])).stdout).toBe(
        expected,
      );
    }
    await ok(['spectrum', 'small.tif', '--window', '30km', '--at', '25500,35500', '--out', 'spectrum.csv']);
    expect(readFileSync(join(dir, 'spectrum.csv'), 'utf8')).toMatch(/^k,Phi,sigma\n/);
  });
});

/** The small map in `format` with `extra` options, written to `out` in the test directory. */
async function smallMap(out: string, extra: string[] = []): Promise<Buffer> {
  await ok([
    'map',
    'small.tif',
    '--window',
    SMALL.window,
    '--spacing',
    SMALL.spacing,
    '--workers',
    '0',
    '--quiet',
    '--out',
    out,
    ...extra,
  ]);
  return readFileSync(join(dir, out));
}

/** The small map with default options, written once per format to map.<format>: its readers share the run. */
const defaultRuns = new Map<string, Promise<Buffer>>();
function defaultMap(format: 'csv' | 'ndjson' | 'json' | 'tif'): Promise<Buffer> {
  let run = defaultRuns.get(format);
  if (!run) defaultRuns.set(format, (run = smallMap(`map.${format}`)));
  return run;
}

/** All bands of a GeoTIFF, its georeferencing, band descriptions and nodata. */
async function readBands(bytes: Buffer) {
  const tiff = await fromArrayBuffer(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer,
  );
  const image = await tiff.getImage();
  const bands = (await image.readRasters()) as TypedArray[];
  const descriptions: string[] = [];
  for (let b = 0; b < image.getSamplesPerPixel(); b++)
    descriptions.push(String((await image.getGDALMetadata(b))?.DESCRIPTION));
  return {
    width: image.getWidth(),
    height: image.getHeight(),
    origin: image.getOrigin(),
    resolution: image.getResolution(),
    bands,
    descriptions,
    nodata: image.getGDALNoData(),
    geoKeys: image.getGeoKeys(),
  };
}

describe.concurrent('map outputs', { timeout: 30_000 }, () => {
  it('x, y are createCentroidList centres; the small map has 9 windows', () => {
    expect(small.xc.length).toBe(SMALL.windows);
    expect(Array.from(new Set(small.xc))).toEqual([15_500, 25_500, 35_500]);
  });

  it('CSV: the header, then optimiseRoutine’s values in shortest round-trip form, NaN empty, message quoted when needed', async () => {
    const text = (await defaultMap('csv')).toString('utf8');
    const fields = BOULIGAND_HEADER.split(',');
    const expected = `${BOULIGAND_HEADER}\n${bouligandRecords()
      .map(
        (r) =>
          `${fields.map((f) => (TEXT_FIELDS.has(f) ? csvText(r[f] as string) : csvNumber(r[f] as number))).join(',')}\n`,
      )
      .join('')}`;
    expect(text).toBe(expected);
    const lines = text.trimEnd().split('\n').slice(1);
    expect(lines.map((l) => l.split(',').slice(0, 2).map(Number))).toEqual(
      Array.from(small.xc, (x, i) => [x, small.yc[i]]),
    );
    // Something was fitted: finite depths in every row that did not fail.
    expect(
      bouligandRecords()
        .filter((r) => r.status !== 2)
        .every((r) => Number.isFinite(r.curie_depth)),
    ).toBe(true);
  });

  it('NDJSON (file and stdout): one JSON object per window in order, the same numbers, NaN as null', async () => {
    const expected = bouligandRecords()
      .map(
        (r) => `${JSON.stringify(r, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`,
      )
      .join('');
    expect((await defaultMap('ndjson')).toString('utf8')).toBe(expected);
    // In worker threads (the files above are computed in the calling thread): the same bytes.
    const stdout = await ok([
      'map',
      'small.tif',
      '--window',
      SMALL.window,
      '--spacing',
      SMALL.spacing,
      '--workers',
      '1',
      '--quiet',
    ]);
    expect(stdout.stdout).toBe(expected);
    for (const line of expected.trimEnd().split('\n'))
      expect(Object.keys(JSON.parse(line) as object)).toEqual(BOULIGAND_HEADER.split(','));
  });

  it('JSON: { metadata, windows } with the same records', async () => {
    const doc = JSON.parse((await defaultMap('json')).toString('utf8')) as {
      metadata: Record<string, unknown>;
      windows: Array<Record<string, unknown>>;
    };
    expect(Object.keys(doc)).toEqual(['metadata', 'windows']);
    expect(doc.metadata).toMatchObject({
      method: 'bouligand',
      window: 30_000,
      spacing: 10_000,
      windows: SMALL.windows,
      power: 2,
      taper: { multitaper: 2 },
      crs: null,
    });
    const roundTrip = JSON.parse(JSON.stringify(bouligandRecords())) as unknown;
    expect(doc.windows).toEqual(roundTrip);
  });

  it("GeoTIFF: 10 Float64 bands (today's six, then low, high, verdict, status) with descriptions and nodata on the centroid lattice (pixel = spacing), no CRS for an input without one", async () => {
    const tif = await readBands(await defaultMap('tif'));
    expect([tif.width, tif.height]).toEqual([3, 3]);
    expect(tif.descriptions).toEqual([
      'curie_depth',
      'zt',
      'dz',
      'beta',
      'C',
      'misfit',
      'curie_depth_low',
      'curie_depth_high',
      'verdict',
      'status',
    ]);
    expect(tif.nodata).toBeNaN();
    expect(tif.resolution.slice(0, 2)).toEqual([10_000, -10_000]);
    // The top-left corner is half a pixel west and north of the north-western centre.
    expect(tif.origin.slice(0, 2)).toEqual([15_500 - 5000, 35_500 + 5000]);
    expect(tif.geoKeys).toEqual({});
    for (const band of tif.bands) expect(band).toBeInstanceOf(Float64Array);
    // An input with a CRS gives a map with that CRS.
    await ok([...SMALL_SYNTH, '--crs', 'EPSG:32723', '--out', 'utm.tif']);
    expect((JSON.parse((await ok(['info', 'utm.tif', '--json'])).stdout) as { crs: string }).crs).toBe('EPSG:32723');
    await ok([
      'map',
      'utm.tif',
      '--window',
      SMALL.window,
      '--spacing',
      SMALL.spacing,
      '--workers',
      '0',
      '--quiet',
      '--out',
      'utm-map.tif',
    ]);
    const utm = await readBands(readFileSync(join(dir, 'utm-map.tif')));
    expect(utm.geoKeys).toMatchObject({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32723 });
    expect(utm.bands[0]).toEqual(tif.bands[0]);
    const records = bouligandRecords();
    records.forEach((r, i) => {
      const col = Math.round(((r.x as number) - 15_500) / 10_000),
        row = Math.round((35_500 - (r.y as number)) / 10_000);
      const pixel = row * 3 + col;
      // The verdict band holds its code (0 resolved, 1 lower-bound, 2 unresolved); an open high is +Inf.
      tif.descriptions.forEach((name, b) =>
        expect(
          Object.is(tif.bands[b][pixel], name === 'verdict' ? VERDICT_NAMES.indexOf(r[name] as string) : r[name]),
          `window ${i} ${name}`,
        ).toBe(true),
      );
    });
  });

  it('--method tanaka: its fields, power 1 (0.5 under --convention pycurious-1.1) and ranges 0.05–0.2 by default, as the library gives them', async () => {
    const raster = await lib.loadGrid(join(dir, 'small.tif'));
    const optimiser = lib.CurieOptimiser.fromRaster(raster);
    const row = (
      x: number,
      y: number,
      t: { Ztr: number; dZtr: number; Zor: number; dZor: number; Zb: number; eZb: number },
    ) => `${[x, y, t.Ztr, t.dZtr, t.Zor, t.dZor, t.Zb, t.eZb, 0].map(csvNumber).join(',')},\n`;
    const expected = (options: Parameters<typeof optimiser.tanaka>[3], by = optimiser) =>
      `${TANAKA_HEADER}\n${Array.from(small.xc, (x, i) => {
        const y = small.yc[i];
        try {
          return row(x, y, by.tanaka(SMALL.windowMetres, x, y, options));
        } catch (error) {
          return `${x},${y},,,,,,,2,${csvText((error as Error).message)}\n`;
        }
      }).join('')}`;
    const defaults = (await smallMap('tanaka.csv', ['--method', 'tanaka'])).toString('utf8');
    expect(defaults).toBe(expected({}));
    expect(defaults).toBe(expected({ power: 1, kminRange: [0.05, 0.2], kmaxRange: [0.05, 0.2] }));
    expect(
      defaults
        .split('\n')
        .slice(1, -1)
        .filter((l) => l.endsWith(',0,')).length,
    ).toBeGreaterThan(0);
    const other = (
      await smallMap('tanaka2.csv', [
        '--method',
        'tanaka',
        '--power',
        '2',
        '--kmin-range',
        '0.03,0.25',
        '--kmax-range',
        '0.04,0.3',
        '--taper',
        'hamming',
      ])
    ).toString('utf8');
    expect(other).toBe(expected({ power: 2, kminRange: [0.03, 0.25], kmaxRange: [0.04, 0.3], taper: 'hamming' }));
    expect(other).not.toBe(defaults);

    // PyCurious 1.1's numbers: power 0.5 and dk = 2π/((n−1)·dx), as a 'pycurious-1.1' optimiser gives them.
    const old = lib.CurieOptimiser.fromRaster(raster, { convention: 'pycurious-1.1' });
    const pycurious = (
      await smallMap('tanaka-1.1.csv', ['--method', 'tanaka', '--convention', 'pycurious-1.1'])
    ).toString('utf8');
    expect(pycurious).toBe(expected({}, old));
    expect(pycurious).toBe(expected({ power: 0.5, kminRange: [0.05, 0.2], kmaxRange: [0.05, 0.2] }, old));
    expect(pycurious).not.toBe(defaults);
    const explicit = (
      await smallMap('tanaka-1.1b.csv', ['--method', 'tanaka', '--convention', 'pycurious-1.1', '--power', '0.5'])
    ).toString('utf8');
    expect(explicit).toBe(pycurious);

    const tif = await readBands(await smallMap('tanaka.tif', ['--method', 'tanaka']));
    expect(tif.descriptions).toEqual(['curie_depth', 'curie_depth_error', 'Ztr', 'Zor']);
  });

  it('--method bouligand options reach the fit: --prior and starting values change it, as in optimiseRoutine', async () => {
    const optimiser = lib.CurieOptimiser.fromRaster(await lib.loadGrid(join(dir, 'small.tif')), {
      priors: { beta: [3, 0.5] },
    });
    try {
      const fit = await optimiser.optimiseRoutine(SMALL.windowMetres, small.xc, small.yc, {
        workers: 0,
        zt: 0.8,
        dz: 12,
        taper: 'hamming',
      });
      const lines = (
        await smallMap('prior.csv', ['--prior', 'beta=3,0.5', '--zt', '0.8', '--dz', '12', '--taper', 'hamming'])
      )
        .toString('utf8')
        .split('\n');
      expect(lines[0]).toBe(BOULIGAND_HEADER);
      expect(lines.slice(1, -1).map((l) => l.split(',').slice(2, 12).join(','))).toEqual(
        Array.from(small.xc, (_, i) =>
          [
            ...[
              fit.beta[i],
              fit.zt[i],
              fit.dz[i],
              fit.C[i],
              fit.curieDepth[i],
              fit.curieDepthLow[i],
              fit.curieDepthHigh[i],
            ].map(csvNumber),
            VERDICT_NAMES[fit.verdict[i]],
            ...[fit.misfit[i], fit.status[i]].map(csvNumber),
          ].join(','),
        ),
      );
    } finally {
      await optimiser.close();
    }
  });
});

describe('sharding without MPI and curie merge', { timeout: 30_000 }, () => {
  const FORMATS = ['csv', 'ndjson', 'json', 'tif'] as const;
  const base = ['map', 'small.tif', '--window', SMALL.window, '--spacing', SMALL.spacing, '--workers', '0', '--quiet'];
  const part = (out: string, i: number, n = 2) => `${out}.part-${i}-of-${n}.ndjson`;

  it('--shard 0/2 and 1/2 write two part files; merging them gives the single run’s bytes, in every format', async () => {
    await Promise.all(
      FORMATS.flatMap((f) => [0, 1].map((i) => ok([...base, '--shard', `${i}/2`, '--out', `sharded.${f}`]))),
    );
    for (const f of FORMATS) {
      expect(existsSync(join(dir, `sharded.${f}`))).toBe(false);
      const lines = [0, 1].map((i) =>
        readFileSync(join(dir, part(`sharded.${f}`, i)), 'utf8')
          .trimEnd()
          .split('\n'),
      );
      lines.forEach((partLines, i) => {
        const header = JSON.parse(partLines[0]) as Record<string, unknown>;
        expect(header).toMatchObject({ curie_part: 1, shard: i, shards: 2, total: SMALL.windows });
        expect(header.run).toMatch(/^[0-9a-f]{64}$/);
        expect(partLines.slice(1).map((l) => (JSON.parse(l) as { i: number }).i)).toEqual(
          // Shard i of 2 takes windows i, i + 2, …: 0 2 4 6 8 and 1 3 5 7.
          Array.from({ length: [5, 4][i] }, (_, k) => 2 * k + i),
        );
      });
      expect((JSON.parse(lines[0][0]) as { run: string }).run).toBe((JSON.parse(lines[1][0]) as { run: string }).run);
      // Parts in any order.
      await ok(['merge', part(`sharded.${f}`, 1), part(`sharded.${f}`, 0), '--out', `merged.${f}`]);
      expect(readFileSync(join(dir, `merged.${f}`)).equals(await defaultMap(f)), f).toBe(true);
    }
  });

  it('--shard auto takes I and N from the launcher (Open MPI variables here)', async () => {
    await ok([...base, '--shard', 'auto', '--out', 'auto.csv'], {
      env: { OMPI_COMM_WORLD_RANK: '1', OMPI_COMM_WORLD_SIZE: '3' },
    });
    const lines = readFileSync(join(dir, part('auto.csv', 1, 3)), 'utf8')
      .trimEnd()
      .split('\n');
    expect(lines.slice(1).map((l) => (JSON.parse(l) as { i: number }).i)).toEqual([1, 4, 7]);
  });

  describe('merge errors: exit ≠ 0, one line, nothing written', () => {
    const parts = ['m.csv.part-0-of-2.ndjson', 'm.csv.part-1-of-2.ndjson'];
    let good: string[];
    let otherRun: string;
    let threeWay: string;

    beforeAll(async () => {
      await Promise.all([0, 1].map((i) => ok([...base, '--shard', `${i}/2`, '--out', 'm.csv'])));
      await ok([
        'map',
        'small.tif',
        '--window',
        '20km',
        '--spacing',
        SMALL.spacing,
        '--workers',
        '0',
        '--quiet',
        '--shard',
        '1/2',
        '--out',
        'other.csv',
      ]);
      await ok([...base, '--shard', '1/3', '--out', 'three.csv']);
      good = parts.map((p) => readFileSync(join(dir, p), 'utf8'));
      otherRun = readFileSync(join(dir, part('other.csv', 1)), 'utf8');
      threeWay = readFileSync(join(dir, part('three.csv', 1, 3)), 'utf8');
    }, 60_000);

    const setup = (files: Record<string, string>) => (cwd: string) => {
      for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, name), text);
    };

    it.concurrent('a missing part', async () => {
      await expectFailure(
        'merge-missing',
        ['merge', parts[0], '--out', 'out.csv'],
        /shard 1 of 2 is missing \(expected m\.csv\.part-1-of-2\.ndjson\)/,
        {
          out: 'out.csv',
          setup: setup({ [parts[0]]: good[0] }),
        },
      );
      await expectFailure(
        'merge-absent',
        ['merge', ...parts, '--out', 'out.csv'],
        /m\.csv\.part-1-of-2\.ndjson cannot be read/,
        { out: 'out.csv', setup: setup({ [parts[0]]: good[0] }) },
      );
    });

    it.concurrent('a part given twice', async () => {
      await expectFailure(
        'merge-twice',
        ['merge', parts[0], parts[1], parts[0], '--out', 'out.csv'],
        /shard 0 of 2 is given twice/,
        {
          out: 'out.csv',
          setup: setup({ [parts[0]]: good[0], [parts[1]]: good[1] }),
        },
      );
    });

    it.concurrent('parts of different runs', async () => {
      await expectFailure(
        'merge-runs',
        ['merge', parts[0], 'other.part', '--out', 'out.tif'],
        /other\.part belongs to another run/,
        {
          out: 'out.tif',
          setup: setup({ [parts[0]]: good[0], 'other.part': otherRun }),
        },
      );
      await expectFailure(
        'merge-count',
        ['merge', parts[0], 'three.part', '--out', 'out.tif'],
        /three\.part belongs to another run/,
        {
          out: 'out.tif',
          setup: setup({ [parts[0]]: good[0], 'three.part': threeWay }),
        },
      );
    });

    it.concurrent('a part whose header or rows were edited: the file, line and field named', async () => {
      const edit = (text: string, line: number, change: (value: Record<string, unknown>) => void) =>
        text
          .split('\n')
          .map((l, n) => {
            if (n !== line - 1) return l;
            const value = JSON.parse(l) as Record<string, unknown>;
            change(value);
            return JSON.stringify(value);
          })
          .join('\n');
      const cases: Array<[string, number, (v: Record<string, unknown>) => void, RegExp]> = [
        [
          'no-description',
          1,
          (v) => delete v.description,
          /m\.csv\.part-1-of-2\.ndjson line 1: description undefined must be an object/,
        ],
        [
          'no-total',
          1,
          (v) => delete v.total,
          /line 1: total undefined must be the number of windows the description lists \(9\)/,
        ],
        [
          'absurd-total',
          1,
          (v) => (v.total = 1e15),
          /line 1: total 1000000000000000 must be the number of windows the description lists \(9\)/,
        ],
        ['absurd-shards', 1, (v) => (v.shards = -3), /line 1: shards -3 must be a whole number ≥ 1/],
        [
          'object-value',
          3,
          (v) => (v.curie_depth = { deep: true }),
          /line 3: field curie_depth \{"deep":true\} must be a number, or null/,
        ],
        [
          'string-value',
          3,
          (v) => (v.beta = '3.1'),
          /line 3: field beta '3\.1' \(a string\) must be a number, or null/,
        ],
        [
          'bad-verdict',
          2,
          (v) => (v.verdict = 'maybe'),
          /line 2: field verdict 'maybe' \(a string\) must be one of resolved, lower-bound, unresolved/,
        ],
        ['moved-window', 2, (v) => (v.x = 1), /line 2: window 1 is at \(1, /],
      ];
      for (const [name, line, change, message] of cases)
        await expectFailure(`merge-${name}`, ['merge', ...parts, '--out', 'out.csv'], message, {
          out: 'out.csv',
          setup: setup({ [parts[0]]: good[0], [parts[1]]: edit(good[1], line, change) }),
        });
    });

    it.concurrent('a truncated part (mid-line, or whole lines missing)', async () => {
      const cut = good[1].slice(0, Math.floor(good[1].length * 0.7));
      const cutLine = cut.split('\n').length;
      await expectFailure(
        'merge-cut',
        ['merge', ...parts, '--out', 'out.json'],
        new RegExp(`m\\.csv\\.part-1-of-2\\.ndjson line ${cutLine}: not JSON`),
        {
          out: 'out.json',
          setup: setup({ [parts[0]]: good[0], [parts[1]]: cut }),
        },
      );
      const lines = good[1].split('\n');
      const shorter = `${lines.slice(0, -3).join('\n')}\n`; // the last two windows gone
      await expectFailure(
        'merge-short',
        ['merge', ...parts, '--out', 'out.ndjson'],
        /window 5 of 9 is missing from shard 1's part/,
        {
          out: 'out.ndjson',
          setup: setup({ [parts[0]]: good[0], [parts[1]]: shorter }),
        },
      );
      await expectFailure(
        'merge-notpart',
        ['merge', 'small.tif', '--out', 'out.csv'],
        /small\.tif line 1: not JSON|small\.tif is not a curie map part file/,
        {
          out: 'out.csv',
          setup: (cwd) => writeFileSync(join(cwd, 'small.tif'), readFileSync(join(dir, 'small.tif'))),
        },
      );
    });
  });
});
