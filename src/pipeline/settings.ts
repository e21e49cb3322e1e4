/** Pipeline settings (Logstash's logstash.yml / pipelines.yml names), with defaults. */
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogLevel } from '../core/logger.js';
import type { EcsCompatibility } from '../plugins/api.js';

export interface PipelineSettings {
  /** pipeline.id */
  id: string;
  /** pipeline.workers: worker threads running filters and output encoding. */
  workers: number;
  /** pipeline.batch.size: most events per batch. */
  batchSize: number;
  /**
   * Most events per batch when every worker runs the fused step (fusion.ts: no Events between the
   * input's bytes and the output's, so a batch costs only its bytes); 0: batchSize. The agent sets
   * it: fewer, larger windows halve what each window costs on the wire side (docs/decisions/0026).
   */
  fusedBatchSize: number;
  /** pipeline.batch.delay: ms to wait for a batch to fill before sending a smaller one. */
  batchDelayMs: number;
  /** pipeline.ordered: auto (ordered with 1 worker), true (requires 1 worker), false. */
  ordered: 'auto' | 'true' | 'false';
  /** queue.max_events: events waiting for a worker; inputs block beyond it. */
  queueMaxEvents: number;
  /** queue.max_bytes: bytes waiting for a worker; inputs block beyond it. */
  queueMaxBytes: number;
  /** pipeline.shutdown_timeout: ms to drain in-flight events after a stop signal. */
  shutdownTimeoutMs: number;
  /** pipeline.ecs_compatibility: default field naming for plugins. */
  ecs: EcsCompatibility;
  /** config.support_escapes */
  supportEscapes: boolean;
  /** path.data: state that must survive restarts (registries, queues), one subdirectory per pipeline. */
  dataDir: string;
  /** pipeline.output.concurrency: writes each output may have in flight (a sink may set its own). */
  outputConcurrency: number;
  /** failed_events.path: JSON lines file receiving events an output failed for good; none: logged and counted only. */
  failedEventsPath: string | undefined;
  logLevel: LogLevel;
  /** Run workers as threads (true) or on the main thread (false; debugging and small tests). */
  threads: boolean;
}

/**
 * Like Logstash's LOGSTASH_HOME/data: a `data/` directory in logpipe's own install directory (the
 * package root), so state survives reboots and does not depend on where logpipe was started.
 */
export const DEFAULT_DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'data');

/** Where one plugin of one pipeline keeps its state: path.data/pipelines/<pipeline>/plugins/<plugin id>. */
export function pluginDataDir(s: Pick<PipelineSettings, 'dataDir' | 'id'>, pluginId: string): string {
  return join(s.dataDir, 'pipelines', s.id, 'plugins', pluginId);
}

export function defaultSettings(): PipelineSettings {
  const workers = availableParallelism();
  return {
    id: 'main',
    workers,
    batchSize: 125,
    fusedBatchSize: 0,
    batchDelayMs: 50,
    ordered: 'auto',
    queueMaxEvents: 0, // 0: derived from workers × batch size, see effectiveQueueMaxEvents
    queueMaxBytes: 64 * 1024 * 1024,
    shutdownTimeoutMs: 60_000,
    ecs: 'disabled',
    supportEscapes: false,
    dataDir: DEFAULT_DATA_DIR,
    outputConcurrency: 1,
    failedEventsPath: undefined,
    logLevel: 'info',
    threads: true,
  };
}

/**
 * A few batches per worker may wait (Logstash keeps workers × batch size in
 * flight), and at least a few input payloads, which hold ~1000 lines each.
 */
export function effectiveQueueMaxEvents(s: PipelineSettings): number {
  return s.queueMaxEvents > 0 ? s.queueMaxEvents : Math.max(4096, s.workers * s.batchSize * 4);
}

/** Events per batch when the workers fuse (PipelineSettings.fusedBatchSize). */
export function fusedBatchSize(s: Pick<PipelineSettings, 'batchSize' | 'fusedBatchSize'>): number {
  return s.fusedBatchSize > 0 ? s.fusedBatchSize : s.batchSize;
}
