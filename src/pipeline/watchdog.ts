/**
 * The main thread's side of the heartbeat (heartbeat.ts): every few milliseconds it reads each
 * watched worker's cells, and reports a worker whose current step has lasted longer than its
 * budget. The pipeline then cuts that worker off and re-runs its batches guarded.
 */
import { BUDGET_MS, STEP } from './heartbeat.js';

/** How often the cells are read: a cut-off comes between budget and budget + this. */
export const WATCHDOG_INTERVAL_MS = 20;

interface Watched {
  cells: Int32Array;
  /** The step seen at the last check, and since when (ms); NaN when the worker was outside a watched stretch. */
  step: number;
  since: number;
}

export class Watchdog {
  private readonly workers = new Map<number, Watched>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly onStuck: (workerIndex: number, budgetMs: number) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly intervalMs = WATCHDOG_INTERVAL_MS,
  ) {}

  /**
   * Starts watching a worker's cells. For a replacement thread the cells are reused: the thread
   * that was cut off left its step open, so the budget is cleared here.
   */
  watch(workerIndex: number, shared: SharedArrayBuffer): void {
    const cells = new Int32Array(shared);
    Atomics.store(cells, BUDGET_MS, 0);
    this.workers.set(workerIndex, { cells, step: NaN, since: 0 });
    this.timer ??= setInterval(() => this.check(), this.intervalMs).unref();
  }

  unwatch(workerIndex: number): void {
    this.workers.delete(workerIndex);
    if (this.workers.size === 0) this.stop();
  }

  /** One pass over the watched workers; a worker reported stuck is no longer watched. */
  check(): void {
    const now = this.now();
    for (const [index, w] of this.workers) {
      const budget = Atomics.load(w.cells, BUDGET_MS);
      if (budget === 0) {
        w.step = NaN;
        continue;
      }
      const step = Atomics.load(w.cells, STEP);
      if (step !== w.step) {
        w.step = step;
        w.since = now;
      } else if (now - w.since >= budget) {
        this.unwatch(index);
        this.onStuck(index, budget);
      }
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
