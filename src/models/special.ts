/**
 * Special functions for the spectral models: Γ, ln Γ, ψ and the modified Bessel function of the
 * second kind K_ν(x) of real order (Temme's method: Temme's series for x ≤ 2, Steed's continued
 * fraction CF2 above, then forward recurrence in the order). Pure functions of doubles, no
 * allocation in the hot paths.
 *
 * References: N. M. Temme (1975), J. Comput. Phys. 19, 324–337; I. J. Thompson & A. R. Barnett
 * (1987), Comput. Phys. Commun. 47, 245–257.
 */

/** Relative precision asked of every series and continued fraction. */
const EPS = 1e-16;
/**
 * Cap on the terms of Temme's series: 13 reach EPS at x = 2; in complement mode (see
 * {@link BESSEL_K_COMPLEMENT}) ~30 at x = 10, its documented limit.
 */
const TEMME_TERMS = 40;
/**
 * Iteration cap of CF2: ~80 terms reach EPS at x = 2, fewer above (24 at x = 10, 9 at x = 100);
 * the denominators Q_n (~2^n n!) stay below 1e240 up to this cap.
 */
const CF2_TERMS = 120;
/** Below this |z|, sinh(z)/z and {@link oddRatio} come from their Taylor series (closed forms cancel). */
const SMALL = 0.5;
const LN_SQRT_2PI = 0.9189385332046727418;
const SQRT_2PI = 2.5066282746310005024;

/**
 * Taylor coefficients r_k of 1/Γ(1+z) = Σ r_k z^k (r_1 = Euler's γ), to 20 digits; 22 terms give
 * full double precision for |z| ≤ 1/2.
 */
const RGAMMA: readonly number[] = [
  1.0, 0.57721566490153286061, -0.65587807152025388108, -0.042002635034095235529, 0.1665386113822914895,
  -0.042197734555544336748, -0.0096219715278769735621, 0.0072189432466630995424, -0.0011651675918590651121,
  -0.00021524167411495097282, 0.00012805028238811618615, -0.000020134854780788238656, -1.2504934821426706573e-6,
  1.1330272319816958824e-6, -2.0563384169776071035e-7, 6.1160951044814158179e-9, 5.0020076444692229301e-9,
  -1.1812745704870201446e-9, 1.0434267116911005105e-10, 7.782263439905071254e-12, -3.6968056186422057082e-12,
  5.100370287454475979e-13,
];

/** B_2k / (2k(2k−1)), k = 1…8: Stirling's series of ln Γ(x) − [(x−½)ln x − x + ½ln 2π]. */
const STIRLING: readonly number[] = [
  1 / 12,
  -1 / 360,
  1 / 1260,
  -1 / 1680,
  1 / 1188,
  -691 / 360360,
  1 / 156,
  -3617 / 122400,
];

/** B_2k / 2k, k = 1…7: asymptotic series of ψ(x) − [ln x − 1/(2x)] (with a minus sign). */
const DIGAMMA_ASYMPTOTIC: readonly number[] = [1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132, -691 / 32760, 1 / 12];

/** 1/k and 1/k! for k = 0…CF2_TERMS (multiplications instead of divisions in the loops). */
const INV_INT = new Float64Array(CF2_TERMS + 1);
const INV_FACTORIAL = new Float64Array(CF2_TERMS + 1);
INV_FACTORIAL[0] = 1;
for (let k = 1; k <= CF2_TERMS; k++) {
  INV_INT[k] = 1 / k;
  INV_FACTORIAL[k] = INV_FACTORIAL[k - 1] / k;
}

/** Σ c_k w^k by Horner. */
function horner(c: readonly number[], w: number): number {
  let s = 0;
  for (let k = c.length - 1; k >= 0; k--) s = s * w + c[k];
  return s;
}

const RGAMMA_TAIL = RGAMMA.slice(1);
// Even and odd parts of Σ r_k μ^k as series in μ² (Temme's Γ₂ and −Γ₁), and their μ-derivatives
// divided by μ: Σ_{j≥1} 2j r_{2j} μ^{2j−2} and Σ_{j≥1} 2j r_{2j+1} μ^{2j−2}.
const RGAMMA_EVEN = RGAMMA.filter((_, k) => k % 2 === 0);
const RGAMMA_ODD = RGAMMA.filter((_, k) => k % 2 === 1);
const RGAMMA_EVEN_D = RGAMMA_EVEN.slice(1).map((r, j) => 2 * (j + 1) * r);
const RGAMMA_ODD_D = RGAMMA_ODD.slice(1).map((r, j) => 2 * (j + 1) * r);

/** Σ_{k≥1} r_k z^k = 1/Γ(1+z) − 1 for |z| ≤ 1/2, without cancellation near z = 0. */
function rgamma1pm1(z: number): number {
  return z * horner(RGAMMA_TAIL, z);
}

/** Σ c_k z^{−2k−1}: the tail of an asymptotic series in 1/z. */
function inverseOddSeries(c: readonly number[], z: number): number {
  return horner(c, 1 / (z * z)) / z;
}

/** sin(πx), exact at integers and accurate for large |x| (argument reduced before scaling by π). */
function sinPi(x: number): number {
  let r = x - 2 * Math.round(x / 2); // r ∈ [−1, 1], sin(πx) = sin(πr)
  if (r > 0.5) r = 1 - r;
  else if (r < -0.5) r = -1 - r;
  return Math.sin(Math.PI * r);
}

/**
 * Γ(x), the gamma function. Exact to a few ulp for x > 0 (Taylor series of 1/Γ(1+z) near 1,
 * recurrence, Stirling's series from 10); negative non-integers by reflection.
 * Γ(0) = +∞, Γ(−n) = NaN (poles), overflows to +∞ above x ≈ 171.62, NaN → NaN.
 */
export function gamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === 0) return Infinity;
  if (x < 0) {
    if (Number.isInteger(x)) return NaN;
    return Math.PI / (sinPi(x) * gamma(1 - x));
  }
  if (x < 0.5) return 1 / (x * (1 + rgamma1pm1(x)));
  if (x <= 1.5) return 1 / (1 + rgamma1pm1(x - 1));
  if (x < 10) {
    let product = 1;
    while (x > 1.5) product *= --x; // Γ(x) = (x−1)…(x−m) Γ(x−m)
    return product / (1 + rgamma1pm1(x - 1));
  }
  if (x > 171.7) return Infinity;
  // √(2π) x^{x−½} e^{−x} e^{series}, the power split in two so it does not overflow before Γ does.
  const half = Math.pow(x, 0.5 * (x - 0.5));
  return SQRT_2PI * half * (half * Math.exp(-x)) * Math.exp(inverseOddSeries(STIRLING, x));
}

/**
 * ln |Γ(x)|. Accurate in relative terms near its zeros x = 1 and x = 2 (log1p of the series of
 * 1/Γ(1+z)), Stirling's series from x = 10 (no overflow for any finite x); negative non-integers by
 * reflection. ln|Γ| = +∞ at 0 and at the negative integers; NaN → NaN.
 */
export function lnGamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) {
    if (Number.isInteger(x)) return Infinity;
    return Math.log(Math.PI / Math.abs(sinPi(x))) - lnGamma(1 - x);
  }
  if (x < 0.5) return -Math.log1p(rgamma1pm1(x)) - Math.log(x);
  if (x <= 1.5) return -Math.log1p(rgamma1pm1(x - 1));
  if (x < 10) {
    let product = 1;
    while (x > 1.5) product *= --x;
    return Math.log(product) - Math.log1p(rgamma1pm1(x - 1));
  }
  if (x === Infinity) return Infinity;
  return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + inverseOddSeries(STIRLING, x);
}

/**
 * ψ(x) = d ln Γ(x)/dx, the digamma function (absolute accuracy ~1e-15): recurrence up to x ≥ 10,
 * then the asymptotic series; negative non-integers by reflection. Poles (0, −1, …) → NaN.
 */
export function digamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) {
    if (Number.isInteger(x)) return NaN;
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let shift = 0;
  while (x < 10) shift -= 1 / x++; // ψ(x) = ψ(x+1) − 1/x
  return shift + Math.log(x) - 0.5 / x - inverseOddSeries(DIGAMMA_ASYMPTOTIC, x) / x;
}

/**
 * ψ′(x), the trigamma function, for x > 0 (relative accuracy ~1e-15): recurrence up to x ≥ 10, then
 * ψ′(x) ≈ 1/x + 1/(2x²) + Σ B_2k / x^{2k+1}. The variance of ln of a Gamma(x) variable: π²/6 for the
 * log of one periodogram value (an exponential), ψ′(K²) for the mean of K² independent ones.
 */
export function trigamma(x: number): number {
  if (!(x > 0)) return NaN;
  let shift = 0;
  while (x < 10) shift += 1 / (x * x++); // ψ′(x) = ψ′(x+1) + 1/x²
  const y = 1 / (x * x);
  // Bernoulli numbers B_2 … B_14: 1/6, −1/30, 1/42, −1/30, 5/66, −691/2730, 7/6.
  const tail =
    y * (1 / 6 + y * (-1 / 30 + y * (1 / 42 + y * (-1 / 30 + y * (5 / 66 + y * (-691 / 2730 + y * (7 / 6)))))));
  return shift + 1 / x + y / 2 + tail / x;
}

/** 1/(2k+1)!, k = 0…8: sinh(z)/z = Σ z^{2k}/(2k+1)!, to 1e-19 for |z| < ½. */
const SINHC: readonly number[] = [
  1,
  1 / 6,
  1 / 120,
  1 / 5040,
  1 / 362880,
  1 / 39916800,
  1 / 6227020800,
  1 / 1307674368000,
  1 / 355687428096000,
];
/** 2k/(2k+1)!, k = 1…8: (z cosh z − sinh z)/z² = Σ 2k z^{2k−1}/(2k+1)!. */
const ODD_RATIO: readonly number[] = [
  1 / 3,
  1 / 30,
  1 / 840,
  1 / 45360,
  1 / 3991680,
  1 / 518918400,
  1 / 93405312000,
  1 / 22230464256000,
];

/**
 * (z cosh z − sinh z)/z² (sign = +1) or (sin z − z cos z)/z² (sign = −1): the derivatives of
 * sinh z / z and of z / sin z·(sin z/z)², odd series Σ (±1)^{k+1} 2k z^{2k−1}/(2k+1)! near 0.
 */
function oddRatio(z: number, sign: 1 | -1): number {
  if (Math.abs(z) >= SMALL) {
    return sign > 0 ? (z * Math.cosh(z) - Math.sinh(z)) / (z * z) : (Math.sin(z) - z * Math.cos(z)) / (z * z);
  }
  return z * horner(ODD_RATIO, sign * z * z);
}

/**
 * The split ν = n + μ, μ ∈ (−½, ½], and the constants of Temme's series for μ, for the last ν
 * seen (a cache: one ν serves all the points of a model evaluation). The series constants are
 * computed only when the series runs (`series`), their μ-derivatives only when asked (`seriesD`).
 * μ = +½ (not −½) at half-integer ν: the complement recurrence of {@link besselKCore} then starts
 * from E_{3/2} = O(x²) rather than E_{1/2} = O(x), which would cancel in the first step.
 */
interface Order {
  nu: number;
  mu: number;
  n: number;
  series: boolean;
  seriesD: boolean;
  /** Temme's Γ₁(μ) = (1/Γ(1−μ) − 1/Γ(1+μ))/(2μ), Γ₂(μ) = (1/Γ(1−μ) + 1/Γ(1+μ))/2, and d/dμ. */
  gam1: number;
  gam2: number;
  dgam1: number;
  dgam2: number;
  /** Γ(1+μ), Γ(1−μ) and d/dμ of their logarithms (ψ(1+μ), −ψ(1−μ)). */
  gPlus: number;
  gMinus: number;
  dlnPlus: number;
  dlnMinus: number;
  /** μπ/sin(μπ) and d/dμ. */
  fac: number;
  dfac: number;
}

const order: Order = {
  nu: NaN,
  mu: 0,
  n: 0,
  series: false,
  seriesD: false,
  gam1: 0,
  gam2: 0,
  dgam1: 0,
  dgam2: 0,
  gPlus: 0,
  gMinus: 0,
  dlnPlus: 0,
  dlnMinus: 0,
  fac: 0,
  dfac: 0,
};

/** {@link order} for ν ≥ 0: the split, with the series constants to be computed on demand. */
function prepareOrder(nu: number): Order {
  if (order.nu !== nu) {
    order.n = Math.max(0, Math.ceil(nu - 0.5));
    order.mu = nu - order.n;
    order.nu = nu;
    order.series = order.seriesD = false;
  }
  return order;
}

/** Fill the constants of Temme's series in `o` (and their μ-derivatives with `deriv`) if missing. */
function prepareSeries(o: Order, deriv: boolean): void {
  const mu = o.mu;
  const m2 = mu * mu;
  if (!o.series) {
    o.gam1 = -horner(RGAMMA_ODD, m2); // Γ₁ = −Σ_odd r_k μ^{k−1}
    o.gam2 = horner(RGAMMA_EVEN, m2);
    o.gPlus = 1 / (o.gam2 - mu * o.gam1); // 1/Γ(1+μ) = Γ₂ − μΓ₁
    o.gMinus = 1 / (o.gam2 + mu * o.gam1); // 1/Γ(1−μ) = Γ₂ + μΓ₁
    o.fac = mu === 0 ? 1 : (Math.PI * mu) / Math.sin(Math.PI * mu);
    o.series = true;
  }
  if (deriv && !o.seriesD) {
    o.dgam1 = -mu * horner(RGAMMA_ODD_D, m2);
    o.dgam2 = mu * horner(RGAMMA_EVEN_D, m2);
    o.dlnPlus = -(o.dgam2 - o.gam1 - mu * o.dgam1) * o.gPlus;
    o.dlnMinus = -(o.dgam2 + o.gam1 + mu * o.dgam1) * o.gMinus;
    o.dfac = Math.PI * o.fac * o.fac * oddRatio(Math.PI * mu, -1);
    o.seriesD = true;
  }
}

/** Largest x where {@link besselKCore} uses Temme's series for K itself; CF2 above. */
const BESSEL_K_SERIES_MAX = 2;

/** Ask {@link besselKCore} for ∂/∂ν of K_ν. */
export const BESSEL_K_DERIVATIVE = 1;
/**
 * Ask {@link besselKCore} for the complement E_ν(x) = Γ(ν)/2 − (x/2)^ν K_ν(x) and (x/2)^ν, by
 * Temme's series at any x ≤ 10. E and ∂E/∂ν are then exact to ~1e-16 relative to the scale
 * Γ(ν)(1 + cosh x)/2 (what ½Γ(ν) cosh x − (x/2)^ν K_ν needs), and so are (x/2)^ν K_ν, (x/2)^ν K_{ν−1}
 * in absolute terms; K itself is relatively exact only up to x = {@link BESSEL_K_SERIES_MAX}
 * (above, the series loses ~e^{2x} ulp of K).
 */
export const BESSEL_K_COMPLEMENT = 2;

/**
 * Results of {@link besselKCore}, written in place (allocate one, reuse it in loops).
 * K values are e^x K(x) when the call asked for `scaled`, else K(x).
 */
export interface BesselKResult {
  /** K_ν(x) (or e^x K_ν(x)). */
  k: number;
  /** K_{ν−1}(x) (or e^x K_{ν−1}(x)), = K_{1−ν} for ν < 1. */
  km1: number;
  /** ∂K_ν(x)/∂ν (scaled likewise), with {@link BESSEL_K_DERIVATIVE}; else NaN. */
  dk: number;
  /** E_ν(x) = Γ(ν)/2 − (x/2)^ν K_ν(x) ≥ 0 without cancellation, with {@link BESSEL_K_COMPLEMENT}; else NaN. */
  e: number;
  /** ∂E_ν(x)/∂ν, with both flags; else NaN. */
  de: number;
  /** (x/2)^ν, with {@link BESSEL_K_COMPLEMENT}; else NaN. */
  halfXPowNu: number;
}

/** A fresh {@link BesselKResult} to pass to {@link besselKCore}. */
export function besselKResult(): BesselKResult {
  return { k: NaN, km1: NaN, dk: NaN, e: NaN, de: NaN, halfXPowNu: NaN };
}

// Outputs of temmeSeries / steedCF2: the pair (K_μ, K_{μ+1}), d/dμ of both, Temme's tail
// T = Σ_{k≥1} c_k h_k with d/dμ, ln(x/2), (x/2)^μ, and K_{μ−1} with d/dμ (Temme's series, order
// ν < ½ only). A typed array, not module-level variables, so that storing a double allocates nothing.
const pair = new Float64Array(10);
const K0 = 0,
  K1 = 1,
  DK0 = 2,
  DK1 = 3,
  TAIL = 4,
  D_TAIL = 5,
  LN_HALF_X = 6,
  HALF_X_POW_MU = 7,
  KM1 = 8,
  DKM1 = 9;

/**
 * Temme's series (x ≤ 2, or ≤ 10 in complement mode) for K_μ(x), K_{μ+1}(x), unscaled, |μ| ≤ ½:
 * K_μ = Σ c_k f_k, K_{μ+1} = (2/x) Σ c_k h_k, c_k = (x²/4)^k/k!, with
 * f_0 = μπ/sin(μπ)·[Γ₁ cosh σ + ln(2/x) Γ₂ sinh(σ)/σ], σ = μ ln(2/x),
 * p_0 = ½(x/2)^{−μ}Γ(1+μ), q_0 = ½(x/2)^{μ}Γ(1−μ),
 * f_k = (k f_{k−1} + p_{k−1} + q_{k−1})/(k² − μ²), p_k = p_{k−1}/(k−μ), q_k = q_{k−1}/(k+μ),
 * h_k = p_k − k f_k. Every quantity is differentiated in μ alongside when `deriv`. With
 * `complement`, K_μ is summed only to the precision that E needs (t·K_μ against T). For order
 * ν = μ ≤ ½ (n = 0), K_{μ−1} = K_{1−μ} = (2/x) Σ c_k (q_k − k f_k) too (the mirror image of
 * K_{μ+1} under μ → −μ), which K_{μ+1} − (2μ/x) K_μ would give only with cancellation at small x.
 */
function temmeSeries(o: Order, x: number, deriv: boolean, complement: boolean): void {
  prepareSeries(o, deriv);
  const mu = o.mu;
  const lnTwoOverX = -Math.log(0.5 * x);
  const sigma = mu * lnTwoOverX;
  const expSigma = Math.exp(sigma);
  const expMinusSigma = 1 / expSigma;
  const coshSigma = 0.5 * (expSigma + expMinusSigma);
  const sinhcSigma =
    Math.abs(sigma) < SMALL ? horner(SINHC, sigma * sigma) : (0.5 * (expSigma - expMinusSigma)) / sigma;
  const bracket = o.gam1 * coshSigma + lnTwoOverX * o.gam2 * sinhcSigma;
  let f = o.fac * bracket;
  let p = 0.5 * expSigma * o.gPlus;
  let q = 0.5 * expMinusSigma * o.gMinus;
  let df = 0,
    dp = 0,
    dq = 0;
  if (deriv) {
    const dCosh = lnTwoOverX * sigma * sinhcSigma; // L sinh σ
    const dSinhc = lnTwoOverX * oddRatio(sigma, 1);
    df =
      o.dfac * bracket +
      o.fac * (o.dgam1 * coshSigma + o.gam1 * dCosh + lnTwoOverX * (o.dgam2 * sinhcSigma + o.gam2 * dSinhc));
    dp = p * (lnTwoOverX + o.dlnPlus);
    dq = q * (-lnTwoOverX + o.dlnMinus);
  }
  const t = 0.25 * x * x;
  const m2 = mu * mu;
  const tailWeight = complement ? 1 / t : 0;
  let c = 1;
  const mirror = o.n === 0;
  let sum = f,
    sum1 = p,
    sumT = 0,
    sumM = mirror ? q : 0;
  let dSum = df,
    dSum1 = dp,
    dSumT = 0,
    dSumM = mirror ? dq : 0;
  for (let k = 1; k <= TEMME_TERMS; k++) {
    c *= t * INV_INT[k];
    // Reciprocals first: they do not depend on the previous terms, so their divisions overlap.
    const invKK = 1 / (k * k - m2),
      invKMinus = 1 / (k - mu),
      invKPlus = 1 / (k + mu);
    f = (k * f + p + q) * invKK;
    p *= invKMinus;
    q *= invKPlus;
    const h = p - k * f;
    const del = c * f;
    const del1 = c * h;
    sum += del;
    sum1 += del1;
    sumT += del1;
    if (mirror) sumM += c * (q - k * f);
    let converged =
      Math.abs(del) < EPS * (Math.abs(sum) + tailWeight * Math.abs(sumT)) && Math.abs(del1) < EPS * Math.abs(sumT);
    if (deriv) {
      df = (k * df + dp + dq + 2 * mu * f) * invKK;
      dp = (dp + p) * invKMinus;
      dq = (dq - q) * invKPlus;
      const dh = dp - k * df;
      dSum += c * df;
      dSum1 += c * dh;
      dSumT += c * dh;
      if (mirror) dSumM += c * (dq - k * df);
      converged &&=
        Math.abs(c * df) <= EPS * (Math.abs(dSum) + Math.abs(sum) + tailWeight * Math.abs(sumT)) &&
        Math.abs(c * dh) <= EPS * (Math.abs(dSumT) + Math.abs(sumT));
    }
    if (converged) break;
  }
  pair[K0] = sum;
  pair[K1] = (2 / x) * sum1;
  pair[TAIL] = sumT;
  pair[DK0] = dSum;
  pair[DK1] = (2 / x) * dSum1;
  pair[D_TAIL] = dSumT;
  pair[LN_HALF_X] = -lnTwoOverX;
  pair[HALF_X_POW_MU] = expMinusSigma;
  pair[KM1] = (2 / x) * sumM;
  pair[DKM1] = (2 / x) * dSumM;
}

/**
 * Steed's continued fraction CF2 (x > 2) for e^x K_μ(x), e^x K_{μ+1}(x), |μ| ≤ ½
 * (Temme 1975; Thompson & Barnett 1987). With z_n = U(μ+½+n, 2μ+1, 2x) (Tricomi), the minimal
 * solution of z_{n−1} − b_n z_n + A_{n+1} z_{n+1} = 0, b_n = 2(n+x), A_n = (n−½)² − μ²:
 *   K_μ(x) = √(π/2x) e^{−x} / S,  S = Σ_{n≥0} C_n z_n/z_0,  C_n = A_1⋯A_n/n!,
 *   K_{μ+1}/K_μ = (μ + x + ½ − A_1 h)/x,  h = z_1/z_0 = 1/(b_1 − A_2/(b_2 − A_3/(b_3 − …))).
 * Steed: h = Σ Δh_n over the convergents P_n/Q_n, with Q_n = b_n Q_{n−1} − A_n Q_{n−2}
 * (Q_0 = 1, Q_1 = b_1) and Δh_n = Δh_{n−1}·A_n Q_{n−2}/Q_n; S = 1 + Σ_{n≥1} W_n Δh_n with
 * W_n = Σ_{k≤n} C_k q_k, q the solution with q_0 = 0, q_1 = 1. Here q_k = Q_{k−1}/(A_2⋯A_k), so
 * C_k q_k = A_1 Q_{k−1}/k!: the loop needs one division per term and none on the dependency
 * chain. Every quantity is differentiated in μ alongside when `deriv` (μ enters only through the
 * A_n, all with dA_n/dμ = −2μ). Stops when the terms fall below `tol` relative to S.
 */
function steedCF2(mu: number, x: number, deriv: boolean, tol: number): void {
  const a1 = 0.25 - mu * mu;
  const dA = -2 * mu;
  let b = 2 * (1 + x);
  let a = a1; // A_n
  let qPrev = 1,
    qCur = b,
    dqPrev = 0,
    dqCur = 0; // Q_{n−2}, Q_{n−1}
  let delta = 1 / b,
    dDelta = 0; // Δh_n
  let h = delta,
    dh = 0;
  let w = a1,
    dw = dA; // W_n
  let s = 1 + w * delta,
    ds = dw * delta;
  for (let n = 2; n <= CF2_TERMS; n++) {
    a += 2 * (n - 1);
    b += 2;
    const qNext = b * qCur - a * qPrev;
    const invQ = 1 / qNext;
    const ratio = a * qPrev * invQ;
    const deltaPrev = delta;
    delta *= ratio;
    h += delta;
    w += a1 * qCur * INV_FACTORIAL[n];
    const term = w * delta;
    s += term;
    let converged = Math.abs(term) < tol * Math.abs(s);
    if (deriv) {
      const dqNext = b * dqCur - a * dqPrev - dA * qPrev;
      const dRatio = (dA * qPrev + a * dqPrev - ratio * dqNext) * invQ;
      dDelta = dDelta * ratio + deltaPrev * dRatio;
      dh += dDelta;
      dw += (dA * qCur + a1 * dqCur) * INV_FACTORIAL[n];
      const dTerm = dw * delta + w * dDelta;
      ds += dTerm;
      converged &&= Math.abs(dTerm) <= tol * (Math.abs(ds) + Math.abs(s));
      dqPrev = dqCur;
      dqCur = dqNext;
    }
    qPrev = qCur;
    qCur = qNext;
    if (converged) break;
  }
  const k0 = Math.sqrt(Math.PI / (2 * x)) / s;
  const ratio = (mu + x + 0.5 - a1 * h) / x;
  pair[K0] = k0;
  pair[K1] = k0 * ratio;
  if (deriv) {
    const dk0 = (-k0 * ds) / s;
    pair[DK0] = dk0;
    pair[DK1] = dk0 * ratio + (k0 * (1 - dA * h - a1 * dh)) / x;
  }
}

/**
 * The engine behind {@link besselK}: K_ν(x) and K_{ν−1}(x) for ν ≥ 0, x > 0, optionally
 * ∂K_ν/∂ν (`flags & BESSEL_K_DERIVATIVE`) and the complement E_ν(x) = Γ(ν)/2 − (x/2)^ν K_ν(x)
 * computed without the cancellation of that difference (`flags & BESSEL_K_COMPLEMENT`, ν > 0,
 * x ≤ 10: what the Bouligand model needs). Results go to `out`, scaled by e^x when `scaled`. Above
 * x = {@link BESSEL_K_SERIES_MAX} (without the complement) CF2 stops at relative precision `tol`
 * (default and minimum 1e-16): a caller that needs K only to a few digits saves iterations. Arguments are
 * not checked (callers do): ν < 0, x ≤ 0 or NaN give meaningless values.
 *
 * Cost is bounded whatever ν: the recurrence from ν − ⌈ν − ½⌉ runs at most
 * {@link BESSEL_K_DEBYE_ORDER} steps, or until K overflows (then K, K_{ν−1} and ∂K/∂ν are +∞ and
 * E is NaN: not representable; for x ≤ 10 that is within ~300 steps); above that order K comes
 * from Debye's uniform asymptotic expansion (without the complement, which needs x ≤ 10).
 */
export function besselKCore(
  nu: number,
  x: number,
  scaled: boolean,
  flags: number,
  out: BesselKResult,
  tol = EPS,
): void {
  const complementAsked = (flags & BESSEL_K_COMPLEMENT) !== 0;
  if (nu > BESSEL_K_DEBYE_ORDER && !complementAsked) {
    besselKDebye(nu, x, scaled, (flags & BESSEL_K_DERIVATIVE) !== 0, out);
    return;
  }
  const o = prepareOrder(nu);
  const mu = o.mu,
    n = o.n;
  const deriv = (flags & BESSEL_K_DERIVATIVE) !== 0;
  const complement = (flags & BESSEL_K_COMPLEMENT) !== 0;
  const temme = complement || x <= BESSEL_K_SERIES_MAX;
  if (temme) temmeSeries(o, x, deriv, complement);
  else steedCF2(mu, x, deriv, Math.max(tol, EPS));

  // E_{μ+1} = Γ(1+μ)/2 − (x/2)^{μ+1}K_{μ+1}: the k = 0 term of Temme's K_{μ+1} series is exactly
  // Γ(1+μ)/2, so E_{μ+1} = −(x/2)^μ T with T the rest.
  const t = 0.25 * x * x;
  const k0 = pair[K0],
    k1 = pair[K1],
    dk0 = pair[DK0],
    dk1 = pair[DK1],
    lnHalfX = pair[LN_HALF_X];
  let rho = pair[HALF_X_POW_MU]; // (x/2)^{μ+i−1} in the loop
  let e = complement ? -rho * pair[TAIL] : NaN;
  let de = complement && deriv ? -rho * (pair[D_TAIL] + lnHalfX * pair[TAIL]) : NaN;

  // Forward recurrence K_{j+1} = K_{j−1} + (2j/x) K_j from j = μ+1 to ν−1 (stable for K), and
  // with it E_{j+1} = j E_j − (x²/4)(x/2)^{j−1} K_{j−1} (from the same relation times (x/2)^{j+1}).
  let kPrev = k0,
    kCur = k1,
    dkPrev = dk0,
    dkCur = dk1;
  for (let i = 1; i < n; i++) {
    const j = mu + i;
    const kNext = kPrev + ((2 * j) / x) * kCur;
    if (deriv) {
      const dkNext = dkPrev + (2 / x) * kCur + ((2 * j) / x) * dkCur;
      if (complement) de = e + j * de - t * rho * (dkPrev + lnHalfX * kPrev);
      dkPrev = dkCur;
      dkCur = dkNext;
    }
    if (complement) {
      e = j * e - t * rho * kPrev;
      rho *= 0.5 * x;
    }
    kPrev = kCur;
    kCur = kNext;
    if (kNext === Infinity && i < n - 1) {
      // Every later K_j is +∞ too (the recurrence only adds positive terms): stop here.
      out.k = Infinity;
      out.km1 = Infinity; // K_{ν−1} ≥ K_{μ+i+1} = +∞ as i + 1 ≤ n − 1
      out.dk = deriv ? Infinity : NaN;
      out.e = out.de = out.halfXPowNu = NaN;
      return;
    }
  }
  let k: number, km1: number, dk: number;
  if (n === 0) {
    // ν = μ ∈ [0, ½]: K_{μ−1} from Temme's series (else K_{μ+1} − (2μ/x) K_μ, fine for x > 2),
    // and E_μ = (E_{μ+1} + t (x/2)^{μ−1} K_{μ−1})/μ.
    k = k0;
    dk = dk0;
    km1 = temme ? pair[KM1] : k1 - ((2 * mu) / x) * k0;
    if (complement) {
      const y = (2 / x) * rho * km1;
      const eMu = (e + t * y) / mu;
      if (deriv) de = (de + t * (2 / x) * rho * (pair[DKM1] + lnHalfX * km1) - eMu) / mu;
      e = eMu;
    }
  } else {
    k = kCur;
    km1 = kPrev;
    dk = dkCur;
  }
  const factor = temme === scaled ? (scaled ? Math.exp(x) : Math.exp(-x)) : 1;
  out.k = k * factor;
  out.km1 = km1 * factor;
  out.dk = deriv ? dk * factor : NaN;
  out.e = e;
  out.de = de;
  out.halfXPowNu = complement ? (n === 0 ? rho : rho * 0.5 * x) : NaN;
}

/**
 * Order above which {@link besselKCore} uses Debye's expansion instead of the recurrence: there its
 * first five terms are exact to ~1e-16 (the next is below u₅/ν⁵ < 1e-16), and the recurrence would
 * take a step per unit of order, over a thousand of them.
 */
export const BESSEL_K_DEBYE_ORDER = 1000;

/**
 * Debye's polynomials u_k(p), k = 1…4 (Abramowitz & Stegun 9.3.9–10), as coefficients of p^k·(p²)^j,
 * j = 0, 1, …, with their denominators folded in.
 */
const DEBYE_U: readonly (readonly number[])[] = [
  [3 / 24, -5 / 24],
  [81 / 1152, -462 / 1152, 385 / 1152],
  [30375 / 414720, -369603 / 414720, 765765 / 414720, -425425 / 414720],
  [4465125 / 39813120, -94121676 / 39813120, 349922430 / 39813120, -446185740 / 39813120, 185910725 / 39813120],
];

/**
 * ln K_ν(x) (ln e^x K_ν(x) when `scaled`) and d ln K_ν(x)/dν by Debye's expansion (A&S 9.7.8):
 * K_ν(νz) ~ √(π/2ν) e^{−νη} (1 + z²)^{−¼} Σ (−1)^k u_k(p)/ν^k, p = (1 + z²)^{−½},
 * η = √(1 + z²) − asinh(1/z), for ν ≥ {@link BESSEL_K_DEBYE_ORDER}.
 */
function debyeLog(nu: number, x: number, scaled: boolean, result: Float64Array): void {
  const z = x / nu;
  const w = Math.sqrt(1 + z * z);
  const p = 1 / w;
  const nuW = Math.hypot(nu, x);
  // x − νw = −ν²/(x + νw) without cancellation (x ≫ ν: e^x K_ν ≈ √(π/2x) e^{ν²/2x}).
  const exponent = (scaled ? (-nu * nu) / (x + nuW) : -nuW) + nu * Math.asinh(nu / x);
  let s = 1,
    ds = 0; // S = Σ (−1)^k u_k(p)/ν^k and dS/dp
  let nuPower = 1;
  for (let k = 1; k <= DEBYE_U.length; k++) {
    const c = DEBYE_U[k - 1];
    let u = 0,
      du = 0;
    for (let j = c.length - 1; j >= 0; j--) {
      u = u * p * p + c[j];
      du = du * p * p + c[j] * (k + 2 * j);
    }
    u *= p ** k;
    du *= p ** (k - 1);
    nuPower *= -nu;
    s += u / nuPower;
    ds += du / nuPower;
  }
  result[0] = 0.5 * Math.log(Math.PI / (2 * nu)) + exponent - 0.25 * Math.log1p(z * z) + Math.log(s);
  // d/dν at fixed x (dz/dν = −z/ν, dη/dz = w/z, dp/dν = z²p³/ν), and ∂S/∂ν through the powers of ν.
  let dsNu = 0;
  nuPower = 1;
  for (let k = 1; k <= DEBYE_U.length; k++) {
    nuPower *= -nu;
    const c = DEBYE_U[k - 1];
    let u = 0;
    for (let j = c.length - 1; j >= 0; j--) u = u * p * p + c[j];
    dsNu -= (k * u * p ** k) / (nuPower * nu);
  }
  const dsdnu = ds * ((z * z * p * p * p) / nu) + dsNu;
  result[1] = -0.5 / nu + Math.asinh(nu / x) + (z * z) / (2 * nu * (1 + z * z)) + dsdnu / s;
}

const debye = new Float64Array(2);

/** {@link besselKCore} for large orders (no complement): K_ν, K_{ν−1} and ∂K_ν/∂ν from {@link debyeLog}. */
function besselKDebye(nu: number, x: number, scaled: boolean, deriv: boolean, out: BesselKResult): void {
  debyeLog(nu - 1, x, scaled, debye);
  out.km1 = Math.exp(debye[0]);
  debyeLog(nu, x, scaled, debye);
  out.k = Math.exp(debye[0]);
  out.dk = deriv ? out.k * debye[1] : NaN;
  out.e = out.de = out.halfXPowNu = NaN;
}

const scratch = besselKResult();

/** Special values shared by the two public K_ν wrappers; undefined when K must be computed. */
function besselKSpecial(nu: number, x: number): number | undefined {
  if (Number.isNaN(nu) || Number.isNaN(x) || x < 0 || !Number.isFinite(nu)) return NaN;
  if (x === 0) return Infinity;
  if (x === Infinity) return 0;
  return undefined;
}

/**
 * K_ν(x), the modified Bessel function of the second kind of real order ν (K_{−ν} = K_ν), x > 0.
 * Relative accuracy ~1e-15. K_ν(0) = +∞, K_ν(+∞) = 0; x < 0, NaN or infinite ν → NaN. Underflows
 * to 0 for x ≳ 745 (use {@link besselKScaled} there) and overflows to +∞ for large ν at small x.
 */
export function besselK(nu: number, x: number): number {
  const special = besselKSpecial(nu, x);
  if (special !== undefined) return special;
  besselKCore(Math.abs(nu), x, false, 0, scratch);
  return scratch.k;
}

/**
 * e^x K_ν(x), the exponentially scaled K_ν (K_{−ν} = K_ν), finite for any large x (≈ √(π/2x)).
 * Same special values as {@link besselK}: +∞ at x = 0, 0 at x = +∞, NaN for x < 0 or NaN.
 */
export function besselKScaled(nu: number, x: number): number {
  const special = besselKSpecial(nu, x);
  if (special !== undefined) return special;
  besselKCore(Math.abs(nu), x, true, 0, scratch);
  return scratch.k;
}

/**
 * ln Φ(t), Φ the standard normal CDF, finite for any t (≈ −t²/2 − ln(−t√(2π)) far in the left
 * tail). Relative accuracy of Φ about 1e-7 (Numerical Recipes' Chebyshev fit of erfc), ample for
 * quantiles and posterior weights.
 */
export function logNormalCdf(t: number): number {
  if (t > 0) return Math.log1p(-0.5 * Math.exp(logErfc(t * Math.SQRT1_2)));
  return logErfc(-t * Math.SQRT1_2) - Math.LN2;
}

/** The standard normal CDF Φ(t) (relative accuracy ~1e-7). */
export function normalCdf(t: number): number {
  const x = Math.abs(t) * Math.SQRT1_2;
  const u = 1 / (1 + 0.5 * x);
  const tail = 0.5 * u * Math.exp(erfcExponent(x, u));
  return t >= 0 ? 1 - tail : tail;
}

/** The standard normal density φ(t). */
export function normalPdf(t: number): number {
  return 0.3989422804014327 * Math.exp(-0.5 * t * t);
}

/** t with Φ(t) = p, 0 < p < 1 (bisection on {@link normalCdf}, to 1e-10). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  let lo = -40,
    hi = 40;
  for (let i = 0; i < 200 && hi - lo > 1e-10; i++) {
    const mid = 0.5 * (lo + hi);
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** erfc(x) = t·exp(this) for x ≥ 0, t = 1/(1 + x/2) (Numerical Recipes' erfcc: fractional error < 1.2e-7). */
function erfcExponent(x: number, t: number): number {
  return (
    -x * x -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  );
}

/** ln erfc(x) for x ≥ 0. */
function logErfc(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  return Math.log(t) + erfcExponent(x, t);
}
