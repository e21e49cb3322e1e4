/** Pipeline settings (Logstash's logstash.yml / pipelines.yml names), with defaults. */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { LogLevel } from '../core/logger.js';
import type { EcsCompatibility } from '../plugins/api.js';

export interface PipelineSettings {
  /** pipeline.id */
  id: string;
  /** pipeline.workers: worker threads running filters and output encoding. */
  workers: number;
  /** pipeline.batch.size: most events per batch. */
  batchSize: number;
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
  /** path.data */
  dataDir: string;
  logLevel: LogLevel;
  /** Run workers as threads (true) or on the main thread (false; debugging and small tests). */
  threads: boolean;
}

export function defaultSettings(): PipelineSettings {
  const workers = availableParallelism();
  return {
    id: 'main',
    workers,
    batchSize: 125,
    batchDelayMs: 50,
    ordered: 'auto',
    queueMaxEvents: 0, // 0: derived from workers × batch size, see effectiveQueueMaxEvents
    queueMaxBytes: 64 * 1024 * 1024,
    shutdownTimeoutMs: 60_000,
    ecs: 'disabled',
    supportEscapes: false,
    dataDir: join(tmpdir(), 'logpipe-data'),
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
