/**
 * Natural logarithm for the radial spectrum's ~16 000 `ln |F|²` per window: faster than `Math.log`
 * (a call into V8's C library, where this is inlined arithmetic and small tables), and within ~1.5 ulp
 * of it (absolute 4e-16·max(1, |ln x|), tested).
 *
 * For a positive normal x = 2^e·m, m ∈ [1, 2): with `c_i = 1 + (i + ½)/256` the centre of the
 * 1/256-wide interval holding m, `ln x = e·ln 2 + ln c_i + ln(1 + r)`, `r = (m − c_i)/c_i`,
 * |r| ≤ 1/513. `m − c_i` is exact; r is `(m − c_i)·(1/c_i)` (good to 2^-61); ln(1 + r) is its Taylor
 * series to r⁵ (the next term is below 2^-56); e·ln 2 is split so that e·LN2_HI is exact. m is
 * `x·2^-e`, exact, from a table of powers of two: rewriting the exponent bits in memory and reading
 * the double back would stall on store-to-load forwarding (measured slower than `Math.log`). Near
 * x = 1 the result is accurate in absolute, not relative, terms (~1e-16): what a mean of logs needs.
 * Zero, negatives, subnormals, infinities and NaN go to `Math.log`. The exponent and the top
 * mantissa bits are read through a Uint32Array view of the same memory (little-endian hosts;
 * elsewhere everything goes to `Math.log`).
 */

const LN2_HI = 6.9314718036912381649e-1; // ln 2 with its low 32 bits zero: e·LN2_HI is exact for |e| < 2^21
const LN2_LO = 1.90821492927058770002e-10; // ln 2 − LN2_HI

/** ln c_i and 1/c_i, interleaved, i = 0…255. */
const LOG_TABLE = new Float64Array(512);
for (let i = 0; i < 256; i++) {
  const c = 1 + (i + 0.5) / 256;
  LOG_TABLE[2 * i] = Math.log(c);
  LOG_TABLE[2 * i + 1] = 1 / c;
}
/** 2^(1023 − E) for a biased exponent field E = 1…2046 (0 elsewhere): x·LOG_SCALE[E] ∈ [1, 2). */
const LOG_SCALE = new Float64Array(2048);
for (let e = 1; e < 2047; e++) LOG_SCALE[e] = 2 ** (1023 - e);

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Natural logarithm of x (see the module comment for accuracy). */
export function fastLog(x: number): number {
  scratch[0] = x;
  const high = scratchWords[1];
  const field = high >>> 20;
  // Positive normal: exponent field 1…2046 and sign 0.
  if (!LITTLE_ENDIAN || field - 1 >= 2046 || field === 0) return Math.log(x);
  return tableLog(x, high);
}

/** Smallest positive normal double. */
export const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * ln x by the table and polynomial, given x's high 32 bits: right for positive normal numbers only
 * (the callers check). Small enough for V8 to inline into the loops below.
 */
function tableLog(x: number, high: number): number {
  const field = high >>> 20;
  const m = x * LOG_SCALE[field];
  const i = (high >> 11) & 0x1fe; // 2·(top 8 mantissa bits)
  const r = (m - (1.001953125 + i * 0.001953125)) * LOG_TABLE[i + 1];
  const e = field - 1023;
  const p = r - r * r * (0.5 - r * (1 / 3 - r * (0.25 - r * 0.2)));
  return e * LN2_HI + LOG_TABLE[i] + (e * LN2_LO + p);
}

/**
 * `out[j] = scale·ln(x[j])` for j < count, as {@link fastLog} computes it (the exponent is read
 * through a Uint32Array view of `x`'s memory). `out` must not be `x`. With `allNormal`, the caller
 * promises that every x[j] is a positive normal finite number (in [MIN_NORMAL, MAX_VALUE]), and
 * the loop skips the check (~20 % of its time).
 */
export function scaledLog(x: Float64Array, out: Float64Array, count: number, scale: number, allNormal = false): void {
  if (!LITTLE_ENDIAN) {
    for (let j = 0; j < count; j++) out[j] = scale * Math.log(x[j]);
    return;
  }
  const words = new Uint32Array(x.buffer, x.byteOffset, 2 * count);
  if (allNormal) {
    for (let j = 0; j < count; j++) out[j] = scale * tableLog(x[j], words[2 * j + 1]);
    return;
  }
  // Branch-free: every value takes the fast path (LOG_SCALE is 0 outside it, giving garbage), and
  // whether any was outside (exponent field 0, or ≥ 2047 with the sign) is or-ed into a flag;
  // those are redone with Math.log after (a test and call in the loop were measured slower).
  let outside = 0;
  for (let j = 0; j < count; j++) {
    const high = words[2 * j + 1];
    const field = high >>> 20;
    outside |= ((field + 1) >> 11) | ((field - 1) >>> 31);
    out[j] = scale * tableLog(x[j], high);
  }
  if (outside !== 0)
    for (let j = 0; j < count; j++) {
      const field = words[2 * j + 1] >>> 20;
      if (field === 0 || field >= 2047) out[j] = scale * Math.log(x[j]);
    }
}

/**
 * `out[u] = scale·ln(x[index[u]])` for u < count, gathering through `index`, on the fast path only;
 * the smallest and largest x[index[u]] go to `range[0]`, `range[1]`. Only when the smallest is at
 * least MIN_NORMAL and the largest at most MAX_VALUE (so not NaN either) are the results right:
 * the caller checks, and otherwise starts again another way.
 */
export function gatheredScaledLog(
  x: Float64Array,
  index: Int32Array,
  out: Float64Array,
  count: number,
  scale: number,
  range: Float64Array,
): void {
  if (!LITTLE_ENDIAN) {
    let smallest = Infinity,
      largest = -Infinity;
    for (let u = 0; u < count; u++) {
      const value = x[index[u]];
      if (value < smallest) smallest = value;
      if (value > largest) largest = value;
      out[u] = scale * Math.log(value);
    }
    range[0] = smallest;
    range[1] = largest;
    return;
  }
  const words = new Uint32Array(x.buffer, x.byteOffset, 2 * x.length);
  let smallest = Infinity,
    largest = -Infinity;
  for (let u = 0; u < count; u++) {
    const j = index[u];
    const value = x[j];
    if (value < smallest) smallest = value;
    if (value > largest) largest = value;
    const high = words[2 * j + 1];
    const field = high >>> 20;
    const m = value * LOG_SCALE[field];
    const i = (high >> 11) & 0x1fe;
    const r = (m - (1.001953125 + i * 0.001953125)) * LOG_TABLE[i + 1];
    const e = field - 1023;
    const p = r - r * r * (0.5 - r * (1 / 3 - r * (0.25 - r * 0.2)));
    out[u] = scale * (e * LN2_HI + LOG_TABLE[i] + (e * LN2_LO + p));
  }
  range[0] = smallest;
  range[1] = largest;
}
