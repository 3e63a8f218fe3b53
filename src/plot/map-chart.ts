/**
 * Maps as heatmaps: an anomaly raster, or one field of a Curie-depth map (PyCurious's Ex4/Ex5
 * figures), NaN transparent, and each window's verdict marked where it is not 'resolved'.
 */
import { CurieError } from '../errors.js';
import type { Raster } from '../io/raster.js';
import { quantileSorted } from '../inversion/summary.js';
import { VERDICTS } from '../inversion/verdict.js';
import { type AxisUnits, cellEncoding, pointCells, rasterCells, unitsOf } from './cells.js';
import { HEIGHT, SCHEMA, SCHEME, type VegaLiteSpec, WIDTH } from './spec.js';

/** Options of {@link mapChart} for a map result. */
export interface MapChartOptions {
  /** Window centres, metres (as given to `optimiseRoutine`). */
  x?: ArrayLike<number>;
  y?: ArrayLike<number>;
  /** The result's field to draw, e.g. `'curieDepth'` (default), `'beta'`, `'curieDepthHigh'`. */
  field?: string;
  /** Colour-bar title (default: the field's name with its unit). */
  label?: string;
  title?: string;
}

/** Units of the fields of a map result, for colour-bar titles. */
const FIELD_LABELS: Record<string, string> = {
  curieDepth: 'Curie depth (km)',
  curieDepthLow: 'Curie depth, low end (km)',
  curieDepthHigh: 'Curie depth, high end (km)',
  zt: 'z_t (km)',
  dz: 'Δz (km)',
  beta: 'β',
  C: 'C',
  misfit: 'misfit',
  Zb: 'Curie depth (km)',
  // The command line's column names.
  curie_depth: 'Curie depth (km)',
  curie_depth_low: 'Curie depth, low end (km)',
  curie_depth_high: 'Curie depth, high end (km)',
  curie_depth_error: 'Curie depth error (km)',
  Ztr: 'Z_t (km)',
  Zor: 'Z_0 (km)',
};

/** A colour-bar title for a field or band name: its unit when known. */
export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

const isRaster = (value: unknown): value is Raster =>
  value !== null &&
  typeof value === 'object' &&
  'data' in value &&
  'xmin' in value &&
  Array.isArray((value as Raster).data?.shape);

/** Markers of the verdicts that are not 'resolved': shape and label. */
const VERDICT_MARKS = { 'lower-bound': 'triangle-up', unresolved: 'cross' } as const;

/**
 * A heatmap of a raster (the anomaly, nT) or of one field of a map result at its window centres.
 * Coordinates in km (or degrees for longitude/latitude); NaN cells are left out (transparent); when
 * the result has verdicts, windows that are 'lower-bound' (▲) or 'unresolved' (✚) are marked and the
 * colours span the resolved windows' 2–98 % range (else all values'), saturating beyond.
 * @param input a `Raster` (e.g. from `loadGrid`), or a map result (`optimiseRoutine`'s, or any
 *   object of equal-length number arrays) with `options.x`/`options.y` the centres
 * @throws CurieError `E_ARGUMENT` for a field the result does not have, or missing centres
 */
export function mapChart(input: Raster | object, options: MapChartOptions = {}): VegaLiteSpec {
  if (isRaster(input)) {
    const [rows, cols] = input.data.shape;
    const dx = (input.xmax - input.xmin) / (cols - 1),
      dy = (input.ymax - input.ymin) / (rows - 1);
    const units = unitsOf([input.xmin, input.xmin + dx, input.xmax], [input.ymin, input.ymin + dy, input.ymax]);
    const { cells, stride } = rasterCells(input, units);
    return heatmap(
      cells,
      units,
      options.label ?? 'anomaly (nT)',
      options.title,
      `raster ${rows} × ${cols}${stride > 1 ? `, every ${stride}th node drawn` : ''}`,
    );
  }
  const field = options.field ?? 'curieDepth';
  const values = fieldValues(input, field);
  const result = input as Record<string, unknown>;
  const { x, y } = options;
  if (!x || !y)
    throw new CurieError('E_ARGUMENT', 'mapChart of a map result needs the window centres: { x: xc, y: yc } in metres');
  if (x.length !== values.length)
    throw new CurieError(
      'E_ARGUMENT',
      `the map has ${values.length} values of ${field} but ${x.length} centres; pass the centres the map was made with`,
    );
  const units = unitsOf(x, y);
  const cells = pointCells(x, y, (i) => values[i], units);
  const verdict = result.verdict;
  const codes =
    verdict &&
    typeof verdict === 'object' &&
    'length' in verdict &&
    (verdict as ArrayLike<number>).length === values.length
      ? (verdict as ArrayLike<number>)
      : undefined;
  // Colours span the resolved windows' values where they are a good share of the map: unresolved
  // ones keep values that mean little. With few resolved windows, every window's values.
  const all = cells.map((cell) => cell.value);
  const resolved = codes
    ? cells.filter((cell) => codes[cell.index] === 0 && cell.value !== null).map((cell) => cell.value)
    : [];
  const finiteCount = all.filter((v) => v !== null).length;
  const domain = robustDomain(resolved.length >= Math.max(5, 0.25 * finiteCount) ? resolved : all);
  const spec = heatmap(
    cells,
    units,
    options.label ?? fieldLabel(field),
    options.title,
    `${field} of ${values.length} windows`,
    domain,
  );
  if (codes) {
    const marks = cells
      .map((cell, i) => ({ x: (cell.x0 + cell.x1) / 2, y: (cell.y0 + cell.y1) / 2, verdict: VERDICTS[codes[i]] }))
      .filter((m) => m.verdict === 'lower-bound' || m.verdict === 'unresolved');
    if (marks.length > 0) spec.layer.push(verdictLayer(marks, units));
  }
  return spec;
}

/** The values of a result's field, checked: an array of numbers. */
export function fieldValues(input: object, field: string): ArrayLike<number> {
  const record = (input ?? {}) as Record<string, unknown>;
  const values = record[field];
  const numeric = (v: unknown): v is ArrayLike<number> =>
    v instanceof Float64Array ||
    v instanceof Float32Array ||
    (Array.isArray(v) && v.every((e) => typeof e === 'number'));
  if (!numeric(values)) {
    const fields = Object.keys(record).filter((key) => numeric(record[key]));
    throw new CurieError(
      'E_ARGUMENT',
      `the map has no numeric field '${field}'; it has ${fields.length > 0 ? fields.join(', ') : 'none'}`,
    );
  }
  return values;
}

function verdictLayer(marks: Array<{ x: number; y: number; verdict: string }>, units: AxisUnits) {
  return {
    data: { values: marks },
    mark: { type: 'point', filled: true, strokeWidth: 0.5, stroke: 'white', size: 45 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: units.x },
      y: { field: 'y', type: 'quantitative', title: units.y },
      shape: {
        field: 'verdict',
        type: 'nominal',
        title: 'verdict',
        scale: { domain: Object.keys(VERDICT_MARKS), range: Object.values(VERDICT_MARKS) },
      },
      color: {
        field: 'verdict',
        type: 'nominal',
        title: 'verdict',
        scale: { domain: Object.keys(VERDICT_MARKS), range: ['#ff7f0e', '#d62728'] },
      },
    },
  };
}

/**
 * The colour domain: the values within Tukey's far fences (3 interquartile ranges beyond the
 * quartiles), so that a few windows fitted to absurd depths (unresolved ones keep their values) do
 * not wash out the rest, however few windows there are; colours saturate beyond.
 */
export function robustDomain(values: Array<number | null>): [number, number] | undefined {
  const finite = Float64Array.from(values.filter((v): v is number => v !== null && Number.isFinite(v))).sort();
  if (finite.length === 0) return undefined;
  const q1 = quantileSorted(finite, 0.25),
    q3 = quantileSorted(finite, 0.75),
    reach = 3 * (q3 - q1);
  const low = Math.max(finite[0], q1 - reach),
    high = Math.min(finite[finite.length - 1], q3 + reach);
  return high > low ? [low, high] : undefined;
}

/** The colour channel of a heatmap: viridis over `domain`, clamped. */
function colour(label: string, domain: [number, number] | undefined) {
  return {
    field: 'value',
    type: 'quantitative',
    title: label,
    scale: { scheme: SCHEME, ...(domain ? { domain, clamp: true } : {}) },
  };
}

/**
 * Whether the cells' centres lie on one lattice (every centre a whole number of steps from the
 * first, to 1e-6 of a step): only then do the cells tile the plane.
 */
function regularCells(cells: Array<{ x0: number; x1: number; y0: number; y1: number }>): boolean {
  if (cells.length === 0) return true;
  const dx = cells[0].x1 - cells[0].x0,
    dy = cells[0].y1 - cells[0].y0;
  const x0 = cells[0].x0,
    y0 = cells[0].y0;
  const onLattice = (value: number, origin: number, step: number) =>
    Math.abs((value - origin) / step - Math.round((value - origin) / step)) < 1e-6;
  return cells.every((c) => onLattice(c.x0, x0, dx) && onLattice(c.y0, y0, dy));
}

/** A heatmap of cells with a colour bar titled `label`. */
export function heatmap(
  cells: Array<{ x0: number; x1: number; y0: number; y1: number; value: number | null }>,
  units: AxisUnits,
  label: string,
  title: string | undefined,
  description: string,
  domain = robustDomain(cells.map((cell) => cell.value)),
): VegaLiteSpec & { layer: unknown[] } {
  return {
    $schema: SCHEMA,
    ...(title ? { title } : {}),
    description,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: cells },
        ...(regularCells(cells)
          ? {
              // The stroke, in the fill's colour, closes the hairline seams antialiasing leaves between cells.
              mark: { type: 'rect', invalid: 'filter', strokeWidth: 0.5 },
              encoding: {
                ...cellEncoding(units),
                color: colour(label, domain),
                stroke: { ...colour(label, domain), legend: null },
              },
            }
          : {
              // Centres off any lattice (e.g. projected to longitude/latitude): a square at each.
              transform: [
                { calculate: '(datum.x0 + datum.x1) / 2', as: 'x' },
                { calculate: '(datum.y0 + datum.y1) / 2', as: 'y' },
              ],
              mark: { type: 'square', invalid: 'filter', size: 60, opacity: 1 },
              encoding: {
                x: { field: 'x', type: 'quantitative', title: units.x, scale: { zero: false } },
                y: { field: 'y', type: 'quantitative', title: units.y, scale: { zero: false } },
                color: colour(label, domain),
              },
            }),
      },
    ],
    resolve: { scale: { color: 'independent', shape: 'independent' } },
  };
}
