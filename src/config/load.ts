/** Source text → validated pipeline graph: the one path used by run, check and every worker. */
import { caretExcerpt, ConfigError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { compileGraph, type PipelineGraph } from './compile.js';
import type { ConfigAst, ConfigSource } from './logstash/ast.js';
import { parseConfig } from './logstash/parser.js';
import { ConfigErrorList } from './schema.js';

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
  try {
    return compileGraph(ast, { registry: options.registry, ...(options.logger ? { logger: options.logger } : {}) });
  } catch (err) {
    throw withExcerpts(err, sources);
  }
}

/** Compile errors point at a setting or plugin: show that source line with a caret, as parse errors do. */
export function withExcerpts(err: unknown, sources: ConfigSource[]): unknown {
  const addExcerpt = (e: ConfigError): ConfigError => {
    const source = e.location && !e.excerpt ? sources.find((s) => s.name === e.location!.file) : undefined;
    if (!source || !e.location) return e;
    return new ConfigError(e.reason, e.location, e.hint, caretExcerpt(source.text, e.location.line, e.location.column));
  };
  if (err instanceof ConfigErrorList) return new ConfigErrorList(err.errors.map(addExcerpt));
  if (err instanceof ConfigError) return addExcerpt(err);
  return err;
}
