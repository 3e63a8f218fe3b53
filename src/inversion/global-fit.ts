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
import { type Bounds, type FitResult, checkStart } from './fit.js';
import { levenbergMarquardt } from './levenberg-marquardt.js';
import { linearSystem, type LinearSystem, type NodeProfile, profileNode } from './linear-profile.js';
import { LOG_DZ_STEP, BETA_STEP, modelBank, SUBDIVISIONS } from './model-bank.js';
import { misfit, type Objective, PARAMETERS } from './objective.js';
import { type Intervals, intervalsFromNodes, type LatticeNode, latticeNodes, logMass, weighNodes } from './posterior.js';
import { asNormal, describePrior, type Distribution } from './priors.js';
import { spectralProblem } from './spectral-problem.js';
import { judge, type Verdict } from './verdict.js';

/**
 * The posterior's temperature is LIKELIHOOD_SCALE × χ²/dof of the fit: the errors' scale is
 * read off the residuals (a Birge ratio: σ_mean sets the relative weights of the bins, the fit's
 * scatter their common scale), and 1.5 widens it for what residuals do not show, the correlation
 * between neighbouring bins and the taper's leakage. Calibrated by Monte Carlo on Gaussian random
 * fields of known answer (test/calibration): 90 % intervals then cover the truth 85–95 % of the time.
 */
export const LIKELIHOOD_SCALE = 1.5;

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
}

/** Check a level: a number strictly between 0 and 1. */
export function checkLevel(level: unknown): number {
  if (level === undefined) return 0.9;
  if (typeof level !== 'number' || !(level > 0 && level < 1)) throw new CurieError('E_ARGUMENT', `level ${String(level)} must be a probability strictly between 0 and 1 (e.g. 0.9)`);
  return level;
}

/** Check bounds and priors together: NaN, lower ≥ upper, a prior with no support inside its bounds. */
export function checkBoundsAndPriors(bounds: Bounds, priors: ReadonlyArray<Distribution | undefined>): void {
  PARAMETERS.forEach((name, j) => {
    const lower = bounds.lower[j], upper = bounds.upper[j];
    if (Number.isNaN(lower) || Number.isNaN(upper) || !(lower < upper)) throw new CurieError('E_ARGUMENT', `bounds of ${name} [${fmt(lower)}, ${fmt(upper)}] must be numbers with lower < upper`);
    const prior = priors[j];
    if (!prior) return;
    const described = describePrior(prior);
    let outside = false;
    if (described?.kind === 'uniform') outside = described.args[1] <= lower || described.args[0] >= upper;
    else if (described?.kind === 'lognormal') outside = upper <= 0;
    else if (!described) {
      // A custom prior: probe its density across the bounds.
      const lo = Number.isFinite(lower) ? lower : -1e6, hi = Number.isFinite(upper) ? upper : 1e6;
      outside = true;
      for (let i = 0; i <= 64 && outside; i++) outside = !(prior.logpdf(lo + ((hi - lo) * i) / 64) > -Infinity);
    }
    if (outside) throw new CurieError('E_ARGUMENT', `the prior of ${name} (${described ? `${described.kind}(${described.args.map(fmt).join(', ')})` : 'custom'}) has no support inside its bounds [${fmt(lower)}, ${fmt(upper)}]; widen the bounds or move the prior`);
  });
}

/** A global fit's result: FitResult with intervals and the verdict. */
export type GlobalFit = FitResult;

const profileScratch: NodeProfile = { q: 0, C: 0, zt: 0, qFree: 0, ztFree: 0, ztVariance: 0 };

/** The range of C and z_t for the linear profile: the bounds, narrowed by uniform priors. */
function linearBounds(bounds: Bounds, priors: ReadonlyArray<Distribution | undefined>) {
  const narrowed = (j: number): [number, number] => {
    const d = priors[j] && describePrior(priors[j]!);
    return d?.kind === 'uniform' ? [Math.max(bounds.lower[j], d.args[0]), Math.min(bounds.upper[j], d.args[1])] : [bounds.lower[j], bounds.upper[j]];
  };
  const [zLower, zUpper] = narrowed(1), [cLower, cUpper] = narrowed(3);
  return { zLower, zUpper, cLower, cUpper };
}

/**
 * Fit β, z_t, Δz and C to a radial spectrum globally, and (unless `intervals: false`) the posterior
 * intervals at `level` and the verdict. The misfit minimised is the convention's (default:
 * ½Σ((Φ_model − Φ)/σ_mean)²; PyCurious 1.1: ½Σ(Φ_model − Φ)²) plus the priors; the posterior uses
 * σ_mean for the bins' relative weights, scaled by the fit's χ²/dof (see LIKELIHOOD_SCALE).
 * @param start a hint only: the best of it and the lattice's basins is returned
 */
export function fitGlobal(spectrum: SpectrumWithErrors, priors: ReadonlyArray<Distribution | undefined>, bounds: Bounds, start: ArrayLike<number>, options: GlobalFitOptions): GlobalFit {
  checkStart(start, bounds);
  checkBoundsAndPriors(bounds, priors);
  const level = checkLevel(options.level);
  const { k, Phi } = spectrum;
  const n = k.length;
  const sigma = spectrum.sigmaMean ?? spectrum.sigmaPhi;
  const statWeights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!(sigma[i] > 0)) throw new CurieError('E_ARGUMENT', `bin ${i} has a spectral error of ${fmt(sigma[i])}; a fit needs every sigma > 0 (is the window constant?)`);
    statWeights[i] = 1 / (sigma[i] * sigma[i]);
  }
  const unweighted = options.convention === 'pycurious-1.1';
  const [betaPrior, ztPrior, dzPrior, cPrior] = priors;
  const linear = linearBounds(bounds, priors);
  const normals = { z: asNormal(ztPrior), c: asNormal(cPrior) };
  const statSystem = linearSystem(k, Phi, statWeights, linear, normals);
  const systems: LinearSystem[] = unweighted ? [statSystem, linearSystem(k, Phi, new Float64Array(n).fill(1), linear, normals)] : [statSystem];
  const pointIndex = systems.length - 1;
  // Priors the linear profile cannot carry (z_t, C not normal nor uniform) are charged at the profiled point.
  const otherZ = ztPrior && !normals.z && describePrior(ztPrior)?.kind !== 'uniform' ? ztPrior : undefined;
  const otherC = cPrior && !normals.c && describePrior(cPrior)?.kind !== 'uniform' ? cPrior : undefined;
  const penalty = (beta: number, dz: number) => -(betaPrior ? betaPrior.logpdf(beta) : 0) - (dzPrior ? dzPrior.logpdf(dz) : 0);
  const pointValue = (node: LatticeNode, profile: NodeProfile) => profile.q + node.penalty - (otherZ ? otherZ.logpdf(profile.zt) : 0) - (otherC ? otherC.logpdf(profile.C) : 0);

  // The lattice: β over [max(lower, −0.75), +6] (extended while the best basin touches its top),
  // Δz from a layer far thinner than the cells resolve (kΔz = 0.02 at the largest k) to the
  // plateau (kΔz = 6 at the smallest k, where ∂Φ/∂Δz ~ e^{−12}), both within the bounds.
  const bank = modelBank(k);
  const kMin = k[0], kMax = k[n - 1];
  const coarseJ = SUBDIVISIONS, coarseM = SUBDIVISIONS;
  const toJ = (beta: number, round: (x: number) => number) => round(beta / BETA_STEP) * coarseJ;
  const toM = (dz: number, round: (x: number) => number) => round(Math.log(dz) / LOG_DZ_STEP) * coarseM;
  const betaLow = Math.max(bounds.lower[0], -0.75);
  const j0 = toJ(betaLow, Math.ceil);
  let j1 = Math.max(j0 + coarseJ, toJ(Math.min(bounds.upper[0], betaLow + 6), Math.floor));
  const m0 = toM(Math.max(bounds.lower[2] > 0 ? bounds.lower[2] : 0, 0.02 / kMax), Math.ceil);
  const m1 = Math.max(m0 + coarseM, toM(Math.min(bounds.upper[2], 6 / kMin), Math.floor));
  const cache = new Map<number, LatticeNode>();
  let coarse = latticeNodes(bank, systems, j0, j1, coarseJ, m0, m1, coarseM, penalty, cache);
  const pointValues = () => coarse.map((node) => pointValue(node, profileNode(systems[pointIndex], node.sums[pointIndex], 1, profileScratch)));
  let values = pointValues();
  for (let extension = 0; extension < 4; extension++) {
    const best = values.indexOf(Math.min(...values));
    if (coarse[best].j < j1 || j1 >= toJ(Math.min(bounds.upper[0], 20), Math.floor)) break;
    const next = Math.min(j1 + 16 * coarseJ, toJ(Math.min(bounds.upper[0], 20), Math.floor));
    coarse = coarse.concat(latticeNodes(bank, systems, j1 + coarseJ, next, coarseJ, m0, m1, coarseM, penalty, cache));
    j1 = next;
    values = pointValues();
  }

  // Basins: lattice nodes lower than their eight neighbours; polish the best ones.
  const rows = (j1 - j0) / coarseJ + 1, cols = (m1 - m0) / coarseM + 1;
  const at = (r: number, c: number) => values[r * cols + c];
  const minima: number[] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const v = at(r, c);
      if (!Number.isFinite(v)) continue;
      let lowest = true;
      for (let dr = -1; dr <= 1 && lowest; dr++)
        for (let dc = -1; dc <= 1 && lowest; dc++) {
          if ((dr || dc) && r + dr >= 0 && r + dr < rows && c + dc >= 0 && c + dc < cols && at(r + dr, c + dc) < v) lowest = false;
        }
      if (lowest) minima.push(r * cols + c);
    }
  minima.sort((a, b) => values[a] - values[b]);
  if (minima.length === 0) throw new CurieError('E_ARGUMENT', 'the misfit is not finite anywhere within the bounds; check the priors and bounds');
  const objective: Objective = { k: Float64Array.from(k), Phi: Float64Array.from(Phi), weights: unweighted ? undefined : statWeights.map(Math.sqrt), priors };
  const problem = spectralProblem(objective, bounds);
  let best: { x: Float64Array; f: number; converged: boolean; iterations: number } | undefined;
  let iterations = 0;
  const margin = Math.max(2, 0.02 * Math.abs(values[minima[0]]));
  const polishFrom = (x0: ArrayLike<number>) => {
    const clamped = Array.from(x0, (v, j) => Math.min(bounds.upper[j], Math.max(bounds.lower[j], v)));
    const result = levenbergMarquardt(problem, problem.reduce(clamped));
    iterations += result.iterations;
    const x = problem.expand(result.x);
    const f = misfit(objective, x);
    if (!best || f < best.f) best = { x, f, converged: result.converged, iterations: result.iterations };
  };
  for (const index of minima.slice(0, 2)) {
    if (index !== minima[0] && values[index] - values[minima[0]] > margin) break;
    const node = coarse[index];
    const profile = profileNode(systems[pointIndex], node.sums[pointIndex], 1, profileScratch);
    const x0 = [node.beta, profile.zt, node.dz, profile.C];
    // The node itself is a feasible point: never return worse than it.
    const f0 = misfit(objective, x0);
    if (!best || f0 < best.f) best = { x: Float64Array.from(x0), f: f0, converged: true, iterations: 0 };
    polishFrom(x0);
  }
  // The user's start is a hint: polished only where it is already better than every basin found.
  if (misfit(objective, start) < best!.f) polishFrom(start);
  const fit = best!;
  const [beta, zt, dz, C] = fit.x;
  // A plateau (Δz where kΔz ≫ 1 for every k, or a bound) ends nothing: the verdict says so.
  const result: FitResult = { beta, zt, dz, C, curieDepth: zt + dz, misfit: fit.f, iterations, converged: fit.converged && Number.isFinite(fit.f) };
  if (options.intervals === false) return result;

  // χ² of the statistical misfit at its best lattice node or at the fit, whichever is lower.
  const fitted = bouligand2009(k, beta, zt, dz, C);
  let chi2 = 0;
  for (let i = 0; i < n; i++) chi2 += (fitted[i] - Phi[i]) ** 2 * statWeights[i];
  for (const node of coarse) chi2 = Math.min(chi2, 2 * profileNode(statSystem, node.sums[0], 1, profileScratch).q);
  const dof = Math.max(1, n - 4);
  const temperature = LIKELIHOOD_SCALE * Math.max(chi2 / dof, 1e-6);
  const lrThreshold = -0.5 * normalQuantile(0.5 * (1 + level)) ** 2;

  // Refine the lattice where the posterior has mass, until each direction spans ≥ 8 nodes.
  let weighted = weighNodes(statSystem, coarse, temperature);
  let stepJ = coarseJ, stepM = coarseM;
  for (let round = 0; round < 3; round++) {
    const peak = Math.max(...weighted.map(logMass));
    const region = weighted.filter((w) => logMass(w) > peak - 12);
    const rj0 = Math.min(...region.map((w) => w.node.j)), rj1 = Math.max(...region.map((w) => w.node.j));
    const rm0 = Math.min(...region.map((w) => w.node.m)), rm1 = Math.max(...region.map((w) => w.node.m));
    const spanJ = (rj1 - rj0) / stepJ + 1, spanM = (rm1 - rm0) / stepM + 1;
    const finerJ = spanJ >= 8 || stepJ <= 2 ? stepJ : Math.max(2, stepJ >> Math.ceil(Math.log2(8 / spanJ)));
    const finerM = spanM >= 8 || stepM <= 2 ? stepM : Math.max(2, stepM >> Math.ceil(Math.log2(8 / spanM)));
    if (finerJ === stepJ && finerM === stepM) break;
    const bj0 = Math.max(j0, rj0 - stepJ), bj1 = Math.min(j1, rj1 + stepJ);
    const bm0 = Math.max(m0, rm0 - stepM), bm1 = Math.min(m1, rm1 + stepM);
    stepJ = finerJ;
    stepM = finerM;
    weighted = weighNodes(statSystem, latticeNodes(bank, [statSystem], bj0, bj1, stepJ, bm0, bm1, stepM, penalty, new Map()), temperature);
  }

  // Open above: the plateau (or the bound) of Δz is within the level's likelihood ratio of the best.
  const coarseWeighted = weighNodes(statSystem, coarse, temperature);
  const peakDensity = Math.max(...coarseWeighted.map((w) => w.logDensity));
  const topDensity = Math.max(...coarseWeighted.filter((w) => w.node.m === m1).map((w) => w.logDensity));
  const pair = intervalsFromNodes(statSystem, weighted, stepJ, stepM, level);
  // An upper end within two coarse steps of the lattice's top is set by the lattice, not the data.
  const topDz = Math.exp(((m1 - 2 * coarseM) * LOG_DZ_STEP) / SUBDIVISIONS);
  const open = topDensity - peakDensity > lrThreshold || pair.closed.dz[1] >= topDz;
  const intervals = open ? pair.open : pair.closed;
  const verdict: Verdict = judge({
    intervals,
    open,
    fit: result,
    kMin,
    kMax,
    spacingKm: options.spacingKm ?? Math.PI / kMax,
    windowKm: options.windowKm,
    chi2PerDof: chi2 / dof,
    minimaGap: minima.length > 1 ? (values[minima[1]] - values[minima[0]]) / (unweighted ? 1 : temperature) : Infinity,
    minimaCount: minima.length,
    plateauRatio: topDensity - peakDensity,
  });
  return { ...result, level, interval: verdict.verdict === 'resolved' ? intervals : pair.open, verdict: verdict.verdict, reasons: verdict.reasons, chi2PerDof: chi2 / dof };
}
