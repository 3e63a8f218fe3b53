/**
 * The linear solve of one damped Gauss–Newton step.
 */

/**
 * Solve (A restricted to `free`)·p = b by Cholesky, p zero elsewhere; false if not positive definite.
 * @param A row-major n × n, symmetric
 */
export function choleskySolve(A: Float64Array, n: number, b: Float64Array, free: number[], p: Float64Array): boolean {
  const m = free.length;
  const L = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j <= i; j++) {
      let sum = A[free[i] * n + free[j]];
      for (let k = 0; k < j; k++) sum -= L[i * m + k] * L[j * m + k];
      if (i === j) {
        if (!(sum > 0)) return false;
        L[i * m + i] = Math.sqrt(sum);
      } else L[i * m + j] = sum / L[j * m + j];
    }
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let sum = b[free[i]];
    for (let k = 0; k < i; k++) sum -= L[i * m + k] * y[k];
    y[i] = sum / L[i * m + i];
  }
  p.fill(0);
  for (let i = m - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < m; k++) sum -= L[k * m + i] * p[free[k]];
    p[free[i]] = sum / L[i * m + i];
  }
  return true;
}
