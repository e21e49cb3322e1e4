/**
 * Drives one output's sink: at most `concurrency` writes in flight (started in the order batches
 * arrive, so with 1 the output sees batches in order), whole-write failures retried by the sink's
 * policy, per-event results honoured (failed events to the failure path, retryable ones written
 * again), and an output that can never deliver again (OutputError 'closed') marked dead.
 *
 * A write ends `done` (every event delivered or failed for good and recorded: the batch may be
 * acknowledged) or `abandoned` (this process will not deliver it: the output is dead, or the
 * pipeline is being forced down).
 */
import type { Logger } from '../core/logger.js';
import { DEFAULT_RETRY, OutputError, type OutputSink, type RetryPolicy, type WriteResult } from '../plugins/api.js';
import type { FailedEvent, FailurePath } from '../queue/dead-letter.js';
import { Sleeps } from '../core/sleeps.js';

export type WriteOutcome = 'done' | 'abandoned';

export interface OutputJob {
  data: unknown;
  /** Events in `data`, when known (a whole-write failure fails this many). */
  events?: number | undefined;
}

export interface OutputFigures {
  writes: number;
  retries: number;
  failedEvents: number;
}

export class OutputWriter {
  readonly figures: OutputFigures = { writes: 0, retries: 0, failedEvents: 0 };
  private readonly policy: RetryPolicy;
  /** Writes this output takes at once (its sink's own, or pipeline.output.concurrency). */
  readonly concurrency: number;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly backoffs = new Sleeps();
  /** Why this output can never deliver again; undefined while it can. */
  private deadReason: string | undefined;
  private abandoning = false;

  constructor(
    readonly id: string,
    private readonly sink: OutputSink,
    defaultConcurrency: number,
    private readonly failures: FailurePath,
    private readonly logger: Logger,
    /** Called once when the output turns out never to be able to deliver again. */
    private readonly onDead: (reason: string) => void,
  ) {
    this.policy = sink.retry ?? DEFAULT_RETRY;
    this.concurrency = Math.max(1, sink.concurrency ?? defaultConcurrency);
  }

  get dead(): string | undefined {
    return this.deadReason;
  }

  async write(job: OutputJob): Promise<WriteOutcome> {
    await this.slot();
    try {
      return await this.deliver(job);
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  /** A forced stop: writes waiting for a retry give up now, and no new write starts. */
  abandon(): void {
    this.abandoning = true;
    this.backoffs.interruptAll();
    for (const wake of this.waiting.splice(0)) wake();
  }

  close(): Promise<void> {
    return this.sink.close?.() ?? Promise.resolve();
  }

  /** Waits for a free write slot, first come first served. */
  private async slot(): Promise<void> {
    if (this.active >= this.concurrency && !this.abandoning) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
  }

  private async deliver(job: OutputJob): Promise<WriteOutcome> {
    let data = job.data;
    /** Position in the original payload of each event in `data`; undefined while they are the same. */
    let positions: number[] | undefined;
    let delay = this.policy.initialMs;
    for (let attempt = 1; ; attempt++) {
      if (this.deadReason !== undefined || this.abandoning) return 'abandoned';
      let result: WriteResult | void;
      try {
        this.figures.writes++;
        result = await this.sink.write(data);
      } catch (err) {
        const failure = err instanceof OutputError ? err.failure : 'retryable';
        const message = (err as Error).message ?? String(err);
        if (failure === 'closed') {
          this.die(message);
          return 'abandoned';
        }
        const count = positions?.length ?? job.events;
        if (failure === 'permanent') {
          await this.fail(count, `the output refused the write: ${message}`);
          return 'done';
        }
        if (this.exhausted(attempt)) {
          await this.fail(count, `gave up after ${attempt} attempts: ${message}`);
          return 'done';
        }
        this.logger.error('output failed; retrying', { output: this.id, error: message, attempt, retry_in_ms: delay });
        if (!(await this.sleep(delay))) return 'abandoned';
        delay = Math.min(delay * 2, this.policy.maxMs);
        this.figures.retries++;
        continue;
      }
      if (!result) return 'done';
      const at = (i: number): number => (positions ? positions[i]! : i);
      if (result.failed && result.failed.length > 0) {
        await this.record(result.failed.map((f) => ({ output: this.id, reason: f.reason, event: f.event })));
      }
      if (!result.retry || result.retry.indexes.length === 0) return 'done';
      positions = result.retry.indexes.map(at);
      data = result.retry.data;
      if (this.exhausted(attempt)) {
        await this.fail(positions.length, `gave up after ${attempt} attempts`);
        return 'done';
      }
      this.logger.warn('output could not write some events; retrying them', { output: this.id, events: positions.length, attempt, retry_in_ms: delay });
      if (!(await this.sleep(delay))) return 'abandoned';
      delay = Math.min(delay * 2, this.policy.maxMs);
      this.figures.retries++;
    }
  }

  private exhausted(attempt: number): boolean {
    return this.policy.maxAttempts > 0 && attempt >= this.policy.maxAttempts;
  }

  /** `count` events (unknown: one record for the whole write) failed for good with `reason`. */
  private fail(count: number | undefined, reason: string): Promise<void> {
    const n = count ?? 1;
    return this.record(Array.from({ length: n }, () => ({ output: this.id, reason })));
  }

  private async record(failed: FailedEvent[]): Promise<void> {
    this.figures.failedEvents += failed.length;
    await this.failures.record(failed);
  }

  private die(reason: string): void {
    if (this.deadReason !== undefined) return;
    this.deadReason = reason;
    this.backoffs.interruptAll();
    this.onDead(reason);
  }

  /** Resolves true after `ms`, or false at once when the write is to be given up. */
  private async sleep(ms: number): Promise<boolean> {
    return (await this.backoffs.sleep(ms)) && !this.abandoning && this.deadReason === undefined;
  }
}
