/**
 * The global fit of the Bouligand et al. (2009) model and the posterior interval of every
 * parameter, from one lattice over (β, Δz) with z_t and C profiled (for the fit) or integrated
 * (for the posterior) exactly. The start values of PyCurious are only a hint: the fit is the best
 * misfit within the bounds, found by scanning the lattice and polishing the best basins with
 * Levenberg–Marquardt; an open plateau in Δz is reported as such, never as convergence.
 */
import { CurieError, fmt } from '../errors.js';
import { bouligand2009 } from '../models/bouligand.js';
import { normalQuantile } from '../models/special.js';
import type { Convention } from '../spectrum/convention.js';
import { type Bounds, checkStart } from './bounds.js';
import { type FitResult, fitSpectrum } from './fit.js';
import {
  linearSystem,
  type LinearSystem,
  logMarginal,
  type NodeProfile,
  type NodeSums,
  nodeSums,
  profileNode,
} from './linear-profile.js';
import {
  type CoarseLattice,
  coarseLattice,
  extendBeta,
  interpolate,
  latticeEnd,
  nodeJ,
  nodeM,
  sumsAt,
} from './lattice.js';
import { BETA_STEP, latticeBeta, latticeDz, LOG_DZ_STEP, modelBank, SUBDIVISIONS } from './model-bank.js';
import { misfit, type Objective, PARAMETERS, type ParameterName } from './objective.js';
import {
  type Intervals,
  intervalsFromNodes,
  type LatticeDensity,
  type WeightedNode,
  weighLattice,
} from './posterior.js';
import { asNormal, describePrior, type Distribution } from './priors.js';
import { cellSizeFactor, LIKELIHOOD_SCALE } from './likelihood-scale.js';
import { judge, type Verdict } from './verdict.js';

/** A radial spectrum to fit, with the error of each bin's mean when known. */
export interface SpectrumWithErrors {
  k: ArrayLike<number>;
  Phi: ArrayLike<number>;
  sigmaPhi: ArrayLike<number>;
  /** Standard error of each Phi (see RadialSpectrum.sigmaMean); sigmaPhi stands in where absent. */
  sigmaMean?: ArrayLike<number>;
}

/** How a global fit runs. */
export interface GlobalFitOptions {
  convention: Convention;
  /** Probability of the intervals, in (0, 1) (default 0.9). */
  level?: number;
  /** Compute intervals and a verdict (default true); false gives the point fit alone. */
  intervals?: boolean;
  /** Node spacing of the window, km, and its side, km (for the verdict's rules). */
  spacingKm?: number;
  windowKm?: number;
  /** The posterior's likelihood scale for 1 km cells (default a single taper's, 1.5); coarser cells take less (see likelihood-scale.ts). */
  likelihoodScale?: number;
}

/** Check a level: a number strictly between 0 and 1. */
export function checkLevel(level: unknown): number {
  if (level === undefined) return 0.9;
  /* eslint-disable @typescript-eslint/no-base-to-string -- the message shows the caller's value as given */
  if (typeof level !== 'number' || !(level > 0 && level < 1))
    throw new CurieError(
      'E_ARGUMENT',
      `level ${String(level)} must be a probability strictly between 0 and 1 (e.g. 0.9)`,
    );
  /* eslint-enable @typescript-eslint/no-base-to-string */
  return level;
}

/** Check bounds and priors together: NaN, lower ≥ upper, a prior with no support inside its bounds. */
export function checkBoundsAndPriors(bounds: Bounds, priors: ReadonlyArray<Distribution | undefined>): void {
  PARAMETERS.forEach((name, j) => {
    const lower = bounds.lower[j],
      upper = bounds.upper[j];
    if (Number.isNaN(lower) || Number.isNaN(upper) || !(lower < upper))
      throw new CurieError(
        'E_ARGUMENT',
        `bounds of ${name} [${fmt(lower)}, ${fmt(upper)}] must be numbers with lower < upper`,
      );
    const prior = priors[j];
    if (!prior) return;
    const described = describePrior(prior);
    let outside = false;
    if (described?.kind === 'uniform') outside = described.args[1] <= lower || described.args[0] >= upper;
    else if (described?.kind === 'lognormal') outside = upper <= 0;
    else if (!described) {
      // A custom prior: probe its density across the bounds.
      const lo = Number.isFinite(lower) ? lower : -1e6,
        hi = Number.isFinite(upper) ? upper : 1e6;
      outside = true;
      for (let i = 0; i <= 64 && outside; i++) outside = !(prior.logpdf(lo + ((hi - lo) * i) / 64) > -Infinity);
    }
    if (outside)
      throw new CurieError(
        'E_ARGUMENT',
        `the prior of ${name} (${described ? `${described.kind}(${described.args.map(fmt).join(', ')})` : 'custom'}) has no support inside its bounds [${fmt(lower)}, ${fmt(upper)}]; widen the bounds or move the prior`,
      );
  });
}

const profileScratch: NodeProfile = { q: 0, C: 0, zt: 0, qFree: 0, ztFree: 0, ztVariance: 0 };

/** The range of C and z_t for the linear profile: the bounds, narrowed by uniform priors. */
function linearBounds(bounds: Bounds, priors: ReadonlyArray<Distribution | undefined>) {
  const narrowed = (j: number): [number, number] => {
    const d = priors[j] && describePrior(priors[j]);
    return d?.kind === 'uniform'
      ? [Math.max(bounds.lower[j], d.args[0]), Math.min(bounds.upper[j], d.args[1])]
      : [bounds.lower[j], bounds.upper[j]];
  };
  const [zLower, zUpper] = narrowed(1),
    [cLower, cUpper] = narrowed(3);
  return { zLower, zUpper, cLower, cUpper };
}

/** Everything one window's fit needs, built once. */
interface WindowProblem {
  k: ArrayLike<number>;
  Phi: ArrayLike<number>;
  /** 1/σ_mean² per bin. */
  statWeights: Float64Array;
  /** The statistical system (index 0) and, under PyCurious 1.1, the unweighted one of the point fit (last). */
  systems: LinearSystem[];
  pointIndex: number;
  unweighted: boolean;
  bounds: Bounds;
  /** −logpdf of the priors of β and Δz. */
  penalty: (beta: number, dz: number) => number;
  /** The point misfit of a node from its profile and its β/Δz penalty (priors the profile cannot carry charged at the profiled point). */
  pointValue: (penalty: number, profile: NodeProfile) => number;
  objective: Objective;
}

function windowProblem(
  spectrum: SpectrumWithErrors,
  priors: ReadonlyArray<Distribution | undefined>,
  bounds: Bounds,
  convention: Convention,
): WindowProblem {
  const { k, Phi } = spectrum;
  const n = k.length;
  const sigma = spectrum.sigmaMean ?? spectrum.sigmaPhi;
  const statWeights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!(sigma[i] > 0))
      throw new CurieError(
        'E_ARGUMENT',
        `bin ${i} has a spectral error of ${fmt(sigma[i])}; a fit needs every sigma > 0 (is the window constant?)`,
      );
    statWeights[i] = 1 / (sigma[i] * sigma[i]);
  }
  const unweighted = convention === 'pycurious-1.1';
  const [betaPrior, ztPrior, dzPrior, cPrior] = priors;
  const linear = linearBounds(bounds, priors);
  const normals = { z: asNormal(ztPrior), c: asNormal(cPrior) };
  const statSystem = linearSystem(k, Phi, statWeights, linear, normals);
  const systems = unweighted
    ? [statSystem, linearSystem(k, Phi, new Float64Array(n).fill(1), linear, normals)]
    : [statSystem];
  const otherZ = ztPrior && !normals.z && describePrior(ztPrior)?.kind !== 'uniform' ? ztPrior : undefined;
  const otherC = cPrior && !normals.c && describePrior(cPrior)?.kind !== 'uniform' ? cPrior : undefined;
  return {
    k,
    Phi,
    statWeights,
    systems,
    pointIndex: systems.length - 1,
    unweighted,
    bounds,
    penalty: (beta, dz) => -(betaPrior ? betaPrior.logpdf(beta) : 0) - (dzPrior ? dzPrior.logpdf(dz) : 0),
    pointValue: (penalty, profile) =>
      profile.q + penalty - (otherZ ? otherZ.logpdf(profile.zt) : 0) - (otherC ? otherC.logpdf(profile.C) : 0),
    objective: {
      k: Float64Array.from(k),
      Phi: Float64Array.from(Phi),
      weights: unweighted ? undefined : Float64Array.from(sigma, (value) => 1 / value),
      priors,
    },
  };
}

const sumsScratch: NodeSums = { a: 0, b: 0, d: 0, e: 0 };

/** The point misfit of every coarse node, with each node's profiled z_t and C. */
function pointValues(problem: WindowProblem, lattice: CoarseLattice): Float64Array {
  const system = problem.systems[problem.pointIndex];
  const values = new Float64Array(lattice.rows * lattice.cols);
  for (let i = 0; i < values.length; i++)
    values[i] = problem.pointValue(
      lattice.penalty[i],
      profileNode(system, sumsAt(lattice, problem.pointIndex, i, sumsScratch), 1, profileScratch),
    );
  return values;
}

/** β's largest lattice value: the bound, at most 20. */
const BETA_CEILING = 20;

/**
 * Scan the coarse lattice: β over [max(lower, −0.75), +6] (extended while the best node sits on its
 * top), Δz from a layer far thinner than the cells resolve (kΔz = 0.02 at the largest k) to the
 * plateau (kΔz = 6 at the smallest k, where ∂Φ/∂Δz ~ e^{−12}), both within the bounds.
 */
function scanLattice(problem: WindowProblem): { lattice: CoarseLattice; values: Float64Array } {
  const { k, bounds, systems, penalty } = problem;
  const kMin = k[0],
    kMax = k[k.length - 1];
  // Ranges in finest lattice units, inside the bounds; steps halved (from SUBDIVISIONS) until a
  // range holds at least four of them, so a lattice never strays outside narrow bounds.
  const axis = (
    name: string,
    lowValue: number,
    highValue: number,
    lowIndex: number,
    highIndex: number,
    unit: number,
  ) => {
    let step = SUBDIVISIONS;
    while (step > 1 && highIndex - lowIndex < 4 * step) step >>= 1;
    const first = Math.ceil(lowIndex / step) * step,
      last = Math.floor(highIndex / step) * step;
    if (!(last - first >= step))
      throw new CurieError(
        'E_ARGUMENT',
        `the range of ${name} [${fmt(lowValue)}, ${fmt(highValue)}] is narrower than the fit's finest step (${fmt(Number(unit.toPrecision(3)))}); widen the bounds, or fix ${name} with a prior`,
      );
    return { step, first, last };
  };
  const unitJ = BETA_STEP / SUBDIVISIONS,
    unitM = LOG_DZ_STEP / SUBDIVISIONS;
  const betaLow = Math.max(bounds.lower[0], -0.75),
    betaHigh = Math.min(bounds.upper[0], BETA_CEILING);
  const dzLow = Math.max(bounds.lower[2], 0.02 / kMax),
    dzHigh = Math.min(bounds.upper[2], 6 / kMin);
  const beta = axis(
    'beta',
    betaLow,
    betaHigh,
    Math.ceil(betaLow / unitJ - 1e-9),
    Math.floor(betaHigh / unitJ + 1e-9),
    unitJ,
  );
  const dz = axis(
    'dz',
    dzLow,
    dzHigh,
    Math.ceil(Math.log(dzLow) / unitM - 1e-9),
    Math.floor(Math.log(dzHigh) / unitM + 1e-9),
    unitM,
  );
  // β over [lower, lower + 6] first, extended while the best node sits on its top.
  const j1 = Math.min(
    beta.last,
    Math.max(beta.first + beta.step, Math.floor((betaLow + 6) / unitJ / beta.step) * beta.step),
  );
  const bank = modelBank(k);
  const lattice = coarseLattice(
    bank,
    systems,
    beta.first,
    dz.first,
    (j1 - beta.first) / beta.step + 1,
    (dz.last - dz.first) / dz.step + 1,
    beta.step,
    dz.step,
    penalty,
  );
  let values = pointValues(problem, lattice);
  for (;;) {
    const top = latticeEnd(lattice).j1;
    if (top >= beta.last || nodeJ(lattice, argMin(values)) < top) break;
    extendBeta(lattice, bank, systems, Math.min(16, (beta.last - top) / beta.step), penalty);
    values = pointValues(problem, lattice);
  }
  return { lattice, values };
}

/** The misfit over (β, Δz) with z_t and C profiled out: the surface the global fit searches. */
export interface MisfitSurface {
  /** β of each row. */
  beta: Float64Array;
  /** Δz of each column, km (evenly spaced in ln Δz). */
  dz: Float64Array;
  /** Misfit at (beta[r], dz[c]) at index r·dz.length + c, minimised over z_t and C (priors included). */
  misfit: Float64Array;
}

/**
 * The coarse lattice the global fit scans, with its misfit at every node (z_t and C profiled out
 * exactly): for a figure of the β–Δz misfit surface (PyCurious's Ex3), or to see its basins.
 * @param priorsGiven `[β, z_t, Δz, C]` (undefined for none) or by name, e.g. an optimiser's `priorPdf`
 * @param bounds e.g. an optimiser's `bounds`
 */
export function misfitSurface(
  spectrum: SpectrumWithErrors,
  priorsGiven:
    ReadonlyArray<Distribution | undefined> | Partial<Record<ParameterName, Distribution | null | undefined>>,
  bounds: Bounds,
  convention: Convention = 'default',
): MisfitSurface {
  // Priors as a list [β, z_t, Δz, C] or by name (an optimiser's `priorPdf`).
  const priors = Array.isArray(priorsGiven)
    ? priorsGiven
    : PARAMETERS.map((name) => (priorsGiven as Partial<Record<ParameterName, Distribution | null>>)[name] ?? undefined);
  checkBoundsAndPriors(bounds, priors);
  const { lattice, values } = scanLattice(windowProblem(spectrum, priors, bounds, convention));
  return {
    beta: Float64Array.from({ length: lattice.rows }, (_, r) => latticeBeta(nodeJ(lattice, r * lattice.cols))),
    dz: Float64Array.from({ length: lattice.cols }, (_, c) => latticeDz(nodeM(lattice, c))),
    misfit: values,
  };
}

function argMin(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] < values[best]) best = i;
  return best;
}

/** Nodes lower than their eight neighbours, best first. */
function basins(lattice: CoarseLattice, values: Float64Array): number[] {
  const { rows, cols } = lattice;
  const minima: number[] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c];
      if (!Number.isFinite(v)) continue;
      let lowest = true;
      for (let dr = -1; dr <= 1 && lowest; dr++)
        for (let dc = -1; dc <= 1 && lowest; dc++)
          if (
            (dr || dc) &&
            r + dr >= 0 &&
            r + dr < rows &&
            c + dc >= 0 &&
            c + dc < cols &&
            values[(r + dr) * cols + c + dc] < v
          )
            lowest = false;
      if (lowest) minima.push(r * cols + c);
    }
  if (minima.length === 0)
    throw new CurieError(
      'E_ARGUMENT',
      'the misfit is not finite anywhere within the bounds; check the priors and bounds',
    );
  return minima.sort((a, b) => values[a] - values[b]);
}

/**
 * Polish the best basins (and the user's start where it is already better) with Levenberg–Marquardt
 * from the best node of a finer lattice around each basin's node; never worse than that node.
 */
function polish(
  problem: WindowProblem,
  lattice: CoarseLattice,
  values: Float64Array,
  minima: number[],
  start: ArrayLike<number>,
): FitResult {
  const { objective, bounds } = problem;
  const { j1, m1 } = latticeEnd(lattice);
  const system = problem.systems[problem.pointIndex];
  let best: { x: number[]; f: number; converged: boolean } | undefined;
  let iterations = 0;
  const polishFrom = (x0: ArrayLike<number>) => {
    const clamped = Array.from(x0, (v, j) => Math.min(bounds.upper[j], Math.max(bounds.lower[j], v)));
    // Stopping at 1e-8 relative decrease: within ~1e-8 of the 1e-9 solution, a fifth fewer iterations.
    const local = fitSpectrum(objective, clamped, bounds, { relativeTolerance: 1e-8 });
    iterations += local.iterations;
    if (!best || local.misfit < best.f)
      best = { x: [local.beta, local.zt, local.dz, local.C], f: local.misfit, converged: local.converged };
  };
  // Starts within an eighth of a lattice step of each of the two best basins (the misfit
  // interpolated around the basin's node; z_t and C profiled exactly there): Levenberg–Marquardt
  // then needs a few iterations. The second basin is polished only if its start comes within 0.5
  // (+0.1 %) of the first basin's polished misfit: interpolation at an eighth of a step errs by far less.
  const starts = minima.slice(0, 2).map((index) => {
    const centre = { j: nodeJ(lattice, index), m: nodeM(lattice, index) };
    let startJ = centre.j,
      startM = centre.m,
      lowest = values[index];
    const { stepJ, stepM } = lattice;
    for (
      let j = Math.max(lattice.j0, centre.j - stepJ);
      j <= Math.min(j1, centre.j + stepJ);
      j += Math.max(1, stepJ / 8)
    )
      for (
        let m = Math.max(lattice.m0, centre.m - stepM);
        m <= Math.min(m1, centre.m + stepM);
        m += Math.max(1, stepM / 8)
      ) {
        const value = interpolate(lattice, values, j, m);
        if (value < lowest) [startJ, startM, lowest] = [j, m, value];
      }
    return { j: startJ, m: startM, value: lowest };
  });
  starts.sort((a, b) => a.value - b.value);
  for (const { j, m, value } of starts) {
    if (best && value > best.f + 0.5 + 1e-3 * Math.abs(best.f)) break;
    const beta = latticeBeta(j),
      dz = latticeDz(m);
    const sums = nodeSums(system, bouligand2009(problem.k, beta, 0, dz, 0), { a: 0, b: 0, d: 0, e: 0 });
    const profile = profileNode(system, sums, 1, profileScratch);
    const x0 = [beta, profile.zt, dz, profile.C];
    const f0 = misfit(objective, x0);
    if (!best || f0 < best.f) best = { x: x0, f: f0, converged: true };
    polishFrom(x0);
  }
  if (misfit(objective, start) < best!.f) polishFrom(start);
  const [beta, zt, dz, C] = best!.x;
  const fit: FitResult = {
    beta,
    zt,
    dz,
    C,
    curieDepth: zt + dz,
    misfit: best!.f,
    iterations,
    converged: best!.converged && Number.isFinite(best!.f),
  };
  // A plateau is not convergence: past kΔz = 6 at the smallest k the misfit barely changes with Δz,
  // and the solver stops wherever its steps became small.
  const kMinDz = problem.k[0] * dz;
  if (kMinDz > 6) {
    fit.converged = false;
    fit.note = `Δz ran onto its plateau (k_min·Δz = ${fmt(Number(kMinDz.toPrecision(3)))} > 6): the data do not bound the base, and this Δz is only where the search stopped`;
  }
  return fit;
}

/**
 * The posterior on a lattice fine enough for its quadrature: every cell with mass (density above
 * e^-14 of the peak, and its neighbours) is split into f × f sub-cells, f ≥ 2 (a lattice of half
 * the coarse steps was measured to agree with one of an eighth to a few km on the widest
 * intervals, where the coarse one erred by up to 30 km), and more where the mass spans fewer than
 * eight cells a side; repeated up to three times. Sub-cells' sums are interpolated (lattice.ts).
 */
function refinePosterior(
  problem: WindowProblem,
  lattice: CoarseLattice,
  coarse: LatticeDensity,
  temperature: number,
): { nodes: WeightedNode[]; stepJ: number; stepM: number } {
  const { j1, m1 } = latticeEnd(lattice);
  // The smooth part of the density (the priors of β and Δz added back: a uniform prior's edge is
  // not smooth) and z_t's conditional mean, interpolated; z_t's conditional sd is the same everywhere.
  const smoothDensity = coarse.logDensity.map((density, i) => density + lattice.penalty[i]);
  const { ztMean, ztSd } = coarse;
  // The coarse nodes that can matter (the first round splits those above e^-14 of the peak).
  let coarsePeak = -Infinity;
  for (const density of coarse.logDensity) coarsePeak = Math.max(coarsePeak, density);
  let nodes: WeightedNode[] = [];
  coarse.logDensity.forEach((logDensity, i) => {
    if (logDensity <= coarsePeak - 14) return;
    const j = nodeJ(lattice, i),
      m = nodeM(lattice, i);
    nodes.push({ j, m, beta: latticeBeta(j), dz: latticeDz(m), logDensity, ztMean: ztMean[i], ztSd });
  });
  // A posterior within a few coarse steps is too peaked for interpolation (its log density falls
  // by hundreds between nodes): its sub-nodes are computed exactly, at most 4 × 4 a cell a round.
  const span = (values: number[], step: number) => (Math.max(...values) - Math.min(...values)) / step + 1;
  const exact =
    span(
      nodes.map((w) => w.j),
      lattice.stepJ,
    ) <= 3 &&
    span(
      nodes.map((w) => w.m),
      lattice.stepM,
    ) <= 3;
  const system = problem.systems[0];
  const profile: NodeProfile = { q: 0, C: 0, zt: 0, qFree: 0, ztFree: 0, ztVariance: 0 };
  const sums: NodeSums = { a: 0, b: 0, d: 0, e: 0 };
  const subNode = (j: number, m: number): WeightedNode => {
    const beta = latticeBeta(j),
      dz = latticeDz(m);
    if (!exact)
      return {
        j,
        m,
        beta,
        dz,
        logDensity: interpolate(lattice, smoothDensity, j, m) - problem.penalty(beta, dz),
        ztMean: interpolate(lattice, ztMean, j, m),
        ztSd,
      };
    profileNode(system, nodeSums(system, bouligand2009(problem.k, beta, 0, dz, 0), sums), temperature, profile);
    return {
      j,
      m,
      beta,
      dz,
      logDensity: logMarginal(system, profile) - problem.penalty(beta, dz),
      ztMean: profile.ztFree,
      ztSd: Math.sqrt(profile.ztVariance),
    };
  };
  let { stepJ, stepM } = lattice;
  for (let round = 0; round < 3; round++) {
    let peak = -Infinity;
    for (const w of nodes) peak = Math.max(peak, w.logDensity);
    const massive = nodes.filter((w) => w.logDensity > peak - 14);
    let rj0 = Infinity,
      rj1 = -Infinity,
      rm0 = Infinity,
      rm1 = -Infinity;
    for (const node of massive) {
      rj0 = Math.min(rj0, node.j);
      rj1 = Math.max(rj1, node.j);
      rm0 = Math.min(rm0, node.m);
      rm1 = Math.max(rm1, node.m);
    }
    // Sub-cell centres stay on the lattice of finest units: at most step/2 sub-cells a step.
    const factor = (span: number, step: number, least: number) =>
      Math.max(1, Math.min(step >> 1, exact ? 4 : Infinity, Math.max(least, 2 ** Math.ceil(Math.log2(8 / span)))));
    const fJ = factor((rj1 - rj0) / stepJ + 1, stepJ, round === 0 ? 2 : 1),
      fM = factor((rm1 - rm0) / stepM + 1, stepM, round === 0 ? 2 : 1);
    if (fJ <= 1 && fM <= 1) break;
    // The cells to split: the massive ones and their neighbours, as a set of (j, m) centres.
    const cells = new Set<number>();
    for (const node of massive)
      for (let dj = -1; dj <= 1; dj++)
        for (let dm = -1; dm <= 1; dm++) {
          const j = node.j + dj * stepJ,
            m = node.m + dm * stepM;
          if (j >= lattice.j0 && j <= j1 && m >= lattice.m0 && m <= m1) cells.add(j * 4_194_304 + m);
        }
    const subJ = stepJ / fJ,
      subM = stepM / fM;
    const split: WeightedNode[] = [];
    for (const key of cells) {
      const j = Math.round(key / 4_194_304),
        m = key - j * 4_194_304;
      // Sub-cell centres on the finer lattice, within the coarse one (edge cells keep their inner half).
      let jFrom = j - stepJ / 2 + subJ / 2,
        jTo = j + stepJ / 2 - subJ / 2,
        mFrom = m - stepM / 2 + subM / 2,
        mTo = m + stepM / 2 - subM / 2;
      while (jFrom < lattice.j0) jFrom += subJ;
      while (jTo > j1) jTo -= subJ;
      while (mFrom < lattice.m0) mFrom += subM;
      while (mTo > m1) mTo -= subM;
      for (let sj = jFrom; sj <= jTo; sj += subJ)
        for (let sm = mFrom; sm <= mTo; sm += subM) split.push(subNode(sj, sm));
    }
    stepJ = subJ;
    stepM = subM;
    nodes = split;
  }
  return { nodes, stepJ, stepM };
}

/**
 * Fit β, z_t, Δz and C to a radial spectrum globally, and (unless `intervals: false`) the posterior
 * intervals at `level` and the verdict. The misfit minimised is the convention's (default:
 * ½Σ((Φ_model − Φ)/σ_mean)²; PyCurious 1.1: ½Σ(Φ_model − Φ)²) plus the priors; the posterior uses
 * σ_mean for the bins' relative weights, scaled by the fit's χ²/dof and a calibrated scale
 * (likelihood-scale.ts).
 * @param start a hint only: the best of it and the lattice's basins is returned
 */
export function fitGlobal(
  spectrum: SpectrumWithErrors,
  priors: ReadonlyArray<Distribution | undefined>,
  bounds: Bounds,
  start: ArrayLike<number>,
  options: GlobalFitOptions,
): FitResult {
  checkStart(start, bounds);
  checkBoundsAndPriors(bounds, priors);
  const level = checkLevel(options.level);
  const problem = windowProblem(spectrum, priors, bounds, options.convention);
  const { lattice, values } = scanLattice(problem);
  const minima = basins(lattice, values);
  // A plateau (Δz where kΔz ≫ 1 for every k, or a bound) ends nothing: the verdict says so.
  const result = polish(problem, lattice, values, minima, start);
  if (options.intervals === false) return result;

  // χ² against σ_mean at its best lattice node or at the fit, whichever is lower.
  const { k, Phi, statWeights } = problem;
  const n = k.length;
  const fitted = bouligand2009(k, result.beta, result.zt, result.dz, result.C);
  let chi2 = 0;
  for (let i = 0; i < n; i++) chi2 += (fitted[i] - Phi[i]) ** 2 * statWeights[i];
  // Without priors the scan's point values under the default convention are these misfits already.
  const scanned = !problem.unweighted && priors.every((prior) => !prior);
  for (let i = 0; i < lattice.rows * lattice.cols; i++)
    chi2 = Math.min(
      chi2,
      2 *
        (scanned
          ? values[i]
          : profileNode(problem.systems[0], sumsAt(lattice, 0, i, sumsScratch), 1, profileScratch).q),
    );
  const dof = Math.max(1, n - 4);
  // A spectrum fitting better than χ²/dof = 0.1 (a noise-free synthetic) has no scatter left to
  // read the errors' scale from: σ_mean then sets it, at a tenth.
  const temperature =
    (options.likelihoodScale ?? LIKELIHOOD_SCALE) *
    cellSizeFactor(options.spacingKm ?? Math.PI / k[n - 1]) *
    Math.max(chi2 / dof, 0.1);

  const coarse = weighLattice(problem.systems[0], lattice, temperature);
  const { nodes, stepJ, stepM } = refinePosterior(problem, lattice, coarse, temperature);
  const pair = intervalsFromNodes(problem.systems[0], nodes, stepJ, stepM, level);
  // Open above: the plateau (or the bound) of Δz is within the level's likelihood ratio of the best,
  // or the upper end lies within two coarse steps of the lattice's top (set by the lattice, not the data).
  const { m1 } = latticeEnd(lattice);
  let peakDensity = -Infinity,
    topDensity = -Infinity;
  coarse.logDensity.forEach((density, i) => {
    peakDensity = Math.max(peakDensity, density);
    if (nodeM(lattice, i) === m1) topDensity = Math.max(topDensity, density);
  });
  const lrThreshold = -0.5 * normalQuantile(0.5 * (1 + level)) ** 2;
  const topDz = latticeDz(m1 - 2 * lattice.stepM);
  const open = topDensity - peakDensity > lrThreshold || pair.dzHigh >= topDz;
  // Under the default convention the fit is the posterior's mode (no prior) or near it: an interval
  // narrower than the lattice's finest cell (0.004 in β, 0.6 % in Δz), as a noise-free spectrum
  // gives, is widened to hold it rather than snapped beside it. Cells at the lattice's edges reach
  // half a step past the bounds: ends are clipped to them.
  const holdFit = (intervals: Intervals): Intervals => {
    const within = ([low, high]: [number, number], j: number, value: number): [number, number] => {
      const [lo, hi] = problem.unweighted ? [low, high] : [Math.min(low, value), Math.max(high, value)];
      return [Math.max(bounds.lower[j], lo), Math.min(bounds.upper[j], hi)];
    };
    const dz = within(intervals.dz, 2, result.dz);
    return {
      beta: within(intervals.beta, 0, result.beta),
      zt: within(intervals.zt, 1, result.zt),
      dz: [dz[0], intervals.dz[1] === Infinity ? Infinity : dz[1]],
      curieDepth: problem.unweighted
        ? intervals.curieDepth
        : [Math.min(intervals.curieDepth[0], result.curieDepth), Math.max(intervals.curieDepth[1], result.curieDepth)],
    };
  };
  const intervals = holdFit(open ? pair.open() : pair.closed());
  const verdict: Verdict = judge({
    intervals,
    open,
    fit: result,
    kMin: k[0],
    spacingKm: options.spacingKm ?? Math.PI / k[n - 1],
    windowKm: options.windowKm,
    chi2PerDof: chi2 / dof,
    temperature,
    minimaGap:
      minima.length > 1 ? (values[minima[1]] - values[minima[0]]) / (problem.unweighted ? 1 : temperature) : Infinity,
    minimaCount: minima.length,
    plateauRatio: topDensity - peakDensity,
  });
  return {
    ...result,
    level,
    interval: verdict.verdict === 'resolved' || open ? intervals : holdFit(pair.open()),
    verdict: verdict.verdict,
    reasons: verdict.reasons,
    chi2PerDof: chi2 / dof,
  };
}
