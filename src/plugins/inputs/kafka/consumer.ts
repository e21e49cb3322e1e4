/**
 * The kafka input's source: `consumer_threads` group members, each a consumer reading its
 * assigned partitions and handing the pipeline payloads of records. Backpressure: a member awaits
 * the pipeline queue before it reads on, and the client stops fetching once its buffer of
 * `max_poll_records` records is full; heartbeats go on meanwhile, so a slow pipeline does not
 * cost the group membership.
 *
 * Rebalances: each group generation gets a fresh stream starting at the group's committed
 * offsets; records fetched under the previous generation and not yet handed over are dropped
 * (their new owner reads them from the committed offset), and acknowledgements of partitions this
 * member lost are not committed (commits.ts). At least once: a crash re-delivers at most what was
 * read after the last commit.
 */
import type { Admin, BaseOptions, Consumer, Message, MessagesStream } from '@platformatic/kafka';
import type { Logger } from '../../../core/logger.js';
import type { InputSink, InputSource } from '../../api.js';
import { describeKafkaError } from '../../kafka/errors.js';
import { zstdReady } from '../../kafka/zstd.js';
import { Committer, StreamOffsets, type CommitTarget } from './commits.js';
import { PayloadBuilder, type DecorateMode } from './payload.js';

type Record = Message<Buffer, Buffer, Buffer, Buffer>;
/** The client module, loaded when the source runs (not when the plugin list is built). */
type Client = typeof import('@platformatic/kafka');
type Stream = MessagesStream<Buffer, Buffer, Buffer, Buffer>;

export interface ConsumerSettings {
  connection: BaseOptions;
  groupId: string;
  groupInstanceId: string | undefined;
  topics: string[];
  /** Full-match pattern of topic names (topics_pattern); replaces `topics`. */
  topicsPattern: RegExp | undefined;
  excludeInternalTopics: boolean;
  threads: number;
  offsetReset: 'earliest' | 'latest' | 'fail';
  /** enable_auto_commit: acknowledged offsets committed every commitIntervalMs; else at once. */
  commitOnTimer: boolean;
  commitIntervalMs: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
  fetchMaxWaitMs: number;
  fetchMinBytes: number;
  fetchMaxBytes: number;
  partitionFetchBytes: number;
  maxPollRecords: number;
  readCommitted: boolean;
  decorate: DecorateMode;
  /** Most records in one payload. */
  maxRecords: number;
  logger: Logger;
}

const RETRY_INITIAL_MS = 1000;
const RETRY_MAX_MS = 30_000;

export class KafkaSource implements InputSource {
  private readonly members: GroupMember[] = [];
  private stopped = false;
  private client: Client | undefined;

  constructor(private readonly settings: ConsumerSettings) {}

  async run(sink: InputSink): Promise<void> {
    await zstdReady();
    this.client ??= await import('@platformatic/kafka');
    const topics = await this.resolveTopics();
    if (this.stopped) return;
    for (let i = this.members.length; i < this.settings.threads; i++) this.members.push(new GroupMember(this.client, this.settings, i));
    for (const m of this.members) m.setTopics(topics);
    let refresh: NodeJS.Timeout | undefined;
    if (this.settings.topicsPattern) {
      refresh = setInterval(() => {
        this.resolveTopics().then((t) => this.members.forEach((m) => m.setTopics(t)), (err: unknown) => this.settings.logger.warn('kafka: cannot list topics for topics_pattern', { error: describeKafkaError(err) }));
      }, Math.max(1000, this.settings.connection.metadataMaxAge ?? 300_000));
      refresh.unref();
    }
    try {
      await Promise.all(this.members.map((m) => m.run(sink)));
    } finally {
      clearInterval(refresh);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.members.map((m) => m.stop()));
  }

  /** `topics`, or the topics matching `topics_pattern` now. */
  private async resolveTopics(): Promise<string[]> {
    const pattern = this.settings.topicsPattern;
    if (!pattern) return this.settings.topics;
    let delay = RETRY_INITIAL_MS;
    for (;;) {
      const admin: Admin = new this.client!.Admin({ ...this.settings.connection, clientId: `${this.settings.connection.clientId}-topics` });
      try {
        const all = await admin.listTopics({ includeInternals: !this.settings.excludeInternalTopics });
        return all.filter((t) => pattern.test(t)).sort();
      } catch (err) {
        if (this.stopped) return [];
        this.settings.logger.warn('kafka: cannot list topics for topics_pattern; retrying', { error: describeKafkaError(err), retry_in_ms: delay });
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      } finally {
        await admin.close().catch(() => undefined);
      }
    }
  }
}

/** What the read loop may be woken for besides a readable stream. */
class Wake {
  private waiter: (() => void) | undefined;
  wait(stream: Stream): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        stream.off('readable', done);
        stream.off('close', done);
        stream.off('error', done);
        this.waiter = undefined;
        resolve();
      };
      this.waiter = done;
      stream.once('readable', done);
      stream.once('close', done);
      stream.once('error', done);
    });
  }
  now(): void {
    this.waiter?.();
  }
}

/** One member of the consumer group (one of consumer_threads). */
class GroupMember {
  private readonly consumer: Consumer<Buffer, Buffer, Buffer, Buffer>;
  private readonly committer: Committer;
  private readonly wake = new Wake();
  private topics: string[] = [];
  private topicsChanged = false;
  private stopped = false;
  private outstanding = 0;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private readonly logger: Logger;

  constructor(client: Client, private readonly s: ConsumerSettings, index: number) {
    this.logger = s.logger;
    const clientId = s.threads > 1 ? `${s.connection.clientId}-${index}` : s.connection.clientId;
    this.consumer = new client.Consumer({
      ...s.connection,
      clientId,
      groupId: s.groupId,
      ...(s.groupInstanceId !== undefined ? { groupInstanceId: s.threads > 1 ? `${s.groupInstanceId}-${index}` : s.groupInstanceId } : {}),
      autocommit: false,
      sessionTimeout: s.sessionTimeoutMs,
      heartbeatInterval: s.heartbeatIntervalMs,
      rebalanceTimeout: s.rebalanceTimeoutMs,
      maxWaitTime: s.fetchMaxWaitMs,
      minBytes: s.fetchMinBytes,
      maxBytes: s.fetchMaxBytes,
      maxBytesPerPartition: s.partitionFetchBytes,
      highWaterMark: s.maxPollRecords,
      isolationLevel: s.readCommitted ? 1 : 0,
    });
    this.committer = new Committer({
      owns: (topic, partition) => this.owns(topic, partition),
      commit: (targets) => this.commit(targets),
      failed: (err) => this.logger.warn('kafka: offset commit failed; it is retried with the next one', { group: s.groupId, error: describeKafkaError(err) }),
    }, !s.commitOnTimer);
    // A new generation: the read loop replaces its stream (it checks generationId per record).
    this.consumer.on('consumer:group:join', () => this.wake.now());
    this.consumer.on('error', (err: unknown) => this.logger.warn('kafka: consumer error', { group: s.groupId, error: describeKafkaError(err) }));
  }

  setTopics(topics: string[]): void {
    if (topics.join('\u0000') === this.topics.join('\u0000')) return;
    if (this.topics.length > 0) this.logger.info('kafka: the topics matching topics_pattern changed', { topics });
    this.topics = topics;
    this.topicsChanged = true;
    this.wake.now();
  }

  async run(sink: InputSink): Promise<void> {
    if (this.s.commitOnTimer) {
      this.timer = setInterval(() => void this.committer.flush(), this.s.commitIntervalMs);
      this.timer.unref();
    }
    let delay = RETRY_INITIAL_MS;
    try {
      while (!this.stopped && !sink.stopping) {
        if (this.topics.length === 0) {
          // topics_pattern matches nothing yet: wait for the next listing.
          await new Promise((r) => setTimeout(r, 1000));
          continue;
        }
        try {
          await this.consume(sink);
          delay = RETRY_INITIAL_MS;
        } catch (err) {
          if (this.stopped || sink.stopping) break;
          this.logger.warn('kafka: consuming failed; unacknowledged records will be read again from the committed offsets', { group: this.s.groupId, error: describeKafkaError(err), retry_in_ms: delay });
          await new Promise((r) => setTimeout(r, delay));
          delay = Math.min(delay * 2, RETRY_MAX_MS);
        }
      }
    } finally {
      this.retire();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake.now();
  }

  /** Reads streams, one per generation, until stopped; rejects when the stream fails. */
  private async consume(sink: InputSink): Promise<void> {
    let stream = await this.open();
    try {
      let generation = this.consumer.generationId;
      let offsets = new StreamOffsets(this.committer);
      let lastSeen = new Map<string, bigint>();
      const builder = new PayloadBuilder(this.s.decorate);
      // Hands over what was gathered; false when the payload had to be dropped (a rewind).
      const handOver = async (): Promise<boolean> => {
        if (builder.count === 0) return true;
        const { payload, lastOffsets } = builder.take();
        const ack = offsets.track(lastOffsets);
        if (!ack) return false;
        this.outstanding++;
        let settled = false;
        const settle = (): void => {
          if (settled) return;
          settled = true;
          this.outstanding--;
          if (this.stopped) this.closeWhenSettled();
        };
        await sink.push(payload, {
          ack: () => {
            ack();
            settle();
          },
          nack: () => settle(),
        });
        return true;
      };
      while (!this.stopped && !sink.stopping) {
        let record = stream.read() as Record | null;
        if (record === null) {
          if (stream.errored) throw stream.errored;
          if (stream.destroyed) throw new Error('the record stream closed');
          if (this.needsNewStream(generation)) {
            stream = await this.replace(stream);
            generation = this.consumer.generationId;
            offsets = new StreamOffsets(this.committer);
            lastSeen = new Map();
            continue;
          }
          await this.wake.wait(stream);
          continue;
        }
        let rewound = false;
        while (record !== null) {
          if (this.consumer.generationId !== generation) break;
          const key = `${record.topic}:${record.partition}`;
          const seen = lastSeen.get(key);
          if (seen !== undefined && record.offset <= seen) {
            rewound = true;
            break;
          }
          lastSeen.set(key, record.offset);
          if (this.owns(record.topic, record.partition)) builder.add(record);
          if (builder.count >= this.s.maxRecords) break;
          record = stream.read() as Record | null;
        }
        if (!(await handOver())) rewound = true;
        if (rewound || this.needsNewStream(generation)) {
          // Records not handed over are read again by the next stream, from the committed offsets.
          stream = await this.replace(stream);
          generation = this.consumer.generationId;
          offsets = new StreamOffsets(this.committer);
          lastSeen = new Map();
        }
      }
    } finally {
      await stream.close().catch(() => undefined);
    }
  }

  private needsNewStream(generation: number): boolean {
    return this.consumer.generationId !== generation || this.topicsChanged;
  }

  /** A stream from the group's committed offsets (after committing what is acknowledged). */
  private async open(): Promise<Stream> {
    this.topicsChanged = false;
    const stream = await this.consumer.consume({
      topics: this.topics,
      mode: 'committed',
      fallbackMode: this.s.offsetReset,
      autocommit: false,
      maxWaitTime: this.s.fetchMaxWaitMs,
      minBytes: this.s.fetchMinBytes,
      maxBytes: this.s.fetchMaxBytes,
      maxBytesPerPartition: this.s.partitionFetchBytes,
      highWaterMark: this.s.maxPollRecords,
      isolationLevel: this.s.readCommitted ? 1 : 0,
    });
    // Errors surface through read() (stream.errored); without a listener they would be thrown.
    stream.on('error', () => undefined);
    // A 'readable' listener for the stream's whole life: with none, Node puts the stream back to
    // readableFlowing === null, which the client reads as "nobody consumes" and stops fetching.
    stream.on('readable', () => undefined);
    this.logger.info('kafka: consuming', { group: this.s.groupId, topics: this.topics, generation: this.consumer.generationId, assignments: this.describeAssignments() });
    return stream;
  }

  /** The next generation's stream; the old one is closed after, so the topics stay subscribed. */
  private async replace(old: Stream): Promise<Stream> {
    await this.committer.flush();
    const next = await this.open();
    await old.close().catch(() => undefined);
    return next;
  }

  private owns(topic: string, partition: number): boolean {
    const assignment = this.consumer.assignments?.find((a) => a.topic === topic);
    return assignment !== undefined && assignment.partitions.includes(partition);
  }

  private async commit(targets: CommitTarget[]): Promise<void> {
    await this.consumer.commit({ offsets: targets.map((t) => ({ ...t, leaderEpoch: -1 })) });
  }

  private describeAssignments(): string {
    return (this.consumer.assignments ?? []).map((a) => `${a.topic}[${a.partitions.join(',')}]`).join(' ');
  }

  /** After the read loop ended: commit what gets acknowledged, then leave the group. */
  private retire(): void {
    clearInterval(this.timer);
    this.stopped = true;
    this.closeWhenSettled();
  }

  private closeWhenSettled(): void {
    if (this.outstanding > 0 || this.closing) {
      // Each acknowledgement while stopping is committed at once.
      if (this.outstanding > 0) void this.committer.flush();
      return;
    }
    this.closing = (async () => {
      for (let i = 0; i < 3 && this.committer.waiting > 0; i++) await this.committer.flush();
      await this.committer.flush();
      await new Promise<void>((resolve) => this.consumer.close(true, () => resolve()));
    })();
  }
}
