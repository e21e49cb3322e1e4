/** Builds the PluginContext a plugin instance receives. */
import type { SourceLocation } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { EcsCompatibility, PluginContext } from '../plugins/api.js';
import type { PluginRegistry } from '../plugins/registry.js';

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
}

export function createPluginContext(init: ContextInit, registry: PluginRegistry): PluginContext {
  const base = { ...init, location: init.location } as Omit<PluginContext, 'createCodec'>;
  if (!init.location) delete (base as { location?: unknown }).location;
  return { ...base, createCodec: (spec) => registry.createCodec(spec, base) };
}
