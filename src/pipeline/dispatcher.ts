/**
 * The life of a batch: take payloads from the queue (waiting up to pipeline.batch.delay for a
 * full batch while inputs produce), run them on a worker, hand each output its encoded share,
 * and once every output is done with the batch, acknowledge its payloads to their inputs and
 * release the side effects its filters deferred. A batch this process will not deliver (a dead
 * output, a forced stop, a worker that failed) is handed back (nack) instead.
 */
import type { QueueItem, BoundedQueue } from '../queue/memory.js';
import type { FailurePath } from '../queue/dead-letter.js';
import type { Deliveries } from './deliveries.js';
import type { OutputWriter, WriteOutcome } from './output-writer.js';
import type { TapRecord } from './tap.js';
import type { BatchResult } from './worker-core.js';
import type { Processed, WorkerPool } from './worker-pool.js';

/** What the dispatcher needs of the workers (worker-pool.ts). */
export type BatchRunner = Pick<WorkerPool, 'available' | 'process' | 'flush' | 'inFlight'>;

export interface DispatcherOptions {
  batchSize: number;
  batchDelayMs: number;
  /** Batches whose results may wait for their outputs at once; beyond it dispatch pauses and the queue fills. */
  maxPendingWrites: number;
  /**
   * Batches one message may carry when payloads queued up (messageEvents()); 1 keeps a batch per
   * message. Pipelines whose worker runs on the main thread (threads: false) give 1: no hand-over
   * to save, and a long message would hold the event loop.
   */
  messageMaxBatches: number;
  outputIds: readonly string[];
  /** Whether inputs may still produce (if not, a partial batch goes at once). */
  producing: () => boolean;
  /** A worker failed in a way the pipeline cannot recover from. */
  onFatal: (err: Error) => void;
  /** Events a batch copied for attached taps (tap.ts). */
  onTapped?: (records: TapRecord[]) => void;
}

export interface DispatchFigures {
  batches: number;
  /** Events decoded from payloads. */
  eventsIn: number;
  /** Events that left the filters. */
  eventsFiltered: number;
  /** Events of batches every output was done with. */
  eventsOut: number;
}

/**
 * A message to a worker thread takes at most this many batches' worth of what is queued. Only a backlog
 * (every worker busy while inputs kept pushing) fills one: while a worker has room, each payload
 * leaves as it arrives. A message costs a hand-over and a reply on both threads (measured ~30–80 µs
 * of CPU per round trip with a 100 KB payload, on the order of what the worker spends on 100 short
 * lines), so under load payloads travel together; each is still acknowledged on its own, and the
 * worker still filters batch by batch. See messageEvents() for the bound in time.
 */
export const MESSAGE_MAX_BATCHES = 16;

export class Dispatcher {
  readonly figures: DispatchFigures = { batches: 0, eventsIn: 0, eventsFiltered: 0, eventsOut: 0 };
  private pendingWrites = 0;
  private delayTimer: NodeJS.Timeout | undefined;
  private halted = false;
  private idleWaiters: (() => void)[] = [];
  /** Events per batch: options.batchSize, until useBatchSize(). */
  private batchSize: number;
  /** Milliseconds a worker took per event, over recent messages (rising at once, falling slowly); undefined until measured. */
  private msPerEvent: number | undefined;

  constructor(
    private readonly queue: BoundedQueue,
    private readonly pool: BatchRunner,
    private readonly writers: readonly OutputWriter[],
    private readonly deliveries: Deliveries,
    private readonly failures: FailurePath,
    private readonly options: DispatcherOptions,
  ) {
    this.batchSize = options.batchSize;
  }

  /** Batches of `events` from now on (the workers turned out to fuse: PipelineSettings.fusedBatchSize). */
  useBatchSize(events: number): void {
    this.batchSize = events;
  }

  /** Nothing queued, running in a worker or waiting for an output. */
  get idle(): boolean {
    return this.queue.length === 0 && this.pool.inFlight === 0 && this.pendingWrites === 0;
  }

  get pending(): { queued: number; inWorkers: number; pendingWrites: number } {
    return { queued: this.queue.events, inWorkers: this.pool.inFlight, pendingWrites: this.pendingWrites };
  }

  /** Sends batches to workers while there is work and room. */
  dispatch(): void {
    while (!this.halted && this.queue.length > 0 && this.pendingWrites < this.options.maxPendingWrites) {
      const worker = this.pool.available();
      if (!worker) return;
      if (this.queue.events < this.batchSize && this.options.producing() && !this.queue.endsBurst) {
        const waited = Date.now() - (this.queue.oldestEnqueuedAt ?? Date.now());
        if (waited < this.options.batchDelayMs) {
          this.delayTimer ??= setTimeout(() => {
            this.delayTimer = undefined;
            this.dispatch();
          }, this.options.batchDelayMs - waited);
          return;
        }
      }
      const items = this.queue.take(this.messageEvents());
      void this.runBatch(items, (payloads) => this.pool.process(worker, payloads));
    }
  }

  /**
   * Events one message may take from the queue: a batch, or, once workers were seen to be quick,
   * as many as they run in about pipeline.batch.delay (up to `messageMaxBatches` batches). A
   * message's events reach the outputs together when it returns, so merging payloads delays the
   * first of them by at most about the delay the pipeline already accepts for filling a batch; slow
   * filters (a lookup, a sleep) keep one batch per message.
   */
  private messageEvents(): number {
    const { batchDelayMs, messageMaxBatches } = this.options;
    const batchSize = this.batchSize;
    if (this.msPerEvent === undefined) return batchSize;
    return Math.max(batchSize, Math.min(batchSize * messageMaxBatches, Math.floor(batchDelayMs / this.msPerEvent)));
  }

  /** A message of `events` events came back `ms` after it was sent (its wait behind the worker's other message included). */
  private measured(events: number, ms: number): void {
    if (events === 0) return;
    const sample = ms / events;
    this.msPerEvent = this.msPerEvent === undefined || sample > this.msPerEvent ? sample : this.msPerEvent * 0.9 + sample * 0.1;
  }

  /** Resolves once idle (or halted). */
  waitIdle(): Promise<void> {
    if (this.idle || this.halted) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Events filters held back (aggregations) go through the outputs: at the end of a drain (`final`), or periodically. */
  async flushFilters(final = true): Promise<void> {
    for (const processed of await this.pool.flush(final)) await this.complete([], processed);
  }

  /** No new batch starts; what is queued, and what inputs push from now on, is handed back to them. */
  halt(reason: string): void {
    this.halted = true;
    if (this.delayTimer) clearTimeout(this.delayTimer);
    this.deliveries.nack(this.queue.close(reason), reason);
    this.wakeIdleWaiters();
  }

  private async runBatch(items: QueueItem[], process: (payloads: { input: number; data: unknown; transfer?: ArrayBuffer[] | undefined }[]) => Promise<Processed>): Promise<void> {
    let processed: Processed;
    const sent = performance.now();
    try {
      processed = await process(items.map((it) => ({ input: it.input, data: it.payload.data, transfer: it.payload.transfer })));
      this.measured(processed.result.eventsIn, performance.now() - sent);
    } catch (err) {
      this.deliveries.nack(items, `a pipeline worker failed: ${(err as Error).message}`);
      if (!this.halted) this.options.onFatal(err as Error);
      this.wakeIdleWaiters();
      return;
    }
    this.pendingWrites++;
    this.dispatch();
    try {
      await this.complete(items, processed);
    } finally {
      this.pendingWrites--;
      this.wakeIdleWaiters();
      this.dispatch();
    }
  }

  /** Writes a batch's results; then acknowledges its payloads, or hands them back. */
  private async complete(items: QueueItem[], { result, worker }: Processed): Promise<void> {
    this.figures.batches++;
    if (result.taps) this.options.onTapped?.(result.taps);
    this.figures.eventsIn += result.eventsIn;
    this.figures.eventsFiltered += result.eventsOut;
    const outcomes = await this.writeOutputs(result);
    const abandoned = outcomes.find((o) => o.outcome === 'abandoned');
    if (abandoned) {
      const why = this.writers[abandoned.index]!.dead;
      this.deliveries.nack(items, why ? `output ${this.writers[abandoned.index]!.id} can no longer deliver: ${why}` : 'the pipeline was forced to stop');
      return;
    }
    this.figures.eventsOut += result.eventsOut;
    if (result.deferred) worker.acknowledge(result.deferred);
    this.deliveries.ack(items);
  }

  /** Every output's share of a batch; each output's writes start in batch order (before any await here). */
  private writeOutputs(result: BatchResult): Promise<{ index: number; outcome: WriteOutcome }[]> {
    return Promise.all(result.outputs.map(async ({ index, payload, events }) => {
      const write = payload.data === undefined ? Promise.resolve<WriteOutcome>('done') : this.writers[index]!.write({ data: payload.data, events });
      if (payload.rejected && payload.rejected.length > 0) {
        const output = this.options.outputIds[index]!;
        await this.failures.record(payload.rejected.map((r) => ({ output, reason: r.reason, event: r.event })));
      }
      return { index, outcome: await write };
    }));
  }

  private wakeIdleWaiters(): void {
    if (!this.idle && !this.halted) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
