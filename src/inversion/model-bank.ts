/**
 * The shape of the Bouligand et al. (2009) model, h(k; β, Δz) = Φ − C + 2k·z_t, on a lattice of
 * (β, ln Δz), cached per wavenumber vector. z_t and C enter ln Φ linearly, so a window's fit and
 * posterior over (β, Δz) need only these vectors and linear algebra; every window of a map has
 * the same wavenumbers, so the model (a vector of Bessel functions, far costlier than the linear
 * algebra) is computed once per lattice node and thread, not once per window.
 */
import { bouligand2009 } from '../models/bouligand.js';

/** Coarse lattice steps: β and ln Δz (Δz in km). Finer levels divide them by powers of two. */
export const BETA_STEP = 0.25;
export const LOG_DZ_STEP = 0.2;
/** Finest subdivision of a coarse step (2^6): lattice indices count in these units. */
export const SUBDIVISIONS = 64;

/** Most cached vectors per wavenumber set (~0.8 kB each for 99 bins) before the cache is cleared. */
const MAX_NODES = 40_000;

/** Cached model shapes for one wavenumber vector. */
export interface ModelBank {
  k: Float64Array;
  nodes: Map<number, Float64Array>;
}

const banks: ModelBank[] = [];

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The bank of `k` (rad/km), created on first use; the four most recent are kept. */
export function modelBank(k: ArrayLike<number>): ModelBank {
  for (let i = 0; i < banks.length; i++) {
    if (sameValues(banks[i].k, k)) {
      const bank = banks[i];
      if (i > 0) {
        banks.splice(i, 1);
        banks.unshift(bank);
      }
      return bank;
    }
  }
  const bank = { k: Float64Array.from(k), nodes: new Map<number, Float64Array>() };
  banks.unshift(bank);
  if (banks.length > 4) banks.pop();
  return bank;
}

/** β of lattice index j (finest units). */
export function latticeBeta(j: number): number {
  return (j * BETA_STEP) / SUBDIVISIONS;
}

/** Δz (km) of lattice index m (finest units of ln Δz). */
export function latticeDz(m: number): number {
  return Math.exp((m * LOG_DZ_STEP) / SUBDIVISIONS);
}

/** h(k; β_j, Δz_m) = bouligand2009(k, β, 0, Δz, 0) at lattice node (j, m), cached. */
export function shapeAt(bank: ModelBank, j: number, m: number): Float64Array {
  const key = j * 4_194_304 + m; // |m| < 2^21: Δz from e^-6.5 to e^6.5 km uses |m| < 2100
  let h = bank.nodes.get(key);
  if (!h) {
    if (bank.nodes.size >= MAX_NODES) bank.nodes.clear();
    h = bouligand2009(bank.k, latticeBeta(j), 0, latticeDz(m), 0);
    bank.nodes.set(key, h);
  }
  return h;
}
