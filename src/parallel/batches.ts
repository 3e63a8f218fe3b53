/**
 * How a map's windows are cut into batches, and in which order the batches are run: a pure
 * function of the centres and the thread count (the bench's paper simulation of N cores uses it).
 */

/** Most windows in a batch sent to a worker thread: enough to amortise its messages. */
export const MAX_BATCH = 64;

/** Pieces each of the map's first 2·workers batches is cut into. */
const HEAD_PIECES = 8;

/**
 * Batches of window indices: enough per batch to amortise messaging (at most `maxSize`), enough
 * batches to balance load. Windows with the same centre x go together, so that a batch's windows
 * of one grid column share their rows' Fourier transforms (run-batch.ts): such groups, in order of
 * first appearance, fill batches whole while they fit; a group larger than a batch is split evenly
 * (each window's result is the same bits whichever windows it is computed with). Batches are then
 * ordered by their first window, so that the first windows of the map are computed first (a map
 * streamed in window order, `| head`, gets its first rows early); the first 2·workers batches are
 * cut in eighths, so those rows come after a few windows (a fresh thread computes its first
 * windows slowly, before its code is compiled), and the last 2·workers halved, so that the workers
 * finish close together.
 * @param total windows in the map
 * @param workers worker threads (0 or 1: one thread)
 * @param xc each window's centre x (m): windows of one grid column have the same value
 * @returns window indices per batch, each ascending, in the order they are to be run
 */
export function planBatches(total: number, workers: number, xc: ArrayLike<number>, maxSize = MAX_BATCH): number[][] {
  const threads = Math.max(workers, 1);
  const size = Math.max(1, Math.min(maxSize, Math.ceil(total / (threads * 8))));
  const out = fillBatches(columnGroups(total, xc), size);
  // Indices within a batch ascend (groups are filled in window order), so [0] is its first window.
  out.sort(byFirstWindow);
  if (out.length < 4 * threads) return out;
  const head = out
    .splice(0, 2 * threads)
    .flatMap((batch) => cut(batch, HEAD_PIECES))
    .sort(byFirstWindow);
  const tail = out.splice(out.length - 2 * threads).flatMap((batch) => cut(batch, 2));
  return head.concat(out, tail);
}

/** Window indices grouped by centre x, groups in order of their first window. */
function columnGroups(total: number, xc: ArrayLike<number>): number[][] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < total; i++) {
    const group = groups.get(xc[i]);
    if (group) group.push(i);
    else groups.set(xc[i], [i]);
  }
  return [...groups.values()];
}

/** Batches of at most `size` windows: whole groups while they fit, larger groups in even pieces. */
function fillBatches(groups: number[][], size: number): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  for (const group of groups) {
    const per = Math.ceil(group.length / Math.ceil(group.length / size));
    for (let start = 0; start < group.length; start += per) {
      const piece = group.slice(start, start + per);
      if (current.length + piece.length > size) {
        out.push(current);
        current = [];
      }
      current.push(...piece);
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

function byFirstWindow(a: number[], b: number[]): number {
  return a[0] - b[0];
}

/** `batch` in `pieces` consecutive pieces of nearly equal size (fewer when it has fewer windows). */
function cut(batch: number[], pieces: number): number[][] {
  const per = Math.ceil(batch.length / pieces);
  const out: number[][] = [];
  for (let start = 0; start < batch.length; start += per) out.push(batch.slice(start, start + per));
  return out;
}
