/**
 * The calling thread's side of a map: the shared status and result table the batches write, the
 * messages and results they return, progress, and the hand-over of windows in window order.
 */
import { type BatchResult, STATUS, TABLE_COLUMNS } from './protocol.js';

/** Progress of a map: windows finished out of all. */
export interface MapProgress {
  done: number;
  total: number;
}

/** What a map knows so far, for {@link CollectorOptions.onWindow}. */
export interface MapView {
  status: Uint8Array;
  messages: Map<number, string>;
  /** The fit table (TABLE_COLUMNS × n), when the map writes one. */
  fitTable?: Float64Array;
  /** Each window's result (or failure), when the map returns them. */
  results?: unknown[];
}

/** A finished map: status per window, messages, and either the fit table or the per-window results. */
export interface MapOutcome {
  status: Uint8Array;
  messages: Map<number, string>;
  fitTable?: Float64Array;
  results?: unknown[];
}

/** Who is told what as windows finish. */
export interface CollectorOptions {
  /** Called after each batch. */
  onProgress?: (progress: MapProgress) => void;
  /**
   * Called once per window, in window order, as soon as the window and every window before it are
   * done: lets a caller stream results in order while later windows are still being computed.
   */
  onWindow?: (index: number, view: MapView) => void;
}

/**
 * Collects the windows of one map. `status` and `fitTableBuffer` are shared with the workers, which
 * write each window's outcome there; a window that never finishes keeps status `pending` and NaN.
 */
export class MapCollector {
  readonly status: Uint8Array;
  /** TABLE_COLUMNS × total Float64, when the map writes a table. */
  readonly fitTableBuffer: SharedArrayBuffer | undefined;
  readonly messages = new Map<number, string>();
  readonly #results: unknown[] | undefined;
  readonly #finished: Uint8Array;
  readonly #view: MapView;
  readonly #options: CollectorOptions;
  #done = 0;
  #nextInOrder = 0;

  /**
   * @param total windows in the map
   * @param fitTable whether batches write a shared fit table (else they return each result)
   */
  constructor(
    readonly total: number,
    fitTable: boolean,
    options: CollectorOptions = {},
  ) {
    this.#options = options;
    this.status = new Uint8Array(new SharedArrayBuffer(Math.max(total, 1))).subarray(0, total).fill(STATUS.pending);
    this.fitTableBuffer = fitTable ? new SharedArrayBuffer(8 * TABLE_COLUMNS.length * Math.max(total, 1)) : undefined;
    if (this.fitTableBuffer) new Float64Array(this.fitTableBuffer).fill(NaN);
    this.#results = fitTable ? undefined : new Array(total);
    this.#finished = new Uint8Array(total);
    this.#view = {
      status: this.status,
      messages: this.messages,
      fitTable: this.fitTableBuffer ? new Float64Array(this.fitTableBuffer) : undefined,
      results: this.#results,
    };
  }

  /** Take in a batch's messages and results; its windows are then final. */
  collect(result: BatchResult, indices: number[]): void {
    for (const [i, message] of result.messages) this.messages.set(i, message);
    if (this.#results && result.results) for (const [i, value] of result.results) this.#results[i] = value;
    this.finish(indices);
  }

  /** Windows whose outcome is final: count them, and hand on every window now done in order. */
  finish(indices: number[]): void {
    const { status, messages } = this;
    const results = this.#results;
    for (const i of indices) {
      this.#finished[i] = 1;
      if (results && (status[i] === STATUS.windowError || status[i] === STATUS.workerFailure))
        results[i] = { status: status[i], message: messages.get(i) };
    }
    this.#done += indices.length;
    this.#options.onProgress?.({ done: this.#done, total: this.total });
    const { onWindow } = this.#options;
    if (onWindow)
      while (this.#nextInOrder < this.total && this.#finished[this.#nextInOrder]) {
        onWindow(this.#nextInOrder, this.#view);
        this.#nextInOrder++;
      }
  }

  /** The map's outcome: a copy of the status, and the table or results. */
  outcome(): MapOutcome {
    return {
      status: Uint8Array.from(this.status),
      messages: this.messages,
      fitTable: this.fitTableBuffer ? new Float64Array(this.fitTableBuffer) : undefined,
      results: this.#results,
    };
  }
}
