import { describe, expect, it } from 'vitest';
import { MAX_BATCH, planBatches } from '../../src/parallel/batches.js';

// How a map's windows are cut into batches: expected plans worked out by hand from the rules in
// src/parallel/batches.ts (batch size ⌈total / (8·threads)⌉ up to the maximum; windows of one
// centre x together; the first 2·threads batches cut in eighths, the last 2·threads halved).

describe('planBatches', () => {
  it('cuts a small map in one thread as worked out by hand', () => {
    // 20 windows, each its own column; batches of ⌈20 / 8⌉ = 3: [0 1 2] … [15 16 17] [18 19] (7 batches).
    // The first two are cut in eighths (one window each), the last two halved.
    const xc = Array.from({ length: 20 }, (_, i) => i);
    expect(planBatches(20, 1, xc, 8)).toEqual([
      [0],
      [1],
      [2],
      [3],
      [4],
      [5],
      [6, 7, 8],
      [9, 10, 11],
      [12, 13, 14],
      [15, 16],
      [17],
      [18],
      [19],
    ]);
  });

  it('starts a large map with batches of a few windows, then full ones, and ends with halves', () => {
    // 255 columns of 255 windows, 2 threads: batches of 64; a column is 64 + 64 + 64 + 63 windows.
    const columns = 255;
    const total = columns * columns;
    const xc = Array.from({ length: total }, (_, i) => Math.floor(i / columns));
    const plan = planBatches(total, 2, xc);
    expect(MAX_BATCH).toBe(64);
    // Head: the first column's four batches in eighths: 8 × 8, 8 × 8, 8 × 8, then 7 × 8 and 7.
    expect(plan.slice(0, 32).map((b) => b.length)).toEqual([...Array<number>(31).fill(8), 7]);
    expect(plan[0]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Tail: the last column's four batches halved.
    expect(plan.slice(-8).map((b) => b.length)).toEqual([32, 32, 32, 32, 32, 32, 32, 31]);
    // Between them, the other 253 columns' 4 batches each, whole.
    expect(plan).toHaveLength(32 + 253 * 4 + 8);
    expect(plan.slice(32, -8).map((b) => b.length)).toEqual(
      Array.from({ length: 253 * 4 }, (_, k) => (k % 4 === 3 ? 63 : 64)),
    );
    // Every window once, ascending within its batch, batches in order of their first window.
    expect(plan.flat()).toEqual(Array.from({ length: total }, (_, i) => i));
  });

  it('keeps a map with fewer than 4 batches a thread as it is', () => {
    // 6 windows, 2 threads: batches of ⌈6 / 16⌉ = 1, six of them (< 8): no cutting.
    expect(planBatches(6, 2, [0, 0, 0, 1, 1, 1])).toEqual([[0], [1], [2], [3], [4], [5]]);
  });
});
