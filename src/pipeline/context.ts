/** Builds the PluginContext a plugin instance receives. */
import type { SourceLocation } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { EcsCompatibility, Heartbeat, PluginContext } from '../plugins/api.js';
import type { PluginRegistry } from '../plugins/registry.js';
import type { GraphPlugin } from '../config/compile.js';
import { unwatchedHeartbeat } from './heartbeat.js';
import { pluginDataDir, type PipelineSettings } from './settings.js';

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

/** Where a plugin runs: the main thread (workerIndex -1) or a worker, with what that worker provides. */
export interface PluginPlace {
  workerIndex: number;
  heartbeat?: Heartbeat;
  deferUntilAcknowledged?: PluginContext['deferUntilAcknowledged'];
}

/** The context of one plugin of a compiled pipeline: ids, logger, ECS mode, data directory from the settings. */
export function contextForPlugin(p: GraphPlugin, settings: PipelineSettings, logger: Logger, registry: PluginRegistry, place: PluginPlace): PluginContext {
  return createPluginContext({
    id: p.id,
    name: p.definition.name,
    pipelineId: settings.id,
    location: p.location,
    logger: logger.child(p.id),
    ecs: (p.options['ecs_compatibility'] as EcsCompatibility | undefined) ?? settings.ecs,
    dataDir: pluginDataDir(settings, p.id),
    batchSize: settings.batchSize,
    ...place,
  }, registry);
}
