/**
 * Compiler: AST → pipeline graph. Resolves every plugin in the registry,
 * validates its options, assigns ids, and collects every error before
 * anything starts. The graph is plain data; the executable form (closures
 * for conditions and filter chains) is built by src/pipeline/executor.ts in
 * each worker from the same graph.
 */
import { ConfigError, type SourceLocation } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { PluginDefinition } from '../plugins/api.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { ConfigErrorList } from './schema.js';
import { substituteEnv } from './env.js';
import { isPluginValue, type Setting } from './values.js';
import type { ConditionNode, ConfigAst, SectionType, StatementNode } from './logstash/ast.js';

export interface GraphPlugin<D extends PluginDefinition = PluginDefinition> {
  id: string;
  definition: D;
  options: Record<string, unknown>;
  location: SourceLocation;
}

export type GraphNode =
  | { kind: 'plugin'; plugin: GraphPlugin }
  | { kind: 'if'; branches: { condition: ConditionNode; body: GraphNode[] }[]; elseBody: GraphNode[] };

export interface PipelineGraph {
  inputs: GraphPlugin<Extract<PluginDefinition, { kind: 'input' }>>[];
  filters: GraphNode[];
  outputs: GraphNode[];
  /** Every filter in source order (index = position in executor tables). */
  filterList: GraphPlugin<Extract<PluginDefinition, { kind: 'filter' }>>[];
  /** Every output in source order. */
  outputList: GraphPlugin<Extract<PluginDefinition, { kind: 'output' }>>[];
}

export interface CompileOptions {
  registry: PluginRegistry;
  logger?: Logger;
  /**
   * Collect errors here and return the graph of the plugins that did compile
   * (for `check`, which goes on to build those); without it, any error throws.
   */
  errors?: ConfigError[];
}

export function compileGraph(ast: ConfigAst, { registry, logger, errors: collect }: CompileOptions): PipelineGraph {
  const errors: ConfigError[] = collect ?? [];
  const ids = new Map<string, SourceLocation>();
  const counters = new Map<string, number>();
  const graph: PipelineGraph = { inputs: [], filters: [], outputs: [], filterList: [], outputList: [] };

  const compilePlugin = (kind: SectionType, node: Extract<StatementNode, { kind: 'plugin' }>): GraphPlugin | undefined => {
    let definition: PluginDefinition;
    try {
      definition = registry.resolve(kind, node.name, node.location);
    } catch (e) {
      errors.push(e as ConfigError);
      // `s3 { codec => cloudtrail }`: the codec is missing too, and `check` names every missing plugin.
      resolveCodecNames(node.settings, registry, errors);
      return undefined;
    }
    let options: Record<string, unknown>;
    try {
      options = registry.validate(definition, substituteEnv(node.settings), node.location, (m) => logger?.warn(m));
      // A plugin whose codec is refused is not built: building it would report the codec again.
      if (!validateCodecs(definition, options, registry, errors)) return undefined;
    } catch (e) {
      if (e instanceof ConfigErrorList) errors.push(...e.errors);
      else if (e instanceof ConfigError) errors.push(e);
      else throw e;
      return undefined;
    }
    const n = (counters.get(`${kind}:${node.name}`) ?? 0) + 1;
    counters.set(`${kind}:${node.name}`, n);
    const id = typeof options['id'] === 'string' ? (options['id'] as string) : `${node.name}_${kind}_${n}`;
    const previous = ids.get(id);
    if (previous) {
      errors.push(new ConfigError(`duplicate plugin id "${id}" (first used at ${previous.file}:${previous.line}:${previous.column})`, node.location));
    }
    ids.set(id, node.location);
    return { id, definition, options, location: node.location };
  };

  const compileBody = (kind: SectionType, body: StatementNode[]): GraphNode[] => {
    const out: GraphNode[] = [];
    for (const stmt of body) {
      if (stmt.kind === 'plugin') {
        const plugin = compilePlugin(kind, stmt);
        if (!plugin) continue;
        if (kind === 'filter') graph.filterList.push(plugin as GraphPlugin<never>);
        if (kind === 'output') graph.outputList.push(plugin as GraphPlugin<never>);
        out.push({ kind: 'plugin', plugin });
      } else {
        if (kind === 'input') {
          errors.push(new ConfigError('conditionals are not allowed in the input section', stmt.location,
            'tag or type events in the input (tags, type, add_field) and branch on them in filter/output'));
          continue;
        }
        out.push({
          kind: 'if',
          branches: stmt.branches.map((b) => ({ condition: b.condition, body: compileBody(kind, b.body) })),
          elseBody: compileBody(kind, stmt.elseBody ?? []),
        });
      }
    }
    return out;
  };

  for (const section of ast.sections) {
    const body = compileBody(section.type, section.body);
    if (section.type === 'input') {
      for (const n of body) if (n.kind === 'plugin') graph.inputs.push(n.plugin as GraphPlugin<never>);
    }
    else if (section.type === 'filter') graph.filters.push(...body);
    else graph.outputs.push(...body);
  }
  if (collect) return graph;
  if (errors.length > 0) throw errors.length === 1 ? errors[0]! : new ConfigErrorList(errors);
  return graph;
}

/** The codecs named in the settings of a plugin that could not be resolved (so has no schema to say which setting is a codec). */
function resolveCodecNames(settings: Setting[], registry: PluginRegistry, errors: ConfigError[]): void {
  for (const setting of settings) {
    if (setting.name !== 'codec') continue;
    const value = setting.value;
    const name = typeof value === 'string' ? value : isPluginValue(value) ? value.name : undefined;
    if (name === undefined) continue;
    try {
      registry.resolve('codec', name, isPluginValue(value) ? value.location : setting.location);
    } catch (e) {
      errors.push(e as ConfigError);
    }
  }
}

/**
 * Codec options are validated at compile time too, so `check` catches codec typos, and a binary
 * codec (msgpack) on a plugin that frames text by lines is refused here, naming the plugins
 * that can carry it. False when a codec was refused.
 */
function validateCodecs(plugin: PluginDefinition, options: Record<string, unknown>, registry: PluginRegistry, errors: ConfigError[]): boolean {
  const before = errors.length;
  for (const value of Object.values(options)) {
    const spec = value as { name?: unknown; settings?: unknown; location?: SourceLocation } | null;
    if (!spec || typeof spec !== 'object' || typeof spec.name !== 'string' || !Array.isArray(spec.settings)) continue;
    try {
      const codec = registry.resolve('codec', spec.name, spec.location);
      registry.validate(codec, spec.settings, spec.location);
      if (codec.binary && plugin.kind !== 'filter' && plugin.kind !== 'codec' && !plugin.binaryCodecs) {
        const carriers = registry.all().filter((d) => d.kind === plugin.kind && (d.kind === 'input' || d.kind === 'output') && d.binaryCodecs).map((d) => d.name).sort();
        errors.push(new ConfigError(`${plugin.kind} plugin "${plugin.name}" carries text and cannot use the binary codec "${spec.name}"`, spec.location,
          `${plugin.kind}s that can: ${carriers.join(', ')}; here use a text codec (json_lines or json)`));
      }
    } catch (e) {
      if (e instanceof ConfigErrorList) errors.push(...e.errors);
      else errors.push(e as ConfigError);
    }
  }
  return errors.length === before;
}
