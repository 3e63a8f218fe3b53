import { describe, expect, it } from 'vitest';
import {
  BESSEL_K_COMPLEMENT,
  BESSEL_K_DEBYE_ORDER,
  BESSEL_K_DERIVATIVE,
  besselK,
  besselKCore,
  besselKResult,
  besselKScaled,
  digamma,
  trigamma,
  gamma,
  lnGamma,
} from '../../src/models/special.js';
import { seededRandom } from '../helpers/random.js';

const EULER_GAMMA = 0.57721566490153286061;
const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** K_{n+½}(x) in closed form: √(π/2x) e^{−x} Σ_{k≤n} (n+k)!/(k!(n−k)!) (2x)^{−k}, scaled by e^x. */
function halfIntegerKScaled(n: number, x: number): number {
  let sum = 0;
  let term = 1; // (n+k)!/(k!(n−k)!) (2x)^{−k}, k = 0
  for (let k = 0; k <= n; k++) {
    sum += term;
    term *= ((n + k + 1) * (n - k)) / ((k + 1) * 2 * x);
  }
  return Math.sqrt(Math.PI / (2 * x)) * sum;
}

/** (ν, x) pairs across both algorithms (Temme's series ≤ 2 < CF2) and several orders. */
function samplePoints(count: number, seed: number): [number, number][] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, () => [rnd() * 6, Math.exp(Math.log(1e-4) + rnd() * Math.log(1e7))]);
}

describe('gamma, lnGamma, digamma', () => {
  it('Γ(n) = (n−1)! and Γ(n+½) = (2n)! √π / (4^n n!)', () => {
    let factorial = 1;
    for (let n = 1; n <= 25; n++) {
      expect(relative(gamma(n), factorial)).toBeLessThan(1e-15);
      expect(Math.abs(lnGamma(n) - Math.log(factorial))).toBeLessThan(4e-15 * Math.max(1, Math.log(factorial)));
      factorial *= n;
    }
    let half = Math.sqrt(Math.PI); // Γ(½)
    for (let n = 0; n <= 30; n++) {
      expect(relative(gamma(n + 0.5), half)).toBeLessThan(2e-15);
      half *= n + 0.5;
    }
  });

  it('satisfies Γ(x+1) = xΓ(x) and the reflection formula', () => {
    const rnd = seededRandom(3);
    for (let i = 0; i < 200; i++) {
      const x = 0.01 + rnd() * 30;
      expect(relative(gamma(x + 1), x * gamma(x))).toBeLessThan(1e-14);
      expect(Math.abs(lnGamma(x + 1) - lnGamma(x) - Math.log(x))).toBeLessThan(
        1e-14 * Math.max(1, Math.abs(lnGamma(x))),
      );
      const y = -0.01 - rnd() * 10; // negative: by reflection
      if (Math.abs(y - Math.round(y)) < 1e-3) continue;
      expect(relative(gamma(y + 1), y * gamma(y))).toBeLessThan(1e-14);
    }
    // Γ(½ − n) = (−4)^n n! √π / (2n)!
    const sqrtPi = Math.sqrt(Math.PI);
    for (const [y, value] of [
      [-0.5, -2 * sqrtPi],
      [-1.5, (4 * sqrtPi) / 3],
      [-2.5, (-8 * sqrtPi) / 15],
      [-3.5, (16 * sqrtPi) / 105],
    ]) {
      expect(relative(gamma(y), value)).toBeLessThan(2e-15);
      expect(relative(lnGamma(y), Math.log(Math.abs(value)))).toBeLessThan(2e-15);
    }
  });

  it('matches independent values (mpmath, 50 digits)', () => {
    expect(relative(gamma(0.1), 9.5135076986687318363)).toBeLessThan(1e-15);
    expect(relative(lnGamma(1e6), 12815504.56914761166)).toBeLessThan(1e-15);
    expect(relative(gamma(170.5), 5.5620924145599e305)).toBeLessThan(1e-12);
  });

  it('keeps relative accuracy of ln Γ near its zeros 1 and 2', () => {
    // ln Γ(1+ε) = −γε + Σ_{k≥2} (−1)^k ζ(k) ε^k / k, here to ε⁶;
    // ln Γ(2+ε) = ln(1+ε) + ln Γ(1+ε). 1 + ε is exact for these ε.
    const zeta = [
      0,
      0,
      Math.PI ** 2 / 6,
      1.2020569031595942854,
      Math.PI ** 4 / 90,
      1.0369277551433699263,
      Math.PI ** 6 / 945,
    ];
    const lnGamma1p = (e: number) => {
      let sum = -EULER_GAMMA * e;
      for (let k = 2; k <= 6; k++) sum += ((-1) ** k * zeta[k] * e ** k) / k;
      return sum; // truncation ~0.25 ε⁶ relative
    };
    for (const e of [2 ** -10, -(2 ** -17), 2 ** -27, -(2 ** -40)]) {
      expect(relative(lnGamma(1 + e), lnGamma1p(e))).toBeLessThan(2e-15);
      expect(relative(lnGamma(2 + e), Math.log1p(e) + lnGamma1p(e))).toBeLessThan(2e-15);
    }
    expect(Math.abs(lnGamma(1))).toBe(0);
    expect(Math.abs(lnGamma(2))).toBe(0);
  });

  it('digamma: ψ(1) = −γ, ψ(½) = −γ − 2 ln 2, ψ(x+1) = ψ(x) + 1/x, and mpmath values', () => {
    expect(Math.abs(digamma(1) + EULER_GAMMA)).toBeLessThan(1e-15);
    expect(Math.abs(digamma(0.5) + EULER_GAMMA + 2 * Math.LN2)).toBeLessThan(1e-15);
    for (const x of [0.3, 1.7, 4.2, 9.9, 25])
      expect(Math.abs(digamma(x + 1) - digamma(x) - 1 / x)).toBeLessThan(2e-15 * (1 + 1 / x));
    expect(Math.abs(digamma(3.7) - 1.1671535393615113859)).toBeLessThan(1e-15);
    expect(Math.abs(digamma(0.2) + 5.2890398965921882955)).toBeLessThan(1e-14);
    expect(Math.abs(digamma(-1.5) - 0.70315664064524318723)).toBeLessThan(1e-14);
  });

  it("trigamma: ψ′(1) = π²/6, ψ′(½) = π²/2, ψ′(x+1) = ψ′(x) − 1/x², and scipy's polygamma(1, x)", () => {
    expect(Math.abs(trigamma(1) / (Math.PI ** 2 / 6) - 1)).toBeLessThan(1e-15);
    expect(Math.abs(trigamma(0.5) / (Math.PI ** 2 / 2) - 1)).toBeLessThan(1e-15);
    for (const x of [0.3, 1.7, 4.2, 9.9, 25])
      expect(Math.abs(trigamma(x) - trigamma(x + 1) - 1 / (x * x))).toBeLessThan(4e-15 * (1 + 1 / (x * x)));
    for (const [x, value] of [
      [3.7, 0.31003785767003833],
      [0.2, 26.26737720542378],
      [25.5, 0.03999466964956292],
      [12, 0.0869018728717684],
    ])
      expect(Math.abs(trigamma(x) / value - 1)).toBeLessThan(2e-15);
    expect(trigamma(0)).toBeNaN();
    expect(trigamma(-1)).toBeNaN();
  });

  it('returns the documented special values', () => {
    expect(gamma(0)).toBe(Infinity);
    expect(gamma(-3)).toBeNaN();
    expect(gamma(NaN)).toBeNaN();
    expect(gamma(172)).toBe(Infinity);
    expect(lnGamma(0)).toBe(Infinity);
    expect(lnGamma(-2)).toBe(Infinity);
    expect(lnGamma(1e300)).toBeCloseTo(1e300 * Math.log(1e300) - 1e300, -288);
    expect(digamma(0)).toBeNaN();
    expect(digamma(-4)).toBeNaN();
  });
});

describe('besselK, besselKScaled', () => {
  it('equals the closed forms of half-integer orders, K_{1/2}(x) = √(π/2x) e^{−x} …', () => {
    for (let n = 0; n <= 5; n++) {
      for (const x of [1e-4, 0.01, 0.3, 1, 1.999, 2, 2.001, 3.7, 10, 55, 300, 700, 1e4, 1e5]) {
        const expected = halfIntegerKScaled(n, x);
        expect(relative(besselKScaled(n + 0.5, x), expected)).toBeLessThan(4e-15);
        if (x <= 700) expect(relative(besselK(n + 0.5, x), expected * Math.exp(-x))).toBeLessThan(3e-15);
        expect(besselKScaled(-(n + 0.5), x)).toBe(besselKScaled(n + 0.5, x));
      }
    }
  });

  it('matches independent values (mpmath, 50 digits)', () => {
    const table: [number, number, number, number][] = [
      [0, 1e-4, 9.3262719134502749, 9.3272045872745339],
      [0, 1, 0.42102443824070833, 1.144463079806895],
      [1, 1, 0.60190723019723457, 1.6361534862632582],
      [0.3, 1.5, 0.21893795473217302, 0.98121183880534982],
      [2.7, 3.3, 0.063422021763391397, 1.7195383756889372],
      [4.1, 25, 4.8141184677122477e-12, 0.34664011566587072],
      [1.9, 0.05, 531.68296347582015, 558.94293193767899],
      [0.75, 2, 0.12790297862917903, 0.9450822843113319],
      [5.25, 0.7, 4234.8240753604408, 8527.888447418245],
      [2, 1e-8, 2e16, 20000000200000000.0],
    ];
    for (const [nu, x, k, ks] of table) {
      expect(relative(besselK(nu, x), k)).toBeLessThan(4e-15);
      expect(relative(besselKScaled(nu, x), ks)).toBeLessThan(4e-15);
    }
    expect(relative(besselKScaled(3, 1e5), 0.0039635006961013449)).toBeLessThan(1e-15);
    expect(besselK(3, 1e5)).toBe(0); // 1.4e-43432 underflows
  });

  it('satisfies K_{ν+1} = K_{ν−1} + (2ν/x) K_ν, K_{−ν} = K_ν and scaled = e^x K', () => {
    for (const [nu, x] of samplePoints(300, 11)) {
      const lhs = besselKScaled(nu + 1, x);
      const rhs = besselKScaled(nu - 1, x) + ((2 * nu) / x) * besselKScaled(nu, x);
      expect(relative(lhs, rhs)).toBeLessThan(5e-15);
      expect(besselK(-nu, x)).toBe(besselK(nu, x));
      if (x < 700) expect(relative(besselK(nu, x) * Math.exp(x), besselKScaled(nu, x))).toBeLessThan(3e-15);
    }
  });

  it('has the small- and large-x limits: ½Γ(±ν)(x/2)^∓ν, −ln(x/2) − γ, √(π/2x)(1 + (4ν²−1)/8x + …)', () => {
    // K_ν(x) = ½Γ(ν)(x/2)^{−ν} + ½Γ(−ν)(x/2)^ν + O(x^{2−ν}) for non-integer ν; K_1(x) = 1/x + O(x ln x)
    const x = 1e-9;
    for (const nu of [0.3, 0.8, 2.5, 4.2]) {
      const limit = 0.5 * gamma(nu) * Math.pow(x / 2, -nu) + 0.5 * gamma(-nu) * Math.pow(x / 2, nu);
      expect(relative(besselK(nu, x), limit)).toBeLessThan(3e-15);
    }
    expect(relative(besselK(1, x), 1 / x)).toBeLessThan(1e-15);
    expect(relative(besselK(0, 1e-9), -Math.log(0.5e-9) - EULER_GAMMA)).toBeLessThan(1e-15);
    for (const nu of [0, 0.7, 3, 5.5]) {
      const m = 4 * nu * nu;
      const w = 1 / (8 * 1e5);
      const series = 1 + (m - 1) * w + ((m - 1) * (m - 9) * w * w) / 2 + ((m - 1) * (m - 9) * (m - 25) * w * w * w) / 6;
      expect(relative(besselKScaled(nu, 1e5), Math.sqrt(Math.PI / 2e5) * series)).toBeLessThan(2e-15);
    }
  });

  it('is continuous where Temme’s series hands over to CF2 (x = 2)', () => {
    const d = 1e-13;
    for (const nu of [0, 0.25, 0.5, 1.3, 3, 5.5]) {
      const below = besselK(nu, 2 - d),
        above = besselK(nu, 2 + d);
      const slope = -besselK(nu - 1, 2) - (nu / 2) * besselK(nu, 2); // dK_ν/dx
      expect(relative(above, below + 2 * d * slope)).toBeLessThan(2e-14);
    }
  });

  it('returns +∞ at x = 0, 0 at x = ∞ and NaN for x < 0 or NaN', () => {
    expect(besselK(1.5, 0)).toBe(Infinity);
    expect(besselKScaled(0, 0)).toBe(Infinity);
    expect(besselK(2, Infinity)).toBe(0);
    expect(besselKScaled(2, Infinity)).toBe(0);
    expect(besselK(2, -1)).toBeNaN();
    expect(besselK(NaN, 1)).toBeNaN();
    expect(besselKScaled(1, NaN)).toBeNaN();
    expect(besselK(Infinity, 1)).toBeNaN();
    expect(besselK(200, 1e-3)).toBe(Infinity); // overflows
  });
});

describe('besselKCore: ∂K/∂ν and the complement E_ν = ½Γ(ν) − (x/2)^ν K_ν', () => {
  const out = besselKResult();

  it('∂K_ν/∂ν matches a 4-point finite difference in ν', () => {
    const points: [number, number][] = [
      ...samplePoints(60, 5),
      [0.5, 3],
      [1.5, 0.2],
      [2, 2.5],
      [3, 1],
      [0, 5],
      [2.5, 40],
    ];
    for (const [nu, x] of points) {
      besselKCore(nu, x, true, BESSEL_K_DERIVATIVE, out);
      const h = 1e-3;
      const f = (v: number) => besselKScaled(v, x);
      const fd = (8 * (f(nu + h) - f(nu - h)) - (f(nu + 2 * h) - f(nu - 2 * h))) / (12 * h);
      expect(Math.abs(out.dk - fd)).toBeLessThan(1e-8 * Math.max(Math.abs(fd), out.k));
      expect(out.k).toBe(besselKScaled(nu, x));
      expect(relative(out.km1, besselKScaled(nu - 1, x))).toBeLessThan(1e-14);
    }
  });

  it('E_ν equals ½Γ(ν) − (x/2)^ν K_ν where that difference does not cancel (x ≥ 1)', () => {
    for (const nu of [0.3, 0.5, 1, 1.5, 2, 2.7, 4, 5.5]) {
      for (const x of [1, 1.7, 3, 6, 9.5]) {
        besselKCore(nu, x, false, BESSEL_K_COMPLEMENT | BESSEL_K_DERIVATIVE, out);
        const direct = 0.5 * gamma(nu) - Math.pow(x / 2, nu) * besselK(nu, x);
        expect(Math.abs(out.e - direct)).toBeLessThan(1e-14 * 0.5 * gamma(nu) * Math.cosh(x));
        expect(relative(out.halfXPowNu, Math.pow(x / 2, nu))).toBeLessThan(1e-15);
        const h = 1e-3;
        const e = (v: number) => 0.5 * gamma(v) - Math.pow(x / 2, v) * besselK(v, x);
        const fd = (8 * (e(nu + h) - e(nu - h)) - (e(nu + 2 * h) - e(nu - 2 * h))) / (12 * h);
        expect(Math.abs(out.de - fd)).toBeLessThan(1e-9 * Math.max(1, Math.abs(out.de)));
      }
    }
  });

  it('E_ν at small x equals its power series (non-integer ν)', () => {
    // E = −½Γ(ν) Σ_{k≥1} t^k/(k!(1−ν)_k) − ½Γ(−ν) t^ν Σ_{k≥0} t^k/(k!(1+ν)_k), t = x²/4
    const series = (nu: number, x: number) => {
      const t = (x * x) / 4;
      let regular = 0,
        singular = 0,
        a = 1,
        b = 1;
      for (let k = 0; k < 30; k++) {
        if (k > 0) {
          a *= t / (k * (k - nu));
          regular += a;
        }
        singular += b;
        b *= t / ((k + 1) * (k + 1 + nu));
      }
      return -0.5 * gamma(nu) * regular - 0.5 * gamma(-nu) * Math.pow(t, nu) * singular;
    };
    for (const nu of [0.35, 0.8, 1.25, 1.8, 2.6, 3.5, 4.3]) {
      for (const x of [1e-4, 1e-3, 0.01, 0.1, 0.5]) {
        besselKCore(nu, x, false, BESSEL_K_COMPLEMENT, out);
        expect(relative(out.e, series(nu, x))).toBeLessThan(1e-12);
      }
    }
  });
});

describe('besselKCore at large orders: a cost independent of ν', () => {
  it('Debye’s expansion matches mpmath (30 digits) above ν = 1000, with ∂ ln K/∂ν', () => {
    const out = besselKResult();
    // [ν, x, e^x K_ν(x), ∂ ln K_ν(x)/∂ν]
    const reference: Array<[number, number, number, number]> = [
      [1000.05, 1e5, 0.58846413803118316707, 0.010000283318875302712],
      [1000.05, 1e6, 0.0020664681394147032218, 0.0010000493332844488225],
    ];
    for (const [nu, x, k, dlnk] of reference) {
      besselKCore(nu, x, true, BESSEL_K_DERIVATIVE, out);
      expect(relative(out.k, k)).toBeLessThan(1e-13);
      expect(relative(out.dk / out.k, dlnk)).toBeLessThan(1e-12);
    }
  });

  it('hands over from the recurrence to Debye’s expansion without a step (1e-12)', () => {
    const below = besselKResult();
    const above = besselKResult();
    for (const x of [1500, 3000, 1e4, 1e6]) {
      besselKCore(BESSEL_K_DEBYE_ORDER, x, true, BESSEL_K_DERIVATIVE, below);
      besselKCore(BESSEL_K_DEBYE_ORDER * (1 + 1e-15), x, true, BESSEL_K_DERIVATIVE, above);
      for (const key of ['k', 'km1', 'dk'] as const) expect(relative(above[key], below[key])).toBeLessThan(1e-12);
    }
  });

  it('returns at once for huge orders: +∞ where K overflows, finite where it does not', () => {
    expect(besselK(1e10, 5)).toBe(Infinity);
    expect(besselKScaled(1e10, 1e12)).toBe(Infinity); // e^x K ≈ √(π/2x) e^{ν²/2x} = e^{5e7}
    expect(relative(besselKScaled(1e10, 1e21), Math.sqrt(Math.PI / 2e21) * Math.exp(0.05))).toBeLessThan(1e-12); // x ≫ ν²
    const out = besselKResult();
    besselKCore(1e9, 5, false, BESSEL_K_DERIVATIVE | BESSEL_K_COMPLEMENT, out); // the Bouligand model's call at β ≈ 2e9
    expect([out.k, out.km1, out.dk]).toEqual([Infinity, Infinity, Infinity]);
    expect(out.e).toBeNaN();
  });
});
