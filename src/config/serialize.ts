/**
 * The compiled pipeline graph in a form that crosses to worker threads (structured clone): plugin
 * definitions become their kind and name, looked up again in the worker's registry, and secrets
 * are carried explicitly (a Password's value is private, so a clone would lose it). Any front end
 * (Logstash .conf, Filebeat YAML, pipelines.yml) compiles once on the main thread and hands this
 * to the workers; they never parse configuration text.
 */
import type { SourceLocation } from '../core/errors.js';
import type { PluginDefinition } from '../plugins/api.js';
import type { PluginRegistry } from '../plugins/registry.js';
import type { GraphNode, GraphPlugin, PipelineGraph } from './compile.js';
import type { ConditionNode } from './logstash/ast.js';
import { Password } from './schema.js';

export interface SerializedPlugin {
  id: string;
  kind: PluginDefinition['kind'];
  name: string;
  options: Record<string, unknown>;
  location: SourceLocation;
}

/** A plugin node names its plugin by position in filterList / outputList. */
export type SerializedNode =
  | { kind: 'plugin'; index: number }
  | { kind: 'if'; branches: { condition: ConditionNode; body: SerializedNode[] }[]; elseBody: SerializedNode[] };

export interface SerializedGraph {
  inputs: SerializedPlugin[];
  filterList: SerializedPlugin[];
  outputList: SerializedPlugin[];
  filters: SerializedNode[];
  outputs: SerializedNode[];
}

const SECRET = '$logpipe.secret';

export function serializeGraph(graph: PipelineGraph): SerializedGraph {
  const plugin = (p: GraphPlugin): SerializedPlugin => ({
    id: p.id, kind: p.definition.kind, name: p.definition.name, options: encodeValue(p.options) as Record<string, unknown>, location: p.location,
  });
  const nodes = (list: GraphNode[], index: Map<GraphPlugin, number>): SerializedNode[] => list.map((n) =>
    n.kind === 'plugin'
      ? { kind: 'plugin', index: index.get(n.plugin)! }
      : { kind: 'if', branches: n.branches.map((b) => ({ condition: b.condition, body: nodes(b.body, index) })), elseBody: nodes(n.elseBody, index) });
  const indexOf = (list: GraphPlugin[]) => new Map(list.map((p, i) => [p, i]));
  return {
    inputs: graph.inputs.map(plugin),
    filterList: graph.filterList.map(plugin),
    outputList: graph.outputList.map(plugin),
    filters: nodes(graph.filters, indexOf(graph.filterList)),
    outputs: nodes(graph.outputs, indexOf(graph.outputList)),
  };
}

export function deserializeGraph(s: SerializedGraph, registry: PluginRegistry): PipelineGraph {
  const plugin = (p: SerializedPlugin): GraphPlugin => ({
    id: p.id, definition: registry.resolve(p.kind, p.name, p.location), options: decodeValue(p.options) as Record<string, unknown>, location: p.location,
  });
  const filterList = s.filterList.map(plugin);
  const outputList = s.outputList.map(plugin);
  const nodes = (list: SerializedNode[], plugins: GraphPlugin[]): GraphNode[] => list.map((n) =>
    n.kind === 'plugin'
      ? { kind: 'plugin', plugin: plugins[n.index]! }
      : { kind: 'if', branches: n.branches.map((b) => ({ condition: b.condition, body: nodes(b.body, plugins) })), elseBody: nodes(n.elseBody, plugins) });
  return {
    inputs: s.inputs.map(plugin) as PipelineGraph['inputs'],
    filterList: filterList as PipelineGraph['filterList'],
    outputList: outputList as PipelineGraph['outputList'],
    filters: nodes(s.filters, filterList),
    outputs: nodes(s.outputs, outputList),
  };
}

function encodeValue(v: unknown): unknown {
  if (v instanceof Password) return { [SECRET]: v.reveal() };
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = encodeValue(x);
    return out;
  }
  return v;
}

function decodeValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeValue);
  if (v !== null && typeof v === 'object') {
    const secret = (v as Record<string, unknown>)[SECRET];
    if (typeof secret === 'string') return new Password(secret);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = decodeValue(x);
    return out;
  }
  return v;
}
