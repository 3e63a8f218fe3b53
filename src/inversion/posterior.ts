/**
 * The posterior of (β, Δz) on the lattice (lattice.ts), z_t and C integrated analytically (see
 * linear-profile.ts), and the intervals read off it. The prior is flat in β and in ln Δz
 * (scale-free) between the lattice's ends: a flat prior in Δz piles mass on the plateau of thick
 * layers, and on the Monte-Carlo calibration put the 90 % lower bounds above the truth in a third
 * of thin-layer windows.
 */
import { cellQuantile, mixtureCdf, prepareMixture, solveQuantile, type TruncatedNormalMixture } from './mixture.js';
import type { LatticeNode } from './lattice.js';
import { type LinearSystem, logMarginal, type NodeProfile, profileNode } from './linear-profile.js';
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

/** Log density (flat prior in β and ln Δz besides the user's priors) of each node at `temperature`. */
export function weighNodes(system: LinearSystem, nodes: LatticeNode[], temperature: number): WeightedNode[] {
  return nodes.map(({ j, m, beta, dz, sums, penalty }) => {
    const profile = profileNode(system, sums[0], temperature, scratchProfile);
    return { j, m, beta, dz, logDensity: logMarginal(system, profile) - penalty, ztMean: profile.ztFree, ztSd: Math.sqrt(profile.ztVariance) };
  });
}

/** Intervals at one level: `[low, high]`, high Infinity where the data do not bound it. */
export interface Intervals {
  beta: [number, number];
  zt: [number, number];
  dz: [number, number];
  curieDepth: [number, number];
}

/** Intervals of a posterior both ways: `closed` (equal tails) and `open` (Δz and the Curie depth bounded below only). */
export interface IntervalPair {
  closed: Intervals;
  open: Intervals;
}

/**
 * Quantile intervals from nodes of one lattice level (steps `stepJ`, `stepM` in finest units):
 * equal-tailed at `level` (`closed`), and with Δz and the Curie depth as one-sided lower bounds at
 * `level`, high = Infinity (`open`, for a posterior whose upper end the data do not close). Mass per
 * node: its density; each node's β and ln Δz spread over its cell; z_t given a node is its truncated normal, so the Curie depth z_t + Δz is a
 * mixture of truncated normals convolved with each node's Δz cell.
 */
export function intervalsFromNodes(system: LinearSystem, weighted: WeightedNode[], stepJ: number, stepM: number, level: number): IntervalPair {
  let peak = -Infinity;
  for (const w of weighted) peak = Math.max(peak, w.logDensity);
  // The lightest nodes that together hold less than 1e-6 of the mass change no quantile that matters.
  const order = weighted.map((w) => Math.exp(w.logDensity - peak)).map((m, i) => [m, i] as const).sort((a, b) => b[0] - a[0]);
  const total = order.reduce((sum, [m]) => sum + m, 0);
  let count = 0;
  for (let cumulative = 0; count < order.length && cumulative < total * (1 - 1e-6); count++) cumulative += order[count][0];
  const kept = order.slice(0, count).map(([, i]) => weighted[i]);
  const mass = order.slice(0, count).map(([m]) => m);
  const lowTail = 0.5 * (1 - level), highTail = 0.5 * (1 + level), oneSided = 1 - level;
  const betaQ = marginalQuantile(kept, mass, (w) => w.j, stepJ, latticeBeta);
  const beta: [number, number] = [betaQ(lowTail), betaQ(highTail)];
  const lnDz = marginalQuantile(kept, mass, (w) => w.m, stepM, (m) => Math.log(latticeDz(m)));

  const n = kept.length;
  const halfCell = (0.5 * stepM * LOG_DZ_STEP) / SUBDIVISIONS;
  const keptTotal = mass.reduce((a, b) => a + b, 0);
  const components: TruncatedNormalMixture = {
    weight: Float64Array.from(mass, (v) => v / keptTotal),
    mean: Float64Array.from(kept, (w) => w.ztMean),
    sd: Float64Array.from(kept, (w) => w.ztSd),
    shiftLow: new Float64Array(n),
    shiftHigh: new Float64Array(n),
    lower: system.zLower,
    upper: system.zUpper,
  };
  let zLo = Infinity, zHi = -Infinity;
  for (let i = 0; i < n; i++) {
    zLo = Math.min(zLo, components.mean[i] - 10 * components.sd[i]);
    zHi = Math.max(zHi, components.mean[i] + 10 * components.sd[i]);
  }
  if (Number.isFinite(system.zLower)) zLo = Math.max(zLo, system.zLower);
  if (Number.isFinite(system.zUpper)) zHi = Math.min(zHi, system.zUpper);
  const tolerance = (x: number) => 1e-4 * Math.max(1, Math.abs(x));
  const ztMixture = prepareMixture(components);
  const ztCdf = (x: number) => mixtureCdf(ztMixture, x);
  const zt: [number, number] = [solveQuantile(ztCdf, lowTail, zLo, zHi, tolerance(zHi)), solveQuantile(ztCdf, highTail, zLo, zHi, tolerance(zHi))];
  let dzLo = Infinity, dzHi = 0;
  for (let i = 0; i < n; i++) {
    const centre = Math.log(kept[i].dz);
    components.shiftLow[i] = Math.exp(centre - halfCell);
    components.shiftHigh[i] = Math.exp(centre + halfCell);
    dzLo = Math.min(dzLo, components.shiftLow[i]);
    dzHi = Math.max(dzHi, components.shiftHigh[i]);
  }
  const curieMixture = prepareMixture(components);
  const curieCdf = (x: number) => mixtureCdf(curieMixture, x);
  const cLo = zLo + dzLo, cHi = zHi + dzHi;
  const curie = (p: number) => solveQuantile(curieCdf, p, cLo, cHi, tolerance(cHi));
  return {
    closed: { beta, zt, dz: [Math.exp(lnDz(lowTail)), Math.exp(lnDz(highTail))], curieDepth: [curie(lowTail), curie(highTail)] },
    open: { beta, zt, dz: [Math.exp(lnDz(oneSided)), Infinity], curieDepth: [curie(oneSided), Infinity] },
  };
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
