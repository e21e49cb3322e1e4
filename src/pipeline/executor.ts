/**
 * Builds the executable pipeline inside a worker from the graph: input
 * decoders, the filter section as a chain of batch steps (conditions compiled
 * to closures once), and the output router with its encoders.
 */
import type { Event } from '../core/event.js';
import { compileTemplate } from '../core/sprintf.js';
import { fieldRef } from '../core/fieldref.js';
import type { GraphNode, GraphPlugin, PipelineGraph } from '../config/compile.js';
import { compileCondition } from '../config/logstash/condition.js';
import type { ConditionNode } from '../config/logstash/ast.js';
import type { Filter, InputDecoder, OutputEncoder, OutputPayload, PluginContext } from '../plugins/api.js';
import { compileDecorations, filterStep, type BatchStep } from './filter-runner.js';

export type MakeContext = (plugin: GraphPlugin) => PluginContext;

export interface Executor {
  decode(inputIndex: number, data: unknown, out: Event[]): void;
  filter: BatchStep;
  /** Routes events through the output section and encodes them per output. */
  route(events: Event[]): { index: number; payload: OutputPayload }[];
  /** Releases events held by filters (shutdown). */
  flush(): Event[];
  close(): Promise<void>;
}

export async function buildExecutor(graph: PipelineGraph, makeContext: MakeContext): Promise<Executor> {
  const decoders = graph.inputs.map((p) => decorateInput(p.definition.createDecoder(p.options as never, makeContext(p)), p.options));

  const filters = new Map<GraphPlugin, Filter>();
  for (const p of graph.filterList) filters.set(p, await p.definition.create(p.options as never, makeContext(p)));
  const filter = buildSection(graph.filters, (p) => filterStep(filters.get(p)!, compileDecorations(p.options)));

  const encoders: OutputEncoder[] = graph.outputList.map((p) => p.definition.createEncoder(p.options as never, makeContext(p)));
  const outputIndex = new Map<GraphPlugin, number>(graph.outputList.map((p, i) => [p, i]));
  const router = buildRouter(graph.outputs, outputIndex);

  return {
    decode(inputIndex, data, out) {
      decoders[inputIndex]!(data, out);
    },
    filter,
    route(events) {
      const perOutput: Event[][] = encoders.map(() => []);
      for (const e of events) router(e, perOutput);
      const results: { index: number; payload: OutputPayload }[] = [];
      perOutput.forEach((batch, index) => {
        if (batch.length === 0) return;
        const payload = encoders[index]!.encode(batch);
        if (payload) results.push({ index, payload });
      });
      return results;
    },
    flush() {
      const out: Event[] = [];
      for (const f of filters.values()) f.flush?.((e) => out.push(e));
      return out;
    },
    async close() {
      for (const f of filters.values()) await f.close?.();
    },
  };
}

type Decode = (data: unknown, out: Event[]) => void;

/** Input-side common options: `type` (if absent), `tags`, `add_field`. */
function decorateInput(decoder: InputDecoder, options: Record<string, unknown>): Decode {
  const type = options['type'] as string | undefined;
  const tags = (options['tags'] as string[] | undefined) ?? [];
  const addFields = Object.entries((options['add_field'] as Record<string, unknown> | undefined) ?? {}).map(
    ([k, v]) => [fieldRef(k), compileTemplate(String(v))] as const,
  );
  if (type === undefined && tags.length === 0 && addFields.length === 0) {
    return (data, out) => decoder.decode(data, (e) => out.push(e));
  }
  return (data, out) =>
    decoder.decode(data, (e) => {
      if (type !== undefined && e.data['type'] === undefined) e.data['type'] = type;
      for (const t of tags) e.tag(t);
      for (const [ref, value] of addFields) if (!ref.has(e)) ref.set(e, value(e));
      out.push(e);
    });
}

type MaybePromise<T> = T | Promise<T>;

/** Runs steps in sequence, staying synchronous until a step returns a promise. */
function chain(steps: BatchStep[]): BatchStep {
  if (steps.length === 0) return (events) => events;
  if (steps.length === 1) return steps[0]!;
  const finish = async (pending: Promise<Event[]>, from: number): Promise<Event[]> => {
    let events = await pending;
    for (let i = from; i < steps.length; i++) events = await steps[i]!(events);
    return events;
  };
  return (events) => {
    let current: MaybePromise<Event[]> = events;
    for (let i = 0; i < steps.length; i++) {
      if (current instanceof Promise) return finish(current, i);
      if (current.length === 0) return current;
      current = steps[i]!(current);
    }
    return current;
  };
}

/**
 * A section as one batch step. An `if` splits the batch into runs of
 * consecutive events taking the same branch, so event order is preserved.
 */
function buildSection(nodes: GraphNode[], stepOf: (p: GraphPlugin) => BatchStep): BatchStep {
  return chain(nodes.map((node) => (node.kind === 'plugin' ? stepOf(node.plugin) : buildIf(node, stepOf))));
}

function buildIf(node: Extract<GraphNode, { kind: 'if' }>, stepOf: (p: GraphPlugin) => BatchStep): BatchStep {
  const conditions = node.branches.map((b) => compileCondition(b.condition as ConditionNode));
  const bodies = [...node.branches.map((b) => buildSection(b.body, stepOf)), buildSection(node.elseBody, stepOf)];
  const branchOf = (e: Event): number => {
    for (let i = 0; i < conditions.length; i++) if (conditions[i]!(e)) return i;
    return conditions.length;
  };
  return (events) => {
    const results: MaybePromise<Event[]>[] = [];
    let runStart = 0;
    let runBranch = branchOf(events[0]!);
    for (let i = 1; i <= events.length; i++) {
      const branch = i < events.length ? branchOf(events[i]!) : -1;
      if (branch !== runBranch) {
        const run = runStart === 0 && i === events.length ? events : events.slice(runStart, i);
        results.push(bodies[runBranch]!(run));
        runStart = i;
        runBranch = branch;
      }
    }
    if (results.length === 1) return results[0]!;
    if (results.some((r) => r instanceof Promise)) return Promise.all(results).then((parts) => parts.flat());
    return (results as Event[][]).flat();
  };
}

type Route = (event: Event, perOutput: Event[][]) => void;

function buildRouter(nodes: GraphNode[], outputIndex: Map<GraphPlugin, number>): Route {
  const routes: Route[] = nodes.map((node) => {
    if (node.kind === 'plugin') {
      const index = outputIndex.get(node.plugin)!;
      return (e, per) => void per[index]!.push(e);
    }
    const conditions = node.branches.map((b) => compileCondition(b.condition as ConditionNode));
    const bodies = [...node.branches.map((b) => buildRouter(b.body, outputIndex)), buildRouter(node.elseBody, outputIndex)];
    return (e, per) => {
      for (let i = 0; i < conditions.length; i++) {
        if (conditions[i]!(e)) return bodies[i]!(e, per);
      }
      bodies[conditions.length]!(e, per);
    };
  });
  if (routes.length === 1) return routes[0]!;
  return (e, per) => {
    for (const r of routes) r(e, per);
  };
}

