/** Builds the PluginContext a plugin instance receives. */
import type { SourceLocation } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { EcsCompatibility, Heartbeat, PluginContext } from '../plugins/api.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { unwatchedHeartbeat } from './heartbeat.js';

export interface ContextInit {
  id: string;
  name: string;
  pipelineId: string;
  location?: SourceLocation | undefined;
  logger: Logger;
  ecs: EcsCompatibility;
  workerIndex: number;
  dataDir: string;
  batchSize: number;
  /** The worker's heartbeat; none outside worker threads (filters then guard themselves). */
  heartbeat?: Heartbeat;
  /** Where the worker collects the side effects of the batch it is running; none on the main thread. */
  deferUntilAcknowledged?: PluginContext['deferUntilAcknowledged'];
}

const mainThreadDeferral: PluginContext['deferUntilAcknowledged'] = () => {
  throw new Error('deferUntilAcknowledged is for filters running in a pipeline worker');
};

export function createPluginContext(init: ContextInit, registry: PluginRegistry): PluginContext {
  const base = {
    ...init,
    location: init.location,
    heartbeat: init.heartbeat ?? unwatchedHeartbeat(),
    deferUntilAcknowledged: init.deferUntilAcknowledged ?? mainThreadDeferral,
  } as Omit<PluginContext, 'createCodec'>;
  if (!init.location) delete (base as { location?: unknown }).location;
  return { ...base, createCodec: (spec) => registry.createCodec(spec, base) };
}
