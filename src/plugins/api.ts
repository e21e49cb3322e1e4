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
import type { TextCharset } from './codecs/charset.js';

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
  /**
   * Defers a side effect of the batch being filtered until every event of it is acknowledged
   * (delivered, or failed for good and handed to the failure path). It never runs when the batch
   * is re-run after a watchdog cut-off, lost in a crash or abandoned at a forced stop, so a
   * re-run or a redelivery is not mistaken for its own duplicate. Worker side only; on the main
   * thread (sources, sinks) it throws.
   */
  deferUntilAcknowledged(effect: () => void | Promise<void>): void;
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
  /**
   * Present only on a binary codec (msgpack), whose events are bytes, not text: its text methods
   * above throw. A plugin that carries codecs looks at this once, when it builds its decoder or
   * encoder, and then takes the bytes path or the text path, so a text codec pays nothing per
   * event. Only plugins whose definition says `binaryCodecs` are given one (checked at config
   * time, config/compile.ts); see docs/decisions/0023-binary-codecs.md.
   */
  readonly binary?: BinaryCodec;
  /**
   * Present only on a text codec whose `charset` is not UTF-8: how its input bytes become text.
   * Plugins that carry codecs take it once, when they build their decoder or source (UTF-8 keeps
   * its path, unchanged); see docs/decisions/0027-codec-charsets.md.
   */
  readonly charset?: TextCharset;
}

/** The bytes-in, bytes-out half of a binary codec. */
export interface BinaryCodec {
  /** Decodes one whole message (a datagram, a request body, a queue message, a framed object). */
  decodeBytes(bytes: Uint8Array, emit: (event: Event) => void): void;
  /** Encodes one event to one message; throws on an event it cannot encode (the output rejects it). */
  encodeBytes(event: Event): Uint8Array;
  /**
   * For a byte stream with no framing of its own (a TCP connection): finds where each whole
   * message ends, without decoding it, so the stream's main thread can hand whole messages over.
   */
  streamFramer(maxMessageBytes: number): ByteStreamFramer;
}

/** Cuts a byte stream into whole messages; what it holds is bounded by its `maxMessageBytes`. */
export interface ByteStreamFramer {
  /** Takes the next bytes of the stream and hands over every message they complete, in order. */
  push(chunk: Uint8Array, emit: (message: Uint8Array) => void): void;
  /**
   * The stream cannot be followed any further (a malformed message, or one over the size limit):
   * why, and the bytes held (at most `maxMessageBytes`). Once set, push() takes nothing more.
   */
  readonly broken: { reason: string; held: Uint8Array } | undefined;
  /** The stream ended: bytes of an unfinished message still held, if any. */
  end(): Uint8Array | undefined;
}

export interface CodecDefinition<S extends Schema = Schema> {
  kind: 'codec';
  name: string;
  description: string;
  options: S;
  create(options: OptionsOf<S>, ctx: PluginContext): Codec;
  /** For streaming inputs (stdin, tcp) Logstash swaps plain→line and json→json_lines. */
  streamingEquivalent?: string;
  /** Its events are bytes (Codec.binary): only plugins whose definition has `binaryCodecs` may carry it. */
  binary?: boolean;
}

/**
 * An input or output that can carry a binary codec (its messages are bytes with boundaries of
 * their own: datagrams, request bodies, queue messages, or a stream it frames with the codec's
 * streamFramer). Absent: the plugin carries text (lines), and config time refuses a binary codec
 * on it, naming the plugins that can carry one.
 */
export interface BinaryCodecSupport {
  binaryCodecs?: true;
}

// ---------------------------------------------------------------- inputs

/**
 * Inputs aim at payloads of about this size: large enough that per-payload
 * costs (message, queue, write) vanish per event, small enough to keep the
 * queue's memory bound meaningful. Workers still filter in batches of
 * `pipeline.batch.size` events.
 */
export const PAYLOAD_TARGET_BYTES = 128 * 1024;

/**
 * A payload holds at most this many batches' worth of events (`PluginContext.batchSize` × this),
 * whatever its size in bytes: its events are written and acknowledged within a few batches of
 * arriving, and a watchdog re-run costs at most this many batches. Measured on the stdin → mutate →
 * file benchmark: payloads of one batch (125 short lines) cost 15–25% more CPU than the former
 * ~128 KiB payloads (per-payload messages, queue steps, writes and acknowledgements); four batches
 * cost the same as those.
 */
export const PAYLOAD_MAX_BATCHES = 4;

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
  /**
   * Nothing more follows for now: the sender waits for this payload's acknowledgement before it
   * sends again (the last payload of a Beats window). The pipeline then dispatches what is queued
   * at once instead of waiting up to `pipeline.batch.delay` for a fuller batch, which would add
   * the delay to every round trip.
   */
  endOfBurst?: boolean;
}

/**
 * How the pipeline reports back on one payload: exactly one of `ack` or `nack` is called, once
 * (or neither, if the process dies first). Both are called on the main thread; an exception
 * they throw is caught and logged, never crashes the pipeline. See docs/architecture.md,
 * "The acknowledgement contract".
 */
export interface Delivery {
  /**
   * Every event of the payload is done: written by every output it was routed to, dropped or
   * cancelled by a filter, or failed for good and handed to the failure path. The source may
   * now forget it (advance an offset, send an ACK frame, commit, XACK). Acks of different
   * payloads may arrive out of order (ack.ts keeps the highest contiguous position).
   */
  ack(): void;
  /**
   * This process will not deliver the payload (a forced stop, the shutdown timeout, an output
   * that can never deliver again). A source that can hand it back at once should (RabbitMQ
   * basic.nack with requeue, a Redis re-queue); the others simply do not advance.
   */
  nack?(reason: string): void;
}

/** The queue as an input sees it. */
export interface InputSink {
  /**
   * Offers a payload. Resolves once the queue has accepted it — the bounded
   * queue makes a slow pipeline slow the input down. `delivery` hears back
   * once the payload's events are done (ack) or abandoned (nack).
   */
  push(payload: InputPayload, delivery?: Delivery): Promise<void>;
  /** True once shutdown began; a source should stop reading and return. */
  readonly stopping: boolean;
}

/**
 * The main-thread half of an input. When run() rejects while the pipeline is not stopping, the
 * pipeline logs and counts the failure and calls run() again on the same source after a backoff
 * (1 s doubling to 30 s), as Logstash restarts a crashed input: a source keeps its position
 * across runs.
 */
export interface InputSource {
  /** Reads until exhausted or stopped; resolves when the source is done. */
  run(sink: InputSink): Promise<void>;
  /** Asks the source to stop reading soon (run() should then resolve). */
  stop(): void | Promise<void>;
  /**
   * Counters only the source knows (a UDP input's datagrams dropped on a full queue), added to
   * the input's entry in the pipeline's per-plugin figures. Read on the main thread; keep it cheap.
   */
  figures?(): Record<string, number>;
}

export interface InputDecoder {
  decode(data: unknown, emit: (event: Event) => void): void;
}

export interface InputDefinition<S extends Schema = Schema> extends BinaryCodecSupport {
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

/** How often filters that ask for it are flushed (Logstash flushes every 5 s). */
export const PERIODIC_FLUSH_MS = 5000;

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
  /**
   * Hands on events the filter holds (aggregations, timeouts, metrics). Called at shutdown with
   * `final` true, and every PERIODIC_FLUSH_MS with `final` false when the definition's
   * `periodicFlush` says so. The events go on through the filters after this one, then the outputs.
   */
  flush?(emit: (event: Event) => void, final: boolean): void;
  close?(): void | Promise<void>;
}

export interface FilterDefinition<S extends Schema = Schema> {
  kind: 'filter';
  name: string;
  description: string;
  options: S;
  create(options: OptionsOf<S>, ctx: PluginContext): Filter | Promise<Filter>;
  /** Whether the filter's flush() must also run periodically with these options (timeouts, metrics ticks). */
  periodicFlush?(options: OptionsOf<S>): boolean;
  /**
   * Whether running a batch through this filter twice is harmless: the watchdog re-runs a cut-off
   * worker's batches, and inputs redeliver what was not acknowledged. Default true (the filter
   * only changes events). A filter with an outside effect defers it until the batch is
   * acknowledged (PluginContext.deferUntilAcknowledged), which makes it safe again; one that
   * cannot says false, and the pipeline warns when it re-runs a batch through it.
   */
  rerunSafe?: boolean;
  /**
   * The tags an exception this filter throws on one event puts on that event, where the filter
   * has its own option for them (Logstash's `tag_on_exception`, mutate's `tag_on_failure`);
   * default `_filter_error` (pipeline/plugin-errors.ts).
   */
  exceptionTags?(options: OptionsOf<S>): string[];
  /**
   * Large read-only files the filter will read (databases): the main thread
   * loads them once into shared memory for every worker (core/shared-files.ts).
   */
  sharedFiles?(options: OptionsOf<S>): string[];
}

// ---------------------------------------------------------------- outputs

/** An event an output can never write, with why; it goes to the failure path. */
export interface RejectedEvent {
  reason: string;
  /** The event (or what the output made of it) as text, for the failure log; depth-limited JSON where possible. */
  event: string;
}

/** What an output encoder hands to its sink. */
export interface OutputPayload {
  /** What write() receives; undefined when nothing is left to write (every event rejected). */
  data: unknown;
  transfer?: ArrayBuffer[];
  /** Events the encoder refused for good (one it cannot encode); the others are in `data`. */
  rejected?: RejectedEvent[];
}

export interface OutputEncoder {
  /** Encodes the events routed to this output; undefined when there is nothing to write. */
  encode(events: Event[]): OutputPayload | undefined;
}

/** How a sink's failed writes are retried. */
export interface RetryPolicy {
  /** First delay, in ms. */
  initialMs: number;
  /** The delay doubles up to this, in ms. */
  maxMs: number;
  /** Attempts in all before the events fail for good; 0 = retry until delivered or stopped. */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { initialMs: 1000, maxMs: 30_000, maxAttempts: 0 };

/**
 * What a write did when not every event was delivered. Events are counted by their position in
 * the payload (encode order); every position not listed was delivered.
 */
export interface WriteResult {
  /** Events this output can never write (a mapping error, a constraint violation): they go to the failure path. */
  failed?: { index: number; reason: string; event?: string }[];
  /**
   * Events to write again after the retry delay (per-event transient errors, e.g. the 429 items of
   * a bulk request), as a payload for the next write(); with their positions in this payload.
   */
  retry?: { data: unknown; indexes: number[] };
}

/** How a whole write failed. A plain Error counts as `retryable`. */
export type OutputFailure = 'retryable' | 'permanent' | 'closed';

/**
 * Thrown (rejected) by OutputSink.write. `retryable`: a later attempt may succeed (the server is
 * away or busy). `permanent`: no attempt ever will (a request the server refuses): every event
 * of the write goes to the failure path. `closed`: the output can never deliver anything again
 * (stdout's reader went away): the pipeline stops its inputs and exits non-zero.
 */
export class OutputError extends Error {
  override name = 'OutputError';
  constructor(message: string, readonly failure: OutputFailure, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface OutputSink {
  /**
   * Resolves once the payload is durably accepted (written, acknowledged by the server), with a
   * WriteResult when not all of it was; rejects when the write failed as a whole (OutputError).
   */
  write(data: unknown): Promise<WriteResult | void>;
  close?(): Promise<void>;
  /** How failed writes are retried (default DEFAULT_RETRY: 1 s doubling to 30 s, until delivered). */
  readonly retry?: RetryPolicy;
  /**
   * Most writes in flight at once; default `pipeline.output.concurrency`. With 1 this output
   * sees batches in the order they left the workers; with more, writes may complete (and
   * batches be acknowledged) out of order.
   */
  readonly concurrency?: number;
}

export interface OutputDefinition<S extends Schema = Schema> extends BinaryCodecSupport {
  kind: 'output';
  name: string;
  description: string;
  options: S;
  /** Worker half. */
  createEncoder(options: OptionsOf<S>, ctx: PluginContext): OutputEncoder;
  /** Main-thread half. */
  createSink(options: OptionsOf<S>, ctx: PluginContext): OutputSink | Promise<OutputSink>;
  /**
   * Optional, worker half: an encoder that goes from the inputs' payloads straight to this
   * output's payloads, skipping Events, for a pipeline that is nothing but its inputs, a chain of
   * unconditional filters and this output (see FusedEncoder). Return undefined unless the result
   * is byte for byte what the input's decoder, the filters and createEncoder() would give.
   * The pipeline asks only when the shape fits and then falls back to the regular path whenever
   * a tap is attached or the fused encoder throws.
   */
  fuse?(options: OptionsOf<S>, ctx: PluginContext, upstream: FusionUpstream): FusedEncoder | undefined;
}

/** A plugin in front of an output that fuses, as the output sees it: what it is and how it is set. */
export interface UpstreamPlugin {
  /** The definition's name (`log`, `beats_add_fields`). */
  name: string;
  /** The options as compiled, the kind's common options included. */
  options: Readonly<Record<string, unknown>>;
  /** The plugin's own context (its id, data directory). */
  ctx: PluginContext;
}

/**
 * What comes before an output asked to fuse: the pipeline's inputs and its filters in order, each
 * filter run on every event (no conditional anywhere). Events also get what the pipeline adds
 * itself: their input's common `type` (when the event has none), `tags` and `add_field`, and each
 * filter's decorations on success (`add_field`, `remove_field`, `add_tag`, `remove_tag`); a fused
 * encoder must account for those options too, or refuse them.
 */
export interface FusionUpstream {
  /** In the pipeline's order: a FusedInput's `input` is an index into it. */
  inputs: readonly UpstreamPlugin[];
  filters: readonly UpstreamPlugin[];
}

/** An input payload handed to a fused encoder: the input that made it, and its data. */
export interface FusedInput {
  input: number;
  data: unknown;
}

/** What a fused encoder made of a batch's input payloads. */
export interface FusedEncoding {
  outputs: FusedPayload[];
  /** Events each input payload decoded into, in the order given (the inputs' figures). */
  eventsPerPayload: readonly number[];
}

/** One output payload made by a fused encoder, and how many events it holds. */
export interface FusedPayload {
  payload: OutputPayload;
  events: number;
}

/**
 * Input payloads (in order) → this output's payloads. Must return exactly what the
 * regular path gives for them: the events the decoder emits for all the payloads together, cut
 * into batches of `batchSize` (the last may be shorter), each batch through the filters and then
 * encode() — one FusedPayload per batch, none for no events. It may throw: the pipeline then runs
 * the same payloads on the regular path, so it must keep no state that a throw leaves half-done.
 */
export interface FusedEncoder {
  encode(payloads: readonly FusedInput[], batchSize: number): FusedEncoding;
}

export type PluginDefinition = InputDefinition | FilterDefinition | OutputDefinition | CodecDefinition;
export type PluginKind = PluginDefinition['kind'];

// Helpers that keep the schema's literal types so OptionsOf<S> is precise.
export const defineInput = <const S extends Schema>(d: InputDefinition<S>): InputDefinition<S> => d;
export const defineFilter = <const S extends Schema>(d: FilterDefinition<S>): FilterDefinition<S> => d;
export const defineOutput = <const S extends Schema>(d: OutputDefinition<S>): OutputDefinition<S> => d;
export const defineCodec = <const S extends Schema>(d: CodecDefinition<S>): CodecDefinition<S> => d;
