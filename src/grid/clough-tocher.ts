import type { Triangulation } from './triangulation.js';

/**
 * The Clough–Tocher C1 cubic interpolant on a triangulation, as scipy's
 * `CloughTocher2DInterpolator` (and so `griddata(method='cubic')`) builds it: gradients at the
 * vertices estimated globally, then on each triangle a cubic Bézier patch on each of its three
 * Clough–Tocher sub-triangles, with the cross-boundary derivative along each edge taken towards the
 * neighbouring triangle's centroid (affine-invariant and shared by both triangles, hence C1).
 */
export interface CloughTocher {
  /** Value at (qx, qy) in triangle t whose barycentric coordinates are `b`. */
  evaluate(t: number, b: Float64Array): number;
}

/**
 * Gradients at every vertex, scipy's `estimate_gradients_2d_global` (Nielson's minimum-energy
 * estimate): minimise Σ over edges of ∫ |f''|² of the cubic along each edge, vertex by vertex in
 * point order (Gauss–Seidel), until no gradient component changes by more than `tol` (relative to
 * max(1, |gradient|)) in one sweep, at most `maxIter` sweeps — scipy's 400 and 1e-6. The same
 * order and stopping rule give the same gradients as scipy, not just a similar minimiser.
 *
 * @returns gradients interleaved `[gx0, gy0, gx1, gy1, …]` in value units per coordinate unit.
 */
export function estimateGradients(
  x: Float64Array,
  y: Float64Array,
  values: Float64Array,
  tri: Triangulation,
  maxIter = 400,
  tol = 1e-6,
): Float64Array {
  const n = x.length;
  // Vertex neighbours (each edge once per end), in CSR form.
  const degree = new Int32Array(n + 1);
  const { triangles, halfedges } = tri;
  for (let e = 0; e < triangles.length; e++) {
    const opposite = halfedges[e];
    if (opposite !== -1 && opposite < e) continue; // an interior edge is counted from one half-edge
    const a = triangles[e];
    const b = triangles[e % 3 === 2 ? e - 2 : e + 1];
    degree[a + 1]++;
    degree[b + 1]++;
  }
  for (let i = 0; i < n; i++) degree[i + 1] += degree[i];
  const neighbours = new Int32Array(degree[n]);
  const fill = degree.slice(0, n);
  for (let e = 0; e < triangles.length; e++) {
    const opposite = halfedges[e];
    if (opposite !== -1 && opposite < e) continue;
    const a = triangles[e];
    const b = triangles[e % 3 === 2 ? e - 2 : e + 1];
    neighbours[fill[a]++] = b;
    neighbours[fill[b]++] = a;
  }
  const grad = new Float64Array(2 * n);
  for (let iter = 0; iter < maxIter; iter++) {
    let err = 0;
    for (let i = 0; i < n; i++) {
      if (degree[i + 1] === degree[i]) continue; // a duplicate point delaunator left out
      let q0 = 0,
        q1 = 0,
        q3 = 0,
        s0 = 0,
        s1 = 0;
      for (let k = degree[i]; k < degree[i + 1]; k++) {
        const j = neighbours[k];
        const ex = x[j] - x[i];
        const ey = y[j] - y[i];
        const L = Math.sqrt(ex * ex + ey * ey);
        const L3 = L * L * L;
        const df2 = -ex * grad[2 * j] - ey * grad[2 * j + 1];
        q0 += (4 * ex * ex) / L3;
        q1 += (4 * ex * ey) / L3;
        q3 += (4 * ey * ey) / L3;
        const s = 6 * (values[i] - values[j]) - 2 * df2;
        s0 += (s * ex) / L3;
        s1 += (s * ey) / L3;
      }
      const det = q0 * q3 - q1 * q1;
      const r0 = (q3 * s0 - q1 * s1) / det;
      const r1 = (-q1 * s0 + q0 * s1) / det;
      let change = Math.max(Math.abs(grad[2 * i] + r0), Math.abs(grad[2 * i + 1] + r1));
      grad[2 * i] = -r0;
      grad[2 * i + 1] = -r1;
      change /= Math.max(1, Math.max(Math.abs(r0), Math.abs(r1)));
      if (change > err) err = change;
    }
    if (err < tol) break;
  }
  return grad;
}

/** The interpolant on `tri` of `values` with vertex gradients `grad` (see {@link estimateGradients}). */
export function cloughTocher(
  x: Float64Array,
  y: Float64Array,
  values: Float64Array,
  grad: Float64Array,
  tri: Triangulation,
): CloughTocher {
  const { triangles, halfedges } = tri;
  const c = new Float64Array(3);
  const g = new Float64Array(3);
  return {
    evaluate(t: number, b: Float64Array): number {
      const i1 = triangles[3 * t],
        i2 = triangles[3 * t + 1],
        i3 = triangles[3 * t + 2];
      const e12x = x[i2] - x[i1],
        e12y = y[i2] - y[i1];
      const e23x = x[i3] - x[i2],
        e23y = y[i3] - y[i2];
      const e31x = x[i1] - x[i3],
        e31y = y[i1] - y[i3];
      const f1 = values[i1],
        f2 = values[i2],
        f3 = values[i3];
      const df12 = grad[2 * i1] * e12x + grad[2 * i1 + 1] * e12y;
      const df21 = -(grad[2 * i2] * e12x + grad[2 * i2 + 1] * e12y);
      const df23 = grad[2 * i2] * e23x + grad[2 * i2 + 1] * e23y;
      const df32 = -(grad[2 * i3] * e23x + grad[2 * i3 + 1] * e23y);
      const df31 = grad[2 * i3] * e31x + grad[2 * i3 + 1] * e31y;
      const df13 = -(grad[2 * i1] * e31x + grad[2 * i1 + 1] * e31y);
      // Bézier ordinates c_{ijkl}: vertices 1, 2, 3 and the centroid 4 (scipy's names).
      const c3000 = f1,
        c0300 = f2,
        c0030 = f3;
      const c2100 = (df12 + 3 * c3000) / 3,
        c2010 = (df13 + 3 * c3000) / 3;
      const c1200 = (df21 + 3 * c0300) / 3,
        c0210 = (df23 + 3 * c0300) / 3;
      const c1020 = (df31 + 3 * c0030) / 3,
        c0120 = (df32 + 3 * c0030) / 3;
      const c2001 = (c2100 + c2010 + c3000) / 3;
      const c0201 = (c1200 + c0300 + c0210) / 3;
      const c0021 = (c1020 + c0120 + c0030) / 3;
      // Cross-boundary direction of edge k (opposite vertex k): towards the neighbour's centroid.
      for (let k = 0; k < 3; k++) {
        const opposite = halfedges[3 * t + ((k + 1) % 3)];
        if (opposite === -1) {
          g[k] = -0.5; // hull edge: the direction of the triangle's own centroid
          continue;
        }
        const n = Math.floor(opposite / 3);
        const a = triangles[3 * n],
          bb = triangles[3 * n + 1],
          cc = triangles[3 * n + 2];
        tri.barycentric(t, (x[a] + x[bb] + x[cc]) / 3, (y[a] + y[bb] + y[cc]) / 3, c);
        if (k === 0) g[k] = (2 * c[2] + c[1] - 1) / (2 - 3 * c[2] - 3 * c[1]);
        else if (k === 1) g[k] = (2 * c[0] + c[2] - 1) / (2 - 3 * c[0] - 3 * c[2]);
        else g[k] = (2 * c[1] + c[0] - 1) / (2 - 3 * c[1] - 3 * c[0]);
      }
      const c0111 =
        (g[0] * (-c0300 + 3 * c0210 - 3 * c0120 + c0030) + (-c0300 + 2 * c0210 - c0120 + c0021 + c0201)) / 2;
      const c1011 =
        (g[1] * (-c0030 + 3 * c1020 - 3 * c2010 + c3000) + (-c0030 + 2 * c1020 - c2010 + c2001 + c0021)) / 2;
      const c1101 =
        (g[2] * (-c3000 + 3 * c2100 - 3 * c1200 + c0300) + (-c3000 + 2 * c2100 - c1200 + c2001 + c0201)) / 2;
      const c1002 = (c1101 + c1011 + c2001) / 3;
      const c0102 = (c1101 + c0111 + c0201) / 3;
      const c0012 = (c1011 + c0111 + c0021) / 3;
      const c0003 = (c1002 + c0102 + c0012) / 3;
      // Extended barycentric coordinates: the sub-triangle is the one whose vertex has the smallest weight.
      const minval = Math.min(b[0], b[1], b[2]);
      const b1 = b[0] - minval,
        b2 = b[1] - minval,
        b3 = b[2] - minval,
        b4 = 3 * minval;
      return (
        b1 ** 3 * c3000 +
        3 * b1 ** 2 * b2 * c2100 +
        3 * b1 ** 2 * b3 * c2010 +
        3 * b1 ** 2 * b4 * c2001 +
        3 * b1 * b2 ** 2 * c1200 +
        6 * b1 * b2 * b4 * c1101 +
        3 * b1 * b3 ** 2 * c1020 +
        6 * b1 * b3 * b4 * c1011 +
        3 * b1 * b4 ** 2 * c1002 +
        b2 ** 3 * c0300 +
        3 * b2 ** 2 * b3 * c0210 +
        3 * b2 ** 2 * b4 * c0201 +
        3 * b2 * b3 ** 2 * c0120 +
        6 * b2 * b3 * b4 * c0111 +
        3 * b2 * b4 ** 2 * c0102 +
        b3 ** 3 * c0030 +
        3 * b3 ** 2 * b4 * c0021 +
        3 * b3 * b4 ** 2 * c0012 +
        b4 ** 3 * c0003
      );
    },
  };
}
