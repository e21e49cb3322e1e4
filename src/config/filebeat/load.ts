/** filebeat.yml → a validated pipeline graph: translate, then compile exactly as a .conf is compiled. */
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { ConfigErrorList } from '../schema.js';
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
  const errors: ConfigError[] = [...translation.errors];
  let graph: PipelineGraph | undefined;
  try {
    // Compiled even when translation found problems, so one run reports every error.
    graph = compileGraph(translation.ast, { registry: options.registry, ...(options.logger ? { logger: options.logger } : {}) });
  } catch (err) {
    if (err instanceof ConfigErrorList) errors.push(...err.errors);
    else if (err instanceof ConfigError) errors.push(err);
    else throw err;
  }
  if (errors.length > 0 || !graph) {
    errors.sort((a, b) => (a.location?.file === b.location?.file ? (a.location?.line ?? 0) - (b.location?.line ?? 0) : 0));
    throw withExcerpts(errors.length === 1 ? errors[0]! : new ConfigErrorList(errors), translation.sources);
  }
  return { ...translation, graph };
}
