/** Source text → validated pipeline graph: the one path used by run, check and every worker. */
import type { Logger } from '../core/logger.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { compileGraph, type PipelineGraph } from './compile.js';
import type { ConfigAst, ConfigSource } from './logstash/ast.js';
import { parseConfig } from './logstash/parser.js';

export interface LoadOptions {
  registry: PluginRegistry;
  supportEscapes: boolean;
  logger?: Logger;
}

export function parseSources(sources: ConfigSource[], supportEscapes: boolean): ConfigAst {
  return parseConfig(sources, { supportEscapes });
}

export function loadGraph(sources: ConfigSource[], options: LoadOptions): PipelineGraph {
  const ast = parseSources(sources, options.supportEscapes);
  return compileGraph(ast, { registry: options.registry, ...(options.logger ? { logger: options.logger } : {}) });
}
