/**
 * The pipeline's workers as one pool: boots them, says which one has room for another batch,
 * runs a batch on one, and keeps that working when the watchdog cuts a worker off (a fresh
 * thread boots in its place and the batches the old one held are re-run there, guarded). It
 * knows nothing of queues, outputs or acknowledgements.
 */
import type { Logger } from '../core/logger.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { HEARTBEAT_BYTES } from './heartbeat.js';
import { PayloadSnapshots, type PayloadToSend } from './payload-snapshots.js';
import { Watchdog } from './watchdog.js';
import type { BatchResult, WorkerInit } from './worker-core.js';
import { InlineWorker, ThreadWorker, WorkerCutOff, type WorkerHandle } from './workers.js';

/** A worker may hold this many batches: the next is already in its message queue when it finishes one. */
const BATCHES_PER_WORKER = 2;

export interface PoolOptions {
  workers: number;
  threads: boolean;
  /** What a worker needs to build the pipeline, given the cells its heartbeat and its figures write. */
  init: (workerIndex: number, cells: { heartbeat: SharedArrayBuffer; figures: SharedArrayBuffer }) => WorkerInit;
  /** Bytes of one worker's figures cells (metrics.ts). */
  figureBytes: number;
  registry: PluginRegistry;
  logger: Logger;
  /** A worker could not be replaced: the pipeline cannot go on. */
  onFatal: (err: Error) => void;
  /** Filters of this pipeline that say re-running a batch is not harmless (FilterDefinition.rerunSafe). */
  rerunUnsafe: string[];
}

/** A batch's result and the worker that produced it (which holds its deferred side effects). */
export interface Processed {
  result: BatchResult;
  worker: WorkerHandle;
}

export class WorkerPool {
  private workers: WorkerHandle[] = [];
  /** Cells each worker thread's heartbeat writes (index = worker index). */
  private readonly heartbeats: SharedArrayBuffer[];
  /** Cells each worker counts its per-plugin figures in; a replacement thread keeps counting in them. */
  readonly figures: SharedArrayBuffer[];
  private readonly watchdog = new Watchdog((index, budgetMs) => this.restartStuckWorker(index, budgetMs));
  /** A fresh thread booting in place of one the watchdog cut off. */
  private readonly replacements = new Map<number, Promise<WorkerHandle>>();
  private readonly snapshots = new PayloadSnapshots();
  /** Batches sent to each worker and not yet returned (index = worker index). */
  private load: number[] = [];
  private terminated = false;

  constructor(private readonly options: PoolOptions) {
    this.heartbeats = Array.from({ length: options.workers }, () => new SharedArrayBuffer(HEARTBEAT_BYTES));
    this.figures = Array.from({ length: options.workers }, () => new SharedArrayBuffer(options.figureBytes));
  }

  /** Boots every worker; on any failure the others are stopped and the first error thrown. */
  async start(): Promise<void> {
    const { workers, threads, registry } = this.options;
    const booted = await Promise.allSettled(Array.from({ length: workers }, (_, i) =>
      threads ? ThreadWorker.start(this.initOf(i)) : InlineWorker.start(this.initOf(i), registry)));
    const failed = booted.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(booted.map((r) => (r.status === 'fulfilled' ? r.value.terminate() : undefined)));
      throw failed.reason as Error;
    }
    this.workers = booted.map((r) => (r as PromiseFulfilledResult<WorkerHandle>).value);
    this.load = this.workers.map(() => 0);
    for (const w of this.workers) if (w.watched) this.watchdog.watch(w.index, this.heartbeats[w.index]!);
  }

  /** Batches sent to workers and not yet returned. */
  get inFlight(): number {
    let n = 0;
    for (const l of this.load) n += l;
    return n;
  }

  /** Every worker runs batches on the fused step (WorkerCore.fused); known once started. */
  get fused(): boolean {
    return this.workers.length > 0 && this.workers.every((w) => w.fused);
  }

  /** The least loaded worker with room for another batch, if any. */
  available(): WorkerHandle | undefined {
    let best: WorkerHandle | undefined;
    for (const w of this.workers) {
      const load = this.load[w.index]!;
      if (load < BATCHES_PER_WORKER && (!best || load < this.load[best.index]!)) best = w;
    }
    return best;
  }

  /**
   * Runs one batch on `first`. If the watchdog cuts that worker off meanwhile, the batch runs
   * again, guarded, on the thread that replaces it. Rejects when the batch cannot be run.
   */
  async process(first: WorkerHandle, payloads: PayloadToSend[]): Promise<Processed> {
    const index = first.index;
    this.load[index]!++;
    // A watched worker may be cut off mid-batch: keep copies to re-run the batch on its replacement.
    let snapshot = first.watched ? this.snapshots.take(payloads) : undefined;
    let send = snapshot ?? { items: payloads.map((p) => ({ input: p.input, data: p.data })), transfer: payloads.flatMap((p) => p.transfer ?? []) };
    try {
      for (let worker = first, guarded = false; ; guarded = true) {
        try {
          return { result: await worker.process(send.items, send.transfer, guarded), worker };
        } catch (err) {
          const replacement = this.replacements.get(index);
          if (!(err instanceof WorkerCutOff) || !snapshot || !replacement || this.terminated) throw err;
          worker = await replacement;
          send = snapshot = this.snapshots.restore(snapshot);
          if (this.options.rerunUnsafe.length > 0) {
            this.options.logger.warn('re-running a batch through filters whose side effects may repeat', { filters: this.options.rerunUnsafe });
          }
        }
      }
    } finally {
      if (snapshot) this.snapshots.release(snapshot);
      this.load[index]!--;
    }
  }

  /** Events held by filters (aggregations), from every worker: at shutdown when `final`, else periodically. */
  async flush(final: boolean): Promise<Processed[]> {
    const out: Processed[] = [];
    for (const worker of this.workers) out.push({ result: await worker.flush(final), worker });
    return out;
  }

  /** Lets each worker's filters finish their work and stops the threads. */
  async close(): Promise<void> {
    this.watchdog.stop();
    await Promise.all(this.workers.map((w) => w.close().catch(() => w.terminate())));
  }

  /** Stops every worker at once, whatever it is running (forced shutdown). */
  async terminate(): Promise<void> {
    this.terminated = true;
    this.watchdog.stop();
    await Promise.all([...this.workers, ...this.replacements.values()].map(async (w) => (await w).terminate()));
  }

  private initOf(index: number): WorkerInit {
    return this.options.init(index, { heartbeat: this.heartbeats[index]!, figures: this.figures[index]! });
  }

  /**
   * The watchdog saw worker `index` stay in one step past its budget (a runaway regexp or script). Its
   * thread is stopped mid-step and a fresh one boots in its place; the batches it held are
   * re-run there, guarded (process()). Filter state kept in that worker (in-memory dedup) is lost.
   */
  private restartStuckWorker(index: number, budgetMs: number): void {
    const stuck = this.workers[index];
    if (!(stuck instanceof ThreadWorker)) return; // only threads are watched
    this.options.logger.warn('a worker stayed in one filter step past its time budget; restarting it and re-running its batches with per-event guards', {
      worker: index, budget_ms: budgetMs,
    });
    const replacement = (async (): Promise<WorkerHandle> => {
      await stuck.cutOff();
      const fresh = await ThreadWorker.start(this.initOf(index));
      this.workers[index] = fresh;
      if (fresh.watched && !this.terminated) this.watchdog.watch(index, this.heartbeats[index]!);
      return fresh;
    })();
    this.replacements.set(index, replacement);
    replacement.then(
      () => this.replacements.delete(index),
      (err: Error) => this.options.onFatal(new Error(`could not restart worker ${index} after a cut-off: ${err.message}`)),
    );
  }
}
