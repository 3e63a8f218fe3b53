/**
 * Angular wavenumbers of a 2-D FFT grid, as numpy's `2π·fftfreq(n, d)`.
 */

/** `2π·fftfreq(n, spacing)`: rad per unit of `spacing` (rad/m for metres), numpy's ordering. */
export function angularFrequencies(n: number, spacing: number): Float64Array {
  const out = new Float64Array(n);
  const positive = ((n - 1) >> 1) + 1; // 0 … ⌊(n−1)/2⌋, then the negative frequencies
  for (let i = 0; i < n; i++) out[i] = (2 * Math.PI * (i < positive ? i : i - n)) / (n * spacing);
  return out;
}
