/** Access to the PyCurious reference fixtures in ../shared/reference (never copied into the project). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ndarray from 'ndarray';
import { CurieGrid } from '../../src/CurieGrid.js';
import { CurieOptimiser, type CurieOptimiserOptions } from '../../src/CurieOptimiser.js';
import type { NodeExtent } from '../../src/grid/lattice.js';
import type { Convention } from '../../src/spectrum/convention.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Absolute path of a file under ../shared/reference/. */
export function referencePath(relative: string): string {
  return path.resolve(projectRoot, '../shared/reference', relative);
}

/** A parsed JSON fixture. */
export function readReference<T = any>(relative: string): T {
  return JSON.parse(readFileSync(referencePath(relative), 'utf8')) as T;
}

/** grid.json: PyCurious's grid values, row-major, and its node extent. */
type GridFixture = NodeExtent & { data: number[] };
let gridFixture: GridFixture | undefined;
/** grid.json, parsed once. */
function referenceGridFixture(): GridFixture {
  return (gridFixture ??= readReference<GridFixture>('pycurious/grid.json'));
}

const grids = new Map<Convention, CurieGrid>();

/**
 * The reference grid exactly as PyCurious held it (grid.json), under `convention`: PyCurious 1.1's
 * own by default, since every fixture compared against it was made with PyCurious 1.1.
 */
export function referenceGrid(convention: Convention = 'pycurious-1.1'): CurieGrid {
  let grid = grids.get(convention);
  if (!grid) {
    const g = referenceGridFixture();
    grid = new CurieGrid(ndarray(Float64Array.from(g.data), [g.rows, g.cols]), g.xmin, g.xmax, g.ymin, g.ymax, {
      convention,
    });
    grids.set(convention, grid);
  }
  return grid;
}

/**
 * A new optimiser on the reference grid (grid.json) under PyCurious 1.1's convention, every fixture's
 * own; `options` add priors or bounds, or another convention.
 */
export function referenceOptimiser(options: CurieOptimiserOptions = {}): CurieOptimiser {
  const g = referenceGridFixture();
  return new CurieOptimiser(ndarray(Float64Array.from(g.data), [g.rows, g.cols]), g.xmin, g.xmax, g.ymin, g.ymax, {
    convention: 'pycurious-1.1',
    ...options,
  });
}

/** Largest |a_i − b_i| / |b_i|, elementwise. */
export function maxElementwiseRelative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.abs(b[i]));
  return worst;
}
