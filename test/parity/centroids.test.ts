import { describe, expect, it } from 'vitest';
import { readReference, referenceGrid } from '../helpers/reference.js';

const cases =
  readReference<Record<string, { window: number; spacing: number | null; xc: number[]; yc: number[] }>>(
    'pycurious/centroids.json',
  );

describe('createCentroidList equals PyCurious exactly', () => {
  it.each(Object.entries(cases))('%s', (_, c) => {
    const grid = referenceGrid();
    const options = c.spacing === null ? {} : { spacingX: c.spacing, spacingY: c.spacing };
    const { xc, yc } = grid.createCentroidList(c.window, options);
    expect(Array.from(xc)).toEqual(c.xc);
    expect(Array.from(yc)).toEqual(c.yc);
  });
});
