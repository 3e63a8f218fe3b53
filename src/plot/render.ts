/**
 * Rendering Vega-Lite specs without a browser: Vega's headless SVG renderer, and PNG through resvg
 * (a Rust SVG rasteriser shipped prebuilt). vega, vega-lite and resvg are loaded on first use, so
 * importing or `require()`-ing the package costs nothing and needs none of them.
 */
import { existsSync } from 'node:fs';
import { CurieError } from '../errors.js';
import { checkSpec, type VegaLiteSpec } from './spec.js';

/** Options of {@link renderPng}. */
export interface RenderPngOptions {
  /** Pixel scale of the SVG's size (default 2: a 560 px chart becomes ~1200 px wide). */
  scale?: number;
}

/** Debian's fonts-dejavu-core (other systems: any font resvg finds among the system's). */
const DEJAVU = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/dejavu/DejaVuSans.ttf'];

/**
 * The spec as an SVG document (text). Titles, axes and legends use the font family "DejaVu Sans,
 * sans-serif".
 * @throws CurieError `E_ARGUMENT` when `spec` is not a Vega-Lite spec, or Vega-Lite rejects it
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  checkSpec(spec);
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  let compiled;
  try {
    // Our defaults under the spec's own config: the font resvg has, a white page, legend titles
    // long enough for a unit ("Curie depth, high end (km)").
    const own = (spec.config ?? {}) as Record<string, unknown>;
    const config = {
      font: 'DejaVu Sans, sans-serif',
      background: 'white',
      ...own,
      legend: { titleLimit: 360, labelLimit: 240, ...((own.legend as object) ?? {}) },
    };
    compiled = vegaLite.compile({ ...spec, config } as never).spec;
  } catch (error) {
    throw new CurieError(
      'E_ARGUMENT',
      `Vega-Lite cannot compile this spec: ${(error as Error).message.split('\n')[0]}`,
      { cause: error },
    );
  }
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * The spec as a PNG image (bytes), rasterised from {@link renderSvg}'s SVG: text in DejaVu Sans
 * where installed (Debian: fonts-dejavu-core), else in a font of the system's.
 */
export async function renderPng(spec: VegaLiteSpec, options: RenderPngOptions = {}): Promise<Uint8Array> {
  const scale = options.scale ?? 2;
  if (typeof scale !== 'number' || !(scale > 0 && scale <= 16))
    throw new CurieError('E_ARGUMENT', `scale ${String(scale)} must be a number in (0, 16]`);
  const svg = await renderSvg(spec);
  const dejavu = DEJAVU.find((file) => existsSync(file));
  const { Resvg } = await import('@resvg/resvg-js');
  const font = dejavu
    ? { loadSystemFonts: false, fontFiles: [dejavu], defaultFontFamily: 'DejaVu Sans' }
    : { loadSystemFonts: true };
  const image = new Resvg(svg, { font, fitTo: { mode: 'zoom', value: scale } });
  return new Uint8Array(image.render().asPng());
}
