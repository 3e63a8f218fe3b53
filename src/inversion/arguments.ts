/**
 * The checks of a map's arguments that hold for every window, made once before any window is
 * computed: a wrong global argument (a window of 1 m, `zt: -1`, `power: 0`) is one error naming
 * the value, not a failure repeated in every row of the map, nor "converged" nonsense.
 */
import { CurieError, describeValue, fmt } from '../errors.js';
import type { GridGeometry } from '../grid/geometry.js';
import { checkWindowFits } from '../grid/windows.js';
import { checkRange } from '../models/tanaka.js';
import { checkPower, radialBinCount } from '../spectrum/radial.js';
import { checkStart } from './bounds.js';
import { checkLevel } from './global-fit.js';
import { checkChain, checkCount, checkSamples, checkScales } from './mcmc.js';
import { PARAMETERS } from './objective.js';
import { checkSeed } from '../rng.js';
import type { FitSettings } from './window-routines.js';

/** Mean radius of the Earth, km: no depth to the top nor thickness of a magnetic layer can exceed it. */
const EARTH_RADIUS_KM = 6371;

/** Spectrum points each routine needs: four parameters to fit; one bin for a bare spectrum. */
const POINTS_NEEDED = { optimise: 4, metropolisHastings: 4, sensitivity: 4, tanaka: 4, radialSpectrum: 1 } as const;

/** What each routine makes of a spectrum, for messages. */
const PURPOSE: Record<keyof typeof POINTS_NEEDED, string> = {
  optimise: 'a fit of β, z_t, Δz and C',
  metropolisHastings: 'sampling β, z_t, Δz and C',
  sensitivity: 'a fit of β, z_t, Δz and C',
  tanaka: "Tanaka's line fits",
  radialSpectrum: 'a radial spectrum',
};

/** A routine of a map (see `ROUTINES` in parallel/protocol.ts). */
export type CheckedRoutine = keyof typeof POINTS_NEEDED;

/** Extra routine arguments of a map (MCMC, sensitivity, Tanaka). */
export interface RoutineArguments {
  nsim?: number;
  burnin?: number;
  xScale?: ArrayLike<number>;
  seed?: number;
  kminRange?: readonly [number, number];
  kmaxRange?: readonly [number, number];
}

/** Everything a routine's arguments may hold; each is checked when present. */
export interface RoutineCheck extends RoutineArguments {
  routine: CheckedRoutine;
  /** Window side, metres. */
  window: number;
  settings: Partial<FitSettings>;
}

/** Smallest odd number of nodes a side whose radial spectrum has `points` bins. */
function nodesForPoints(points: number): number {
  let n = 3;
  while (radialBinCount(n) < points) n += 2;
  return n;
}

/**
 * Check a window's side against the grid: a positive number of metres, at least as many nodes a
 * side as the routine's spectrum needs, and no larger than the grid.
 * @throws CurieError `E_ARGUMENT` (not a size, too few nodes: the message suggests a unit, since a
 *   bare `40` is 40 m), `E_WINDOW` (larger than the grid)
 */
function checkWindowSize(geometry: GridGeometry, window: number, routine: CheckedRoutine = 'optimise'): void {
  const h = checkWindowFits(geometry, window);
  const nodes = 2 * h + 1;
  const points = POINTS_NEEDED[routine];
  if (radialBinCount(nodes) < points) {
    const needed = nodesForPoints(points);
    throw new CurieError(
      'E_ARGUMENT',
      `window ${fmt(window)} m spans ${nodes} node${nodes === 1 ? '' : 's'} of this grid's ${fmt(geometry.dx)} m spacing, too few for ${PURPOSE[routine]} (${points} spectrum point${points === 1 ? '' : 's'}); use at least ${needed} nodes (${fmt((needed - 1) * geometry.dx)} m) — windows are in metres unless a unit is given, e.g. 200km`,
    );
  }
}

/**
 * Check the starting point against the bounds and the Earth: finite, inside the bounds, and depths
 * (z_t, Δz, km) no deeper than the Earth's radius (a value such as 1e308 is a unit or typing slip).
 */
function checkStartValues(start: ArrayLike<number>, settings: Pick<FitSettings, 'bounds'>): void {
  for (let j = 0; j < PARAMETERS.length; j++)
    if (typeof start[j] !== 'number')
      throw new CurieError('E_ARGUMENT', `starting ${PARAMETERS[j]} ${describeValue(start[j])} must be a number`);
  checkStart(start, settings.bounds);
  for (const j of [1, 2])
    if (start[j] > EARTH_RADIUS_KM)
      throw new CurieError(
        'E_ARGUMENT',
        `starting ${PARAMETERS[j]} = ${fmt(start[j])} km is deeper than the Earth's radius (${EARTH_RADIUS_KM} km); depths are in km, e.g. ${PARAMETERS[j]} 10`,
      );
}

/**
 * Check every argument of a routine that is the same for all windows of a map, so that bad ones
 * fail once, before any work, with the error each window would otherwise repeat.
 * @throws CurieError `E_ARGUMENT` / `E_WINDOW` naming the value
 */
export function checkRoutineArguments(geometry: GridGeometry, check: RoutineCheck): void {
  const { routine, settings } = check;
  checkWindowSize(geometry, check.window, routine);
  if (settings.power !== undefined) checkPower(settings.power);
  if (routine === 'radialSpectrum' || routine === 'tanaka') {
    if (check.kminRange !== undefined) checkRange(check.kminRange, 'kminRange');
    if (check.kmaxRange !== undefined) checkRange(check.kmaxRange, 'kmaxRange');
    return;
  }
  if (settings.start && settings.bounds) checkStartValues(settings.start, { bounds: settings.bounds });
  if (settings.level !== undefined) checkLevel(settings.level);
  if (check.seed !== undefined) checkSeed(check.seed);
  if (routine === 'metropolisHastings') {
    checkChain(check.nsim as number, check.burnin as number);
    if (check.xScale !== undefined) checkScales(check.xScale);
  }
  if (routine === 'sensitivity') {
    checkCount(check.nsim as number, 'nsim');
    checkSamples(check.nsim as number);
  }
}
