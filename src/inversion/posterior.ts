/**
 * The posterior of (β, Δz) on the lattice (lattice.ts), z_t and C integrated analytically (see
 * linear-profile.ts), and the intervals read off it. The prior is flat in β and in ln Δz
 * (scale-free) between the lattice's ends: a flat prior in Δz piles mass on the plateau of thick
 * layers, and on the Monte-Carlo calibration put the 90 % lower bounds above the truth in a third
 * of thin-layer windows.
 */
import { cellQuantile, mixtureQuantile, prepareMixture, type TruncatedNormalMixture } from './mixture.js';
import { type CoarseLattice, sumsAt } from './lattice.js';
import { type LinearSystem, logMarginal, type NodeProfile, type NodeSums, profileNode } from './linear-profile.js';
import { latticeBeta, latticeDz, LOG_DZ_STEP, SUBDIVISIONS } from './model-bank.js';

/** A lattice point's tempered log posterior density (z_t, C integrated) and its z_t conditional. */
export interface WeightedNode {
  /** Lattice indices in finest units, and the values they stand for. */
  j: number;
  m: number;
  beta: number;
  dz: number;
  logDensity: number;
  /** z_t given (β, Δz): a normal of this mean and sd, truncated to z_t's bounds. */
  ztMean: number;
  ztSd: number;
}

const scratchProfile: NodeProfile = { q: 0, C: 0, zt: 0, qFree: 0, ztFree: 0, ztVariance: 0 };
const scratchSums: NodeSums = { a: 0, b: 0, d: 0, e: 0 };

/** The tempered posterior at every coarse node: log density (z_t, C integrated; flat prior in β and ln Δz besides the user's priors) and z_t's conditional mean; its sd is one number. */
export interface LatticeDensity {
  logDensity: Float64Array;
  ztMean: Float64Array;
  ztSd: number;
}

/** {@link LatticeDensity} of the lattice at `temperature`, with the statistical system (sums index 0). */
export function weighLattice(system: LinearSystem, lattice: CoarseLattice, temperature: number): LatticeDensity {
  const size = lattice.rows * lattice.cols;
  const logDensity = new Float64Array(size),
    ztMean = new Float64Array(size);
  let ztSd = 0;
  for (let i = 0; i < size; i++) {
    const profile = profileNode(system, sumsAt(lattice, 0, i, scratchSums), temperature, scratchProfile);
    logDensity[i] = logMarginal(system, profile) - lattice.penalty[i];
    ztMean[i] = profile.ztFree;
    ztSd = Math.sqrt(profile.ztVariance);
  }
  return { logDensity, ztMean, ztSd };
}

/** Intervals at one level: `[low, high]`, high Infinity where the data do not bound it. */
export interface Intervals {
  beta: [number, number];
  zt: [number, number];
  dz: [number, number];
  curieDepth: [number, number];
}

/**
 * Intervals of a posterior both ways, computed when asked: `closed()` (equal tails) and `open()`
 * (Δz and the Curie depth bounded below only, high Infinity); `dzHigh`, the closed upper end of Δz,
 * to decide which applies.
 */
export interface IntervalPair {
  dzHigh: number;
  closed(): Intervals;
  open(): Intervals;
}

/**
 * Quantile intervals from nodes of one lattice level (steps `stepJ`, `stepM` in finest units):
 * equal-tailed at `level` (`closed`), and with Δz and the Curie depth as one-sided lower bounds at
 * `level`, high = Infinity (`open`, for a posterior whose upper end the data do not close). Mass per
 * node: its density; each node's β and ln Δz spread over its cell; z_t given a node is its truncated normal, so the Curie depth z_t + Δz is a
 * mixture of truncated normals convolved with each node's Δz cell.
 */
export function intervalsFromNodes(
  system: LinearSystem,
  weighted: WeightedNode[],
  stepJ: number,
  stepM: number,
  level: number,
): IntervalPair {
  let peak = -Infinity;
  for (const w of weighted) peak = Math.max(peak, w.logDensity);
  // Nodes each lighter than 1e-5/N of the mass hold less than 1e-5 of it together: dropped.
  const weights = weighted.map((w) => Math.exp(w.logDensity - peak));
  const total = weights.reduce((sum, m) => sum + m, 0);
  const floor = (1e-5 * total) / weighted.length;
  const kept = weighted.filter((_, i) => weights[i] >= floor);
  const mass = weights.filter((m) => m >= floor);
  const lowTail = 0.5 * (1 - level),
    highTail = 0.5 * (1 + level),
    oneSided = 1 - level;
  const betaQ = marginalQuantile(kept, mass, (w) => w.j, stepJ, latticeBeta);
  const beta: [number, number] = [betaQ(lowTail), betaQ(highTail)];
  const lnDz = marginalQuantile(
    kept,
    mass,
    (w) => w.m,
    stepM,
    (m) => Math.log(latticeDz(m)),
  );

  const halfCell = (0.5 * stepM * LOG_DZ_STEP) / SUBDIVISIONS;
  const components = (byDz: boolean) => mixtureOf(kept, mass, byDz, halfCell, system);
  const tolerance = 1e-3;
  const ztMixture = prepareMixture(components(false));
  const zt: [number, number] = [
    mixtureQuantile(ztMixture, lowTail, tolerance),
    mixtureQuantile(ztMixture, highTail, tolerance),
  ];
  const curieMixture = prepareMixture(components(true));
  const curie = (p: number) => mixtureQuantile(curieMixture, p, tolerance);
  const dzHigh = Math.exp(lnDz(highTail));
  return {
    dzHigh,
    closed: () => ({ beta, zt, dz: [Math.exp(lnDz(lowTail)), dzHigh], curieDepth: [curie(lowTail), curie(highTail)] }),
    open: () => ({ beta, zt, dz: [Math.exp(lnDz(oneSided)), Infinity], curieDepth: [curie(oneSided), Infinity] }),
  };
}

/**
 * The mixture of the nodes' z_t conditionals (with `byDz`, each shifted by its Δz cell: the Curie
 * depth's), nodes of the same Δz whose conditional means lie within half an sd of each other merged
 * into one component of their mass, mean and spread (sd² + the means' variance, at most 1/16 of
 * sd² more): hundreds of components become tens, and the quantiles move by far less than their
 * tolerance.
 */
function mixtureOf(
  kept: WeightedNode[],
  mass: number[],
  byDz: boolean,
  halfCell: number,
  system: LinearSystem,
): TruncatedNormalMixture {
  const sd = kept[0].ztSd;
  const out = {
    weight: [] as number[],
    mean: [] as number[],
    sd: [] as number[],
    shiftLow: [] as number[],
    shiftHigh: [] as number[],
  };
  const groups = new Map<number, number>();
  const sums: Array<{ w: number; wm: number; wmm: number; wvv: number }> = [];
  const add = (key: number, w: number, m: number, variance: number, low: number, high: number) => {
    let g = groups.get(key);
    if (g === undefined) {
      g = sums.length;
      groups.set(key, g);
      sums.push({ w: 0, wm: 0, wmm: 0, wvv: 0 });
      out.shiftLow.push(low);
      out.shiftHigh.push(high);
    }
    const group = sums[g];
    group.w += w;
    group.wm += w * m;
    group.wmm += w * m * m;
    group.wvv += w * variance;
  };
  kept.forEach((node, i) => {
    if (!byDz) return add(Math.floor(node.ztMean / (0.5 * sd)), mass[i], node.ztMean, sd * sd, 0, 0);
    const low = node.dz * Math.exp(-halfCell),
      high = node.dz * Math.exp(halfCell);
    const spread = Math.sqrt(sd * sd + (high - low) ** 2 / 12);
    if (node.ztMean - 6 * spread < system.zLower) {
      // Near z_t's bound the truncation matters: kept exact, one component per node.
      return add(-1 - i, mass[i], node.ztMean, sd * sd, low, high);
    }
    // Far from it, the Curie depth of a node is a normal ⊛ its Δz cell: merged with nodes of the
    // same width class (quarter octaves) whose centres fall in the same half-width bin.
    const centre = node.ztMean + 0.5 * (low + high);
    const width = Math.round(4 * Math.log2(spread));
    const unit = 0.5 * 2 ** (width / 4);
    add(width * 1e9 + Math.floor(centre / unit) + 5e8, mass[i], centre, spread * spread, 0, 0);
  });
  const total = sums.reduce((sum, g) => sum + g.w, 0);
  for (const g of sums) {
    const mean = g.wm / g.w;
    out.weight.push(g.w / total);
    out.mean.push(mean);
    out.sd.push(Math.sqrt(g.wvv / g.w + Math.max(0, g.wmm / g.w - mean * mean)));
  }
  return {
    weight: Float64Array.from(out.weight),
    mean: Float64Array.from(out.mean),
    sd: Float64Array.from(out.sd),
    shiftLow: Float64Array.from(out.shiftLow),
    shiftHigh: Float64Array.from(out.shiftHigh),
    lower: system.zLower,
    upper: system.zUpper,
  };
}

/**
 * Quantiles of a marginal: the nodes' masses summed per lattice index (`index`, every `step`), each
 * index a cell centred on it, spread uniformly over [value(i − step/2), value(i + step/2)].
 */
function marginalQuantile(
  kept: WeightedNode[],
  mass: number[],
  index: (w: WeightedNode) => number,
  step: number,
  value: (i: number) => number,
): (p: number) => number {
  const byIndex = new Map<number, number>();
  kept.forEach((w, i) => byIndex.set(index(w), (byIndex.get(index(w)) ?? 0) + mass[i]));
  const indices = [...byIndex.keys()].sort((a, b) => a - b);
  const first = indices[0];
  const count = Math.round((indices[indices.length - 1] - first) / step) + 1;
  const cells = new Float64Array(count),
    edges = new Float64Array(count + 1);
  for (const [i, v] of byIndex) cells[Math.round((i - first) / step)] += v;
  for (let c = 0; c <= count; c++) edges[c] = value(first + (c - 0.5) * step);
  return (p) => cellQuantile(edges, cells, p);
}
