import { execFileSync } from 'node:child_process';
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
    expect(node(['-e', `process.stdout.write(String(require('node:fs').existsSync(${JSON.stringify(path.join(root, 'dist/index.d.ts'))})))`])).toBe('true');
  });
});
