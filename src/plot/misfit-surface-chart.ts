/**
 * The misfit surface over β and Δz with z_t and C profiled out (PyCurious's Ex3, "posing the
 * inverse problem"): where the minimum lies, how flat the Δz plateau is.
 */
import { CurieError } from '../errors.js';
import type { MisfitSurface } from '../inversion/global-fit.js';
import { HEIGHT, SCHEMA, type VegaLiteSpec, WIDTH } from './spec.js';

/** Options of {@link misfitSurfaceChart}. */
export interface MisfitSurfaceChartOptions {
  /** A point to mark, e.g. the fit (β, Δz km). */
  best?: { beta: number; dz: number };
  /** Misfit above the minimum beyond which the colour saturates (default 50). */
  range?: number;
  title?: string;
}

/**
 * A heatmap of misfit − minimum over β (x) and Δz (y, log scale, km), from `misfitSurface`.
 * @throws CurieError `E_ARGUMENT` for a surface whose sizes disagree
 */
export function misfitSurfaceChart(surface: MisfitSurface, options: MisfitSurfaceChartOptions = {}): VegaLiteSpec {
  const { beta, dz, misfit } = surface ?? ({} as MisfitSurface);
  if (!beta || !dz || !misfit || misfit.length !== beta.length * dz.length || beta.length < 2 || dz.length < 2)
    throw new CurieError(
      'E_ARGUMENT',
      'misfitSurfaceChart needs a surface { beta, dz, misfit } of at least 2 × 2 nodes (from misfitSurface)',
    );
  let min = Infinity;
  for (const value of misfit) if (value < min) min = value;
  const range = options.range ?? 50;
  const halfBeta = (beta[1] - beta[0]) / 2,
    ratio = Math.sqrt(dz[1] / dz[0]);
  const cells = [];
  for (let r = 0; r < beta.length; r++)
    for (let c = 0; c < dz.length; c++) {
      const value = misfit[r * dz.length + c] - min;
      cells.push({
        b0: beta[r] - halfBeta,
        b1: beta[r] + halfBeta,
        d0: dz[c] / ratio,
        d1: dz[c] * ratio,
        value: Number.isFinite(value) ? Math.min(value, range) : null,
      });
    }
  const layer: unknown[] = [
    {
      data: { values: cells },
      mark: { type: 'rect', invalid: 'filter', strokeWidth: 0 },
      encoding: {
        x: { field: 'b0', type: 'quantitative', title: 'β (fractal exponent)', scale: { zero: false, nice: false } },
        x2: { field: 'b1' },
        y: {
          field: 'd0',
          type: 'quantitative',
          title: 'Δz, thickness of the magnetic layer (km)',
          scale: { type: 'log', nice: false },
        },
        y2: { field: 'd1' },
        color: {
          field: 'value',
          type: 'quantitative',
          title: ['misfit', `− minimum`, `(≤ ${range})`],
          scale: { scheme: 'viridis', reverse: true },
        },
      },
    },
  ];
  if (options.best)
    layer.push({
      data: { values: [options.best] },
      mark: { type: 'point', shape: 'cross', color: 'red', size: 120, strokeWidth: 2 },
      encoding: { x: { field: 'beta', type: 'quantitative' }, y: { field: 'dz', type: 'quantitative' } },
    });
  return {
    $schema: SCHEMA,
    ...(options.title ? { title: options.title } : {}),
    description: `misfit over ${beta.length} × ${dz.length} (β, Δz) nodes`,
    width: WIDTH,
    height: HEIGHT,
    layer,
  };
}
