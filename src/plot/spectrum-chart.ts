/**
 * The radial power spectrum of a window with its error bars and fitted Bouligand model curves
 * (PyCurious's Ex1/Ex2 figures).
 */
import { CurieError } from '../errors.js';
import { bouligand2009 } from '../models/bouligand.js';
import { finiteOrNull, HEIGHT, SCHEMA, type VegaLiteSpec, WIDTH } from './spec.js';

/** β, z_t, Δz (km) and C of a Bouligand model, e.g. a `FitResult`. */
export interface ModelParameters {
  beta: number;
  zt: number;
  dz: number;
  C: number;
}

/** Options of {@link spectrumChart}. */
export interface SpectrumChartOptions {
  /**
   * A fit to draw over the data (its legend label: "fit"). A multitaper fit's `spectrumBias` (a
   * `FitResult` carries it) is taken off the points, so they show the spectrum the fit was made to.
   */
  fit?: ModelParameters & { spectrumBias?: ArrayLike<number> };
  /** Several models, each with its label (e.g. different starts or priors). */
  fits?: Array<{ label: string; model: ModelParameters }>;
  /** Which error bars: `'sigmaPhi'` (scatter in each ring, PyCurious's; default) or `'sigmaMean'` (error of each bin's mean). */
  errors?: 'sigmaPhi' | 'sigmaMean';
  title?: string;
}

/** Points of each model curve: enough for a smooth line at 800 px. */
const CURVE_POINTS = 200;

/**
 * A chart of ln Φ against k (rad/km) with ±σ bars, and the model curve of each fit.
 * @param spectrum `k` (rad/km), `Phi`, `sigmaPhi` (and `sigmaMean` for `errors: 'sigmaMean'`), e.g. from `radialSpectrum`
 * @returns a Vega-Lite spec (render it with `renderSvg`/`renderPng`, or `display` it in a notebook)
 */
export function spectrumChart(
  spectrum: {
    k: ArrayLike<number>;
    Phi: ArrayLike<number>;
    sigmaPhi: ArrayLike<number>;
    sigmaMean?: ArrayLike<number>;
  },
  options: SpectrumChartOptions = {},
): VegaLiteSpec {
  const { k, Phi } = spectrum ?? {};
  if (!k || !Phi || k.length !== Phi.length || k.length === 0)
    throw new CurieError(
      'E_ARGUMENT',
      'spectrumChart needs a spectrum { k, Phi, sigmaPhi } of one length (e.g. from radialSpectrum)',
    );
  const which = options.errors ?? 'sigmaPhi';
  const sigma = which === 'sigmaMean' ? spectrum.sigmaMean : spectrum.sigmaPhi;
  if (!sigma || sigma.length !== k.length)
    throw new CurieError('E_ARGUMENT', `spectrumChart: the spectrum has no ${which} of its length`);
  const bias = options.fit?.spectrumBias?.length === k.length ? options.fit.spectrumBias : undefined;
  const points = Array.from(k, (kk, i) => {
    const value = Phi[i] - (bias ? bias[i] : 0);
    return {
      k: kk,
      Phi: finiteOrNull(value),
      low: finiteOrNull(value - sigma[i]),
      high: finiteOrNull(value + sigma[i]),
    };
  });
  const models = [...(options.fit ? [{ label: 'fit', model: options.fit }] : []), ...(options.fits ?? [])];
  const kMin = k[0],
    kMax = k[k.length - 1];
  const kLine = Float64Array.from({ length: CURVE_POINTS }, (_, i) => kMin + ((kMax - kMin) * i) / (CURVE_POINTS - 1));
  const curves = models.flatMap(({ label, model }) => {
    const values = bouligand2009(kLine, model.beta, model.zt, model.dz, model.C);
    return Array.from(kLine, (kk, i) => ({ k: kk, Phi: finiteOrNull(values[i]), model: label }));
  });
  const x = { field: 'k', type: 'quantitative', title: 'wavenumber k (rad/km)', scale: { zero: false } };
  const y = { type: 'quantitative', title: 'ln Φ (radial power spectrum)', scale: { zero: false } };
  const layer: unknown[] = [
    {
      data: { values: points },
      mark: { type: 'rule', color: '#888' },
      encoding: { x, y: { ...y, field: 'low' }, y2: { field: 'high' } },
    },
    {
      data: { values: points },
      mark: { type: 'point', filled: true, color: 'black', size: 30 },
      encoding: {
        x,
        y: { ...y, field: 'Phi' },
        tooltip: [
          { field: 'k', format: '.4f' },
          { field: 'Phi', format: '.3f' },
        ],
      },
    },
  ];
  if (curves.length > 0)
    layer.push({
      data: { values: curves },
      mark: { type: 'line', strokeWidth: 2 },
      encoding: { x, y: { ...y, field: 'Phi' }, color: { field: 'model', type: 'nominal', title: 'model' } },
    });
  return {
    $schema: SCHEMA,
    ...(options.title ? { title: options.title } : {}),
    width: WIDTH,
    height: HEIGHT,
    layer,
    description: `radial spectrum, ${k.length} bins, ±${which === 'sigmaMean' ? 'σ of each mean' : 'σΦ'} bars`,
  };
}
