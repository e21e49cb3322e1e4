/**
 * The work a pipeline worker does for one batch: decode input payloads into
 * events, run the filters, route to outputs and encode. Used directly on the
 * main thread (threads: false) and inside each worker thread.
 */
import type { Event } from '../core/event.js';
import { createLogger, type Logger } from '../core/logger.js';
import type { GraphPlugin } from '../config/compile.js';
import type { ConfigSource } from '../config/logstash/ast.js';
import { withExcerpts } from '../config/load.js';
import { deserializeGraph, type SerializedGraph } from '../config/serialize.js';
import { loadBuiltinRegistry } from '../plugins/builtin-registry-loader.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { contextForPlugin } from './context.js';
import { buildExecutor, type EncodedOutput, type Executor } from './executor.js';
import { DeferredEffects } from './deferred-effects.js';
import { WorkerHeartbeat } from './heartbeat.js';
import type { TapRecord } from './tap.js';
import { fusedBatchSize, type PipelineSettings } from './settings.js';

export interface WorkerInit {
  /** The pipeline, compiled once on the main thread. */
  graph: SerializedGraph;
  /** The configuration text, only to show a source excerpt beside an error a plugin reports. */
  sources: ConfigSource[];
  settings: PipelineSettings;
  workerIndex: number;
  /** Files the main thread loaded into shared memory (core/shared-files.ts). */
  sharedFiles?: Record<string, SharedArrayBuffer>;
  /** The cells the main thread's watchdog reads (heartbeat.ts); only for worker threads. */
  heartbeat?: SharedArrayBuffer;
  /** The cells the worker counts per-plugin figures in, read by the main thread (metrics.ts). */
  figures?: SharedArrayBuffer;
  /** The tap cells (tap.ts); absent, no plugin can be tapped and no step checks for it. */
  taps?: SharedArrayBuffer;
}

/** One input payload inside a batch. */
export interface BatchItem {
  input: number;
  data: unknown;
}

export interface BatchResult {
  /** Encoded payloads in order; an output may appear several times (one per batch of a large input payload). */
  outputs: EncodedOutput[];
  /** Events decoded from the payloads. */
  eventsIn: number;
  /** Events that left the filters (reached the output section). */
  eventsOut: number;
  /** Side effects filters deferred until this batch is acknowledged: the id to acknowledge, or 0 (deferred-effects.ts). */
  deferred?: number;
  /** Events copied for attached taps (tap.ts). */
  taps?: TapRecord[];
}

export class WorkerCore {
  private constructor(
    private readonly executor: Executor,
    private readonly batchSize: number,
    /** The batches the fused step cuts its output into (the dispatcher sends batches of this size then). */
    private readonly fusedBatchSize: number,
    private readonly heartbeat: WorkerHeartbeat,
    /** Side effects deferred by the batch being run; the caller brackets each batch with begin()/end(). */
    readonly effects: DeferredEffects,
  ) {}

  /** Whether batches may take the fused step (fusion.ts): the graph's output fuses with what is before it. */
  get fused(): boolean {
    return this.executor.fused !== undefined;
  }

  /** Whether a filter relies on the watchdog: its batches must stay re-runnable until they return. */
  get watched(): boolean {
    return this.heartbeat.used;
  }

  static async create(init: WorkerInit, given?: PluginRegistry, logger?: Logger): Promise<WorkerCore> {
    const registry = given ?? await loadBuiltinRegistry();
    const { settings } = init;
    const log = logger ?? createLogger(settings.logLevel, `worker.${init.workerIndex}`);
    const heartbeat = new WorkerHeartbeat(init.heartbeat);
    const effects = new DeferredEffects(log);
    const makeContext = (p: GraphPlugin) =>
      contextForPlugin(p, settings, log, registry, { workerIndex: init.workerIndex, heartbeat, deferUntilAcknowledged: effects.defer });
    try {
      const graph = deserializeGraph(init.graph, registry);
      const executor = await buildExecutor(graph, makeContext, { logger: log, figures: init.figures, ordered: orderedExecution(settings), taps: init.taps });
      return new WorkerCore(executor, settings.batchSize, fusedBatchSize(settings), heartbeat, effects);
    } catch (err) {
      throw withExcerpts(err, init.sources);
    }
  }

  /** `guarded`: a re-run after the watchdog cut a worker off; filters guard themselves. */
  process(items: BatchItem[], guarded = false): BatchResult | Promise<BatchResult> {
    this.heartbeat.setGuarded(guarded);
    const fused = this.executor.fused?.(items, this.fusedBatchSize);
    if (fused) return { outputs: fused.outputs, eventsIn: fused.events, eventsOut: fused.events };
    const events: Event[] = [];
    for (const item of items) this.executor.decode(item.input, item.data, events);
    const result: BatchResult = { outputs: [], eventsIn: events.length, eventsOut: 0 };
    // A payload may hold more events than a batch. Each batch of at most
    // pipeline.batch.size events goes through filters and encoders before the
    // next starts, so what a batch allocates dies young (measured: 1.5 µs/event
    // this way against 2.1 µs when a 256 KiB payload went through as one batch).
    const size = this.batchSize;
    for (let start = 0; start < events.length; start += size) {
      const batch = start === 0 && events.length <= size ? events : events.slice(start, start + size);
      const filtered = this.executor.filter(batch);
      if (filtered instanceof Promise) return this.processAsync(events, start, filtered, result);
      this.emit(filtered, result);
    }
    return this.withTaps(result);
  }

  private withTaps(result: BatchResult): BatchResult {
    const taps = this.executor.takeTapped();
    if (taps) result.taps = taps;
    return result;
  }

  private async processAsync(events: Event[], start: number, pending: Promise<Event[]>, result: BatchResult): Promise<BatchResult> {
    this.emit(await pending, result);
    for (let next = start + this.batchSize; next < events.length; next += this.batchSize) {
      this.emit(await this.executor.filter(events.slice(next, next + this.batchSize)), result);
    }
    return this.withTaps(result);
  }

  /** Routes a filtered batch to the outputs, adding their encoded payloads to the result in order. */
  private emit(events: Event[], result: BatchResult): void {
    if (events.length === 0) return;
    result.eventsOut += events.length;
    for (const o of this.executor.route(events)) result.outputs.push(o);
  }

  /** A copy of the per-plugin figures this worker counted (metrics.ts layout). */
  figures(): Float64Array {
    return this.executor.readFigures();
  }

  /** Events held by filters, pushed through the rest of the pipeline (at shutdown when `final`, else periodically). */
  async flush(final: boolean): Promise<BatchResult> {
    const result: BatchResult = { outputs: [], eventsIn: 0, eventsOut: 0 };
    this.emit(await this.executor.flush(final), result);
    return this.withTaps(result);
  }

  close(): Promise<void> {
    return this.executor.close();
  }
}

/** pipeline.ordered: true, or auto with one worker, as Logstash decides it. */
export function orderedExecution(settings: { ordered: 'auto' | 'true' | 'false'; workers: number }): boolean {
  return settings.ordered === 'true' || (settings.ordered === 'auto' && settings.workers === 1);
}

/** Runs one batch (or a flush) on `core`, collecting the side effects its filters defer. */
export async function runBatch(core: WorkerCore, run: () => BatchResult | Promise<BatchResult>): Promise<BatchResult> {
  core.effects.begin();
  try {
    const result = await run();
    result.deferred = core.effects.end();
    return result;
  } catch (err) {
    core.effects.end();
    throw err;
  }
}

/** Every ArrayBuffer a result hands over, so postMessage can transfer instead of copy. */
export function transferListOf(result: BatchResult): ArrayBuffer[] {
  const list: ArrayBuffer[] = [];
  for (const o of result.outputs) if (o.payload.transfer) list.push(...o.payload.transfer);
  return list;
}
