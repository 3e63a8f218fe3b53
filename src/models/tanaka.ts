/**
 * Tanaka et al. (1999): depths to the top and the centroid of the magnetic layer from straight-line
 * fits to a radial spectrum made with power 0.5, as PyCurious computes them.
 */
import { CurieError, fmt } from '../errors.js';
import { checkConvention, type Convention } from '../spectrum/convention.js';

/** Default spatial-frequency range of both fits (top and centroid), cycles/km. */
export const TANAKA_RANGE: readonly [number, number] = [0.05, 0.2];

/** Slope, intercept and slope error of one weighted line fit. */
interface LineFit {
  slope: number;
  intercept: number;
  slopeError: number;
}

/**
 * PyCurious's `compute_coefficients`: weighted least squares of Y on X with weights 1/E², including
 * its corrected slope error `√(Σ1/E² / (ΣX²/E² · Σ1/E² − (ΣX/E²)²))`.
 */
function weightedLineFit(X: number[], Y: number[], E: number[]): LineFit {
  let xe = 0,
    ye = 0,
    re = 0,
    x2e = 0,
    xye = 0;
  for (let i = 0; i < X.length; i++) {
    const w = 1 / (E[i] * E[i]);
    xe += X[i] * w;
    ye += Y[i] * w;
    re += w;
    x2e += X[i] * X[i] * w;
    xye += X[i] * Y[i] * w;
  }
  const slope = (xe * ye - xye * re) / (xe * xe - x2e * re);
  const intercept = (xye - slope * x2e) / xe;
  const slopeError = Math.sqrt(re / (x2e * re - xe * xe));
  return { slope, intercept, slopeError };
}

/** Result of {@link tanaka1999}: top (`…tr`) and centroid (`…or`) fits; slopes are depths in km (negative). */
export interface TanakaFit {
  /** Slope of the top fit, km (PyCurious's Ztr; its magnitude is the depth to the top). */
  Ztr: number;
  /** Intercept of the top fit. */
  btr: number;
  /** Error of Ztr, km. */
  dZtr: number;
  /** Slope of the centroid fit, km (Zor). */
  Zor: number;
  /** Intercept of the centroid fit. */
  bor: number;
  /** Error of Zor, km. */
  dZor: number;
}

/** Check a Tanaka frequency range: `[low, high]` in cycles/km, finite, low < high (`E_ARGUMENT`). */
export function checkRange(range: readonly [number, number], name: string): void {
  if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isFinite) || !(range[0] < range[1]))
    throw new CurieError(
      'E_ARGUMENT',
      `${name} ${JSON.stringify(range)} must be [low, high] spatial frequencies in cycles/km with low < high`,
    );
}

/**
 * Tanaka et al. (1999) fits. With f = k/2π (cycles/km): the top fit is Phi against f for f in
 * `kminRange` with errors E = sigmaPhi²; the centroid fit is ln(e^Phi/(2πf)) against f for f in
 * `kmaxRange` with E = ln(e^{sigmaPhi²}/(2πf)). Each is weighted by 1/E². Under the default
 * convention the slopes and their errors are divided by 2π, so that `Ztr` and `Zor` are minus the
 * depths to the top and to the centroid in km (ln|F| = c − |k|·z_t); under `'pycurious-1.1'` they
 * are PyCurious's slopes against f, 2π times those depths.
 * @param k wavenumbers, rad/km (from a radial spectrum made with power 0.5)
 * @param Phi the spectrum
 * @param sigmaPhi the spectrum's standard deviation
 * @param kminRange spatial-frequency range of the top fit, cycles/km (inclusive)
 * @param kmaxRange spatial-frequency range of the centroid fit, cycles/km (inclusive)
 * @param options `convention` (default `'default'`): see above
 * @throws CurieError `E_ARGUMENT` when a range holds fewer than 2 points, or arrays disagree in length
 */
export function tanaka1999(
  k: ArrayLike<number>,
  Phi: ArrayLike<number>,
  sigmaPhi: ArrayLike<number>,
  kminRange: readonly [number, number] = TANAKA_RANGE,
  kmaxRange: readonly [number, number] = TANAKA_RANGE,
  options: { convention?: Convention } = {},
): TanakaFit {
  const convention = checkConvention(options.convention);
  if (k.length !== Phi.length || k.length !== sigmaPhi.length)
    throw new CurieError(
      'E_ARGUMENT',
      `k, Phi and sigmaPhi have ${k.length}, ${Phi.length} and ${sigmaPhi.length} entries; they must be one spectrum`,
    );
  checkRange(kminRange, 'kminRange');
  checkRange(kmaxRange, 'kmaxRange');
  const top = { X: [] as number[], Y: [] as number[], E: [] as number[] };
  const centroid = { X: [] as number[], Y: [] as number[], E: [] as number[] };
  for (let i = 0; i < k.length; i++) {
    const f = k[i] / (2 * Math.PI);
    const variance = sigmaPhi[i] * sigmaPhi[i];
    if (f >= kminRange[0] && f <= kminRange[1]) {
      top.X.push(f);
      top.Y.push(Phi[i]);
      top.E.push(variance);
    }
    if (f >= kmaxRange[0] && f <= kmaxRange[1]) {
      centroid.X.push(f);
      centroid.Y.push(Math.log(Math.exp(Phi[i]) / (f * 2 * Math.PI)));
      centroid.E.push(Math.log(Math.exp(variance) / (f * 2 * Math.PI)));
    }
  }
  for (const [points, range, name] of [
    [top.X, kminRange, 'kminRange'],
    [centroid.X, kmaxRange, 'kmaxRange'],
  ] as const)
    if (points.length < 2)
      throw new CurieError(
        'E_ARGUMENT',
        `${name} ${fmt(range[0])}…${fmt(range[1])} cycles/km holds ${points.length} spectrum point${points.length === 1 ? '' : 's'}; a line fit needs at least 2: widen it`,
      );
  const t = weightedLineFit(top.X, top.Y, top.E);
  const c = weightedLineFit(centroid.X, centroid.Y, centroid.E);
  // The lines are fitted against f in cycles/km, so their slopes are 2π × the depths (ln|F| falls
  // as e^{−|k|z} with |k| = 2πf). PyCurious 1.1 reports the slopes themselves; the default
  // convention reports km.
  const perKm = convention === 'pycurious-1.1' ? 1 : 1 / (2 * Math.PI);
  return {
    Ztr: t.slope * perKm,
    btr: t.intercept,
    dZtr: t.slopeError * perKm,
    Zor: c.slope * perKm,
    bor: c.intercept,
    dZor: c.slopeError * perKm,
  };
}

/**
 * Curie depth from the Tanaka fits (PyCurious's `ComputeTanaka`): `Zb = |2·Zor − Ztr|`,
 * `eZb = 2·dZor + dZtr`, km.
 */
export function computeTanaka(Ztr: number, dZtr: number, Zor: number, dZor: number): { Zb: number; eZb: number } {
  return { Zb: Math.abs(2 * Zor - Ztr), eZb: 2 * dZor + dZtr };
}
