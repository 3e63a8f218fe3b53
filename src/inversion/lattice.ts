/**
 * The (β, ln Δz) lattice a window is fitted and integrated on. Its coarse nodes carry exact model
 * shapes (cached per thread in the model bank); between them, where the fit and the posterior need
 * finer steps, smooth per-node quantities are interpolated bicubically (Catmull–Rom): a few dozen
 * flops a point, where an exact shape costs a vector of Bessel functions and, across a map's
 * windows, would miss any cache.
 */
import { type LinearSystem, type NodeSums, nodeSums } from './linear-profile.js';
import { latticeBeta, latticeDz, type ModelBank, shapeAt } from './model-bank.js';

/** One system's weighted sums at every coarse node (see linear-profile.ts), row-major. */
export interface LatticeSums {
  a: Float64Array;
  b: Float64Array;
  d: Float64Array;
  e: Float64Array;
}

/**
 * The coarse lattice: `rows` values of β from j0 every stepJ, `cols` values of ln Δz from m0 every
 * stepM (finest units, see model-bank.ts: SUBDIVISIONS unless bounds are narrower than a few coarse
 * steps); node i = r·cols + c. Typed arrays, no object a node: a window scans ~1250 nodes.
 */
export interface CoarseLattice {
  j0: number;
  m0: number;
  rows: number;
  cols: number;
  stepJ: number;
  stepM: number;
  /** Sums of each system (index 0: the statistical weights, used by the posterior). */
  sums: LatticeSums[];
  /** −logpdf of the priors of β and Δz at each node. */
  penalty: Float64Array;
}

/** The last β and ln Δz indices (finest units) of the lattice. */
export function latticeEnd(lattice: CoarseLattice): { j1: number; m1: number } {
  return { j1: lattice.j0 + (lattice.rows - 1) * lattice.stepJ, m1: lattice.m0 + (lattice.cols - 1) * lattice.stepM };
}

/** Lattice indices (finest units) of node i. */
export function nodeJ(lattice: CoarseLattice, i: number): number {
  return lattice.j0 + Math.floor(i / lattice.cols) * lattice.stepJ;
}
export function nodeM(lattice: CoarseLattice, i: number): number {
  return lattice.m0 + (i % lattice.cols) * lattice.stepM;
}

/** System s's sums at node i, into `out`. */
export function sumsAt(lattice: CoarseLattice, s: number, i: number, out: NodeSums): NodeSums {
  const sums = lattice.sums[s];
  out.a = sums.a[i];
  out.b = sums.b[i];
  out.d = sums.d[i];
  out.e = sums.e[i];
  return out;
}

const scratchSums: NodeSums = { a: 0, b: 0, d: 0, e: 0 };

/** Fill nodes [from, to) of a lattice of `cols` columns from (j0, m0). */
function fillNodes(
  lattice: CoarseLattice,
  bank: ModelBank,
  systems: LinearSystem[],
  from: number,
  to: number,
  penalty: (beta: number, dz: number) => number,
): void {
  for (let i = from; i < to; i++) {
    const j = nodeJ(lattice, i),
      m = nodeM(lattice, i);
    const shape = shapeAt(bank, j, m);
    systems.forEach((system, s) => {
      nodeSums(system, shape, scratchSums);
      const sums = lattice.sums[s];
      sums.a[i] = scratchSums.a;
      sums.b[i] = scratchSums.b;
      sums.d[i] = scratchSums.d;
      sums.e[i] = scratchSums.e;
    });
    lattice.penalty[i] = penalty(latticeBeta(j), latticeDz(m));
  }
}

function grow(values: Float64Array, size: number): Float64Array {
  const out = new Float64Array(size);
  out.set(values.subarray(0, Math.min(values.length, size)));
  return out;
}

/** The coarse lattice of `rows × cols` nodes from (j0, m0) every (stepJ, stepM). */
export function coarseLattice(
  bank: ModelBank,
  systems: LinearSystem[],
  j0: number,
  m0: number,
  rows: number,
  cols: number,
  stepJ: number,
  stepM: number,
  penalty: (beta: number, dz: number) => number,
): CoarseLattice {
  const size = rows * cols;
  const lattice: CoarseLattice = {
    j0,
    m0,
    rows,
    cols,
    stepJ,
    stepM,
    sums: systems.map(() => ({
      a: new Float64Array(size),
      b: new Float64Array(size),
      d: new Float64Array(size),
      e: new Float64Array(size),
    })),
    penalty: new Float64Array(size),
  };
  fillNodes(lattice, bank, systems, 0, size, penalty);
  return lattice;
}

/** The lattice with `extra` more rows of β on top (the same object, grown). */
export function extendBeta(
  lattice: CoarseLattice,
  bank: ModelBank,
  systems: LinearSystem[],
  extra: number,
  penalty: (beta: number, dz: number) => number,
): CoarseLattice {
  const from = lattice.rows * lattice.cols;
  lattice.rows += extra;
  const size = lattice.rows * lattice.cols;
  lattice.sums = lattice.sums.map(({ a, b, d, e }) => ({
    a: grow(a, size),
    b: grow(b, size),
    d: grow(d, size),
    e: grow(e, size),
  }));
  lattice.penalty = grow(lattice.penalty, size);
  fillNodes(lattice, bank, systems, from, size, penalty);
  return lattice;
}

/** Catmull–Rom weights of the four nodes around t ∈ [0, 1] (between the second and third). */
function cubicWeights(t: number, out: Float64Array): void {
  const t2 = t * t,
    t3 = t2 * t;
  out[0] = 0.5 * (-t3 + 2 * t2 - t);
  out[1] = 0.5 * (3 * t3 - 5 * t2 + 2);
  out[2] = 0.5 * (-3 * t3 + 4 * t2 + t);
  out[3] = 0.5 * (t3 - t2);
}

const weightsJ = new Float64Array(4),
  weightsM = new Float64Array(4);

/**
 * A field given at every coarse node (row-major, node i = r·cols + c), interpolated bicubically
 * at (j, m) in finest units inside the lattice; exact at the coarse nodes. Interpolate smooth
 * quantities (a node's log density, its profiled z_t), not the nodes' raw sums: those are large
 * numbers whose differences make the misfit, and their interpolation errors would swamp it.
 */
export function interpolate(lattice: CoarseLattice, field: Float64Array, j: number, m: number): number {
  const { rows, cols } = lattice;
  const u = (j - lattice.j0) / lattice.stepJ,
    v = (m - lattice.m0) / lattice.stepM;
  const r = Math.min(Math.floor(u), rows - 2),
    c = Math.min(Math.floor(v), cols - 2);
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
