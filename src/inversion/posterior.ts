/**
 * The posterior of (β, Δz) on an adaptive lattice, z_t and C integrated analytically (see
 * linear-profile.ts), and the intervals read off it. The lattice that the global fit scans is the
 * one the posterior integrates: nodes are computed once and reused.
 */
import { cellQuantile, mixtureCdf, solveQuantile, type TruncatedNormalMixture } from './mixture.js';
import { latticeBeta, latticeDz, LOG_DZ_STEP, type ModelBank, shapeAt, SUBDIVISIONS } from './model-bank.js';
import { type LinearSystem, logMarginal, type NodeProfile, type NodeSums, nodeSums, profileNode } from './linear-profile.js';

/** One lattice node with its weighted sums (statistical weights, unit temperature). */
export interface LatticeNode {
  /** Lattice indices in finest units (see model-bank.ts). */
  j: number;
  m: number;
  beta: number;
  dz: number;
  /** Sums with each system's weights (index 0: the statistical weights, used by the posterior). */
  sums: NodeSums[];
  /** −logpdf of the priors of β and Δz (and of z_t or C where they are not normal). */
  penalty: number;
}

/** Nodes of a rectangle of the lattice, indices [j0, j1] × [m0, m1] stepping by `stepJ`, `stepM` (finest units). */
export function latticeNodes(
  bank: ModelBank,
  systems: LinearSystem[],
  j0: number,
  j1: number,
  stepJ: number,
  m0: number,
  m1: number,
  stepM: number,
  penalty: (beta: number, dz: number) => number,
  cache: Map<number, LatticeNode>,
): LatticeNode[] {
  const nodes: LatticeNode[] = [];
  for (let j = j0; j <= j1; j += stepJ)
    for (let m = m0; m <= m1; m += stepM) {
      const key = j * 4_194_304 + m;
      let node = cache.get(key);
      if (!node) {
        const beta = latticeBeta(j), dz = latticeDz(m);
        const shape = shapeAt(bank, j, m);
        node = { j, m, beta, dz, sums: systems.map((system) => nodeSums(system, shape, { a: 0, b: 0, d: 0, e: 0 })), penalty: penalty(beta, dz) };
        cache.set(key, node);
      }
      nodes.push(node);
    }
  return nodes;
}

/** A node's tempered log posterior density (z_t, C integrated), its z_t conditional, and its quadrature mass. */
export interface WeightedNode {
  node: LatticeNode;
  logDensity: number;
  ztMean: number;
  ztSd: number;
}

const scratchProfile: NodeProfile = { q: 0, C: 0, zt: 0, qFree: 0, ztFree: 0, ztVariance: 0 };

/** Log density (flat prior in β and Δz besides the user's priors) of each node at `temperature`. */
export function weighNodes(system: LinearSystem, nodes: LatticeNode[], temperature: number): WeightedNode[] {
  return nodes.map((node) => {
    const profile = profileNode(system, node.sums[0], temperature, scratchProfile);
    return { node, logDensity: logMarginal(system, profile) - node.penalty, ztMean: profile.ztFree, ztSd: Math.sqrt(profile.ztVariance) };
  });
}

/**
 * ln of a node's quadrature mass. The prior of Δz is flat in ln Δz (scale-free, Jeffreys') between
 * the lattice's ends: a flat prior in Δz piles mass on the plateau of thick layers, and on the
 * Monte-Carlo calibration put the 90 % lower bounds above the truth in a third of thin-layer windows.
 */
export function logMass(w: WeightedNode): number {
  return w.logDensity;
}

/** Intervals at one level: `[low, high]`, high Infinity where the data do not bound it. */
export interface Intervals {
  beta: [number, number];
  zt: [number, number];
  dz: [number, number];
  curieDepth: [number, number];
}

/**
 * Quantile intervals from nodes of one lattice level (steps `stepJ`, `stepM` in finest units):
 * equal-tailed at `level`, or, where the upper end is open (`open`), Δz and the Curie depth as
 * one-sided lower bounds at `level` with high = Infinity. Mass per node: its density (a flat prior
 * in ln Δz, see {@link logMass}); each node's β and ln Δz spread over its cell.
 */
export function intervalsFromNodes(system: LinearSystem, weighted: WeightedNode[], stepJ: number, stepM: number, level: number, open: boolean): Intervals {
  let peak = -Infinity;
  for (const w of weighted) peak = Math.max(peak, logMass(w));
  // Nodes below e^-30 of the peak carry no mass worth the cost of their terms.
  const kept = weighted.filter((w) => logMass(w) - peak > -30);
  const mass = kept.map((w) => Math.exp(logMass(w) - peak));
  const total = mass.reduce((a, b) => a + b, 0);
  const lowP = open ? 1 - level : 0.5 * (1 - level), highP = 0.5 * (1 + level);
  const equalTails = (q: (p: number) => number): [number, number] => [q(0.5 * (1 - level)), q(highP)];
  const beta = equalTails(marginalQuantile(kept, mass, (w) => w.node.j, stepJ, latticeBeta));
  const lnDz = marginalQuantile(kept, mass, (w) => w.node.m, stepM, (m) => Math.log(latticeDz(m)));
  const dz: [number, number] = open ? [Math.exp(lnDz(lowP)), Infinity] : [Math.exp(lnDz(0.5 * (1 - level))), Math.exp(lnDz(highP))];

  // z_t and the Curie depth: mixtures of each node's truncated normal (shifted by its Δz cell).
  const n = kept.length;
  const halfCell = (0.5 * stepM * LOG_DZ_STEP) / SUBDIVISIONS;
  const mixture: TruncatedNormalMixture = {
    weight: Float64Array.from(mass, (v) => v / total),
    mean: Float64Array.from(kept, (w) => w.ztMean),
    sd: Float64Array.from(kept, (w) => w.ztSd),
    shiftLow: new Float64Array(n),
    shiftHigh: new Float64Array(n),
    lower: system.zLower,
    upper: system.zUpper,
  };
  let zLo = Infinity, zHi = -Infinity;
  for (let i = 0; i < n; i++) {
    zLo = Math.min(zLo, mixture.mean[i] - 12 * mixture.sd[i]);
    zHi = Math.max(zHi, mixture.mean[i] + 12 * mixture.sd[i]);
  }
  if (Number.isFinite(system.zLower)) zLo = Math.max(zLo, system.zLower);
  if (Number.isFinite(system.zUpper)) zHi = Math.min(zHi, system.zUpper);
  const tolerance = (x: number) => 1e-4 * Math.max(1, Math.abs(x));
  const zt: [number, number] = [solveQuantile((x) => mixtureCdf(mixture, x), 0.5 * (1 - level), zLo, zHi, tolerance(zHi)), solveQuantile((x) => mixtureCdf(mixture, x), 0.5 * (1 + level), zLo, zHi, tolerance(zHi))];
  let dzLo = Infinity, dzHi = 0;
  for (let i = 0; i < n; i++) {
    const lnDz = Math.log(kept[i].node.dz);
    mixture.shiftLow[i] = Math.exp(lnDz - halfCell);
    mixture.shiftHigh[i] = Math.exp(lnDz + halfCell);
    dzLo = Math.min(dzLo, mixture.shiftLow[i]);
    dzHi = Math.max(dzHi, mixture.shiftHigh[i]);
  }
  const cdf = (x: number) => mixtureCdf(mixture, x);
  const cLo = zLo + dzLo, cHi = zHi + dzHi;
  const curieLow = solveQuantile(cdf, lowP, cLo, cHi, tolerance(cHi));
  const curieHigh = open ? Infinity : solveQuantile(cdf, highP, cLo, cHi, tolerance(cHi));
  return { beta, zt, dz, curieDepth: [curieLow, curieHigh] };
}

/**
 * Quantiles of a marginal: the nodes' masses summed per lattice index (`index`, every `step`), each
 * index a cell centred on it, spread uniformly over [value(i − step/2), value(i + step/2)].
 */
function marginalQuantile(kept: WeightedNode[], mass: number[], index: (w: WeightedNode) => number, step: number, value: (i: number) => number): (p: number) => number {
  const byIndex = new Map<number, number>();
  kept.forEach((w, i) => byIndex.set(index(w), (byIndex.get(index(w)) ?? 0) + mass[i]));
  const indices = [...byIndex.keys()].sort((a, b) => a - b);
  const first = indices[0];
  const count = Math.round((indices[indices.length - 1] - first) / step) + 1;
  const cells = new Float64Array(count), edges = new Float64Array(count + 1);
  for (const [i, v] of byIndex) cells[Math.round((i - first) / step)] += v;
  for (let c = 0; c <= count; c++) edges[c] = value(first + (c - 0.5) * step);
  return (p) => cellQuantile(edges, cells, p);
}
