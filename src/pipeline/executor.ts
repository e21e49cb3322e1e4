/**
 * Builds the executable pipeline inside a worker from the graph: input
 * decoders, the filter section as a chain of batch steps (conditions compiled
 * to closures once), and the output router with its encoders.
 *
 * Every stage isolates faults per event (plugin-errors.ts): an exception on one
 * event tags that event (or, in an encoder, leaves it out as rejected) and the
 * rest of the batch goes on. Each stage also counts per-plugin figures
 * (metrics.ts), per batch step, never per event.
 */
import { performance } from 'node:perf_hooks';
import { Event } from '../core/event.js';
import { compileTemplate } from '../core/sprintf.js';
import { fieldRef } from '../core/fieldref.js';
import { diagnosticJson } from '../core/json-depth.js';
import { createLogger, type Logger } from '../core/logger.js';
import { LogRateLimiter } from '../core/rate-limit.js';
import type { GraphNode, GraphPlugin, PipelineGraph } from '../config/compile.js';
import { compileCondition, type EventPredicate } from '../config/logstash/condition.js';
import type { ConditionNode } from '../config/logstash/ast.js';
import type { Filter, FusedInput, InputDecoder, OutputEncoder, OutputPayload, PluginContext, RejectedEvent } from '../plugins/api.js';
import { compileDecorations, filterStep, type BatchStep } from './filter-runner.js';
import { buildFusion, type FusedBatch } from './fusion.js';
import { WorkerFigures } from './metrics.js';
import type { TapRecord } from './tap.js';
import { CONDITION_ERROR_TAG, DECODE_ERROR_TAG, errorText, FaultReporter, filterErrorTags, type FaultReporterInit } from './plugin-errors.js';

export type MakeContext = (plugin: GraphPlugin) => PluginContext;

/** One output's share of a batch: its encoded payload and how many events `payload.data` holds. */
export interface EncodedOutput {
  index: number;
  payload: OutputPayload;
  events: number;
}

export interface Executor {
  decode(inputIndex: number, data: unknown, out: Event[]): void;
  filter: BatchStep;
  /** Routes events through the output section and encodes them per output. */
  route(events: Event[]): EncodedOutput[];
  /**
   * The fused step (fusion.ts), present only when the graph has one: one batch's payloads (with
   * the index of the input each came from) → its outputs; undefined when they must take the
   * regular path (a tap is attached, or the fused encoder failed).
   */
  fused?: (payloads: readonly FusedInput[], batchSize: number) => FusedBatch | undefined;
  /**
   * Releases events held by filters (`final`: at shutdown; else a periodic flush); each filter's
   * events go on through the filters after it.
   */
  flush(final: boolean): Event[] | Promise<Event[]>;
  /** A copy of the per-plugin figures counted so far (metrics.ts layout). */
  readFigures(): Float64Array;
  /** Events copied for attached taps since the last call (tap.ts), or undefined when none. */
  takeTapped(): TapRecord[] | undefined;
  close(): Promise<void>;
}

export interface ExecutorOptions {
  /**
   * Ordered execution (pipeline.ordered true, or auto with one worker): as Logstash's
   * CompiledOrderedExecution runs a batch one input event at a time, a conditional groups
   * events by branch per input event (keeping the input order); unordered, per batch.
   */
  ordered?: boolean;
  /** Where failures of conditionals (which have no plugin context) are logged. */
  logger?: Logger;
  /** One line per plugin per interval; injected in tests. */
  limiter?: LogRateLimiter;
  /** Shared cells the main thread reads the figures from (metrics.ts); a private array when absent. */
  figures?: SharedArrayBuffer | undefined;
  /**
   * The tap cells (tap.ts): when given, each input, filter and output step checks its cell once
   * per batch and copies its events while a tap is attached. Absent: no check at all.
   */
  taps?: SharedArrayBuffer | undefined;
}

const now = (): number => performance.now();

export async function buildExecutor(graph: PipelineGraph, makeContext: MakeContext, options: ExecutorOptions = {}): Promise<Executor> {
  const figures = new WorkerFigures(graph.inputs.length, graph.filterList.length, graph.outputList.length, options.figures);
  const limiter = options.limiter ?? new LogRateLimiter();
  const pipelineLogger = options.logger ?? createLogger('warn', 'pipeline');
  const reporter = (init: Omit<FaultReporterInit, 'limiter'>): FaultReporter => new FaultReporter({ ...init, limiter });
  const tap = options.taps ? new TapPoint(options.taps) : undefined;
  const filterTapSlot = graph.inputs.length;
  const outputTapSlot = graph.inputs.length + graph.filterList.length;

  const decoders = graph.inputs.map((p, i) => {
    const ctx = makeContext(p);
    const slot = figures.inputSlot(i);
    const faults = reporter({ id: p.id, what: 'input decoder', location: p.location, logger: ctx.logger, tags: [DECODE_ERROR_TAG], count: (n) => figures.failed(slot, n) });
    const decode = guardDecoder(decorateInput(p.definition.createDecoder(p.options as never, ctx), p.options, faults), faults, slot, figures);
    return tap ? tap.decoder(decode, i) : decode;
  });

  const filters = new Map<GraphPlugin, Filter>();
  const steps = new Map<GraphPlugin, BatchStep>();
  const faultsOfFilter = new Map<GraphPlugin, FaultReporter>();
  for (const [i, p] of graph.filterList.entries()) {
    const ctx = makeContext(p);
    const filter = await p.definition.create(p.options as never, ctx);
    const slot = figures.filterSlot(i);
    const faults = reporter({ id: p.id, what: 'filter', location: p.location, logger: ctx.logger, tags: filterErrorTags(p.definition, p.options), count: (n) => figures.failed(slot, n) });
    filters.set(p, filter);
    faultsOfFilter.set(p, faults);
    steps.set(p, timed(filterStep(filter, compileDecorations(p.options), (e, err) => faults.fail(e, err)), slot, figures, tap, filterTapSlot + i));
  }
  const conditionFaults = (node: ConditionNode): FaultReporter =>
    reporter({ id: 'conditional', what: 'conditional', location: node.location, logger: pipelineLogger, tags: [CONDITION_ERROR_TAG] });
  const ordered = options.ordered === true;
  const section = buildSection(graph.filters, (p) => steps.get(p)!, conditionFaults, ordered);
  const filter: BatchStep = !ordered ? section : (events) => {
    for (let i = 0; i < events.length; i++) events[i]!.origin = i;
    return section(events);
  };
  // What runs after each filter that can flush: its flushed events continue from there.
  // Flushed events get the filter's decorations, as events it emits from filter() do.
  const flushing = [...filters].filter(([, f]) => f.flush !== undefined).map(([p, f]) => ({ p, f, decorate: compileDecorations(p.options) }));
  const rest = flushing.length > 0 ? continuations(graph.filters, (p) => steps.get(p)!, conditionFaults, ordered) : new Map<GraphPlugin, BatchStep>();

  const encoders = graph.outputList.map((p, i) => {
    const ctx = makeContext(p);
    const slot = figures.outputSlot(i);
    const faults = reporter({ id: p.id, what: 'output encoder', location: p.location, logger: ctx.logger, tags: [], count: (n) => figures.failed(slot, n) });
    return { encoder: p.definition.createEncoder(p.options as never, ctx), slot, faults };
  });
  const outputIndex = new Map<GraphPlugin, number>(graph.outputList.map((p, i) => [p, i]));
  const router = buildRouter(graph.outputs, outputIndex);
  const safeRouter = buildRouter(graph.outputs, outputIndex, conditionFaults);
  const fusedStep = buildFusion(graph, { makeContext, figures, tapped: () => tap?.attached() ?? false, limiter });

  return {
    decode(inputIndex, data, out) {
      decoders[inputIndex]!(data, out);
    },
    filter,
    route(events) {
      const perOutput: Event[][] = encoders.map(() => []);
      const n = events.length;
      let i = 0;
      while (i < n) {
        try {
          for (; i < n; i++) router(events[i]!, perOutput);
        } catch {
          // Undo what the failed attempt routed (the event is last wherever it went), then route it guarded.
          const event = events[i]!;
          for (const list of perOutput) if (list[list.length - 1] === event) list.pop();
          safeRouter(event, perOutput);
          i++;
        }
      }
      const results: EncodedOutput[] = [];
      perOutput.forEach((batch, index) => {
        if (batch.length === 0) return;
        const { encoder, slot, faults } = encoders[index]!;
        if (tap) tap.copy(outputTapSlot + index, batch);
        const start = now();
        const payload = encodeGuarded(encoder, batch);
        const rejected = payload?.rejected?.length ?? 0;
        figures.record(slot, batch.length, batch.length - rejected, now() - start);
        if (rejected > 0) faults.rejected(rejected, payload!.rejected![0]!.reason);
        if (payload) results.push({ index, payload, events: batch.length - rejected });
      });
      return results;
    },
    ...(fusedStep ? { fused: fusedStep } : {}),
    flush(final) {
      const parts: MaybePromise<Event[]>[] = [];
      for (const { p, f, decorate } of flushing) {
        const held: Event[] = [];
        try {
          f.flush!((e) => held.push(e), final);
        } catch (err) {
          pipelineLogger.error('a filter failed to flush the events it held', { plugin: p.id, error: errorText(err) });
        }
        if (decorate) {
          for (const e of held) {
            try {
              decorate(e);
            } catch (err) {
              faultsOfFilter.get(p)!.fail(e, err);
            }
          }
        }
        if (held.length > 0) parts.push(rest.get(p)!(held));
      }
      if (parts.some((r) => r instanceof Promise)) return Promise.all(parts).then((all) => all.flat());
      return (parts as Event[][]).flat();
    },
    readFigures: () => figures.read(),
    takeTapped: () => tap?.take(),
    async close() {
      for (const f of filters.values()) await f.close?.();
    },
  };
}

/** Where a step's events are copied for the taps attached to its plugin (tap.ts). */
class TapPoint {
  private readonly flags: Int32Array;
  private records: TapRecord[] = [];

  constructor(cells: SharedArrayBuffer) {
    this.flags = new Int32Array(cells);
  }

  /** Whether a tap is attached to any plugin. */
  attached(): boolean {
    for (let i = 0; i < this.flags.length; i++) if (this.flags[i] !== 0) return true;
    return false;
  }

  /** The one check per batch step; copies only while a tap is attached to `slot`. */
  copy(slot: number, events: readonly Event[]): void {
    if (this.flags[slot] === 0 || events.length === 0) return;
    this.records.push({ slot, events: events.map((e) => diagnosticJson(e.toObjectWithMetadata())) });
  }

  decoder(decode: Decode, slot: number): Decode {
    return (data, out) => {
      const first = out.length;
      decode(data, out);
      if (this.flags[slot] !== 0) this.copy(slot, out.slice(first));
    };
  }

  take(): TapRecord[] | undefined {
    if (this.records.length === 0) return undefined;
    const taken = this.records;
    this.records = [];
    return taken;
  }
}

/** Counts a filter step's events and time in its figures slot, and copies them for an attached tap. */
function timed(step: BatchStep, slot: number, figures: WorkerFigures, tap?: TapPoint, tapSlot = 0): BatchStep {
  return (events) => {
    const start = now();
    const n = events.length;
    const out = step(events);
    if (out instanceof Promise) {
      return out.then((done) => {
        figures.record(slot, n, done.length, now() - start);
        tap?.copy(tapSlot, done);
        return done;
      });
    }
    figures.record(slot, n, out.length, now() - start);
    // Without taps compiled in, `tap` is undefined; with them, one cell read per batch step.
    tap?.copy(tapSlot, out);
    return out;
  };
}

type Decode = (data: unknown, out: Event[]) => void;

/**
 * Last resort around a decoder: events decorateInput() guards one by one, and the line
 * codecs guard each line, so this catches only a decoder or codec that throws outside
 * them. Since it cannot know which lines already became events, it takes those back and
 * keeps the whole payload as one raw event, tagged: nothing is lost and nothing doubled.
 */
function guardDecoder(decode: Decode, faults: FaultReporter, slot: number, figures: WorkerFigures): Decode {
  return (data, out) => {
    const first = out.length;
    const start = now();
    try {
      decode(data, out);
    } catch (err) {
      out.length = first;
      const raw = new Event({ message: rawText(data) });
      faults.fail(raw, err);
      out.push(raw);
    }
    figures.record(slot, 1, out.length - first, now() - start);
  };
}

const utf8 = new TextDecoder('utf-8');

function rawText(data: unknown): string {
  try {
    if (typeof data === 'string') return data;
    if (data instanceof Uint8Array) return utf8.decode(data);
    return diagnosticJson(data);
  } catch {
    return '';
  }
}

/** Input-side common options: `type` (if absent), `tags`, `add_field`. A failure there tags the event, which still goes on. */
function decorateInput(decoder: InputDecoder, options: Record<string, unknown>, faults: FaultReporter): Decode {
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
      try {
        if (type !== undefined && e.data['type'] === undefined) e.data['type'] = type;
        for (const t of tags) e.tag(t);
        for (const [ref, value] of addFields) if (!ref.has(e)) ref.set(e, value(e));
      } catch (err) {
        faults.fail(e, err);
      }
      out.push(e);
    });
}

/**
 * Encodes with the output's encoder. The shipped encoders leave out (and report as
 * rejected) events they cannot encode; for one that throws instead, each event is tried
 * alone to find those it cannot encode, and the others are encoded together again.
 */
function encodeGuarded(encoder: OutputEncoder, events: Event[]): OutputPayload | undefined {
  try {
    return encoder.encode(events);
  } catch {
    const good: Event[] = [];
    const rejected: RejectedEvent[] = [];
    for (const e of events) {
      try {
        encoder.encode([e]);
        good.push(e);
      } catch (err) {
        rejected.push({ reason: errorText(err), event: diagnosticJson(e.data) });
      }
    }
    let payload: OutputPayload | undefined;
    try {
      payload = good.length > 0 ? encoder.encode(good) : undefined;
    } catch (err) {
      for (const e of good) rejected.push({ reason: errorText(err), event: diagnosticJson(e.data) });
      payload = undefined;
    }
    if (rejected.length === 0) return payload;
    return payload ? { ...payload, rejected: [...(payload.rejected ?? []), ...rejected] } : { data: undefined, rejected };
  }
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
type ConditionFaults = (condition: ConditionNode) => FaultReporter;

function buildSection(nodes: GraphNode[], stepOf: (p: GraphPlugin) => BatchStep, faultsOf: ConditionFaults, ordered: boolean): BatchStep {
  return chain(nodes.map((node) => (node.kind === 'plugin' ? stepOf(node.plugin) : buildIf(node, stepOf, faultsOf, ordered))));
}

/**
 * A condition whose evaluation throws counts as false and the event is tagged
 * _condition_error (docs/config-language.md). Logstash (8.16+) logs such an event and drops
 * it (to its dead letter queue when enabled); with no dead letter queue yet, taking the next
 * branch keeps the event, and the tag lets a later conditional route it.
 */
function guardConditions(node: Extract<GraphNode, { kind: 'if' }>, faultsOf: ConditionFaults): (e: Event) => number {
  const conditions: EventPredicate[] = node.branches.map((b) => compileCondition(b.condition as ConditionNode));
  const faults = node.branches.map((b) => faultsOf(b.condition as ConditionNode));
  const branchOf = (e: Event): number => {
    for (let i = 0; i < conditions.length; i++) if (conditions[i]!(e)) return i;
    return conditions.length;
  };
  const branchOfGuarded = (e: Event): number => {
    for (let i = 0; i < conditions.length; i++) {
      try {
        if (conditions[i]!(e)) return i;
      } catch (err) {
        faults[i]!.fail(e, err);
      }
    }
    return conditions.length;
  };
  return (e) => {
    try {
      return branchOf(e);
    } catch {
      return branchOfGuarded(e);
    }
  };
}

/**
 * Runs each branch on the events that took it. As Logstash's compiled pipeline
 * (DatasetCompiler: the datasets after a conditional are computed branch by
 * branch and joined in that order), events leave a conditional grouped by
 * branch: those of the `if` branch, then of each `else if` in turn, then the
 * rest, each group in arrival order. Unordered, the whole batch is grouped;
 * ordered, Logstash runs one input event at a time, so the events of each
 * input event (itself and what filters created from it, e.g. clones) are
 * grouped and input order is kept. Tests written against Logstash (its
 * conditionals spec among them) depend on that order.
 */
function buildIf(node: Extract<GraphNode, { kind: 'if' }>, stepOf: (p: GraphPlugin) => BatchStep, faultsOf: ConditionFaults, ordered: boolean): BatchStep {
  const branchOf = guardConditions(node, faultsOf);
  const bodies = [...node.branches.map((b) => buildSection(b.body, stepOf, faultsOf, ordered)), buildSection(node.elseBody, stepOf, faultsOf, ordered)];
  const runGroups = (groups: Event[][]): MaybePromise<Event[]> => {
    const results: MaybePromise<Event[]>[] = [];
    for (let b = 0; b < groups.length; b++) if (groups[b]!.length > 0) results.push(bodies[b]!(groups[b]!));
    if (results.length === 1) return results[0]!;
    if (results.some((r) => r instanceof Promise)) return Promise.all(results).then((parts) => parts.flat());
    return (results as Event[][]).flat();
  };
  return (events) => {
    const n = events.length;
    if (n === 0) return events;
    const branches = new Array<number>(n);
    let mixed = false;
    for (let i = 0; i < n; i++) {
      branches[i] = branchOf(events[i]!);
      if (branches[i] !== branches[0]) mixed = true;
    }
    // Most batches take one branch as a whole: no grouping, no copy.
    if (!mixed) return bodies[branches[0]!]!(events);
    if (!ordered) {
      const groups: Event[][] = bodies.map(() => []);
      for (let i = 0; i < n; i++) groups[branches[i]!]!.push(events[i]!);
      return runGroups(groups);
    }
    // Ordered: each branch runs once on its events; the results are then merged back per
    // input event (origin), in branch order within one input event.
    for (let i = 0; i < n; i++) if (events[i]!.origin < 0) events[i]!.origin = i > 0 ? events[i - 1]!.origin : 0;
    const groups: Event[][] = bodies.map(() => []);
    for (let i = 0; i < n; i++) groups[branches[i]!]!.push(events[i]!);
    const results = groups.map((g, b) => (g.length > 0 ? bodies[b]!(g) : g));
    if (results.some((r) => r instanceof Promise)) return Promise.all(results).then(mergeByOrigin);
    return mergeByOrigin(results as Event[][]);
  };
}

/**
 * Merges the outputs of a conditional's branches back into input-event order: for
 * each origin in turn, its events from the first branch, then the next... Each list
 * is in origin order already; an event created inside a branch (origin -1) belongs
 * to the event before it.
 */
function mergeByOrigin(lists: Event[][]): Event[] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? [];
  let total = 0;
  for (const list of nonEmpty) {
    let previous = 0;
    for (const e of list) {
      if (e.origin < 0) e.origin = previous;
      previous = e.origin;
    }
    total += list.length;
  }
  const out: Event[] = [];
  const heads = nonEmpty.map(() => 0);
  while (out.length < total) {
    let origin = Infinity;
    for (let b = 0; b < nonEmpty.length; b++) {
      const e = nonEmpty[b]![heads[b]!];
      if (e !== undefined && e.origin < origin) origin = e.origin;
    }
    for (let b = 0; b < nonEmpty.length; b++) {
      const list = nonEmpty[b]!;
      let h = heads[b]!;
      while (h < list.length && list[h]!.origin === origin) out.push(list[h++]!);
      heads[b] = h;
    }
  }
  return out;
}

/**
 * For each filter of `nodes`, the step that runs what comes after it: the rest of its section,
 * then whatever follows the section (`after`), out of every enclosing conditional.
 */
function continuations(nodes: GraphNode[], stepOf: (p: GraphPlugin) => BatchStep, faultsOf: ConditionFaults, ordered: boolean, after: BatchStep = (events) => events, out = new Map<GraphPlugin, BatchStep>()): Map<GraphPlugin, BatchStep> {
  nodes.forEach((node, i) => {
    const next = chain([buildSection(nodes.slice(i + 1), stepOf, faultsOf, ordered), after]);
    if (node.kind === 'plugin') out.set(node.plugin, next);
    else for (const body of [...node.branches.map((b) => b.body), node.elseBody]) continuations(body, stepOf, faultsOf, ordered, next, out);
  });
  return out;
}

type Route = (event: Event, perOutput: Event[][]) => void;

/** Without `faultsOf` conditions may throw (the fast router); with it they count as false and tag (the guarded one). */
function buildRouter(nodes: GraphNode[], outputIndex: Map<GraphPlugin, number>, faultsOf?: ConditionFaults): Route {
  const routes: Route[] = nodes.map((node) => {
    if (node.kind === 'plugin') {
      const index = outputIndex.get(node.plugin)!;
      return (e, per) => void per[index]!.push(e);
    }
    const bodies = [...node.branches.map((b) => buildRouter(b.body, outputIndex, faultsOf)), buildRouter(node.elseBody, outputIndex, faultsOf)];
    if (faultsOf) {
      const branchOf = guardConditions(node, faultsOf);
      return (e, per) => bodies[branchOf(e)]!(e, per);
    }
    const conditions = node.branches.map((b) => compileCondition(b.condition as ConditionNode));
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

