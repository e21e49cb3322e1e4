/**
 * The pipeline runtime on the main thread: input sources push payloads into
 * the bounded queue; a dispatcher hands batches to workers; the encoded
 * results go to the output sinks; once every output has durably accepted a
 * batch, each payload's ack goes back to its input. See docs/architecture.md.
 */
import type { Logger } from '../core/logger.js';
import type { GraphPlugin, PipelineGraph } from '../config/compile.js';
import type { ConfigSource } from '../config/logstash/ast.js';
import { loadGraph } from '../config/load.js';
import type { Delivery, InputSource, OutputSink } from '../plugins/api.js';
import { builtinRegistry } from '../plugins/builtins.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { ConfigError } from '../core/errors.js';
import { shareFile, sharedFiles } from '../core/shared-files.js';
import { createPluginContext } from './context.js';
import { BoundedQueue, type QueueItem } from './queue.js';
import { effectiveQueueMaxEvents, type PipelineSettings } from './settings.js';
import type { BatchResult, WorkerInit } from './worker-core.js';
import { HEARTBEAT_BYTES } from './heartbeat.js';
import { PayloadSnapshots } from './payload-snapshots.js';
import { Watchdog } from './watchdog.js';
import { InlineWorker, ThreadWorker, WorkerCutOff, type WorkerHandle } from './workers.js';

export interface PipelineStats {
  eventsIn: number;
  eventsFiltered: number;
  eventsOut: number;
  batches: number;
  acked: number;
}

export type ShutdownOutcome = 'drained' | 'timeout' | 'failed';

const RETRY_INITIAL_MS = 1000;
const RETRY_MAX_MS = 30_000;
const BATCHES_PER_WORKER = 2;

export class Pipeline {
  readonly stats: PipelineStats = { eventsIn: 0, eventsFiltered: 0, eventsOut: 0, batches: 0, acked: 0 };
  private graph!: PipelineGraph;
  private sources: InputSource[] = [];
  private sinks: OutputSink[] = [];
  private outputChains: Promise<void>[] = [];
  private workers: WorkerHandle[] = [];
  private workerInit!: (workerIndex: number) => WorkerInit;
  /** Cells each worker thread's heartbeat writes (index = worker index). */
  private heartbeats: SharedArrayBuffer[] = [];
  private readonly watchdog = new Watchdog((index, budgetMs) => this.restartStuckWorker(index, budgetMs));
  /** A fresh thread booting in place of one the watchdog cut off. */
  private replacements = new Map<number, Promise<WorkerHandle>>();
  private readonly snapshots = new PayloadSnapshots();
  /** Batches sent to each worker and not yet returned (index = worker index). */
  private workerLoad: number[] = [];
  private queue: BoundedQueue;
  private pendingWrites = 0; // batches returned, outputs not yet done
  private readonly maxPendingWrites: number;
  private inputsRunning = 0;
  private delayTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private forced = false;
  private fatal: Error | undefined;
  private idleWaiters: (() => void)[] = [];
  private inputsDone!: Promise<void>;
  private shutdownDeadline: Promise<'timeout'> | undefined;
  private stopRequested!: () => void;
  private readonly stopped = new Promise<'stop'>((resolve) => (this.stopRequested = () => resolve('stop')));

  constructor(
    private readonly configSources: ConfigSource[],
    readonly settings: PipelineSettings,
    private readonly logger: Logger,
    private readonly registry: PluginRegistry = builtinRegistry(),
  ) {
    this.queue = new BoundedQueue(effectiveQueueMaxEvents(settings), settings.queueMaxBytes, () => this.dispatch());
    this.maxPendingWrites = Math.max(2, settings.workers * 2);
  }

  /** Validates, starts outputs, workers and inputs. Throws ConfigError on a bad config. */
  async start(): Promise<void> {
    const s = this.settings;
    if (s.ordered === 'true' && s.workers > 1) {
      throw new ConfigError(`pipeline.ordered => true needs pipeline.workers => 1 (got ${s.workers})`, undefined,
        'set pipeline.workers to 1, or pipeline.ordered to auto');
    }
    this.graph = loadGraph(this.configSources, { registry: this.registry, supportEscapes: s.supportEscapes, logger: this.logger });
    if (this.graph.inputs.length === 0) throw new ConfigError('the pipeline has no input', undefined, 'add an input section, e.g. input { stdin {} }');
    if (this.graph.outputList.length === 0) throw new ConfigError('the pipeline has no output', undefined, 'add an output section, e.g. output { stdout {} }');

    // Worker threads boot (import plugins, compile the config) while the main
    // thread opens outputs and inputs start filling the queue.
    this.shareFiles();
    const files = sharedFiles();
    this.heartbeats = Array.from({ length: s.workers }, () => new SharedArrayBuffer(HEARTBEAT_BYTES));
    const init = (this.workerInit = (workerIndex: number): WorkerInit => ({
      sources: this.configSources, settings: s, workerIndex, sharedFiles: files, heartbeat: this.heartbeats[workerIndex],
    }));
    const booting = Promise.allSettled(Array.from({ length: s.workers }, (_, i) =>
      s.threads ? ThreadWorker.start(init(i)) : InlineWorker.start(init(i), this.registry)));
    for (const p of this.graph.outputList) {
      this.sinks.push(await p.definition.createSink(p.options as never, this.context(p)));
      this.outputChains.push(Promise.resolve());
    }
    this.sources = this.graph.inputs.map((p) => p.definition.createSource(p.options as never, this.context(p)));
    this.inputsRunning = this.sources.length;
    this.inputsDone = Promise.all(this.sources.map((source, index) => this.runInput(source, index))).then(() => {});

    const booted = await booting;
    const failed = booted.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(booted.map((r) => (r.status === 'fulfilled' ? r.value.terminate() : undefined)));
      this.forced = true;
      await this.stop();
      throw failed.reason as Error;
    }
    this.workers = booted.map((r) => (r as PromiseFulfilledResult<WorkerHandle>).value);
    this.workerLoad = this.workers.map(() => 0);
    for (const w of this.workers) if (w.watched) this.watchdog.watch(w.index, this.heartbeats[w.index]!);
    this.dispatch();
    this.logger.info('pipeline started', { id: s.id, workers: s.workers, 'batch.size': s.batchSize, inputs: this.sources.length, outputs: this.sinks.length });
  }

  /** Loads the files filters declare (databases) once into shared memory for every worker. */
  private shareFiles(): void {
    for (const p of this.graph.filterList) {
      for (const path of p.definition.sharedFiles?.(p.options as never) ?? []) {
        try {
          shareFile(path);
        } catch {
          // Unreadable: the filter reports it, with its location, when a worker builds it.
        }
      }
    }
  }

  /**
   * Resolves when the pipeline has finished: every input is exhausted (or
   * stop() was called) and every event in flight has gone through the outputs.
   */
  async run(): Promise<ShutdownOutcome> {
    const inputs = this.inputsDone.then(() => 'inputs' as const);
    if ((await Promise.race([inputs, this.stopped])) === 'stop') {
      // Asked to stop: inputs get until the shutdown deadline to return (one may be blocked on a full queue).
      await Promise.race([inputs, this.deadline()]);
    }
    return this.drainAndClose();
  }

  /** pipeline.shutdown_timeout, counted from the stop request (or from the inputs' end). */
  private deadline(): Promise<'timeout'> {
    return (this.shutdownDeadline ??= new Promise((resolve) => setTimeout(() => resolve('timeout'), this.settings.shutdownTimeoutMs).unref()));
  }

  /** Graceful stop: inputs stop reading; what is in flight still goes out (see run()). */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    void this.deadline();
    this.stopRequested();
    this.logger.info('stopping: inputs closed, draining in-flight events', { queued: this.queue.events, inFlight: this.inFlight });
    await Promise.all(this.sources.map(async (s) => s.stop()));
  }

  /** Second signal or timeout: abandon what is in flight (it was not acknowledged). */
  async forceStop(): Promise<void> {
    this.forced = true;
    this.stopping = true;
    this.watchdog.stop();
    await Promise.all([...this.workers, ...this.replacements.values()].map(async (w) => (await w).terminate()));
    this.wakeIdleWaiters();
  }

  /**
   * The watchdog saw worker `index` stay in one step past its budget (a runaway regexp or script). Its
   * thread is stopped mid-step and a fresh one boots in its place; the batches it held are
   * re-run there, guarded (runBatch). Filter state kept in that worker (in-memory dedup) is lost.
   */
  private restartStuckWorker(index: number, budgetMs: number): void {
    const stuck = this.workers[index];
    if (!(stuck instanceof ThreadWorker)) return; // only threads are watched
    this.logger.warn('a worker stayed in one filter step past its time budget; restarting it and re-running its batches with per-event guards', {
      worker: index, budget_ms: budgetMs,
    });
    const replacement = (async (): Promise<WorkerHandle> => {
      await stuck.cutOff();
      const fresh = await ThreadWorker.start(this.workerInit(index));
      this.workers[index] = fresh;
      if (fresh.watched && !this.forced) this.watchdog.watch(index, this.heartbeats[index]!);
      return fresh;
    })();
    this.replacements.set(index, replacement);
    replacement.then(
      () => this.replacements.delete(index),
      (err: Error) => this.fail(new Error(`could not restart worker ${index} after a cut-off: ${err.message}`)),
    );
  }

  private context(p: GraphPlugin) {
    return createPluginContext({
      id: p.id,
      name: p.definition.name,
      pipelineId: this.settings.id,
      location: p.location,
      logger: this.logger.child(p.id),
      ecs: (p.options['ecs_compatibility'] as PipelineSettings['ecs'] | undefined) ?? this.settings.ecs,
      workerIndex: -1,
      dataDir: this.settings.dataDir,
      batchSize: this.settings.batchSize,
    }, this.registry);
  }

  private async runInput(source: InputSource, index: number): Promise<void> {
    const pipeline = this;
    const sink = {
      push: (payload: Parameters<BoundedQueue['push']>[1], delivery?: Delivery) => pipeline.queue.push(index, payload, delivery),
      get stopping() {
        return pipeline.stopping;
      },
    };
    try {
      await source.run(sink);
    } catch (err) {
      this.logger.error('input failed', { input: this.graph.inputs[index]!.id, error: err });
    } finally {
      this.inputsRunning--;
      this.dispatch();
    }
  }

  private dispatch(): void {
    while (!this.forced && !this.fatal && this.queue.length > 0 && this.pendingWrites < this.maxPendingWrites) {
      const worker = this.leastLoadedWorker();
      if (!worker) return;
      // Wait up to batch.delay for a full batch while inputs are still producing.
      if (this.queue.events < this.settings.batchSize && this.inputsRunning > 0 && !this.stopping) {
        const waited = Date.now() - (this.queue.oldestEnqueuedAt ?? Date.now());
        if (waited < this.settings.batchDelayMs) {
          if (!this.delayTimer) {
            this.delayTimer = setTimeout(() => {
              this.delayTimer = undefined;
              this.dispatch();
            }, this.settings.batchDelayMs - waited);
          }
          return;
        }
      }
      const items = this.queue.take(this.settings.batchSize);
      void this.runBatch(worker, items);
    }
  }

  /**
   * A worker may hold BATCHES_PER_WORKER batches, so the next one is already
   * waiting in its message queue when it finishes the current one: the
   * message round trip then costs no worker time.
   */
  private leastLoadedWorker(): WorkerHandle | undefined {
    let best: WorkerHandle | undefined;
    for (const w of this.workers) {
      const load = this.workerLoad[w.index]!;
      if (load < BATCHES_PER_WORKER && (!best || load < this.workerLoad[best.index]!)) best = w;
    }
    return best;
  }

  /** Batches sent to a worker and not yet returned. */
  private get inFlight(): number {
    return this.workerLoad.reduce((a, b) => a + b, 0);
  }

  private async runBatch(first: WorkerHandle, items: QueueItem[]): Promise<void> {
    const index = first.index;
    this.workerLoad[index]!++;
    const payloads = items.map((it) => ({ input: it.input, data: it.payload.data, transfer: it.payload.transfer }));
    // A watched worker may be cut off mid-batch: keep copies to re-run the batch on its replacement.
    let snapshot = first.watched ? this.snapshots.take(payloads) : undefined;
    let send = snapshot ?? { items: payloads.map((p) => ({ input: p.input, data: p.data })), transfer: payloads.flatMap((p) => p.transfer ?? []) };
    let result: BatchResult;
    for (let worker = first, guarded = false; ; guarded = true) {
      try {
        result = await worker.process(send.items, send.transfer, guarded);
        break;
      } catch (err) {
        const replacement = this.replacements.get(index);
        if (err instanceof WorkerCutOff && snapshot && replacement && !this.forced) {
          try {
            worker = await replacement;
            send = snapshot = this.snapshots.restore(snapshot);
            continue;
          } catch {
            /* reported by restartStuckWorker() */
          }
        }
        if (snapshot) this.snapshots.release(snapshot);
        this.workerLoad[index]!--;
        if (!this.forced) this.fail(err as Error);
        return;
      }
    }
    if (snapshot) this.snapshots.release(snapshot);
    this.workerLoad[index]!--;
    this.pendingWrites++;
    this.stats.batches++;
    this.stats.eventsIn += result.eventsIn;
    this.stats.eventsFiltered += result.eventsOut;
    this.dispatch();
    try {
      await this.writeOutputs(result);
    } catch (err) {
      // Only a forced stop ends the retries; nothing is acknowledged then.
      this.pendingWrites--;
      this.wakeIdleWaiters();
      return;
    }
    this.pendingWrites--;
    this.stats.eventsOut += result.eventsOut;
    for (const it of items) {
      it.delivery?.ack();
      this.stats.acked += it.payload.events;
    }
    this.wakeIdleWaiters();
    this.dispatch();
  }

  /** Writes each output's payload, in batch order per output, retrying failures until they succeed. */
  private writeOutputs(result: BatchResult): Promise<unknown> {
    return Promise.all(result.outputs.map(({ index, payload }) => {
      const write = this.outputChains[index]!.then(() => this.writeWithRetry(index, payload.data));
      this.outputChains[index] = write.catch(() => {});
      return write;
    }));
  }

  private async writeWithRetry(index: number, data: unknown): Promise<void> {
    let delay = RETRY_INITIAL_MS;
    for (;;) {
      try {
        await this.sinks[index]!.write(data);
        return;
      } catch (err) {
        if (this.forced) throw err;
        this.logger.error('output failed; retrying', { output: this.graph.outputList[index]!.id, error: err, retry_in_ms: delay });
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      }
    }
  }

  private fail(err: Error): void {
    if (this.fatal) return;
    this.fatal = err;
    this.logger.error('pipeline worker failed; stopping without acknowledging in-flight events', { error: err.message });
    void this.stop();
    this.wakeIdleWaiters();
  }

  private get busy(): boolean {
    return this.queue.length > 0 || this.inFlight > 0 || this.pendingWrites > 0;
  }

  private wakeIdleWaiters(): void {
    if (this.busy && !this.forced && !this.fatal) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private waitIdle(): Promise<void> {
    if (!this.busy || this.forced || this.fatal) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drainAndClose(): Promise<ShutdownOutcome> {
    this.stopping = true;
    this.dispatch();
    const timeout = this.deadline();
    const drained = (async (): Promise<'drained'> => {
      await this.waitIdle();
      if (!this.forced && !this.fatal) {
        // Filters holding events (aggregations) release them now.
        for (const w of this.workers) {
          const result = await w.flush();
          if (result.outputs.length > 0) await this.writeOutputs(result);
          this.stats.eventsOut += result.eventsOut;
        }
      }
      return 'drained';
    })();
    const outcome = await Promise.race([drained, timeout]);
    if (this.delayTimer) clearTimeout(this.delayTimer);
    this.watchdog.stop();
    if (outcome === 'timeout') {
      this.logger.error('shutdown timed out; events still in flight were not acknowledged and will be re-read by inputs that can', {
        queued: this.queue.events, inFlight: this.inFlight, pendingWrites: this.pendingWrites,
      });
      await this.forceStop();
    } else {
      await Promise.all(this.workers.map((w) => w.close().catch(() => w.terminate())));
    }
    for (const sink of this.sinks) await sink.close?.().catch((err: Error) => this.logger.warn('output close failed', { error: err.message }));
    this.logger.info('pipeline stopped', { ...this.stats });
    if (this.fatal) return 'failed';
    return outcome === 'timeout' || this.forced ? 'timeout' : 'drained';
  }
}
