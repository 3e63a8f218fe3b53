/**
 * The charts' common ground: a Vega-Lite spec type that needs no Vega-Lite types to compile, and
 * the conventions every chart follows (units in axis titles, a colour scheme readable in grey).
 */
import { CurieError } from '../errors.js';

/** A Vega-Lite (v5) specification: plain JSON the user may edit before rendering it. */
export interface VegaLiteSpec {
  $schema?: string;
  [key: string]: unknown;
}

/** The schema every chart declares. */
export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Colour scheme of continuous fields: viridis, ordered and readable when printed in grey. */
export const SCHEME = 'viridis';

/** Default plot size, px: readable at 800 px wide once rendered at scale 1. */
export const WIDTH = 560;
export const HEIGHT = 400;

/** Check that `value` looks like a Vega-Lite spec (an object with a mark, layers, a repeat or a concat). */
export function checkSpec(value: unknown, what = 'spec'): VegaLiteSpec {
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
  const keys = ['mark', 'layer', 'hconcat', 'vconcat', 'concat', 'repeat', 'facet', 'spec'];
  if (!isObject || !keys.some((key) => key in value))
    throw new CurieError(
      'E_ARGUMENT',
      `${what} is not a Vega-Lite spec (an object with mark, layer, concat, repeat or facet); make one with spectrumChart, mapChart, … or write one`,
    );
  return value as VegaLiteSpec;
}

/** A finite number, or null (Vega-Lite leaves nulls out: NaN and ±Infinity are gaps, not values). */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
