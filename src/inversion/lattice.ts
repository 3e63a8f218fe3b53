/**
 * The (β, ln Δz) lattice a window is fitted and integrated on. Its coarse nodes carry exact model
 * shapes (cached per thread in the model bank); between them, where the fit and the posterior need
 * finer steps, smooth per-node quantities are interpolated bicubically (Catmull–Rom): a few dozen
 * flops a point, where an exact shape costs ~15 µs of Bessel functions and, across a map's
 * windows, would miss any cache.
 */
import { type LinearSystem, type NodeSums, nodeSums } from './linear-profile.js';
import { latticeBeta, latticeDz, type ModelBank, shapeAt, SUBDIVISIONS } from './model-bank.js';

/** One lattice node with its weighted sums (unit temperature). */
export interface LatticeNode {
  /** Lattice indices in finest units (see model-bank.ts). */
  j: number;
  m: number;
  beta: number;
  dz: number;
  /** Sums with each system's weights (index 0: the statistical weights, used by the posterior). */
  sums: NodeSums[];
  /** −logpdf of the priors of β and Δz. */
  penalty: number;
}

/** The coarse lattice: `rows` values of β from j0, `cols` values of ln Δz from m0, both every SUBDIVISIONS. */
export interface CoarseLattice {
  j0: number;
  m0: number;
  rows: number;
  cols: number;
  /** Row-major: node (r, c) at r·cols + c. */
  nodes: LatticeNode[];
}

/** The last β and ln Δz indices (finest units) of the lattice. */
export function latticeEnd(lattice: CoarseLattice): { j1: number; m1: number } {
  return { j1: lattice.j0 + (lattice.rows - 1) * SUBDIVISIONS, m1: lattice.m0 + (lattice.cols - 1) * SUBDIVISIONS };
}

/** Coarse nodes for β rows [r0, r1) of a lattice starting at (j0, m0) with `cols` columns. */
function coarseRows(bank: ModelBank, systems: LinearSystem[], j0: number, m0: number, r0: number, r1: number, cols: number, penalty: (beta: number, dz: number) => number): LatticeNode[] {
  const nodes: LatticeNode[] = [];
  for (let r = r0; r < r1; r++)
    for (let c = 0; c < cols; c++) {
      const j = j0 + r * SUBDIVISIONS, m = m0 + c * SUBDIVISIONS;
      const beta = latticeBeta(j), dz = latticeDz(m);
      const shape = shapeAt(bank, j, m);
      nodes.push({ j, m, beta, dz, sums: systems.map((system) => nodeSums(system, shape, { a: 0, b: 0, d: 0, e: 0 })), penalty: penalty(beta, dz) });
    }
  return nodes;
}

/** The coarse lattice of `rows × cols` nodes from (j0, m0). */
export function coarseLattice(bank: ModelBank, systems: LinearSystem[], j0: number, m0: number, rows: number, cols: number, penalty: (beta: number, dz: number) => number): CoarseLattice {
  return { j0, m0, rows, cols, nodes: coarseRows(bank, systems, j0, m0, 0, rows, cols, penalty) };
}

/** The lattice with `extra` more rows of β on top (the same object, grown). */
export function extendBeta(lattice: CoarseLattice, bank: ModelBank, systems: LinearSystem[], extra: number, penalty: (beta: number, dz: number) => number): CoarseLattice {
  lattice.nodes.push(...coarseRows(bank, systems, lattice.j0, lattice.m0, lattice.rows, lattice.rows + extra, lattice.cols, penalty));
  lattice.rows += extra;
  return lattice;
}

/** Catmull–Rom weights of the four nodes around t ∈ [0, 1] (between the second and third). */
function cubicWeights(t: number, out: Float64Array): void {
  const t2 = t * t, t3 = t2 * t;
  out[0] = 0.5 * (-t3 + 2 * t2 - t);
  out[1] = 0.5 * (3 * t3 - 5 * t2 + 2);
  out[2] = 0.5 * (-3 * t3 + 4 * t2 + t);
  out[3] = 0.5 * (t3 - t2);
}

const weightsJ = new Float64Array(4), weightsM = new Float64Array(4);

/**
 * A field given at every coarse node (row-major, like `lattice.nodes`), interpolated bicubically
 * at (j, m) in finest units inside the lattice; exact at the coarse nodes. Interpolate smooth
 * quantities (a node's log density, its profiled z_t), not the nodes' raw sums: those are large
 * numbers whose differences make the misfit, and their interpolation errors would swamp it.
 */
export function interpolate(lattice: CoarseLattice, field: Float64Array, j: number, m: number): number {
  const { rows, cols } = lattice;
  const u = (j - lattice.j0) / SUBDIVISIONS, v = (m - lattice.m0) / SUBDIVISIONS;
  const r = Math.min(Math.floor(u), rows - 2), c = Math.min(Math.floor(v), cols - 2);
  cubicWeights(u - r, weightsJ);
  cubicWeights(v - c, weightsM);
  let value = 0;
  for (let p = 0; p < 4; p++) {
    if (weightsJ[p] === 0) continue;
    const row = Math.min(rows - 1, Math.max(0, r - 1 + p)) * cols;
    for (let q = 0; q < 4; q++) {
      if (weightsM[q] === 0) continue;
      value += weightsJ[p] * weightsM[q] * field[row + Math.min(cols - 1, Math.max(0, c - 1 + q))];
    }
  }
  return value;
}
