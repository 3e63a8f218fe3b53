import { describe, expect, it } from 'vitest';
import { CurieError } from '../../src/errors.js';
import {
  bouligand2009,
  bouligand2009WithGradient,
  bouligandLogA,
  maus1995,
  type Bouligand2009Gradient,
} from '../../src/models/bouligand.js';
import { besselK, gamma, lnGamma } from '../../src/models/special.js';

/**
 * ln A(x, β) from mpmath 1.3 at 50 digits, A = √π/Γ(1+β/2)·(½Γ(ν) cosh x − (x/2)^ν K_ν(x)),
 * ν = (1+β)/2 (computed with mpmath's besselk, gamma and cosh; not by this code).
 */
const MPMATH_LN_A: [number, number, number][] = [
  [0, 1e-6, -13.363927852674653],
  [0, 1e-3, -6.4561724070260211],
  [0, 0.01, -4.153570814087525],
  [0, 0.5, -0.20023962065757234],
  [0, 2, 1.739950077903623],
  [0, 3, 2.75595369536055],
  [0, 6, 5.7584293804982805],
  [0, 7, 6.7584346932004447],
  [0, 30, 29.75843552472951],
  [0, 300, 299.75843552472951],
  [0, 1e5, 99999.75843552473],
  [1, 1e-6, -25.587761175399138],
  [1, 1e-3, -12.365808637794251],
  [1, 0.01, -8.0755272018448213],
  [1, 0.5, -1.2059567537035576],
  [1, 2, 1.247740068384318],
  [1, 3, 2.2972903708983963],
  [1, 6, 5.3068189881530293],
  [1, 7, 6.3068478527049755],
  [1, 30, 29.306852819440055],
  [1, 300, 299.30685281944005],
  [1, 1e5, 99999.30685281944],
  [2, 1e-6, -27.872585924532261],
  [2, 1e-3, -14.057408255447111],
  [2, 0.01, -9.4552270596047449],
  [2, 0.5, -1.7656049240344903],
  [2, 2, 0.96924187948600269],
  [2, 3, 2.0477847814564833],
  [2, 6, 5.0652084662188124],
  [2, 7, 6.06527587116099],
  [2, 30, 29.065288344169564],
  [2, 300, 299.06528834416956],
  [2, 1e5, 99999.06528834417],
  [3, 1e-6, -28.324168296489661],
  [3, 1e-3, -14.508658330776129],
  [3, 0.01, -9.9035275907039864],
  [3, 0.5, -2.0990837459655547],
  [3, 2, 0.77462767933215681],
  [3, 3, 1.8759846931175425],
  [3, 6, 4.9012428621956672],
  [3, 7, 5.9013637635071718],
  [3, 30, 28.90138771133189],
  [3, 300, 298.90138771133189],
  [3, 1e5, 99998.901387711332],
  [4, 1e-6, -28.565732771758984],
  [4, 1e-3, -14.750222213761385],
  [4, 0.01, -10.145051994556381],
  [4, 0.5, -2.3172983747897197],
  [4, 2, 0.62629500908931085],
  [4, 3, 1.7448518773606455],
  [4, 6, 4.7773789100159972],
  [4, 7, 5.777566634729971],
  [4, 30, 28.777606271717783],
  [4, 300, 298.77760627171778],
  [4, 1e5, 99998.777606271718],
  [2.00001, 1e-6, -27.872592855915019],
  [2.00001, 1e-3, -14.057415161967193],
  [2.00001, 0.01, -9.4552338181100994],
  [2.00001, 0.5, -1.7656091386824541],
  [2.00001, 2, 0.96923960845216442],
  [2.00001, 3, 2.0477827696367933],
  [2.00001, 6, 5.0652065341946426],
  [2.00001, 7, 6.0652739395986059],
  [2.00001, 30, 29.065286412701382],
  [2.00001, 300, 299.06528641270138],
  [2.00001, 1e5, 99999.065286412701],
  [3.0000001, 1e-6, -28.324168327174942],
  [3.0000001, 1e-3, -14.508658361461134],
  [3.0000001, 0.01, -9.9035276213750521],
  [3.0000001, 0.5, -2.0990837722983821],
  [3.0000001, 2, 0.77462766256281744],
  [3.0000001, 3, 1.8759846783307885],
  [3.0000001, 6, 4.901242848169642],
  [3.0000001, 7, 5.9013637494871997],
  [3.0000001, 30, 28.901387697313275],
  [3.0000001, 300, 298.90138769731328],
  [3.0000001, 1e5, 99998.901387697313],
  [1.3, 1e-6, -26.953008996431264],
  [1.3, 1e-3, -13.212249913906608],
  [1.3, 0.01, -8.6995922175245466],
  [1.3, 0.5, -1.4076027352850935],
  [1.3, 2, 1.1512253393626141],
  [1.3, 3, 2.2100913481612335],
  [1.3, 6, 5.2219494535887028],
  [1.3, 7, 6.2219882705006289],
  [1.3, 30, 29.221995101306314],
  [1.3, 300, 299.22199510130631],
  [1.3, 1e5, 99999.221995101306],
  [5.7, 1e-6, -28.819348665096369],
  [5.7, 1e-3, -15.003838054663007],
  [5.7, 0.01, -10.398662674183491],
  [5.7, 0.5, -2.5612841110836452],
  [5.7, 2, 0.43699987687423323],
  [5.7, 3, 1.5752961331253241],
  [5.7, 6, 4.6183686656690509],
  [5.7, 7, 5.6186931482274891],
  [5.7, 30, 28.618768784707635],
  [5.7, 300, 298.61876878470763],
  [5.7, 1e5, 99998.618768784708],
];

/** ln A straight from the definition (PyCurious's way): fine where the two terms do not cancel. */
function directLogA(x: number, beta: number): number {
  const nu = (1 + beta) / 2;
  const d = 0.5 * gamma(nu) * Math.cosh(x) - besselK(nu, x) * Math.pow(x / 2, nu);
  return Math.log((Math.sqrt(Math.PI) / gamma(1 + beta / 2)) * d);
}

/**
 * ln A from the power series of D for non-integer ν (t = x²/4):
 * D = ½Γ(ν)(cosh x − 1) − ½Γ(ν) Σ_{k≥1} t^k/(k!(1−ν)_k) − ½Γ(−ν) t^ν Σ_{k≥0} t^k/(k!(1+ν)_k).
 */
function seriesLogA(x: number, beta: number): number {
  const nu = (1 + beta) / 2;
  const t = (x * x) / 4;
  let regular = 0,
    singular = 0,
    a = 1,
    b = 1,
    coshMinus1 = 0,
    c = 1;
  for (let k = 0; k < 30; k++) {
    if (k > 0) {
      a *= t / (k * (k - nu));
      regular += a;
      c *= (x * x) / ((2 * k - 1) * (2 * k));
      coshMinus1 += c;
    }
    singular += b;
    b *= t / ((k + 1) * (k + 1 + nu));
  }
  const d = 0.5 * gamma(nu) * (coshMinus1 - regular) - 0.5 * gamma(-nu) * Math.pow(t, nu) * singular;
  return Math.log((Math.sqrt(Math.PI) / gamma(1 + beta / 2)) * d);
}

function gradientArrays(n: number): Bouligand2009Gradient {
  return {
    phi: new Float64Array(n),
    dBeta: new Float64Array(n),
    dZt: new Float64Array(n),
    dDz: new Float64Array(n),
    dC: new Float64Array(n),
  };
}

describe('bouligandLogA', () => {
  it('matches mpmath from x = 1e-6 to 1e5 (A to 1e-12 relative from x = 1e-3)', () => {
    for (const [beta, x, expected] of MPMATH_LN_A) {
      // |Δ ln A| = relative error of A. Below x = 1e-3 it grows like 1e-16·(2/x)^{2|μ|} where ν = n + μ
      // (μ ∈ (−½, 0): the first step of the complement recurrence cancels): 2e-10 at x = 1e-6, β = 2⁺.
      const tolerance = x >= 1e-3 ? 1e-12 : 5e-10;
      expect(Math.abs(bouligandLogA(x, beta) - expected), `β = ${beta}, x = ${x}`).toBeLessThan(tolerance);
    }
  });

  it('equals the direct formula where its two terms do not cancel (0.5 ≤ x ≤ 50)', () => {
    for (const beta of [0, 0.7, 2, 2.5, 3, 4.4, 6]) {
      for (const x of [0.5, 0.9, 1.5, 2, 2.5, 4, 5.9, 6.1, 9, 15, 39, 41, 50]) {
        expect(Math.abs(bouligandLogA(x, beta) - directLogA(x, beta))).toBeLessThan(1e-13 * Math.max(1, x));
      }
    }
  });

  it('equals the power series of D at small x (non-integer ν), where the direct formula cancels', () => {
    for (const beta of [0.4, 1.1, 2.6, 3.5, 4.5, 5.2]) {
      for (const x of [1e-5, 1e-4, 1e-3, 0.01, 0.1, 0.5]) {
        expect(Math.abs(bouligandLogA(x, beta) - seriesLogA(x, beta)), `β = ${beta}, x = ${x}`).toBeLessThan(2e-12);
      }
    }
  });

  it('stays finite at large x, with ln A − x → ln √π − ln Γ(1+β/2) + ln Γ(ν) − 2 ln 2', () => {
    for (const beta of [0, 1.7, 3, 5]) {
      const limit = 0.5 * Math.log(Math.PI) - lnGamma(1 + beta / 2) + lnGamma((1 + beta) / 2) - 2 * Math.LN2;
      for (const x of [710, 1e3, 1e5, 1e8]) {
        expect(Math.abs(bouligandLogA(x, beta) - x - limit)).toBeLessThan(1e-15 * x);
      }
    }
  });

  it('is smooth across its internal switches (x = 6 and 40)', () => {
    const out = gradientArrays(1);
    for (const beta of [0, 1.2, 3, 5.5]) {
      for (const s of [6, 40]) {
        const d = 1e-9;
        bouligand2009WithGradient(Float64Array.of(1), beta, 0, s, 0, out); // kh = 1: dDz = d(ln A)/dx − 1
        const jump = bouligandLogA(s + d, beta) - bouligandLogA(s - d, beta) - 2 * d * (out.dDz[0] + 1);
        expect(Math.abs(jump)).toBeLessThan(5e-15 * s);
      }
    }
  });

  it('is −∞ at x = 0 and NaN for x < 0, β ≤ −1 or NaN', () => {
    expect(bouligandLogA(0, 3)).toBe(-Infinity);
    expect(bouligandLogA(-1, 3)).toBeNaN();
    expect(bouligandLogA(1, -1)).toBeNaN();
    expect(bouligandLogA(1, -2)).toBeNaN();
    expect(bouligandLogA(NaN, 3)).toBeNaN();
    expect(bouligandLogA(1, NaN)).toBeNaN();
  });
});

describe('bouligand2009 and maus1995', () => {
  const kh = [0.02, 0.1, 0.5, 1, 2.2, 3.2];

  it('is C − 2 kh z_t − (β−1) ln kh − kh Δz + ln A(kh Δz, β); a number gives a number, an array a Float64Array', () => {
    const [beta, zt, dz, C] = [2.7, 0.8, 12, 4];
    const fromArray = bouligand2009(kh, beta, zt, dz, C);
    const fromTyped = bouligand2009(Float64Array.from(kh), beta, zt, dz, C);
    expect(fromArray).toBeInstanceOf(Float64Array);
    expect(fromArray).toHaveLength(kh.length);
    kh.forEach((k, i) => {
      const single = bouligand2009(k, beta, zt, dz, C);
      expect(typeof single).toBe('number');
      expect(fromArray[i]).toBe(single);
      expect(fromTyped[i]).toBe(single);
      const expected = C - 2 * k * zt - (beta - 1) * Math.log(k) - k * dz + bouligandLogA(k * dz, beta);
      expect(Math.abs(single - expected)).toBeLessThan(1e-13 * Math.max(1, Math.abs(expected)));
    });
  });

  it('is −∞ at Δz = 0 and finite up to kh·Δz = 1e5', () => {
    expect(bouligand2009(0.5, 3, 1, 0, 5)).toBe(-Infinity);
    const phi = bouligand2009([1e-3, 1, 10, 100, 1e3], 3, 1, 100, 5);
    for (const value of phi) expect(Number.isFinite(value)).toBe(true);
  });

  it('tends to maus1995 plus a constant as Δz → ∞', () => {
    const [beta, zt, C] = [3.3, 1.5, 2];
    const shift = 0.5 * Math.log(Math.PI) - lnGamma(1 + beta / 2) + lnGamma((1 + beta) / 2) - 2 * Math.LN2;
    const thick = bouligand2009(kh, beta, zt, 1e4, C);
    const maus = maus1995(beta, zt, kh, C);
    kh.forEach((_, i) => expect(Math.abs(thick[i] - maus[i] - shift)).toBeLessThan(1e-13));
  });

  it('maus1995 is C − 2 kh z_t − (β−1) ln kh, C = 0 by default', () => {
    expect(maus1995(3, 1, 0.5)).toBe(-2 * 0.5 - 2 * Math.log(0.5));
    const values = maus1995(2.5, 0.4, kh, 7);
    expect(values).toBeInstanceOf(Float64Array);
    kh.forEach((k, i) => expect(values[i]).toBeCloseTo(7 - 0.8 * k - 1.5 * Math.log(k), 14));
  });
});

describe('bouligand2009WithGradient', () => {
  const kh = Float64Array.of(1e-4, 1e-3, 0.01, 0.05, 0.1, 0.3, 0.6, 1, 2, 3.2, 8);
  const cases: [number, number, number, number][] = [
    [3, 1, 10, 5],
    [2, 0.5, 3, 0], // ν = 3/2
    [0, 1, 10, 2], // ν = ½: no recurrence
    [0.4, 2, 25, -1],
    [5.5, 0.3, 0.5, 1],
    [2.00001, 1, 100, 0],
  ];

  it('returns Φ of bouligand2009, ∂Φ/∂z_t = −2 kh and ∂Φ/∂C = 1', () => {
    const out = gradientArrays(kh.length);
    for (const [beta, zt, dz, C] of cases) {
      bouligand2009WithGradient(kh, beta, zt, dz, C, out);
      expect(Array.from(out.phi)).toEqual(Array.from(bouligand2009(kh, beta, zt, dz, C)));
      expect(Array.from(out.dZt)).toEqual(Array.from(kh, (k) => -2 * k));
      expect(Array.from(out.dC)).toEqual(Array.from(kh, () => 1));
    }
  });

  it('∂Φ/∂β and ∂Φ/∂Δz match 4-point finite differences', () => {
    const out = gradientArrays(kh.length);
    const fourPoint = (f: (v: number) => Float64Array, v: number, h: number) => {
      const [a, b, c, d] = [f(v + h), f(v - h), f(v + 2 * h), f(v - 2 * h)];
      return Float64Array.from(a, (_, i) => (8 * (a[i] - b[i]) - (c[i] - d[i])) / (12 * h));
    };
    for (const [beta, zt, dz, C] of cases) {
      bouligand2009WithGradient(kh, beta, zt, dz, C, out);
      const fdBeta = fourPoint((b) => bouligand2009(kh, b, zt, dz, C), beta, 1e-3);
      const fdDz = fourPoint((d) => bouligand2009(kh, beta, zt, d, C), dz, 1e-3 * dz);
      kh.forEach((k, i) => {
        const where = `β = ${beta}, Δz = ${dz}, kh = ${k}`;
        expect(Math.abs(out.dBeta[i] - fdBeta[i]), where).toBeLessThan(1e-8 * (1 + Math.abs(fdBeta[i])));
        expect(Math.abs(out.dDz[i] - fdDz[i]), where).toBeLessThan(1e-8 * (1 + Math.abs(fdDz[i])));
      });
    }
  });

  it('∂Φ/∂Δz is +∞ at Δz = 0 (and Φ = −∞)', () => {
    const out = gradientArrays(2);
    bouligand2009WithGradient(Float64Array.of(0.1, 1), 3, 1, 0, 5, out);
    expect(Array.from(out.phi)).toEqual([-Infinity, -Infinity]);
    expect(Array.from(out.dDz)).toEqual([Infinity, Infinity]);
  });

  it('rejects output arrays of the wrong length with E_ARGUMENT', () => {
    const out = gradientArrays(kh.length);
    out.dDz = new Float64Array(kh.length - 1);
    expect(() => bouligand2009WithGradient(kh, 3, 1, 10, 5, out)).toThrowError(CurieError);
    try {
      bouligand2009WithGradient(kh, 3, 1, 10, 5, out);
    } catch (error) {
      expect((error as CurieError).code).toBe('E_ARGUMENT');
    }
  });
});
