/**
 * Frequencies of DFT samples, as numpy's `fftfreq` orders them.
 */

/**
 * Frequency of DFT index i of an n-sample axis with sample spacing d, as numpy's `fftfreq(n, d)[i]`:
 * `i/(n·d)` for i < ⌈n/2⌉, `(i − n)/(n·d)` above (the Nyquist index of an even n is negative).
 * Cycles per unit of d.
 */
export function fftFrequency(i: number, n: number, d: number): number {
  return (i < (n + 1) >> 1 ? i : i - n) / (n * d);
}

/** `2π·fftfreq(n, spacing)`: angular wavenumbers, rad per unit of `spacing` (rad/m for metres). */
export function angularFrequencies(n: number, spacing: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 2 * Math.PI * fftFrequency(i, n, spacing));
}
