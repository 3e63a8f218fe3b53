import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built package, imported by its name the ways its users do: ESM `import` in scripts, and
// CommonJS `require` as a tslab (Jupyter TypeScript) kernel does. `npm run test:interop` builds first.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const script = `
  const grid = new m.CurieGrid([[0, 1, 0, 1, 0], [1, 3, 2, 0, 1], [0, 2, 5, 1, 0], [1, 0, 1, 4, 2], [0, 1, 0, 2, 1]], 0, 4000, 0, 4000);
  const { k, Phi } = grid.radialSpectrum(grid.subgrid(4000, 2000, 2000), { taper: 'none' });
  console.log(JSON.stringify({ names: ['CurieGrid', 'loadGrid', 'CurieError', 'radialSpectrum'].map((n) => typeof m[n]), k: Array.from(k), finite: Array.from(Phi).every(Number.isFinite) }));
`;

describe('the package imports by its name', () => {
  it('with ESM import', () => {
    const out = JSON.parse(node(['--input-type=module', '-e', `import * as m from 'curie-depth'; ${script}`]));
    expect(out.names).toEqual(['function', 'function', 'function', 'function']);
    // One bin for a 5 × 5 window: radii 1 (4 samples), √2 (4) and 2 (4); dk = 2π/(n·dx) = 2π/5 rad/km
    // by default (PyCurious 1.1's 2π/4 under convention 'pycurious-1.1').
    expect(out.k.length).toBe(1);
    expect(out.k[0]).toBeCloseTo(((2 * Math.PI) / 5) * ((3 + Math.SQRT2) / 3), 12);
    expect(out.finite).toBe(true);
  });

  it('with require(), as tslab loads it, and with the same result', () => {
    const viaRequire = node(['-e', `const m = require('curie-depth'); ${script}`]);
    const viaImport = node(['--input-type=module', '-e', `import * as m from 'curie-depth'; ${script}`]);
    expect(viaRequire).toBe(viaImport);
  });

  it('ships type declarations where package.json says', () => {
    const pkg = JSON.parse(node(['-p', `JSON.stringify(require('./package.json'))`]));
    expect(pkg.types).toBe('./dist/index.d.ts');
    expect(
      node([
        '-e',
        `process.stdout.write(String(require('node:fs').existsSync(${JSON.stringify(path.join(root, 'dist/index.d.ts'))})))`,
      ]),
    ).toBe('true');
  });
});

describe('a consumer of the packed package', () => {
  // `npm pack`, installed into a scratch project with TypeScript 5.0 (tslab's) and compiled under
  // `strict`, as ESM (node16) and as CommonJS (node10 resolution, as tslab compiles cells): the
  // published declarations must parse there and type the results users read, without the
  // package's devDependencies (@types/ndarray is a dependency for that).
  it('compiles under strict with TypeScript 5.0, ESM and CommonJS, and runs', { timeout: 240_000 }, () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'curie-consumer-'));
    try {
      const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', scratch], {
        cwd: root,
        encoding: 'utf8',
      })
        .trim()
        .split('\n')
        .pop()!;
      writeFileSync(
        path.join(scratch, 'package.json'),
        JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
      );
      execFileSync(
        'npm',
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          path.join(scratch, tarball),
          'typescript@5.0.4',
          '@types/node@20',
        ],
        { cwd: scratch, stdio: 'pipe' },
      );
      const imports =
        "import { CurieOptimiser, isWindowFailure, mapChart, spectrumChart, synthesiseAnomaly, type FitResult } from 'curie-depth';";
      const body = `
        const raster = synthesiseAnomaly({ rows: 81, cols: 81, spacing: 1000, zt: 1, dz: 10, beta: 3, seed: 4, amplitudes: 'random' });
        const optimiser = CurieOptimiser.fromRaster(raster);
        const window = optimiser.subgrid(60e3, 40e3, 40e3);
        const rows: number = window.shape[0];
        const spectrum = optimiser.radialSpectrum(window);
        const fit: FitResult = optimiser.optimise(60e3, 40e3, 40e3);
        const [low, high]: [number, number] = fit.interval!.curieDepth;
        const runs = await optimiser.parallelise('sensitivity', 60e3, [40e3], [40e3], { nsim: 3, workers: 0 });
        const first = runs[0];
        const median: number = isWindowFailure(first) ? NaN : first.summary.curieDepth.q50;
        const map = await optimiser.optimiseRoutine(60e3, [40e3], [40e3], { workers: 0 });
        const spec = mapChart(map, { x: [40e3], y: [40e3] });
        const chart = spectrumChart(spectrum, { fit });
        console.log(JSON.stringify({ rows, bins: spectrum.k.length, ordered: low <= high, median: Number.isFinite(median), verdict: map.verdict[0] <= 2, specs: typeof spec === 'object' && typeof chart === 'object' }));
      `;
      writeFileSync(path.join(scratch, 'consumer.ts'), `${imports}\n${body}`);
      const tsc = path.join(scratch, 'node_modules/typescript/bin/tsc');
      const strict = ['--strict', '--noEmit', '--skipLibCheck', 'false', '--types', 'node'];
      execFileSync(
        process.execPath,
        [tsc, ...strict, '--target', 'es2022', '--module', 'node16', '--moduleResolution', 'node16', 'consumer.ts'],
        { cwd: scratch, stdio: 'pipe' },
      );
      // CommonJS, node10 resolution (no "exports"), as tslab compiles a cell: a require()-style import.
      writeFileSync(path.join(scratch, 'consumer.cts'), `${imports}\nvoid (async () => {${body}})();\n`);
      execFileSync(
        process.execPath,
        [tsc, ...strict, '--target', 'es2022', '--module', 'commonjs', '--moduleResolution', 'node', 'consumer.cts'],
        { cwd: scratch, stdio: 'pipe' },
      );
      // And it runs: compiled, as ESM.
      execFileSync(
        process.execPath,
        [
          tsc,
          '--target',
          'es2022',
          '--module',
          'node16',
          '--moduleResolution',
          'node16',
          '--types',
          'node',
          'consumer.ts',
        ],
        { cwd: scratch, stdio: 'pipe' },
      );
      const out = JSON.parse(execFileSync(process.execPath, ['consumer.js'], { cwd: scratch, encoding: 'utf8' }));
      expect(out).toEqual({ rows: 61, bins: 29, ordered: true, median: true, verdict: true, specs: true });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
