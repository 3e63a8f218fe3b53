/**
 * Spectral models of the radial power spectrum of magnetic anomalies (ln Φ against wavenumber):
 * Bouligand et al. (2009) eq. 4, fractal magnetisation in a layer of finite thickness, and
 * Maus & Dimri (1995), its infinitely thick limit. Units: kh in rad/km, z_t and Δz in km.
 *
 * Bouligand: with x = kh·Δz and ν = (1+β)/2,
 *   Φ = C − 2 kh z_t − (β−1) ln kh − x + ln A,
 *   A = √π/Γ(1+β/2) · D,  D = ½Γ(ν) cosh x − (x/2)^ν K_ν(x).
 * D is evaluated so that Φ keeps full precision everywhere:
 * - x ≤ 6: D = Γ(ν) sinh²(x/2) + E_ν(x), with E_ν = ½Γ(ν) − (x/2)^ν K_ν(x) ≥ 0 summed from
 *   Temme's series without its leading term (see {@link BESSEL_K_COMPLEMENT}), so the cancellation
 *   of the two terms of D as x → 0 (D = O(x²)) never happens in floating point.
 * - x > 6: D = G(1 − R) with G = ½Γ(ν) cosh x, R = (x/2)^ν K_ν(x)/G ≤ 1/cosh x, and
 *   ln G − x = ln Γ(ν) − 2 ln 2 + ln(1 + e^{−2x}) (no overflow of cosh; scaled K, from CF2 to the
 *   precision that R needs), so Φ is finite for any x (PyCurious overflows above x ≈ 710).
 *   K is not computed at all where R < 1e-17 (always above x = 40).
 */
import { CurieError } from '../errors.js';
import { BESSEL_K_COMPLEMENT, BESSEL_K_DERIVATIVE, besselKCore, besselKResult, digamma, lnGamma } from './special.js';

const LN_SQRT_PI = 0.57236494292470008707;
/**
 * Up to this x, D comes from Temme's series in complement mode (exact relative to D's own scale,
 * see {@link BESSEL_K_COMPLEMENT}): there it is cheaper than CF2, which converges slowly near 2.
 */
const X_SERIES = 6;
/** Above this x, R ≤ 1/cosh x < 2e^{−x} < 1e-17 is below rounding of ln(1 − R): K is not needed. */
const X_NEGLIGIBLE_BESSEL = 40;
/**
 * Absolute error allowed in ln(1 − R) ≈ −R: CF2 computes K_ν to relative precision R_TOLERANCE/R,
 * and not at all when R < R_TOLERANCE.
 */
const R_TOLERANCE = 1e-17;

/** Per-call constants of the Bouligand model for one β (and C). */
interface Model {
  nu: number;
  /** ln Γ(ν) and ½Γ(ν). */
  lnGammaNu: number;
  halfGammaNu: number;
  /** C + ln √π − ln Γ(1+β/2): Φ = base − 2 kh z_t − (β−1) ln kh + (ln D − x). */
  base: number;
  /** ψ(ν) and ψ(1+β/2), for ∂/∂β. */
  psiNu: number;
  psiHalfBeta: number;
}

/** The {@link Model} constants for β and C (ψ values only when the gradient is wanted). */
function model(beta: number, C: number, gradient: boolean): Model {
  const nu = 0.5 * (1 + beta);
  const lnGammaNu = lnGamma(nu);
  return {
    nu,
    lnGammaNu,
    halfGammaNu: 0.5 * Math.exp(lnGammaNu),
    base: C + LN_SQRT_PI - lnGamma(1 + 0.5 * beta),
    psiNu: gradient ? digamma(nu) : NaN,
    psiHalfBeta: gradient ? digamma(1 + 0.5 * beta) : NaN,
  };
}

const bessel = besselKResult();
// Partial derivatives from the last logDMinusX call, ∂(ln D)/∂ν and ∂(ln D)/∂x − 1 (a typed
// array, so that storing them allocates nothing).
const partials = new Float64Array(2);
const D_NU = 0,
  D_X_MINUS_1 = 1;

/**
 * ln D − x at x = kh·Δz ≥ 0 (−∞ at x = 0), and with `gradient` also ∂(ln D)/∂ν and
 * ∂(ln D)/∂x − 1 into `partials`, each without cancellation (see the module comment).
 */
function logDMinusX(m: Model, x: number, gradient: boolean): number {
  const nu = m.nu;
  if (!(x > 0) || !(nu > 0)) {
    const zero = x === 0 && nu > 0;
    partials[D_NU] = NaN;
    partials[D_X_MINUS_1] = zero ? Infinity : NaN;
    return zero ? -Infinity : NaN;
  }
  const flags = gradient ? BESSEL_K_DERIVATIVE : 0;
  if (x <= X_SERIES) {
    besselKCore(nu, x, false, flags | BESSEL_K_COMPLEMENT, bessel);
    const em = Math.expm1(0.5 * x); // e^{x/2} − 1: cosh x − 1 and 1 − e^{−x} without cancellation
    const sinhHalf = 0.5 * (em + em / (1 + em));
    const coshMinus1 = 2 * sinhHalf * sinhHalf;
    const d = m.halfGammaNu * coshMinus1 + bessel.e; // = ½Γ(ν) cosh x − (x/2)^ν K_ν, both terms ≥ 0
    if (gradient) {
      partials[D_NU] = (m.halfGammaNu * m.psiNu * coshMinus1 + bessel.de) / d;
      // ∂D/∂x − D = ½Γ(ν)(1 − e^{−x}) − E_ν + (x/2)^ν K_{ν−1}, from d[x^ν K_ν]/dx = −x^ν K_{ν−1}
      const oneMinusExp = (em * (2 + em)) / ((1 + em) * (1 + em));
      partials[D_X_MINUS_1] = (m.halfGammaNu * oneMinusExp - bessel.e + bessel.halfXPowNu * bessel.km1) / d;
    }
    return Math.log(d) - x;
  }
  // ln G − x = ln Γ(ν) − 2 ln 2 + ln(1 + e^{−2x}) with G = ½Γ(ν) cosh x.
  const lnGMinusX = m.lnGammaNu - 2 * Math.LN2;
  if (x > X_NEGLIGIBLE_BESSEL) {
    if (gradient) {
      partials[D_NU] = m.psiNu;
      partials[D_X_MINUS_1] = -2 * Math.exp(-2 * x);
    }
    return lnGMinusX; // + ln(1 + e^{−2x}) < 1e-34
  }
  const e2x = Math.exp(-2 * x);
  const lnHalfX = Math.log(0.5 * x);
  // R = (x/2)^ν K_ν e^{−x} / (¼Γ(ν) e^x (1 + e^{−2x})) = rPerK · e^x K_ν; e^x K_ν ≤ √(π/2x) e^{ν²/2x}
  // (from K_ν = ∫ e^{−x cosh t} cosh νt dt and cosh t − 1 ≥ t²/2) bounds R, hence the precision
  // that K needs.
  const rPerK = (4 * Math.exp(nu * lnHalfX - 2 * x - m.lnGammaNu)) / (1 + e2x);
  // e^y ≤ 1/(1 − y/4)⁴ for y < 4 stands in for the exp; beyond, K gets full precision.
  const y = (nu * nu) / (2 * x);
  const bound = 1 - 0.25 * y;
  const rMax = y < 4 ? (rPerK * Math.sqrt(Math.PI / (2 * x))) / (bound * bound * bound * bound) : Infinity;
  const lnGMinusXExact = lnGMinusX + log1pSmall(e2x);
  if (rMax < R_TOLERANCE) {
    if (gradient) {
      partials[D_NU] = m.psiNu;
      partials[D_X_MINUS_1] = (-2 * e2x) / (1 + e2x);
    }
    return lnGMinusXExact;
  }
  besselKCore(nu, x, true, flags, bessel, R_TOLERANCE / rMax);
  const r = rPerK * bessel.k;
  if (gradient) {
    partials[D_NU] = (m.psiNu - r * (lnHalfX + bessel.dk / bessel.k)) / (1 - r);
    partials[D_X_MINUS_1] = (r * (1 + bessel.km1 / bessel.k) - (2 * e2x) / (1 + e2x)) / (1 - r);
  }
  return lnGMinusXExact + log1pSmall(-r);
}

/** ln(1 + z), by four terms of its series below |z| = 1e-4 (relative error < 3e-17): cheaper than Math.log1p. */
function log1pSmall(z: number): number {
  return Math.abs(z) < 1e-4 ? z * (1 - z * (0.5 - z * (1 / 3 - 0.25 * z))) : Math.log1p(z);
}

/**
 * ln A(x, β) of Bouligand et al. (2009), A = √π/Γ(1+β/2)·(½Γ(ν) cosh x − (x/2)^ν K_ν(x)),
 * ν = (1+β)/2, x = kh·Δz (dimensionless): relative accuracy of A ~1e-13 for x ≥ 1e-3 (and down
 * to x ~ 1e-6 within 1e-9), finite for any x > 0 (ln A ≈ x + const for large x). −∞ at x = 0;
 * NaN for x < 0, β ≤ −1 or NaN.
 */
export function bouligandLogA(x: number, beta: number): number {
  const m = model(beta, 0, false);
  return m.base + logDMinusX(m, x, false) + x;
}

/** kh as an array: Float64Array or any array-like of numbers. */
export type Wavenumbers = ArrayLike<number>;

/** `point(kh)` for a number, else a Float64Array of `point` at each kh. */
function perWavenumber(kh: number | Wavenumbers, point: (k: number) => number): number | Float64Array {
  if (typeof kh === 'number') return point(kh);
  const out = new Float64Array(kh.length);
  for (let i = 0; i < kh.length; i++) out[i] = point(kh[i]);
  return out;
}

/**
 * Bouligand et al. (2009) eq. 4: ln Φ of a fractal magnetisation (exponent β) between depths z_t
 * and z_t + Δz, Φ = C − 2 kh z_t − (β−1) ln kh − kh Δz + ln A (see `bouligandLogA`).
 * @param kh wavenumber(s) in rad/km (> 0): a number gives a number, an array a Float64Array
 * @param beta fractal parameter β (> −1)
 * @param zt depth to the top of the magnetic layer, km
 * @param dz thickness of the layer Δz, km (Curie depth = z_t + Δz); Δz = 0 gives −∞
 * @param C additive constant of ln Φ
 */
export function bouligand2009(kh: number, beta: number, zt: number, dz: number, C: number): number;
export function bouligand2009(kh: Wavenumbers, beta: number, zt: number, dz: number, C: number): Float64Array;
export function bouligand2009(
  kh: number | Wavenumbers,
  beta: number,
  zt: number,
  dz: number,
  C: number,
): number | Float64Array {
  const m = model(beta, C, false);
  return perWavenumber(kh, (k) => m.base - 2 * k * zt - (beta - 1) * Math.log(k) + logDMinusX(m, k * dz, false));
}

/** Output arrays of {@link bouligand2009WithGradient}, each of the length of kh. */
export interface Bouligand2009Gradient {
  /** Φ(kh_i). */
  phi: Float64Array;
  /** ∂Φ/∂β. */
  dBeta: Float64Array;
  /** ∂Φ/∂z_t, 1/km. */
  dZt: Float64Array;
  /** ∂Φ/∂Δz, 1/km. */
  dDz: Float64Array;
  /** ∂Φ/∂C (= 1). */
  dC: Float64Array;
}

/**
 * {@link bouligand2009} and its analytic partial derivatives with respect to β, z_t, Δz and C at
 * each kh, written into `out` (no allocation). ∂/∂Δz uses dK_ν/dx = −K_{ν−1} − (ν/x) K_ν;
 * ∂/∂β differentiates K_ν in its order alongside its computation (forward mode through Temme's
 * series, CF2 and the recurrence). Both are exact to ~1e-12 relative to max(1, |value|) (∂Φ/∂Δz
 * in units of kh) for kh·Δz ≥ 1e-3; above x ≈ 6, where ∂Φ/∂Δz ≈ −2 kh e^{−2x}… is tiny, that
 * bound is absolute. At x = kh·Δz = 0: phi = −∞, dDz = +∞, dBeta = NaN.
 * @param kh wavenumbers, rad/km (> 0)
 * @param beta fractal parameter β (> −1)
 * @param zt depth to top, km
 * @param dz layer thickness Δz, km
 * @param C additive constant
 * @param out arrays of length kh.length to fill
 * @throws CurieError E_ARGUMENT if an output array is missing or of the wrong length
 */
export function bouligand2009WithGradient(
  kh: Wavenumbers,
  beta: number,
  zt: number,
  dz: number,
  C: number,
  out: Bouligand2009Gradient,
): void {
  const n = kh.length;
  for (const name of ['phi', 'dBeta', 'dZt', 'dDz', 'dC'] as const) {
    if (!(out[name] instanceof Float64Array) || out[name].length !== n) {
      throw new CurieError(
        'E_ARGUMENT',
        `out.${name} must be a Float64Array of length ${n} (kh.length); allocate it with new Float64Array(${n})`,
      );
    }
  }
  const m = model(beta, C, true);
  const { phi, dBeta, dZt, dDz, dC } = out;
  for (let i = 0; i < n; i++) {
    const k = kh[i];
    const lnK = Math.log(k);
    phi[i] = m.base - 2 * k * zt - (beta - 1) * lnK + logDMinusX(m, k * dz, true);
    // ν = (1+β)/2, so ∂/∂β = ½ ∂/∂ν; ln A has −ln Γ(1+β/2).
    dBeta[i] = -lnK - 0.5 * m.psiHalfBeta + 0.5 * partials[D_NU];
    dZt[i] = -2 * k;
    dDz[i] = k * partials[D_X_MINUS_1];
    dC[i] = 1;
  }
}

/**
 * Maus & Dimri (1995): ln Φ = C − 2 kh z_t − (β−1) ln kh (infinitely thick layer).
 * @param beta fractal parameter β
 * @param zt depth to top, km
 * @param kh wavenumber(s) in rad/km: a number gives a number, an array a Float64Array
 * @param C additive constant (default 0)
 */
export function maus1995(beta: number, zt: number, kh: number, C?: number): number;
export function maus1995(beta: number, zt: number, kh: Wavenumbers, C?: number): Float64Array;
export function maus1995(beta: number, zt: number, kh: number | Wavenumbers, C = 0): number | Float64Array {
  return perWavenumber(kh, (k) => C - 2 * k * zt - (beta - 1) * Math.log(k));
}
