/**
 * `curie plot`: a figure (SVG or PNG) of a map (GeoTIFF, CSV, NDJSON, JSON from `curie map`), a
 * raster, or a spectrum (CSV from `curie spectrum`).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CurieError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { checkOutput } from '../io/output-target.js';
import { loadGrid } from '../io/load.js';
import { parseTable, type Table } from '../io/read-table.js';
import { VERDICTS, type VerdictName } from '../inversion/verdict.js';
import { fieldLabel, mapChart } from '../plot/map-chart.js';
import { renderPng, renderSvg } from '../plot/render.js';
import { type VegaLiteSpec } from '../plot/spec.js';
import { spectrumChart } from '../plot/spectrum-chart.js';

/** The figure's format from the output's extension: `.svg` or `.png`. */
export function figureFormat(out: string): 'svg' | 'png' {
  const extension = path.extname(out).toLowerCase();
  if (extension === '.svg' || extension === '.png') return extension.slice(1) as 'svg' | 'png';
  throw new CurieError('E_ARGUMENT', `--out '${out}' must end in .svg or .png`);
}

/** Write a spec as the figure `out` names (SVG or PNG), atomically. */
export async function writeFigure(spec: VegaLiteSpec, out: string): Promise<void> {
  const format = figureFormat(out);
  await writeFileAtomic(out, format === 'svg' ? await renderSvg(spec) : await renderPng(spec));
}

/** A numeric column of a table, or an error naming the columns it has. */
function numericColumn(table: Table, name: string, source: string): Float64Array {
  const column = table.values.get(name);
  if (column instanceof Float64Array) return column;
  const numeric = table.columns.filter((c) => table.values.get(c) instanceof Float64Array);
  throw new CurieError(
    'E_ARGUMENT',
    `${source} has no numeric column '${name}'; it has ${numeric.join(', ') || 'none'}`,
  );
}

/** The chart of a table: a spectrum (k, Phi, sigma) or a map (x, y and the field). */
function tableChart(table: Table, source: string, field: string | undefined, title: string): VegaLiteSpec {
  if (table.rows === 0) throw new CurieError('E_ARGUMENT', `${source} has no rows to plot (an empty map?)`);
  if (table.columns.includes('k') && table.columns.includes('Phi')) {
    const k = numericColumn(table, 'k', source),
      Phi = numericColumn(table, 'Phi', source),
      sigma = numericColumn(table, 'sigma', source);
    return spectrumChart({ k, Phi, sigmaPhi: sigma }, { title });
  }
  const name = field ?? 'curie_depth';
  const x = numericColumn(table, 'x', source),
    y = numericColumn(table, 'y', source);
  const values = numericColumn(table, name, source);
  const verdicts = table.values.get('verdict');
  const result: Record<string, unknown> = { [name]: values };
  if (Array.isArray(verdicts))
    result.verdict = Uint8Array.from(verdicts, (v) => Math.max(0, VERDICTS.indexOf(v as VerdictName)));
  return mapChart(result, { x, y, field: name, title });
}

/** `curie plot <input> --out fig.svg|fig.png [--field NAME] [--title TEXT]`. */
export async function runPlot(input: string, options: { out: string; field?: string; title?: string }): Promise<void> {
  figureFormat(options.out);
  await checkOutput(options.out, [input]);
  const title = options.title ?? path.basename(input);
  const extension = path.extname(input).toLowerCase();
  let spec: VegaLiteSpec;
  if (extension === '.tif' || extension === '.tiff') {
    const raster = await loadGrid(input, options.field === undefined ? {} : { band: options.field });
    if (raster.data.data.every((v) => Number.isNaN(v)))
      throw new CurieError(
        'E_ARGUMENT',
        `${input} has no finite value to plot${options.field ? ` in band ${options.field}` : ''}`,
      );
    spec = mapChart(raster, { title, label: options.field === undefined ? 'band 1' : fieldLabel(options.field) });
  } else if (['.csv', '.ndjson', '.jsonl', '.json'].includes(extension)) {
    let text: string;
    try {
      text = await readFile(input, 'utf8');
    } catch {
      throw new CurieError('E_NOT_FOUND', `${input} cannot be read; check the path`);
    }
    spec = tableChart(parseTable(text, input), input, options.field, title);
  } else
    throw new CurieError(
      'E_ARGUMENT',
      `cannot plot '${input}': give a map (.tif, .csv, .ndjson, .json from curie map) or a spectrum (.csv from curie spectrum)`,
    );
  await writeFigure(spec, options.out);
}
