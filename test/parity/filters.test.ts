import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { maxRelativeToPeak } from '../helpers/random.js';
import { readReference, referenceGrid } from '../helpers/reference.js';

const f = readReference('pycurious/filters.json');
const [rows, cols] = f.shape as [number, number];
const input = ndarray(Float64Array.from(f.input as number[]), [rows, cols]);

describe('filters equal PyCurious to 1e-9 of the largest magnitude', () => {
  it('the fixture input is the 50 km window PyCurious cut at the centre', () => {
    const window = referenceGrid().subgrid(f.window, f.xc, f.yc);
    const flat = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) flat[r * cols + c] = window.get(r, c);
    expect(Array.from(flat)).toEqual(f.input);
  });

  it('removeTrendLinear', () => {
    const out = referenceGrid().removeTrendLinear(input);
    expect(maxRelativeToPeak(out.data, f.remove_trend_linear)).toBeLessThan(1e-9);
  });

  it('upwardContinuation by 10 km', () => {
    const out = referenceGrid().upwardContinuation(input, 10_000);
    expect(maxRelativeToPeak(out.data, f.upward_continuation_10km)).toBeLessThan(1e-9);
  });

  it("reduceToPole, Blakely's filter, inc 30 dec 30", () => {
    const out = referenceGrid().reduceToPole(input, 30, 30);
    expect(maxRelativeToPeak(out.data, f.reduce_to_pole_blakely_30_30)).toBeLessThan(1e-9);
  });

  it("reduceToPole, Blakely's filter, inc 60 dec 10, source inc 45 dec −20", () => {
    const out = referenceGrid().reduceToPole(input, 60, 10, 45, -20);
    expect(maxRelativeToPeak(out.data, f['reduce_to_pole_blakely_60_10_s45_-20'])).toBeLessThan(1e-9);
  });

  it("differs from PyCurious's defective filter by orders of magnitude, as documented", () => {
    const out = referenceGrid().reduceToPole(input, 30, 30);
    expect(maxRelativeToPeak(out.data, f.reduce_to_pole_30_30)).toBeGreaterThan(0.5);
  });
});
