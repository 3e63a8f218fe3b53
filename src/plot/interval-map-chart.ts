/**
 * The Curie depth's interval across a map: its low and high ends side by side on one colour scale,
 * an open high end (the data bound the depth from below only) drawn as an empty, outlined cell.
 */
import { type AxisUnits, cellEncoding, pointCells, unitsOf } from './cells.js';
import { fieldValues, robustDomain } from './map-chart.js';
import { HEIGHT, SCHEMA, SCHEME, type VegaLiteSpec, WIDTH } from './spec.js';

/** Options of {@link intervalMapChart}. */
export interface IntervalMapChartOptions {
  /** Window centres, metres. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  title?: string;
}

/**
 * Two heatmaps, the low and the high end of each window's Curie-depth interval (km), with a shared
 * colour bar; windows whose high end is Infinity are outlined in the high panel ("open").
 * @param result a map result with `curieDepthLow` and `curieDepthHigh` (from `optimiseRoutine`)
 */
export function intervalMapChart(result: object, options: IntervalMapChartOptions): VegaLiteSpec {
  const low = fieldValues(result, 'curieDepthLow'),
    high = fieldValues(result, 'curieDepthHigh');
  const units = unitsOf(options.x, options.y);
  const domain = robustDomain([...Array.from(low), ...Array.from(high)].map((v) => (Number.isFinite(v) ? v : null)));
  const panel = (title: string, values: ArrayLike<number>) => {
    const cells = pointCells(options.x, options.y, (i) => values[i], units);
    const open = cells.filter((cell) => values[cell.index] === Infinity);
    return {
      title,
      width: WIDTH / 2,
      height: (HEIGHT * 3) / 4,
      layer: [
        {
          data: { values: cells },
          mark: { type: 'rect', invalid: 'filter' },
          encoding: {
            ...cellEncoding(units),
            color: {
              field: 'value',
              type: 'quantitative',
              title: 'Curie depth (km)',
              scale: { scheme: SCHEME, ...(domain ? { domain, clamp: true } : {}) },
            },
          },
        },
        ...(open.length > 0 ? [openLayer(open, units)] : []),
      ],
    };
  };
  return {
    $schema: SCHEMA,
    ...(options.title ? { title: options.title } : {}),
    description: `Curie depth interval of ${low.length} windows`,
    hconcat: [panel('low end', low), panel('high end (outlined: open, no upper bound)', high)],
    resolve: { scale: { color: 'shared' } },
  };
}

function openLayer(cells: unknown[], units: AxisUnits) {
  return {
    data: { values: cells },
    mark: { type: 'rect', fill: null, stroke: '#d62728', strokeWidth: 1 },
    encoding: cellEncoding(units),
  };
}
