/**
 * A small timing harness for `npm run bench`: warm up, then time batches and report the median
 * batch's time per call (this machine is noisy: medians, not means or minima).
 */
export function measure(label, fn, { batches = 21, minBatchMs = 20 } = {}) {
  // Warm up the JIT (~300 ms), then size a batch to last at least minBatchMs.
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) fn();
  let calls = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) fn();
    if (performance.now() - start >= minBatchMs) break;
    calls *= 2;
  }
  const perCall = [];
  for (let b = 0; b < batches; b++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) fn();
    perCall.push((performance.now() - start) / calls);
  }
  perCall.sort((a, b) => a - b);
  const median = perCall[batches >> 1];
  const result = { label, medianMs: median, minMs: perCall[0], maxMs: perCall[batches - 1], calls: calls * batches };
  console.log(
    `${label.padEnd(48)} median ${format(median)}  (min ${format(perCall[0])}, max ${format(perCall[batches - 1])}, ${batches}×${calls} calls)`,
  );
  return result;
}

function format(ms) {
  return ms >= 1 ? `${ms.toFixed(3)} ms` : `${(ms * 1000).toFixed(2)} µs`;
}
