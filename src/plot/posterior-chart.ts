/**
 * Samples of β, z_t, Δz and C (Metropolis–Hastings or sensitivity runs) as marginal histograms
 * and a pair plot (PyCurious's Ex3 corner plots).
 */
import { CurieError } from '../errors.js';
import type { ParameterSamples } from '../inversion/summary.js';
import { SCHEMA, type VegaLiteSpec } from './spec.js';

/** Options of {@link posteriorChart}. */
export interface PosteriorChartOptions {
  /** 'marginals' (a histogram each, default) or 'pairs' (a scatter matrix with histograms). */
  kind?: 'marginals' | 'pairs';
  /** At most this many samples are drawn, evenly thinned (default 5000). */
  maxSamples?: number;
  title?: string;
}

const PARAMETERS = [
  { field: 'beta', title: 'β' },
  { field: 'zt', title: 'z_t (km)' },
  { field: 'dz', title: 'Δz (km)' },
  { field: 'curieDepth', title: 'Curie depth (km)' },
] as const;

/**
 * Histograms of β, z_t, Δz and the Curie depth (z_t + Δz), or their pair plot.
 * @param samples from `metropolisHastings` or `sensitivity`
 */
export function posteriorChart(samples: ParameterSamples, options: PosteriorChartOptions = {}): VegaLiteSpec {
  if (!samples || !(samples.beta instanceof Float64Array) || samples.beta.length === 0)
    throw new CurieError(
      'E_ARGUMENT',
      'posteriorChart needs samples { beta, zt, dz, C } (from metropolisHastings or sensitivity)',
    );
  const n = samples.beta.length;
  const every = Math.max(1, Math.ceil(n / (options.maxSamples ?? 5000)));
  const rows = [];
  for (let i = 0; i < n; i += every) {
    const zt = samples.zt[i],
      dz = samples.dz[i];
    // Draws that ran off to the plateau (or past the bounds) would squash every axis: only finite ones are drawn.
    if ([samples.beta[i], zt, dz].every(Number.isFinite))
      rows.push({ beta: samples.beta[i], zt, dz, curieDepth: zt + dz });
  }
  const heading = { ...(options.title ? { title: options.title } : {}), description: `${rows.length} of ${n} samples` };
  if ((options.kind ?? 'marginals') === 'marginals')
    return {
      $schema: SCHEMA,
      ...heading,
      data: { values: rows },
      concat: PARAMETERS.map(({ field, title }) => ({
        width: 240,
        height: 160,
        mark: 'bar',
        encoding: {
          x: { field, type: 'quantitative', bin: { maxbins: 40 }, title },
          y: { aggregate: 'count', type: 'quantitative', title: 'samples' },
        },
      })),
      columns: 2,
    };
  const fields = PARAMETERS.map((p) => p.field);
  return {
    $schema: SCHEMA,
    ...heading,
    data: { values: rows },
    repeat: { row: fields, column: fields },
    spec: {
      width: 140,
      height: 140,
      mark: { type: 'point', size: 4, opacity: 0.3, filled: true },
      encoding: {
        x: { field: { repeat: 'column' }, type: 'quantitative', scale: { zero: false } },
        y: { field: { repeat: 'row' }, type: 'quantitative', scale: { zero: false } },
      },
    },
  };
}
