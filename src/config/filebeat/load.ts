/** filebeat.yml → a validated pipeline graph: translate, then compile exactly as a .conf is compiled. */
import type { Logger } from '../../core/logger.js';
import { compileGraph, type PipelineGraph } from '../compile.js';
import { withExcerpts } from '../load.js';
import { translateFilebeat, type FilebeatTranslation, type TranslateOptions } from './translate.js';

export interface LoadedFilebeatConfig extends FilebeatTranslation {
  graph: PipelineGraph;
}

/**
 * Throws ConfigError / ConfigErrorList (with file:line:column and a source excerpt) when the file
 * cannot run. Warnings are returned, not logged: the caller decides where they go.
 */
export function loadFilebeatConfig(file: string, options: TranslateOptions & { logger?: Logger }): LoadedFilebeatConfig {
  const translation = translateFilebeat(file, options);
  try {
    const graph = compileGraph(translation.ast, { registry: options.registry, ...(options.logger ? { logger: options.logger } : {}) });
    return { ...translation, graph };
  } catch (err) {
    throw withExcerpts(err, translation.sources);
  }
}
