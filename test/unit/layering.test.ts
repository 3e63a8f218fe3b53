import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The source's import graph, read from the files themselves: data flows one way (README, Layout),
// so a module never imports from a layer above its own, and no modules import each other in a circle.
const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

/** Layer of each top-level directory or root file of src/: a module may import its own layer and those below. */
const LAYERS: Record<string, number> = {
  'errors.ts': 0,
  'memory-budget.ts': 0,
  'rng.ts': 0,
  io: 1,
  grid: 2,
  spectrum: 3,
  filters: 4,
  models: 4,
  synthetic: 4.5,
  inversion: 5,
  parallel: 6,
  'CurieGrid.ts': 7,
  'CurieOptimiser.ts': 7,
  plot: 8,
  cli: 9,
  web: 9,
  'index.ts': 9,
};

/** Every module of src/ (path relative to src/, `.ts`) with the modules of src/ it imports, statically or dynamically. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.d.ts'),
  );
  for (const file of files) {
    const text = readFileSync(path.join(src, file), 'utf8');
    const specifiers = [
      ...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'|\bimport\(\s*'(\.[^']+)'\s*\)/gm),
    ].map((m) => m[1] ?? m[2]);
    graph.set(
      file,
      specifiers.map((s) => path.relative(src, path.resolve(src, path.dirname(file), s)).replace(/\.js$/, '.ts')),
    );
  }
  return graph;
}

const layerOf = (file: string) => LAYERS[file.split(path.sep)[0]];

/** The strongly connected components of more than one module (Tarjan): the import cycles. */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>(),
    low = new Map<string, number>(),
    stack: string[] = [],
    onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the layering of src/', () => {
  const graph = importGraph();

  it('reads the imports of every module (the graph is not empty by mistake)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get(path.join('inversion', 'fit.ts'))).toContain(path.join('inversion', 'bounds.ts'));
    expect(graph.get(path.join('cli', 'program.ts'))!.length).toBeGreaterThan(3); // its commands, imported lazily
  });

  it('places every module, and every import resolves to a module of src/', () => {
    const unplaced = [...graph.keys()].filter((f) => layerOf(f) === undefined);
    expect(unplaced).toEqual([]);
    const dangling = [...graph].flatMap(([f, targets]) =>
      targets.filter((t) => !graph.has(t)).map((t) => `${f} → ${t}`),
    );
    expect(dangling).toEqual([]);
  });

  it('has no import from a layer above the importer (io → grid → spectrum → models → inversion → parallel → façade → plot → CLI)', () => {
    const upstream = [...graph].flatMap(([f, targets]) =>
      targets.filter((t) => layerOf(t) > layerOf(f)).map((t) => `${f} → ${t}`),
    );
    expect(upstream).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('would see a cycle and an upstream import (the checks can fail)', () => {
    const bad = new Map([
      ['grid/a.ts', ['inversion/b.ts']],
      ['inversion/b.ts', ['grid/a.ts']],
    ]);
    expect(cycles(bad)).toEqual([['grid/a.ts', 'inversion/b.ts']]);
    expect(layerOf('inversion/b.ts')).toBeGreaterThan(layerOf('grid/a.ts'));
  });
});
