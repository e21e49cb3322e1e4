/**
 * A worker's heartbeat: two Int32 cells in a SharedArrayBuffer that a filter updates around work
 * that could run away (a backtracking regexp), and that the main thread's watchdog reads
 * (watchdog.ts). Marking a step costs one atomic add, where interrupting the work from inside
 * (vm's timeout) costs a watchdog thread per guarded call.
 */
import type { Heartbeat } from '../plugins/api.js';

/** Cell indexes. */
export const STEP = 0;
/** Budget of the current step in ms; 0 when no filter is inside a watched stretch. */
export const BUDGET_MS = 1;
export const HEARTBEAT_BYTES = 2 * Int32Array.BYTES_PER_ELEMENT;

export class WorkerHeartbeat implements Heartbeat {
  private readonly cells: Int32Array | undefined;
  private armed = false;
  private guardedBatch = false;

  /** `shared`: the cells the main thread watches; none on the main thread or in `check`. */
  constructor(shared?: SharedArrayBuffer) {
    this.cells = shared ? new Int32Array(shared) : undefined;
  }

  get watched(): boolean {
    return this.cells !== undefined && !this.guardedBatch;
  }

  /** True once a filter relies on the watchdog: the pipeline then keeps each batch until it returns, to re-run it. */
  get used(): boolean {
    return this.armed && this.cells !== undefined;
  }

  arm(): void {
    this.armed = true;
  }

  /** A re-run after a cut-off: filters guard themselves for this batch. */
  setGuarded(guarded: boolean): void {
    this.guardedBatch = guarded;
  }

  enter(budgetMs: number): void {
    const cells = this.cells;
    if (cells === undefined) return;
    Atomics.add(cells, STEP, 1);
    Atomics.store(cells, BUDGET_MS, Math.max(1, Math.min(0x7fffffff, Math.ceil(budgetMs))));
  }

  step(): void {
    if (this.cells !== undefined) Atomics.add(this.cells, STEP, 1);
  }

  leave(): void {
    if (this.cells !== undefined) Atomics.store(this.cells, BUDGET_MS, 0);
  }
}

/** A heartbeat nobody watches: filters built outside a worker thread guard themselves. */
export const unwatchedHeartbeat = (): WorkerHeartbeat => new WorkerHeartbeat();
