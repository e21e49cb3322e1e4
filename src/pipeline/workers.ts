/**
 * Worker handles as the pipeline sees them: a thread running a WorkerCore
 * (payload bytes transferred in, encoded bytes transferred out), or the same
 * WorkerCore on the main thread.
 */
import { Worker } from 'node:worker_threads';
import { ConfigError } from '../core/errors.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { runBatch, WorkerCore, type BatchItem, type BatchResult, type WorkerInit } from './worker-core.js';

export type WorkerRequest =
  | { type: 'batch'; id: number; items: BatchItem[]; guarded: boolean }
  | { type: 'flush'; id: number; final: boolean }
  /** Every event of the batch whose result carried `deferred` is acknowledged: run its deferred side effects. */
  | { type: 'acknowledged'; deferred: number }
  | { type: 'close'; id: number };

export type WorkerReply =
  | { type: 'ready'; watched: boolean; fused: boolean }
  | { type: 'failed'; message: string; config: boolean }
  | { type: 'result'; id: number; result: BatchResult }
  | { type: 'error'; id: number; message: string }
  | { type: 'closed'; id: number };

export interface WorkerHandle {
  readonly index: number;
  /**
   * A filter relies on the watchdog (heartbeat.ts): the caller keeps a copy of each batch's
   * payloads (payload-snapshots.ts) so it can re-run them after a cut-off.
   */
  readonly watched: boolean;
  /** Batches take the fused step (WorkerCore.fused): the dispatcher may send larger ones. */
  readonly fused: boolean;
  /** `guarded`: a re-run after a cut-off; filters guard themselves instead of relying on the watchdog. */
  process(items: BatchItem[], transfer: ArrayBuffer[], guarded?: boolean): Promise<BatchResult>;
  flush(final: boolean): Promise<BatchResult>;
  /** The batch whose result carried `deferred` is acknowledged: its deferred side effects may run. */
  acknowledge(deferred: number): void;
  close(): Promise<void>;
  /** Stops at once, whatever is running (forced shutdown). */
  terminate(): Promise<void>;
}

export class WorkerCrashed extends Error {
  override name = 'WorkerCrashed';
}

/** The watchdog stopped this worker: its batches did not run to the end and may be re-run elsewhere. */
export class WorkerCutOff extends Error {
  override name = 'WorkerCutOff';
}

export class ThreadWorker implements WorkerHandle {
  private readonly pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private cut = false;

  private constructor(readonly index: number, private readonly worker: Worker, readonly watched: boolean, readonly fused: boolean) {
    worker.on('message', (msg: WorkerReply) => {
      if (msg.type === 'ready' || msg.type === 'failed') return;
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.type === 'error') waiter.reject(new WorkerCrashed(msg.message));
      else waiter.resolve((msg.type === 'result' ? msg.result : undefined) as never);
    });
    const failAll = (err: Error): void => {
      for (const w of this.pending.values()) w.reject(err);
      this.pending.clear();
    };
    worker.on('error', (err) => failAll(this.cut ? this.cutError() : new WorkerCrashed(`worker ${index} crashed: ${err.message}`)));
    worker.on('exit', (code) => failAll(this.cut ? this.cutError() : new WorkerCrashed(`worker ${index} exited (code ${code})`)));
  }

  static start(init: WorkerInit): Promise<ThreadWorker> {
    const worker = new Worker(new URL('./worker-thread.js', import.meta.url), { workerData: init });
    return new Promise((resolve, reject) => {
      const onMessage = (msg: WorkerReply): void => {
        if (msg.type === 'ready') {
          worker.off('message', onMessage);
          resolve(new ThreadWorker(init.workerIndex, worker, msg.watched, msg.fused));
        } else if (msg.type === 'failed') {
          worker.off('message', onMessage);
          void worker.terminate();
          // A plugin refusing its configuration is a config error with its location, not a crash.
          reject(msg.config ? new ConfigError(msg.message) : new Error(msg.message));
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  }

  process(items: BatchItem[], transfer: ArrayBuffer[], guarded = false): Promise<BatchResult> {
    return this.request({ type: 'batch', id: this.nextId++, items, guarded }, transfer);
  }

  flush(final: boolean): Promise<BatchResult> {
    return this.request({ type: 'flush', id: this.nextId++, final });
  }

  acknowledge(deferred: number): void {
    if (!this.cut) this.worker.postMessage({ type: 'acknowledged', deferred } satisfies WorkerRequest);
  }

  async close(): Promise<void> {
    await this.request<void>({ type: 'close', id: this.nextId++ });
    await this.worker.terminate();
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  /** Stops the thread mid-step (V8 TerminateExecution interrupts even a running regexp); pending requests fail with WorkerCutOff. */
  async cutOff(): Promise<void> {
    this.cut = true;
    await this.worker.terminate();
  }

  private cutError(): WorkerCutOff {
    return new WorkerCutOff(`worker ${this.index} was cut off by the watchdog`);
  }

  private request<T>(msg: Extract<WorkerRequest, { id: number }>, transfer: ArrayBuffer[] = []): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.cut) {
        reject(this.cutError());
        return;
      }
      this.pending.set(msg.id, { resolve: resolve as (v: never) => void, reject });
      this.worker.postMessage(msg, transfer);
    });
  }
}

export class InlineWorker implements WorkerHandle {
  /** Nothing can interrupt the main thread from outside: filters guard themselves. */
  readonly watched = false;
  /** One batch at a time, as in a thread: a batch's deferred side effects are told apart by that. */
  private previous: Promise<unknown> = Promise.resolve();

  private constructor(readonly index: number, private readonly core: WorkerCore) {}

  get fused(): boolean {
    return this.core.fused;
  }

  /** `registry`: thread workers always use the built-in registry; inline ones may be given another (tests). */
  static async start(init: WorkerInit, registry?: PluginRegistry): Promise<InlineWorker> {
    return new InlineWorker(init.workerIndex, await WorkerCore.create(init, registry));
  }

  process(items: BatchItem[]): Promise<BatchResult> {
    return this.serially(() => runBatch(this.core, () => this.core.process(items)));
  }

  flush(final: boolean): Promise<BatchResult> {
    return this.serially(() => runBatch(this.core, () => this.core.flush(final)));
  }

  acknowledge(deferred: number): void {
    void this.core.effects.acknowledge(deferred);
  }

  private serially<T>(run: () => Promise<T>): Promise<T> {
    const next = this.previous.then(run, run);
    this.previous = next.catch(() => {});
    return next;
  }

  close(): Promise<void> {
    return this.core.close();
  }

  async terminate(): Promise<void> {}
}
