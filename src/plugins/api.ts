/**
 * The plugin contracts. A plugin is a definition object: name, option schema,
 * docs line, and factories. Inputs and outputs are split in two halves because
 * bytes cross threads and events do not (see docs/architecture.md):
 *
 *   input:  source (main thread: I/O, hands over payloads) + decoder (worker: payload → events)
 *   filter: runs in the worker
 *   output: encoder (worker: events → payload) + sink (main thread: I/O, resolves when durable)
 */
import type { SourceLocation } from '../core/errors.js';
import type { Event } from '../core/event.js';
import type { Logger } from '../core/logger.js';
import type { CodecSpec, OptionsOf, Schema } from '../config/schema.js';

export type EcsCompatibility = 'disabled' | 'v1' | 'v8';

/** What every plugin instance knows about where it runs. */
export interface PluginContext {
  /** The plugin's `id` option, or a generated `<name>_<n>`. */
  id: string;
  name: string;
  pipelineId: string;
  location?: SourceLocation;
  logger: Logger;
  /** Effective ECS mode: the plugin's `ecs_compatibility` or the pipeline's. */
  ecs: EcsCompatibility;
  /** Builds a codec from a `codec` option. */
  createCodec(spec: CodecSpec): Codec;
  /** Worker index (0-based) in workers; -1 on the main thread. */
  workerIndex: number;
  /** Directory for plugin state (registries, dedup stores); `path.data`. */
  dataDir: string;
  /** `pipeline.batch.size`: inputs cut payloads to at most this many events. */
  batchSize: number;
  /** How a filter marks work that could run away, for the pipeline's watchdog. */
  heartbeat: Heartbeat;
}

/**
 * Work that may run away (a backtracking regexp, a user script's endless loop) must not hang a
 * worker. When `watched` is true, the pipeline's watchdog cuts off a worker thread that stays in
 * one step longer than the step's budget, starts a fresh one and re-runs its batches with
 * `watched` false: the filter then guards itself (a `vm` timeout), as it always does when it runs
 * outside a worker thread. Marking a step is one atomic add; guarding costs a thread per call.
 */
export interface Heartbeat {
  /** Whether this batch is watched from outside (else guard the work yourself). Read it per batch. */
  readonly watched: boolean;
  /** Called once at create() by a plugin that will use enter/step/leave. */
  arm(): void;
  /** Starts a watched stretch: from now on each step must end within `budgetMs`. */
  enter(budgetMs: number): void;
  /** A new step (the next event) begins. */
  step(): void;
  /** Ends the watched stretch. */
  leave(): void;
}

// ---------------------------------------------------------------- codecs

export interface Codec {
  /** Decodes text into events (a chunk of whole lines for line-oriented inputs). */
  decode(text: string, emit: (event: Event) => void): void;
  /** Encodes one event to text (including any line terminator). */
  encode(event: Event): string;
}

export interface CodecDefinition<S extends Schema = Schema> {
  kind: 'codec';
  name: string;
  description: string;
  options: S;
  create(options: OptionsOf<S>, ctx: PluginContext): Codec;
  /** For streaming inputs (stdin, tcp) Logstash swaps plain→line and json→json_lines. */
  streamingEquivalent?: string;
}

// ---------------------------------------------------------------- inputs

/**
 * Inputs aim at payloads of about this size: large enough that per-payload
 * costs (message, queue, write) vanish per event, small enough to keep the
 * queue's memory bound meaningful. Workers still filter in batches of
 * `pipeline.batch.size` events.
 */
export const PAYLOAD_TARGET_BYTES = 128 * 1024;

/** What an input hands over to the pipeline: bytes (or a tiny descriptor), never events. */
export interface InputPayload {
  /** Structured-clonable data for the decoder; typically a Uint8Array. */
  data: unknown;
  /** ArrayBuffers to transfer rather than copy. */
  transfer?: ArrayBuffer[];
  /** Number of events this payload will decode to (an estimate is fine, e.g. line count). */
  events: number;
  /** Approximate size in bytes, for the queue's byte bound. */
  bytes: number;
}

/** The queue as an input sees it. */
export interface InputSink {
  /**
   * Offers a payload. Resolves once the queue has accepted it — the bounded
   * queue makes a slow pipeline slow the input down. `ack` is called once every
   * output has durably accepted every event of the payload; acks of different
   * payloads may arrive out of order.
   */
  push(payload: InputPayload, ack?: () => void): Promise<void>;
  /** True once shutdown began; a source should stop reading and return. */
  readonly stopping: boolean;
}

export interface InputSource {
  /** Reads until exhausted or stopped; resolves when the source is done. */
  run(sink: InputSink): Promise<void>;
  /** Asks the source to stop reading soon (run() should then resolve). */
  stop(): void | Promise<void>;
}

export interface InputDecoder {
  decode(data: unknown, emit: (event: Event) => void): void;
}

export interface InputDefinition<S extends Schema = Schema> {
  kind: 'input';
  name: string;
  description: string;
  options: S;
  /** Main-thread half. */
  createSource(options: OptionsOf<S>, ctx: PluginContext): InputSource;
  /** Worker half. */
  createDecoder(options: OptionsOf<S>, ctx: PluginContext): InputDecoder;
  /** Logstash refuses a config where a non-reloadable input (stdin) is reloaded. */
  reloadable?: boolean;
}

// ---------------------------------------------------------------- filters

/**
 * A filter runs in the worker. For each event it returns whether it "matched"
 * (succeeded), which decides whether the common decorations (`add_field`,
 * `add_tag`, `remove_field`, `remove_tag`) apply. It may cancel the event and
 * emit new ones (which also get the decorations).
 */
export interface Filter {
  filter(event: Event, emit: (event: Event) => void): boolean;
  /**
   * Optional batch form, for filters that do I/O (a shared dedup store) or
   * pay a fixed cost per call (a guard): given the batch, return (or resolve
   * to) the events to pass on, calling `matched` for each event that should
   * receive the decorations. A synchronous return keeps the batch synchronous.
   */
  filterBatch?(events: Event[], matched: (event: Event) => void): Event[] | Promise<Event[]>;
  /** Events held back (aggregations) are released at shutdown. */
  flush?(emit: (event: Event) => void): void;
  close?(): void | Promise<void>;
}

export interface FilterDefinition<S extends Schema = Schema> {
  kind: 'filter';
  name: string;
  description: string;
  options: S;
  create(options: OptionsOf<S>, ctx: PluginContext): Filter | Promise<Filter>;
  /**
   * Large read-only files the filter will read (databases): the main thread
   * loads them once into shared memory for every worker (core/shared-files.ts).
   */
  sharedFiles?(options: OptionsOf<S>): string[];
}

// ---------------------------------------------------------------- outputs

/** What an output encoder hands to its sink. */
export interface OutputPayload {
  data: unknown;
  transfer?: ArrayBuffer[];
}

export interface OutputEncoder {
  /** Encodes the events routed to this output; undefined when there is nothing to write. */
  encode(events: Event[]): OutputPayload | undefined;
}

export interface OutputSink {
  /** Resolves once the payload is durably accepted (written, acknowledged by the server). */
  write(data: unknown): Promise<void>;
  close?(): Promise<void>;
}

export interface OutputDefinition<S extends Schema = Schema> {
  kind: 'output';
  name: string;
  description: string;
  options: S;
  /** Worker half. */
  createEncoder(options: OptionsOf<S>, ctx: PluginContext): OutputEncoder;
  /** Main-thread half. */
  createSink(options: OptionsOf<S>, ctx: PluginContext): OutputSink | Promise<OutputSink>;
}

export type PluginDefinition = InputDefinition | FilterDefinition | OutputDefinition | CodecDefinition;
export type PluginKind = PluginDefinition['kind'];

// Helpers that keep the schema's literal types so OptionsOf<S> is precise.
export const defineInput = <const S extends Schema>(d: InputDefinition<S>): InputDefinition<S> => d;
export const defineFilter = <const S extends Schema>(d: FilterDefinition<S>): FilterDefinition<S> => d;
export const defineOutput = <const S extends Schema>(d: OutputDefinition<S>): OutputDefinition<S> => d;
export const defineCodec = <const S extends Schema>(d: CodecDefinition<S>): CodecDefinition<S> => d;
