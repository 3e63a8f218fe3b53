/**
 * C and z_t enter the Bouligand model linearly, ln Φ = C − 2k·z_t + h(k; β, Δz), so for a given
 * shape h the weighted misfit ½Σw(Φ̂ − h − C + 2k·z_t)² is a quadratic in (C, z_t): its minimum
 * within bounds is exact (a 2-variable box-constrained least squares), and its integral over
 * (C, z_t) is Gaussian in closed form. Everything here depends on h only through four dot
 * products, so a window's whole (β, Δz) lattice costs a few hundred flops a node.
 */
import { logNormalCdf } from '../models/special.js';

/** The per-window constants of the quadratic in (C, z_t). */
export interface LinearSystem {
  /** Weights w_i, and w_i·(−2k_i), w_i·Φ̂_i, for the node dot products. */
  w: Float64Array;
  wb: Float64Array;
  wPhi: Float64Array;
  /** Σw, Σw·b, Σw·b², Σw·Φ̂, Σw·b·Φ̂, Σw·Φ̂² (b = −2k). */
  sw: number;
  swb: number;
  swbb: number;
  swPhi: number;
  swbPhi: number;
  swPhiPhi: number;
  /** Bounds of C and z_t (km). */
  cLower: number;
  cUpper: number;
  zLower: number;
  zUpper: number;
  /** Normal priors on C and z_t as (mean, precision); precision 0 for none. */
  cMean: number;
  cPrecision: number;
  zMean: number;
  zPrecision: number;
}

/** Weighted sums of one lattice node: Σw·h, Σw·b·h, Σw·Φ̂·h, Σw·h². */
export interface NodeSums {
  a: number;
  b: number;
  d: number;
  e: number;
}

/** Build the system for a spectrum (`k` rad/km, `Phi`) with weights `w` and the bounds and normal priors of C and z_t. */
export function linearSystem(
  k: ArrayLike<number>,
  Phi: ArrayLike<number>,
  w: ArrayLike<number>,
  bounds: { cLower: number; cUpper: number; zLower: number; zUpper: number },
  priors: { c?: { mean: number; sd: number }; z?: { mean: number; sd: number } } = {},
): LinearSystem {
  const n = k.length;
  const weights = Float64Array.from(w),
    wb = new Float64Array(n),
    wPhi = new Float64Array(n);
  let sw = 0,
    swb = 0,
    swbb = 0,
    swPhi = 0,
    swbPhi = 0,
    swPhiPhi = 0;
  for (let i = 0; i < n; i++) {
    const b = -2 * k[i];
    wb[i] = weights[i] * b;
    wPhi[i] = weights[i] * Phi[i];
    sw += weights[i];
    swb += wb[i];
    swbb += wb[i] * b;
    swPhi += wPhi[i];
    swbPhi += wb[i] * Phi[i];
    swPhiPhi += wPhi[i] * Phi[i];
  }
  return {
    w: weights,
    wb,
    wPhi,
    sw,
    swb,
    swbb,
    swPhi,
    swbPhi,
    swPhiPhi,
    ...bounds,
    cMean: priors.c?.mean ?? 0,
    cPrecision: priors.c ? 1 / (priors.c.sd * priors.c.sd) : 0,
    zMean: priors.z?.mean ?? 0,
    zPrecision: priors.z ? 1 / (priors.z.sd * priors.z.sd) : 0,
  };
}

/** The four dot products of a node's shape h with the system's weighted vectors. */
export function nodeSums(system: LinearSystem, h: Float64Array, out: NodeSums): NodeSums {
  const { w, wb, wPhi } = system;
  let a = 0,
    b = 0,
    d = 0,
    e = 0;
  for (let i = 0; i < h.length; i++) {
    const hi = h[i];
    const whi = w[i] * hi;
    a += whi;
    b += wb[i] * hi;
    d += wPhi[i] * hi;
    e += whi * hi;
  }
  out.a = a;
  out.b = b;
  out.d = d;
  out.e = e;
  return out;
}

/** The quadratic's minimum at one node: within the bounds (q, C, z) and unconstrained (qFree, zFree), and z's variance. */
export interface NodeProfile {
  /** Minimum of the misfit (with the normal priors on C, z_t) within the bounds, and where. */
  q: number;
  C: number;
  zt: number;
  /** Unconstrained minimum and its z_t. */
  qFree: number;
  ztFree: number;
  /** Variance of z_t under exp(−q) with C integrated out: [H⁻¹]_zz at unit temperature. */
  ztVariance: number;
}

/**
 * Minimise `½Σw(Φ̂ − h − C + 2k z_t)²` (plus the normal priors of C and z_t) over (C, z_t) for the
 * node whose sums are given, scaled by 1/temperature (a tempered likelihood: weights w/T).
 */
export function profileNode(system: LinearSystem, sums: NodeSums, temperature: number, out: NodeProfile): NodeProfile {
  const s = 1 / temperature;
  const { cMean, cPrecision, zMean, zPrecision } = system;
  const h00 = system.sw * s + cPrecision;
  const h01 = system.swb * s;
  const h11 = system.swbb * s + zPrecision;
  const g0 = (system.swPhi - sums.a) * s + cPrecision * cMean;
  const g1 = (system.swbPhi - sums.b) * s + zPrecision * zMean;
  const constant =
    0.5 * ((system.swPhiPhi - 2 * sums.d + sums.e) * s + cPrecision * cMean * cMean + zPrecision * zMean * zMean);
  const det = h00 * h11 - h01 * h01;
  const cFree = (h11 * g0 - h01 * g1) / det;
  const zFree = (h00 * g1 - h01 * g0) / det;
  const quadratic = (c: number, z: number) =>
    constant - g0 * c - g1 * z + 0.5 * (h00 * c * c + 2 * h01 * c * z + h11 * z * z);
  out.qFree = constant - 0.5 * (g0 * cFree + g1 * zFree);
  out.ztFree = zFree;
  out.ztVariance = h00 / det;
  const { cLower, cUpper, zLower, zUpper } = system;
  if (cFree >= cLower && cFree <= cUpper && zFree >= zLower && zFree <= zUpper) {
    out.q = out.qFree;
    out.C = cFree;
    out.zt = zFree;
    return out;
  }
  // The box minimum of a convex quadratic lies on an edge: each edge's own minimum, clamped.
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  let best = Infinity;
  const tryPoint = (c: number, z: number) => {
    const q = quadratic(c, z);
    if (q < best) {
      best = q;
      out.q = q;
      out.C = c;
      out.zt = z;
    }
  };
  for (const z of [zLower, zUpper]) if (Number.isFinite(z)) tryPoint(clamp((g0 - h01 * z) / h00, cLower, cUpper), z);
  for (const c of [cLower, cUpper]) if (Number.isFinite(c)) tryPoint(c, clamp((g1 - h01 * c) / h11, zLower, zUpper));
  return out;
}

/**
 * ln of the mass of exp(−q) over C (free) and z_t ∈ [zLower, zUpper], up to a constant common to
 * every node (the Gaussian normalisation depends only on the weights): −qFree + ln P(z_t in bounds).
 */
export function logMarginal(system: LinearSystem, profile: NodeProfile): number {
  const sd = Math.sqrt(profile.ztVariance);
  // z_t ≥ zLower only (the usual case): ln(1 − Φ(l)) = ln Φ(−l), accurate far in the tail.
  if (!Number.isFinite(system.zUpper))
    return -profile.qFree + (Number.isFinite(system.zLower) ? logNormalCdf((profile.ztFree - system.zLower) / sd) : 0);
  const upper = Number.isFinite(system.zUpper) ? logNormalCdf((system.zUpper - profile.ztFree) / sd) : 0;
  const lower = Number.isFinite(system.zLower) ? logNormalCdf((system.zLower - profile.ztFree) / sd) : -Infinity;
  // ln(Φ(u) − Φ(l)) = ln Φ(u) + ln(1 − e^{ln Φ(l) − ln Φ(u)})
  return -profile.qFree + upper + Math.log1p(-Math.exp(Math.min(0, lower - upper)));
}
