/**
 * Test harness for plugin authors: builds a plugin from a definition and
 * plain settings exactly as the pipeline would (schema validation, common
 * options, decorations), without starting a pipeline.
 */
import { Event } from '../../src/core/event.js';
import { createLogger } from '../../src/core/logger.js';
import type { ConfigValue, Setting } from '../../src/config/values.js';
import type { Codec, EcsCompatibility, FilterDefinition, OutputDefinition, OutputSink, PluginContext, PluginDefinition } from '../../src/plugins/api.js';
import { builtinRegistry } from '../../src/plugins/builtins.js';
import { PluginRegistry } from '../../src/plugins/registry.js';
import { createPluginContext } from '../../src/pipeline/context.js';
import { compileDecorations, filterStep } from '../../src/pipeline/filter-runner.js';
import { DeferredEffects } from '../../src/pipeline/deferred-effects.js';
import type { CodecSpec } from '../../src/config/schema.js';
import type { ConfigSource } from '../../src/config/logstash/ast.js';
import { loadGraph } from '../../src/config/load.js';
import { serializeGraph } from '../../src/config/serialize.js';
import type { PipelineSettings } from '../../src/pipeline/settings.js';
import type { WorkerInit } from '../../src/pipeline/worker-core.js';

const LOCATION = { file: 'test.conf', line: 1, column: 1 };

/** What a pipeline hands a worker for this config text: the graph compiled once, as the pipeline does. */
export function workerInitFor(sources: ConfigSource[], settings: PipelineSettings, registry: PluginRegistry = builtinRegistry()): WorkerInit {
  return { graph: serializeGraph(loadGraph(sources, { registry, supportEscapes: settings.supportEscapes })), sources, settings, workerIndex: 0 };
}

export function settingsOf(settings: Record<string, ConfigValue>): Setting[] {
  return Object.entries(settings).map(([name, value]) => ({ name, value, location: LOCATION }));
}

/** The built-in registry, plus `definition` if it is not registered yet. */
export function registryWith(definition?: PluginDefinition): PluginRegistry {
  const builtins = builtinRegistry();
  if (!definition || builtins.find(definition.kind, definition.name) === definition) return builtins;
  const registry = new PluginRegistry();
  for (const d of builtins.all()) if (!(d.kind === definition.kind && d.name === definition.name)) registry.register(d);
  return registry.register(definition);
}

export function testContext(name: string, opts: { ecs?: EcsCompatibility; registry?: PluginRegistry; effects?: DeferredEffects } = {}): PluginContext {
  const effects = opts.effects ?? new DeferredEffects(createLogger('error'));
  return createPluginContext(
    {
      id: `${name}_test`, name, pipelineId: 'test', location: LOCATION, logger: createLogger('error'), ecs: opts.ecs ?? 'disabled', workerIndex: 0,
      dataDir: '/tmp/logpipe-test', batchSize: 125, deferUntilAcknowledged: effects.defer,
    },
    opts.registry ?? builtinRegistry(),
  );
}

/** A plugin context whose logger (level warn) writes into `logs`, for asserting on warnings. */
export function capturingContext(name: string, opts: { ecs?: EcsCompatibility; registry?: PluginRegistry } = {}): { ctx: PluginContext; logs: string[] } {
  const logs: string[] = [];
  const ctx = createPluginContext({
    id: `${name}_1`, name, pipelineId: 'test', location: LOCATION, logger: createLogger('warn', 'test', (l) => logs.push(l)),
    ecs: opts.ecs ?? 'disabled', workerIndex: 0, dataDir: '/tmp/logpipe-test', batchSize: 125,
  }, opts.registry ?? builtinRegistry());
  return { ctx, logs };
}

/**
 * Runs batches as a pipeline worker does, collecting the side effects filters defer until the
 * batch is acknowledged (deferred-effects.ts). `run` acknowledges each batch at once, as if every
 * output had written it; `runUnacknowledged` leaves it in flight and returns the acknowledgement.
 */
export function batchRunner(effects: DeferredEffects, step: (events: Event[]) => Event[] | Promise<Event[]>) {
  const runUnacknowledged = async (events: Event[]): Promise<{ out: Event[]; acknowledge: () => Promise<void> }> => {
    effects.begin();
    let out: Event[];
    try {
      out = await step(events);
    } catch (err) {
      effects.end();
      throw err;
    }
    const id = effects.end();
    return { out, acknowledge: () => effects.acknowledge(id) };
  };
  const run = async (events: Event[]): Promise<Event[]> => {
    const { out, acknowledge } = await runUnacknowledged(events);
    await acknowledge();
    return out;
  };
  return { run, runUnacknowledged };
}

export interface FilterUnderTest {
  /** Runs events (or plain field objects) through the filter and its decorations. */
  run(input: Array<Event | Record<string, unknown>>): Promise<Event[]>;
  /** Runs a single event; returns every event that came out. */
  one(input: Event | Record<string, unknown>): Promise<Event[]>;
  /** Closes the filter (its connections), as the pipeline does at shutdown. */
  close(): Promise<void>;
}

export async function makeFilter(
  definition: FilterDefinition<any>,
  settings: Record<string, ConfigValue>,
  opts: { ecs?: EcsCompatibility } = {},
): Promise<FilterUnderTest> {
  const registry = registryWith(definition);
  const options = registry.validate(definition, settingsOf(settings), LOCATION);
  const effects = new DeferredEffects(createLogger('error'));
  const ctx = testContext(definition.name, { ...opts, registry, effects });
  const filter = await definition.create(options as never, ctx);
  const batches = batchRunner(effects, filterStep(filter, compileDecorations(options)));
  const toEvent = (e: Event | Record<string, unknown>): Event => (e instanceof Event ? e : new Event(structuredClone(e)));
  const run = async (input: Array<Event | Record<string, unknown>>): Promise<Event[]> => batches.run(input.map(toEvent));
  return { run, one: (e) => run([e]), close: async () => void (await filter.close?.()) };
}

export function makeCodec(spec: string | CodecSpec): Codec {
  const s: CodecSpec = typeof spec === 'string' ? { name: spec, settings: [] } : spec;
  return testContext('codec').createCodec(s);
}

export interface OutputUnderTest {
  /** The worker half: events (or plain field objects) → what the sink receives. */
  encode(input: Array<Event | Record<string, unknown>>): unknown;
  sink: OutputSink;
}

/** Builds an output's encoder and sink from plain settings, as the pipeline does. */
export async function makeOutput(definition: OutputDefinition<any>, settings: Record<string, ConfigValue>): Promise<OutputUnderTest> {
  const registry = registryWith(definition);
  const options = registry.validate(definition, settingsOf(settings), LOCATION);
  const ctx = testContext(definition.name, { registry });
  const encoder = definition.createEncoder(options as never, ctx);
  const sink = await definition.createSink(options as never, ctx);
  const toEvent = (e: Event | Record<string, unknown>): Event => (e instanceof Event ? e : new Event(structuredClone(e)));
  return { encode: (input) => encoder.encode(input.map(toEvent))?.data, sink };
}
