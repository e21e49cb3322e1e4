/**
 * The work a pipeline worker does for one batch: decode input payloads into
 * events, run the filters, route to outputs and encode. Used directly on the
 * main thread (threads: false) and inside each worker thread.
 */
import type { Event } from '../core/event.js';
import { createLogger, type Logger } from '../core/logger.js';
import type { GraphPlugin } from '../config/compile.js';
import type { ConfigSource } from '../config/logstash/ast.js';
import { loadGraph } from '../config/load.js';
import type { OutputPayload } from '../plugins/api.js';
import { builtinRegistry } from '../plugins/builtins.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { createPluginContext } from './context.js';
import { buildExecutor, type Executor } from './executor.js';
import type { PipelineSettings } from './settings.js';

export interface WorkerInit {
  sources: ConfigSource[];
  settings: PipelineSettings;
  workerIndex: number;
}

/** One input payload inside a batch. */
export interface BatchItem {
  input: number;
  data: unknown;
}

export interface BatchResult {
  outputs: { index: number; payload: OutputPayload }[];
  /** Events decoded from the payloads. */
  eventsIn: number;
  /** Events that left the filters (reached the output section). */
  eventsOut: number;
}

export class WorkerCore {
  private constructor(private readonly executor: Executor) {}

  static async create(init: WorkerInit, registry: PluginRegistry = builtinRegistry(), logger?: Logger): Promise<WorkerCore> {
    const { settings } = init;
    const log = logger ?? createLogger(settings.logLevel, `worker.${init.workerIndex}`);
    const graph = loadGraph(init.sources, { registry, supportEscapes: settings.supportEscapes });
    const makeContext = (p: GraphPlugin) =>
      createPluginContext({
        id: p.id,
        name: p.definition.name,
        pipelineId: settings.id,
        location: p.location,
        logger: log.child(p.id),
        ecs: (p.options['ecs_compatibility'] as PipelineSettings['ecs'] | undefined) ?? settings.ecs,
        workerIndex: init.workerIndex,
        dataDir: settings.dataDir,
        batchSize: settings.batchSize,
      }, registry);
    return new WorkerCore(await buildExecutor(graph, makeContext));
  }

  process(items: BatchItem[]): BatchResult | Promise<BatchResult> {
    const events: Event[] = [];
    for (const item of items) this.executor.decode(item.input, item.data, events);
    const eventsIn = events.length;
    const filtered = this.executor.filter(events);
    if (filtered instanceof Promise) return filtered.then((out) => this.finish(out, eventsIn));
    return this.finish(filtered, eventsIn);
  }

  /** Events held by filters, pushed through the rest of the pipeline at shutdown. */
  flush(): BatchResult | Promise<BatchResult> {
    const held = this.executor.flush();
    return this.finish(held, 0);
  }

  close(): Promise<void> {
    return this.executor.close();
  }

  private finish(events: Event[], eventsIn: number): BatchResult {
    return { outputs: this.executor.route(events), eventsIn, eventsOut: events.length };
  }
}

/** Every ArrayBuffer a result hands over, so postMessage can transfer instead of copy. */
export function transferListOf(result: BatchResult): ArrayBuffer[] {
  const list: ArrayBuffer[] = [];
  for (const o of result.outputs) if (o.payload.transfer) list.push(...o.payload.transfer);
  return list;
}
