/**
 * One pipeline's lifecycle: compile (once, on the main thread), open the outputs, boot the
 * workers, start the inputs, and stop — draining what is in flight, or abandoning it when forced.
 * The moving parts each live in their own file: inputs (input-runner.ts), the bounded queue
 * (queue/memory.ts), batches (dispatcher.ts), workers (worker-pool.ts), outputs
 * (output-writer.ts), acknowledgements (deliveries.ts), the failure path (queue/dead-letter.ts).
 * See docs/architecture.md.
 */
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { GraphPlugin, PipelineGraph } from '../config/compile.js';
import type { ConfigSource } from '../config/logstash/ast.js';
import { loadGraph } from '../config/load.js';
import { serializeGraph } from '../config/serialize.js';
import { ControlServer, controlSocketPath } from './control-socket.js';
import { TapHub } from './tap.js';
import { loadBuiltinRegistry } from '../plugins/builtin-registry-loader.js';
import { PERIODIC_FLUSH_MS } from '../plugins/api.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { shareFile, sharedFiles } from '../core/shared-files.js';
import { BoundedQueue } from '../queue/memory.js';
import { FailedEventsLog } from '../queue/dead-letter.js';
import { contextForPlugin } from './context.js';
import { Deliveries } from './deliveries.js';
import { Dispatcher, MESSAGE_MAX_BATCHES } from './dispatcher.js';
import { PeriodicFlush } from './periodic-flush.js';
import { InputRunner } from './input-runner.js';
import { PipelineMetrics, type PluginFigures } from './metrics.js';
import { OutputWriter } from './output-writer.js';
import { effectiveQueueMaxEvents, fusedBatchSize, type PipelineSettings } from './settings.js';
import { WorkerPool } from './worker-pool.js';

export interface PipelineStats {
  eventsIn: number;
  eventsFiltered: number;
  eventsOut: number;
  batches: number;
  acked: number;
  nacked: number;
  /** Events the outputs failed for good (handed to the failure path). */
  failed: number;
}

/**
 * drained: everything that entered was acknowledged. timeout: the shutdown deadline passed or a
 * second signal forced the stop. failed: an output can never deliver again or a worker died;
 * what was in flight was handed back to the inputs.
 */
export type ShutdownOutcome = 'drained' | 'timeout' | 'failed';

/** A pipeline compiled by any front end, with the text it came from (for error excerpts). */
export interface CompiledPipeline {
  graph: PipelineGraph;
  sources: ConfigSource[];
}

export class Pipeline {
  private graph!: PipelineGraph;
  private readonly queue: BoundedQueue;
  private pool!: WorkerPool;
  private inputs!: InputRunner;
  private dispatcher!: Dispatcher;
  private periodicFlush: PeriodicFlush | undefined;
  private writers: OutputWriter[] = [];
  private deliveries!: Deliveries;
  private failures!: FailedEventsLog;
  private metrics!: PipelineMetrics;
  private taps!: TapHub;
  private control: ControlServer | undefined;
  private stopping = false;
  private forced = false;
  private fatal: Error | undefined;
  private shutdownDeadline: Promise<'timeout'> | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private stopRequested!: () => void;
  /** Resolves on stop(): the shutdown clock starts only then. */
  private readonly stopSignal = new Promise<void>((resolve) => (this.stopRequested = resolve));

  constructor(
    private readonly config: ConfigSource[] | CompiledPipeline,
    readonly settings: PipelineSettings,
    private readonly logger: Logger,
    /** The built-in registry when not given (imported at start()). */
    private registry?: PluginRegistry,
  ) {
    this.queue = new BoundedQueue(effectiveQueueMaxEvents(settings), settings.queueMaxBytes, () => this.dispatcher?.dispatch(),
      (item, reason) => this.deliveries.nack([item], reason));
  }

  get stats(): PipelineStats {
    const d = this.dispatcher?.figures;
    return {
      eventsIn: d?.eventsIn ?? 0, eventsFiltered: d?.eventsFiltered ?? 0, eventsOut: d?.eventsOut ?? 0, batches: d?.batches ?? 0,
      acked: this.deliveries?.figures.acked ?? 0, nacked: this.deliveries?.figures.nacked ?? 0,
      failed: [...(this.failures?.counts.values() ?? [])].reduce((a, b) => a + b, 0),
    };
  }

  /**
   * Per plugin id: events in and out, time spent and failures, summed over every worker (read
   * from their shared cells); an output's failures include the events it failed for good on the main thread, an
   * input's the times its run() failed.
   */
  pluginFigures(): Record<string, PluginFigures & { retries?: number; source?: Record<string, number> }> {
    const figures: Record<string, PluginFigures & { retries?: number; source?: Record<string, number> }> = this.metrics?.snapshot() ?? {};
    for (const w of this.writers) {
      const f = figures[w.id];
      if (f) figures[w.id] = { ...f, failures: f.failures + w.figures.failedEvents, retries: w.figures.retries };
    }
    for (const [id, n] of this.inputs?.failures ?? []) {
      const f = figures[id];
      if (f) f.failures += n;
    }
    for (const [id, counters] of this.inputs?.sourceFigures() ?? []) {
      const f = figures[id];
      if (f) f.source = counters;
    }
    return figures;
  }

  /** Validates, starts outputs, workers and inputs. Throws ConfigError on a bad config. */
  async start(): Promise<void> {
    const s = this.settings;
    if (s.ordered === 'true' && s.workers > 1) {
      throw new ConfigError(`pipeline.ordered => true needs pipeline.workers => 1 (got ${s.workers})`, undefined,
        'set pipeline.workers to 1, or pipeline.ordered to auto');
    }
    const registry = (this.registry ??= await loadBuiltinRegistry());
    const sources = Array.isArray(this.config) ? this.config : this.config.sources;
    this.graph = Array.isArray(this.config)
      ? loadGraph(this.config, { registry, supportEscapes: s.supportEscapes, logger: this.logger })
      : this.config.graph;
    if (this.graph.inputs.length === 0) throw new ConfigError('the pipeline has no input', undefined, 'add an input section, e.g. input { stdin {} }');
    if (this.graph.outputList.length === 0) throw new ConfigError('the pipeline has no output', undefined, 'add an output section, e.g. output { stdout {} }');

    this.shareFiles();
    const files = sharedFiles();
    const serialized = serializeGraph(this.graph);
    this.metrics = PipelineMetrics.forGraph(this.graph);
    this.taps = TapHub.forGraph(this.graph);
    this.failures = new FailedEventsLog(s.id, this.logger.child('failed_events'), s.failedEventsPath);
    this.deliveries = new Deliveries(this.graph.inputs.map((p) => p.id), this.logger);
    this.pool = new WorkerPool({
      workers: s.workers,
      threads: s.threads,
      registry,
      logger: this.logger,
      init: (workerIndex, cells) => ({ graph: serialized, sources, settings: s, workerIndex, sharedFiles: files, taps: this.taps.cells, ...cells }),
      figureBytes: this.metrics.cellBytes,
      onFatal: (err) => this.fail(err),
      rerunUnsafe: this.graph.filterList.filter((p) => p.definition.rerunSafe === false).map((p) => p.id),
    });
    for (const cells of this.pool.figures) this.metrics.watch(cells);
    // Worker threads boot (import plugins, build filters) while the main thread opens outputs and
    // inputs start filling the queue.
    const booting = this.pool.start();
    booting.catch(() => {});
    try {
      for (const p of this.graph.outputList) {
        const sink = await p.definition.createSink(p.options as never, this.context(p));
        this.writers.push(new OutputWriter(p.id, sink, s.outputConcurrency, this.failures, this.logger, (reason) =>
          this.fail(new Error(`output ${p.id} can never deliver again: ${reason}`))));
      }
    } catch (err) {
      await booting.then(() => this.pool.terminate(), () => {});
      throw err;
    }
    this.inputs = new InputRunner(
      this.graph.inputs.map((p) => ({ id: p.id, source: p.definition.createSource(p.options as never, this.context(p)) })),
      (index, payload, delivery) => this.queue.push(index, payload, delivery),
      this.logger,
      () => this.dispatcher.dispatch(),
    );
    this.dispatcher = new Dispatcher(this.queue, this.pool, this.writers, this.deliveries, this.failures, {
      batchSize: s.batchSize,
      batchDelayMs: s.batchDelayMs,
      // Enough batches waiting for outputs to keep every worker and every output's writes busy: a
      // sink that takes several writes at once (the logstash output: windows awaiting ACKs and one
      // being compressed ahead) would otherwise idle the event loop while they are in flight.
      maxPendingWrites: Math.max(2, s.workers * 2, ...this.writers.map((w) => w.concurrency)),
      messageMaxBatches: s.threads ? MESSAGE_MAX_BATCHES : 1,
      outputIds: this.graph.outputList.map((p) => p.id),
      producing: () => this.inputs.active > 0 && !this.stopping,
      onFatal: (err) => this.fail(err),
      onTapped: (records) => this.taps.publish(records),
    });
    this.inputs.start();
    // stop() arrived while starting (a signal, an agent reload): the inputs it could not reach stop now.
    if (this.stopping) void this.inputs.stop();
    try {
      await booting;
    } catch (err) {
      this.forced = true;
      await this.inputs.stop();
      this.dispatcher.halt('the pipeline failed to start');
      throw err;
    }
    // Batches the workers fuse carry no Events: they may be larger (PipelineSettings.fusedBatchSize).
    const batchSize = this.pool.fused ? fusedBatchSize(s) : s.batchSize;
    this.dispatcher.useBatchSize(batchSize);
    this.dispatcher.dispatch();
    this.control = new ControlServer(controlSocketPath(s.dataDir, s.id), this.taps, this.logger.child('control'));
    await this.control.start();
    if (this.graph.filterList.some((p) => p.definition.periodicFlush?.(p.options as never))) {
      this.periodicFlush = new PeriodicFlush(() => this.dispatcher.flushFilters(false), PERIODIC_FLUSH_MS, this.logger);
      this.periodicFlush.start();
    }
    this.logger.info('pipeline started', { id: s.id, workers: s.workers, 'batch.size': batchSize, inputs: this.graph.inputs.length, outputs: this.writers.length });
  }

  /**
   * Resolves when the pipeline has finished: every input is exhausted (or stop() was called) and
   * every event in flight has gone through the outputs. Inputs that reach their end let the
   * pipeline drain fully, however long the filters take; only a stop request starts the
   * pipeline.shutdown_timeout clock.
   */
  async run(): Promise<ShutdownOutcome> {
    const inputsDone = this.inputs.finished();
    await Promise.race([inputsDone, this.stopSignal]);
    if (this.stopping) {
      // Asked to stop: inputs get until the shutdown deadline to return (one may be blocked on a full queue).
      await Promise.race([inputsDone, this.deadline()]);
    }
    return this.drainAndClose();
  }

  /** Graceful stop: inputs stop reading; what is in flight still goes out (see run()). */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.stopRequested();
    this.logger.info('stopping: inputs closed, draining in-flight events', { ...this.dispatcher?.pending });
    await this.inputs?.stop();
    this.dispatcher?.dispatch();
  }

  /** Second signal or timeout: abandon what is in flight and hand it back to the inputs (nack). */
  async forceStop(): Promise<void> {
    this.forced = true;
    void this.stop();
    this.dispatcher?.halt('the pipeline was forced to stop');
    for (const w of this.writers) w.abandon();
    await this.pool?.terminate();
  }

  /** pipeline.shutdown_timeout, counted from the stop request. */
  private deadline(): Promise<'timeout'> {
    return (this.shutdownDeadline ??= new Promise((resolve) => {
      // No limit (the agent's default): wait for every acknowledgement; a second signal forces.
      if (!Number.isFinite(this.settings.shutdownTimeoutMs)) return;
      this.deadlineTimer = setTimeout(() => resolve('timeout'), this.settings.shutdownTimeoutMs);
      this.deadlineTimer.unref();
    }));
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

  private context(p: GraphPlugin) {
    // Only called once start() has set the registry.
    return contextForPlugin(p, this.settings, this.logger, this.registry!, { workerIndex: -1 });
  }

  /** The pipeline cannot go on (a worker lost, an output dead for good): stop, handing back what is not done. */
  private fail(err: Error): void {
    if (this.fatal) return;
    this.fatal = err;
    this.logger.error('pipeline failed; stopping its inputs and handing undelivered events back to them', { error: err.message });
    void this.stop();
    this.dispatcher?.halt(err.message);
  }

  private async drainAndClose(): Promise<ShutdownOutcome> {
    await this.periodicFlush?.stop();
    this.dispatcher.dispatch();
    const drained = (async (): Promise<'drained'> => {
      await this.dispatcher.waitIdle();
      // Filters holding events (aggregations) release them now.
      if (!this.forced && !this.fatal) await this.dispatcher.flushFilters();
      return 'drained';
    })();
    // Inputs ended by themselves: no deadline unless a stop request arrives during the drain.
    const timeout = this.stopSignal.then(() => this.deadline());
    const outcome = await Promise.race([drained, timeout]);
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    if (outcome === 'timeout') {
      this.logger.error('shutdown timed out; events still in flight were not acknowledged and are handed back to inputs that can take them', {
        ...this.dispatcher.pending,
      });
      await this.forceStop();
    } else if (this.forced || this.fatal) {
      await this.pool.terminate();
    } else {
      await this.pool.close();
    }
    for (const w of this.writers) await w.close().catch((err: Error) => this.logger.warn('output close failed', { output: w.id, error: err.message }));
    await this.control?.close();
    this.logger.info('pipeline stopped', { ...this.stats });
    if (this.fatal) return 'failed';
    return outcome === 'timeout' || this.forced ? 'timeout' : 'drained';
  }
}
