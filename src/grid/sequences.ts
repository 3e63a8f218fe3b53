/**
 * numpy's evenly spaced sequences, reproduced to the last bit because window centres, bin edges
 * and angles must equal PyCurious's.
 */

/** numpy's `linspace(start, stop, num)`: `i·step + start`, the last value exactly `stop`. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** How many values numpy's float `arange(start, stop, step)` holds: `ceil((stop − start)/step)`, at least 0. */
export function arangeLength(start: number, stop: number, step: number): number {
  return Math.max(0, Math.ceil((stop - start) / step));
}

/**
 * numpy's float `arange(start, stop, step)`. numpy fills from its first two values, so value i is
 * `start + i·((start + step) − start)`, which can differ from `start + i·step` in the last bit.
 */
export function arange(start: number, stop: number, step: number): Float64Array {
  const delta = start + step - start;
  return Float64Array.from({ length: arangeLength(start, stop, step) }, (_, i) => start + i * delta);
}
