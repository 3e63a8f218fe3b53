/**
 * Sampling a raster at fractional node indices (column u, row v; node (0, 0) is (xmin, ymin)):
 * the kernels shared by {@link ungrid} and {@link reproject}. A point outside the nodes
 * (u < 0, u > cols − 1, likewise v) is NaN, as scipy's `map_coordinates(mode='constant', cval=nan)`.
 */

/** Sampling kernels: `'nearest'`, `'linear'` (bilinear), `'bspline'` (cubic B-spline on prefiltered
 * coefficients, `map_coordinates` order 3), `'keys'` (cubic convolution a = −0.5, gdalwarp's `-r cubic`). */
export type Kernel = 'nearest' | 'linear' | 'bspline' | 'keys';

/** A sampler over one raster: `at(u, v)` for fractional column u and row v. */
export interface Sampler {
  at(u: number, v: number): number;
}

/** The cubic B-spline's pole and the mirror boundary of scipy's `spline_filter` (Unser 1993). */
const POLE = Math.sqrt(3) - 2;

/**
 * Cubic B-spline interpolation coefficients of a line, in place, with mirror (whole-sample
 * symmetric) boundaries: scipy's `spline_filter1d(order=3, mode='mirror')`, which is also what
 * `map_coordinates(mode='constant')` prefilters with.
 */
function prefilterLine(c: Float64Array, n: number, offset: number, stride: number): void {
  if (n === 1) return;
  const z = POLE;
  const at = (i: number) => offset + i * stride;
  for (let i = 0; i < n; i++) c[at(i)] *= (1 - z) * (1 - 1 / z);
  // causal initialisation (mirror)
  const zn1 = z ** (n - 1);
  let zi = z;
  let c0 = c[at(0)] + zn1 * c[at(n - 1)];
  for (let i = 1; i < n - 1; i++) {
    c0 += zi * (c[at(i)] + zn1 * c[at(n - 1 - i)]);
    zi *= z;
  }
  c[at(0)] = c0 / (1 - zn1 * zn1);
  for (let i = 1; i < n; i++) c[at(i)] += z * c[at(i - 1)];
  // anticausal initialisation (mirror)
  c[at(n - 1)] = ((z * c[at(n - 2)] + c[at(n - 1)]) * z) / (z * z - 1);
  for (let i = n - 2; i >= 0; i--) c[at(i)] = z * (c[at(i + 1)] - c[at(i)]);
}

/** Mirror an index into 0…n−1 (whole-sample symmetric: −1 → 1, n → n − 2). */
function mirror(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let k = ((i % period) + period) % period;
  if (k >= n) k = period - k;
  return k;
}

/** Cubic B-spline weights of the four nodes floor(t) − 1 … floor(t) + 2 for fraction f = t − floor(t). */
function bsplineWeights(f: number, w: Float64Array): void {
  const g = 1 - f;
  w[0] = (g * g * g) / 6;
  w[1] = (4 - 6 * f * f + 3 * f * f * f) / 6;
  w[2] = (4 - 6 * g * g + 3 * g * g * g) / 6;
  w[3] = (f * f * f) / 6;
}

/** Keys cubic convolution weights (a = −0.5) of the four nodes around fraction f. */
function keysWeights(f: number, w: Float64Array): void {
  const a = -0.5;
  const k = (d: number) => {
    const x = Math.abs(d);
    if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
    if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
    return 0;
  };
  w[0] = k(1 + f);
  w[1] = k(f);
  w[2] = k(1 - f);
  w[3] = k(2 - f);
}

/**
 * A sampler of `values` (row-major, `rows × cols`, row 0 at ymin) with the given kernel. The
 * B-spline kernel prefilters a copy of the values once (a NaN spreads along its row and column, as
 * in scipy); Keys' kernel near an edge takes the mirrored node (gdalwarp renormalises instead, a
 * difference confined to the outermost cell).
 */
export function makeSampler(values: ArrayLike<number>, rows: number, cols: number, kernel: Kernel): Sampler {
  const inside = (u: number, v: number) => u >= 0 && u <= cols - 1 && v >= 0 && v <= rows - 1;
  if (kernel === 'nearest') {
    return {
      at: (u, v) =>
        inside(u, v)
          ? values[Math.min(rows - 1, Math.floor(v + 0.5)) * cols + Math.min(cols - 1, Math.floor(u + 0.5))]
          : NaN,
    };
  }
  if (kernel === 'linear') {
    return {
      at(u, v) {
        if (!inside(u, v)) return NaN;
        const c0 = Math.min(Math.floor(u), Math.max(cols - 2, 0));
        const r0 = Math.min(Math.floor(v), Math.max(rows - 2, 0));
        const fu = u - c0;
        const fv = v - r0;
        const c1 = Math.min(c0 + 1, cols - 1);
        const r1 = Math.min(r0 + 1, rows - 1);
        // a neighbour with zero weight does not spread its NaN
        const term = (value: number, weight: number) => (weight === 0 ? 0 : value * weight);
        return (
          term(values[r0 * cols + c0], (1 - fu) * (1 - fv)) +
          term(values[r0 * cols + c1], fu * (1 - fv)) +
          term(values[r1 * cols + c0], (1 - fu) * fv) +
          term(values[r1 * cols + c1], fu * fv)
        );
      },
    };
  }
  let coefficients: ArrayLike<number> = values;
  if (kernel === 'bspline') {
    const c = Float64Array.from(values);
    for (let r = 0; r < rows; r++) prefilterLine(c, cols, r * cols, 1);
    for (let k = 0; k < cols; k++) prefilterLine(c, rows, k, cols);
    coefficients = c;
  }
  const weightsOf = kernel === 'bspline' ? bsplineWeights : keysWeights;
  const wu = new Float64Array(4);
  const wv = new Float64Array(4);
  return {
    at(u, v) {
      if (!inside(u, v)) return NaN;
      const cu = Math.floor(u);
      const cv = Math.floor(v);
      weightsOf(u - cu, wu);
      weightsOf(v - cv, wv);
      let sum = 0;
      for (let j = 0; j < 4; j++) {
        if (wv[j] === 0) continue;
        const row = mirror(cv - 1 + j, rows) * cols;
        let line = 0;
        for (let i = 0; i < 4; i++) if (wu[i] !== 0) line += wu[i] * coefficients[row + mirror(cu - 1 + i, cols)];
        sum += wv[j] * line;
      }
      return sum;
    },
  };
}
