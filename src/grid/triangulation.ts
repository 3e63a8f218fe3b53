import Delaunator from 'delaunator';
import { CurieError } from '../errors.js';

/** Barycentric tolerance (scipy's `eps = 100·DBL_EPSILON`): a point this close to a triangle is in it. */
const EPS = 100 * Number.EPSILON;

/**
 * A Delaunay triangulation (delaunator) of points given relative to their centre, with a point
 * locator: `locate(qx, qy)` returns the triangle holding the point, its barycentric coordinates in
 * `weights` (for the triangle's vertices `triangles[3t]`, `[3t+1]`, `[3t+2]`), or −1 outside the hull.
 */
export interface Triangulation {
  /** Vertex indices, three per triangle. */
  triangles: Uint32Array;
  /** Opposite half-edge of each half-edge (−1 on the hull); half-edge 3t+j runs from vertex j to j+1. */
  halfedges: Int32Array;
  /** Number of triangles. */
  count: number;
  /** Barycentric coordinates of the last point located. */
  weights: Float64Array;
  /** Triangle holding (qx, qy) (−1 outside the hull); starts walking where the last call ended. */
  locate(qx: number, qy: number): number;
  /** Start the next walk at triangle t (e.g. the first node of the row before). */
  startAt(t: number): void;
  /** The triangle the last walk ended in. */
  current(): number;
  /** Barycentric coordinates of (qx, qy) in triangle t into `out`; false if t is degenerate. */
  barycentric(t: number, qx: number, qy: number, out: Float64Array): boolean;
}

/**
 * Triangulate points given interleaved `[x0, y0, x1, y1, …]` (shifted near the origin for
 * precision; delaunator works on this array itself, no copy). Each point is located by
 * a directed walk from the triangle of the previous point (scipy's `_find_simplex_directed`): in
 * the current triangle compute the barycentric coordinates; if one is below −EPS, step across the
 * edge opposite that vertex (the most negative one); a hull edge there means the point is outside
 * the (convex) hull. A walk that does not finish (rounding on nearly degenerate triangles) falls
 * back to scanning every triangle.
 * @throws CurieError `E_ARGUMENT` when the points are all on one line.
 */
export function triangulate(coords: Float64Array): Triangulation {
  const count = coords.length / 2;
  const delaunay = new Delaunator(coords);
  const triangles = delaunay.triangles;
  const halfedges = delaunay.halfedges;
  const nTriangles = triangles.length / 3;
  if (nTriangles === 0) {
    throw new CurieError(
      'E_ARGUMENT',
      `the ${count} points lie on one line (or at one place); linear or cubic gridding needs points that span an area (use method 'nearest')`,
    );
  }
  const weights = new Float64Array(3);

  const barycentric = (t: number, qx: number, qy: number, out: Float64Array): boolean => {
    const a = triangles[3 * t];
    const b = triangles[3 * t + 1];
    const c = triangles[3 * t + 2];
    const ax = coords[2 * a];
    const ay = coords[2 * a + 1];
    const bax = coords[2 * b] - ax;
    const bay = coords[2 * b + 1] - ay;
    const cax = coords[2 * c] - ax;
    const cay = coords[2 * c + 1] - ay;
    const det = bax * cay - bay * cax;
    if (det === 0) return false;
    const qax = qx - ax;
    const qay = qy - ay;
    const wb = (qax * cay - qay * cax) / det;
    const wc = (bax * qay - bay * qax) / det;
    out[0] = 1 - wb - wc;
    out[1] = wb;
    out[2] = wc;
    return true;
  };

  const bruteForce = (qx: number, qy: number): number => {
    for (let t = 0; t < nTriangles; t++) {
      if (barycentric(t, qx, qy, weights) && weights[0] >= -EPS && weights[1] >= -EPS && weights[2] >= -EPS) return t;
    }
    return -1;
  };

  let current = 0;
  const maxSteps = 64 + nTriangles;
  const locate = (qx: number, qy: number): number => {
    let t = current;
    for (let step = 0; step < maxSteps; step++) {
      if (!barycentric(t, qx, qy, weights)) break;
      let worst = -1;
      let worstWeight = -EPS;
      for (let k = 0; k < 3; k++) {
        if (weights[k] < worstWeight) {
          worstWeight = weights[k];
          worst = k;
        }
      }
      if (worst === -1) {
        current = t;
        return t;
      }
      // The edge opposite vertex k runs from vertex k+1 to vertex k+2: half-edge 3t + (k+1) % 3.
      const opposite = halfedges[3 * t + ((worst + 1) % 3)];
      if (opposite === -1) {
        current = t;
        return -1; // beyond a hull edge, and the hull is convex: outside it
      }
      t = Math.floor(opposite / 3);
    }
    const found = bruteForce(qx, qy);
    if (found >= 0) {
      current = found;
      barycentric(found, qx, qy, weights);
    }
    return found;
  };

  return {
    triangles,
    halfedges,
    count: nTriangles,
    weights,
    locate,
    startAt: (t: number) => {
      current = t;
    },
    current: () => current,
    barycentric,
  };
}
