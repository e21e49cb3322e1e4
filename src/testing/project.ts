/**
 * What `logpipe test` tests: the pipelines (one `-f`-style path, a pipelines.yml as LFV's daemon
 * mode reads it, or the `pipeline:` of a concise test file), LFV plugin mocks applied to the
 * parsed configuration, and the plugin-id rule of LFV's daemon mode.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, formatLocation } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { compileGraph, type PipelineGraph } from '../config/compile.js';
import { withExcerpts } from '../config/load.js';
import type { ConfigAst, ConfigSource, SectionType, StatementNode } from '../config/logstash/ast.js';
import { parseConfig } from '../config/logstash/parser.js';
import { loadConfigSources } from '../config/logstash/sources.js';
import { builtinRegistry } from '../plugins/builtins.js';
import { isObject } from './cases.js';

export interface PipelineUnderTest {
  id: string;
  sources: ConfigSource[];
}

export interface PluginMock {
  id: string;
  /** Replacement plugin(s) in Logstash syntax; empty or absent removes the plugin. */
  mock: string;
}

/** pipelines.yml: `pipeline.id` with `path.config` (relative to `base`) or `config.string`. */
export async function readPipelinesYml(file: string, base: string | undefined): Promise<PipelineUnderTest[]> {
  const doc = parseYaml(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(doc)) throw new ConfigError(`${file}: pipelines.yml holds a list of pipelines`);
  const out: PipelineUnderTest[] = [];
  for (const [i, entry] of doc.entries()) {
    if (!isObject(entry)) throw new ConfigError(`${file}: entry ${i + 1} is not an object`);
    const id = entry['pipeline.id'];
    if (typeof id !== 'string') throw new ConfigError(`${file}: entry ${i + 1} has no "pipeline.id"`);
    const path = entry['path.config'];
    const text = entry['config.string'];
    if (typeof path === 'string') {
      out.push({ id, sources: await loadConfigSources(isAbsolute(path) || !base ? path : resolve(base, path)) });
    } else if (typeof text === 'string') {
      out.push({ id, sources: [{ name: `${file} (${id})`, text }] });
    } else {
      throw new ConfigError(`${file}: pipeline "${id}" has neither "path.config" nor "config.string"`);
    }
  }
  return out;
}

/** LFV's plugin-mock file: a YAML list of `{ id, mock }`. */
export function readPluginMocks(file: string): PluginMock[] {
  const doc = parseYaml(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(doc)) throw new ConfigError(`${file}: a plugin-mock file holds a list of { id, mock }`);
  return doc.map((m, i) => {
    if (!isObject(m) || typeof m['id'] !== 'string') throw new ConfigError(`${file}: mock ${i + 1} needs an "id"`);
    if (m['mock'] !== undefined && m['mock'] !== null && typeof m['mock'] !== 'string') throw new ConfigError(`${file}: mock "${m['id']}": "mock" must be Logstash config text`);
    return { id: m['id'], mock: (m['mock'] as string | undefined) ?? '' };
  });
}

export interface PrepareOptions {
  mocks: PluginMock[];
  /** LFV daemon mode: every plugin needs an explicit id unless ids may be added. */
  requireIds: boolean;
  supportEscapes: boolean;
  logger?: Logger;
}

/** Parses, applies the mocks, checks ids and compiles with the built-in registry: the pipeline under test. */
export function compilePipeline(pipeline: PipelineUnderTest, options: PrepareOptions): { graph: PipelineGraph; sources: ConfigSource[] } {
  const sources = [...pipeline.sources];
  const ast = parseConfig(sources, { supportEscapes: options.supportEscapes });
  const unused = new Set(options.mocks.map((m) => m.id));
  for (const section of ast.sections) {
    section.body = applyMocks(section.body, section.type, options.mocks, sources, unused, options.supportEscapes);
  }
  if (options.requireIds) requireIds(ast);
  try {
    return { graph: compileGraph(ast, { registry: builtinRegistry(), ...(options.logger ? { logger: options.logger } : {}) }), sources };
  } catch (err) {
    throw withExcerpts(err, sources);
  }
}

function applyMocks(body: StatementNode[], type: SectionType, mocks: PluginMock[], sources: ConfigSource[], unused: Set<string>, escapes: boolean): StatementNode[] {
  const out: StatementNode[] = [];
  for (const stmt of body) {
    if (stmt.kind === 'if') {
      for (const b of stmt.branches) b.body = applyMocks(b.body, type, mocks, sources, unused, escapes);
      if (stmt.elseBody) stmt.elseBody = applyMocks(stmt.elseBody, type, mocks, sources, unused, escapes);
      out.push(stmt);
      continue;
    }
    const id = stmt.settings.find((s) => s.name === 'id')?.value;
    const mock = typeof id === 'string' ? mocks.find((m) => m.id === id) : undefined;
    if (!mock) {
      out.push(stmt);
      continue;
    }
    unused.delete(mock.id);
    if (mock.mock.trim() === '') continue;
    const source: ConfigSource = { name: `plugin mock "${mock.id}"`, text: `${type} {\n${mock.mock}\n}\n` };
    sources.push(source);
    for (const section of parseConfig([source], { supportEscapes: escapes }).sections) out.push(...section.body);
  }
  return out;
}

function requireIds(ast: ConfigAst): void {
  const missing: string[] = [];
  const visit = (body: StatementNode[]): void => {
    for (const stmt of body) {
      if (stmt.kind === 'if') {
        for (const b of stmt.branches) visit(b.body);
        if (stmt.elseBody) visit(stmt.elseBody);
      } else if (!stmt.settings.some((s) => s.name === 'id')) {
        missing.push(`${stmt.name} at ${formatLocation(stmt.location)}`);
      }
    }
  };
  for (const section of ast.sections) visit(section.body);
  if (missing.length > 0) {
    throw new ConfigError(`every plugin needs an "id" in daemon mode; without one: ${missing.join(', ')}`, undefined,
      'add ids to the configuration, or pass --add-missing-id to have them generated for the test run');
  }
}
