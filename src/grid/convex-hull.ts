/**
 * The convex hull of many points without sorting them all: Akl–Toussaint's filter (points strictly
 * inside the octagon of the extreme points in x, y, x + y and x − y cannot be hull vertices), then
 * Andrew's monotone chain on the survivors. Coordinates are taken as `coord(i)` minus (cx, cy).
 */
export interface ConvexHull {
  /** Whether (qx, qy) (shifted like the points) is inside the hull or within `eps` of it. */
  contains(qx: number, qy: number): boolean;
}

/** Convex hull of `count` points with coordinates `x[i] − cx`, `y[i] − cy`. */
export function convexHull(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  count: number,
  cx: number,
  cy: number,
): ConvexHull {
  // the eight extreme points: min/max of x, y, x + y, x − y
  const extreme = new Int32Array(8);
  const keys = [(i: number) => x[i], (i: number) => y[i], (i: number) => x[i] + y[i], (i: number) => x[i] - y[i]];
  for (let k = 0; k < 4; k++) {
    let lo = 0,
      hi = 0;
    for (let i = 1; i < count; i++) {
      const v = keys[k](i);
      if (v < keys[k](lo)) lo = i;
      if (v > keys[k](hi)) hi = i;
    }
    extreme[2 * k] = lo;
    extreme[2 * k + 1] = hi;
  }
  // the octagon, counter-clockwise: angular order of the extremes around their centroid
  const ex = Array.from(extreme, (i) => x[i] - cx),
    ey = Array.from(extreme, (i) => y[i] - cy);
  const mx = ex.reduce((a, b) => a + b, 0) / 8,
    my = ey.reduce((a, b) => a + b, 0) / 8;
  const order = [...Array(8).keys()].sort(
    (a, b) => Math.atan2(ey[a] - my, ex[a] - mx) - Math.atan2(ey[b] - my, ex[b] - mx),
  );
  const ox = order.map((k) => ex[k]),
    oy = order.map((k) => ey[k]);
  const strictlyInsideOctagon = (px: number, py: number): boolean => {
    for (let k = 0; k < 8; k++) {
      const j = (k + 1) % 8;
      if ((ox[j] - ox[k]) * (py - oy[k]) - (oy[j] - oy[k]) * (px - ox[k]) <= 0) return false;
    }
    return true;
  };
  let kept = new Uint32Array(1024);
  let m = 0;
  for (let i = 0; i < count; i++) {
    if (strictlyInsideOctagon(x[i] - cx, y[i] - cy)) continue;
    if (m === kept.length) {
      const grown = new Uint32Array(2 * m);
      grown.set(kept);
      kept = grown;
    }
    kept[m++] = i;
  }
  const candidates = Array.from(kept.subarray(0, m)).sort((a, b) => x[a] - x[b] || y[a] - y[b]);
  const cross = (o: number, a: number, b: number) => (x[a] - x[o]) * (y[b] - y[o]) - (y[a] - y[o]) * (x[b] - x[o]);
  const chain = (list: number[]) => {
    const out: number[] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  const hull = [...chain(candidates), ...chain(candidates.slice().reverse())];
  const hx = Float64Array.from(hull, (i) => x[i] - cx),
    hy = Float64Array.from(hull, (i) => y[i] - cy);
  const h = hull.length;
  const scale = Math.max(...Array.from(hx, Math.abs), ...Array.from(hy, Math.abs), 1);
  const eps = 1e-9 * scale * scale;
  const side = (a: number, b: number, px: number, py: number) =>
    (hx[b] - hx[a]) * (py - hy[a]) - (hy[b] - hy[a]) * (px - hx[a]);
  return {
    contains(qx, qy) {
      if (h < 3) return false;
      // fan from vertex 0: binary search for the wedge holding q, then one edge test
      if (side(0, 1, qx, qy) < -eps || side(0, h - 1, qx, qy) > eps) return false;
      let lo = 1,
        hi = h - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (side(0, mid, qx, qy) >= 0) lo = mid;
        else hi = mid;
      }
      return side(lo, hi, qx, qy) >= -eps;
    },
  };
}
