/**
 * For tests of the kafka plugins: a PRIVATE single-node Apache Kafka broker (KRaft) per test file,
 * started from the jars test/servers/kafka/pom.xml resolves from Maven Central
 * (test/servers/kafka/kafka.sh), with stop / kill -9 / restart, and a few client helpers (topics
 * with unique names, producing test records, reading a topic back, the group's committed offsets).
 * Missing jars FAIL the test with what to run; nothing is skipped.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before } from 'node:test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Admin, Consumer, Producer, stringDeserializers, type Message } from '@platformatic/kafka';
import { freePort } from './ports.js';
import { exited } from './processes.js';
import { sleep, waitFor } from './wait.js';

/** The repository's test/servers/kafka/kafka.sh (this file runs from dist/test/helpers). */
export const KAFKA_SH = fileURLToPath(new URL('../../../test/servers/kafka/kafka.sh', import.meta.url));

/** The cache directory holding the broker's jars; throws (fails the test) when they are missing. */
export function kafkaLib(): string {
  const r = spawnSync(KAFKA_SH, ['lib'], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`the Kafka test broker is not installed: ${r.stderr.trim() || 'kafka.sh lib failed'} (CI runs .ci/services.d/20-kafka.sh)`);
  }
  return r.stdout.trim();
}

/** A unique topic (or group) name for one test. */
export function uniqueName(prefix: string): string {
  return `logpipe-${prefix}-${randomBytes(4).toString('hex')}`;
}

/**
 * Registers before/after hooks that start this test file's private broker and destroy it; the
 * returned function gives the broker inside tests.
 */
export function brokerForThisFile(): () => PrivateKafka {
  let broker: PrivateKafka | undefined;
  before(async () => {
    broker = await PrivateKafka.start();
  });
  after(async () => {
    await broker?.destroy();
  });
  return () => {
    if (!broker) throw new Error('the Kafka broker of this test file did not start');
    return broker;
  };
}

export class PrivateKafka {
  private process: ChildProcess | undefined;
  private output = '';
  readonly dir = mkdtempSync(join(tmpdir(), 'logpipe-kafka-'));
  /** Milliseconds the last start() took until the broker answered a metadata request. */
  startMs = 0;

  constructor(readonly port: number, readonly controllerPort: number) {}

  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateKafka> {
    kafkaLib();
    const broker = new PrivateKafka(await freePort(), await freePort());
    await broker.start();
    return broker;
  }

  async start(): Promise<void> {
    const began = Date.now();
    this.output = '';
    const child = spawn(KAFKA_SH, ['start', this.dir, String(this.port), String(this.controllerPort)], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-8000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    await waitFor(`the Kafka broker on port ${this.port}`, async () => {
      if (child.exitCode !== null) throw new Error(`the Kafka broker exited with ${child.exitCode}:\n${this.output}`);
      const admin = this.admin({ retries: 0, timeout: 1000 });
      try {
        await admin.listTopics();
        return true;
      } catch {
        return false;
      } finally {
        await admin.close().catch(() => undefined);
      }
    }, 60_000);
    this.startMs = Date.now() - began;
  }

  /** A controlled shutdown (SIGTERM): the broker flushes and leaves. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited(child);
    clearTimeout(timer);
    this.process = undefined;
  }

  /** kill -9: the broker dies without a word. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited(child);
    this.process = undefined;
  }

  async restart(downMs: number, how: 'stop' | 'kill' = 'stop'): Promise<void> {
    await (how === 'stop' ? this.stop() : this.kill());
    await sleep(downMs);
    await this.start();
  }

  /** Stops the broker and removes its data. */
  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  admin(overrides: { retries?: number; timeout?: number } = {}): Admin {
    return new Admin({ clientId: 'logpipe-test-admin', bootstrapBrokers: [this.bootstrap], retries: 3, retryDelay: 200, ...overrides });
  }

  /**
   * Creates a topic and waits until every partition has a leader: a produce right after creation
   * may otherwise fail on some partitions, and a retried request duplicate records on others.
   */
  async createTopic(name: string, partitions: number, configs: { name: string; value: string }[] = []): Promise<void> {
    const admin = this.admin();
    try {
      await admin.createTopics({ topics: [name], partitions, replicas: 1, configs });
      await waitFor(`leaders for the ${partitions} partitions of ${name}`, async () => {
        const metadata = await admin.metadata({ topics: [name], forceUpdate: true });
        const topic = metadata.topics.get(name);
        return topic !== undefined && topic.partitionsCount === partitions && topic.partitions.every((p) => p.leader >= 0);
      }, 30_000);
      // A leader in the metadata may not serve its log yet: wait until every partition lists offsets.
      const probe = new Consumer({ clientId: 'logpipe-test-probe', groupId: uniqueName('probe'), bootstrapBrokers: [this.bootstrap], retries: 0 });
      try {
        await waitFor(`the partitions of ${name} to serve`, async () => {
          try {
            const offsets = await probe.listOffsets({ topics: [name] });
            return offsets.get(name)?.length === partitions;
          } catch {
            return false;
          }
        }, 30_000);
      } finally {
        await new Promise<void>((resolve) => probe.close(true, () => resolve()));
      }
    } finally {
      await admin.close();
    }
  }

  /** Produces records (acks=all) to `topic`; a record's `partition` may be given. */
  async produce(topic: string, records: { value: string; key?: string; partition?: number }[]): Promise<void> {
    const producer = new Producer({ clientId: 'logpipe-test-producer', bootstrapBrokers: [this.bootstrap], retries: 5, retryDelay: 200, acks: -1 });
    try {
      for (let i = 0; i < records.length; i += 500) {
        const slice = records.slice(i, i + 500).map((r) => ({
          topic,
          value: Buffer.from(r.value),
          ...(r.key !== undefined ? { key: Buffer.from(r.key) } : {}),
          ...(r.partition !== undefined ? { partition: r.partition } : {}),
        }));
        await producer.send({ messages: slice });
      }
    } finally {
      await producer.close();
    }
  }

  /**
   * Reads `topic` from the beginning until `count` distinct records (partition, offset) arrived, or
   * fails after `timeoutMs`. The client's stream may deliver a record twice when it re-reads after
   * joining its group; those repeats are left out.
   */
  async readAll(topic: string, count: number, timeoutMs = 30_000): Promise<Message<string, string, string, string>[]> {
    const consumer = new Consumer({
      clientId: 'logpipe-test-reader',
      groupId: uniqueName('reader'),
      bootstrapBrokers: [this.bootstrap],
      deserializers: stringDeserializers,
      maxWaitTime: 200,
    });
    const out: Message<string, string, string, string>[] = [];
    try {
      const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false, maxWaitTime: 200 });
      const timer = setTimeout(() => stream.destroy(new Error(`timed out reading ${count} records of ${topic}: got ${out.length}`)), timeoutMs);
      try {
        const seen = new Set<string>();
        for await (const message of stream) {
          const m = message as Message<string, string, string, string>;
          if (seen.has(`${m.partition}:${m.offset}`)) continue;
          seen.add(`${m.partition}:${m.offset}`);
          out.push(m);
          if (out.length >= count) break;
        }
      } finally {
        clearTimeout(timer);
        await stream.close().catch(() => undefined);
      }
    } finally {
      await new Promise<void>((resolve) => consumer.close(true, () => resolve()));
    }
    return out;
  }

  /** The committed offset of each partition of `topic` for `group` (-1 when none). */
  async committed(group: string, topic: string): Promise<Map<number, bigint>> {
    const admin = this.admin();
    try {
      const groups = await admin.listConsumerGroupOffsets({ groups: [group] });
      const out = new Map<number, bigint>();
      for (const g of groups) {
        for (const t of g.topics) {
          if (t.name !== topic) continue;
          for (const p of t.partitions) out.set(p.partitionIndex, p.committedOffset);
        }
      }
      return out;
    } finally {
      await admin.close();
    }
  }

  /** Members of a consumer group and its state ("Stable" once a rebalance is over). */
  async group(group: string): Promise<{ members: number; state: string }> {
    const admin = this.admin();
    try {
      const g = (await admin.describeGroups({ groups: [group] })).get(group);
      return { members: g?.members.size ?? 0, state: String(g?.state ?? 'Dead') };
    } finally {
      await admin.close();
    }
  }

  /** The broker's last output lines (for a failure message). */
  get log(): string {
    return this.output;
  }
}

// ------------------------------------------------------------ logpipe processes consuming Kafka

const BIN = fileURLToPath(new URL('../../../bin/logpipe.js', import.meta.url));

/** The `id` of each whole JSON line of a file (none when it does not exist yet). */
export function eventIds(path: string): number[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.endsWith('}')).map((l) => (JSON.parse(l) as { id: number }).id);
}

/** The sum of a group's committed offsets over a topic's partitions (records it has committed). */
export function committedTotal(offsets: Map<number, bigint>): bigint {
  return [...offsets.values()].reduce((a, b) => a + (b > 0n ? b : 0n), 0n);
}

/** Produces JSON records {id, pad} with ids from..from+n-1, keyed by id. */
export async function produceIds(kafka: PrivateKafka, topic: string, from: number, n: number): Promise<void> {
  await kafka.produce(topic, Array.from({ length: n }, (_, i) => ({ value: JSON.stringify({ id: from + i, pad: 'x'.repeat(200) }), key: `k${from + i}` })));
}

/** Fails unless every id 0..n-1 is in one of the files; says how many lines repeat an id. */
export function assertEveryId(files: string[], n: number): { seen: number; duplicates: number } {
  const all = files.flatMap(eventIds);
  const set = new Set(all);
  const lost: number[] = [];
  for (let id = 0; id < n; id++) if (!set.has(id)) lost.push(id);
  if (lost.length > 0) throw new Error(`${lost.length} ids lost, first ${lost.slice(0, 10).join(', ')}`);
  return { seen: all.length, duplicates: all.length - set.size };
}

export interface ConsumerProcess {
  child: ChildProcess;
  /** The last stderr lines, for a failure message. */
  stderr(): string;
}

/** A real `logpipe run` consuming `topic` in `group` into the JSON-lines file `out`. */
export function spawnConsumer(kafka: PrivateKafka, topic: string, group: string, out: string): ConsumerProcess {
  const config = `input { kafka { bootstrap_servers => "${kafka.bootstrap}" topics => ["${topic}"] group_id => "${group}" auto_offset_reset => "earliest"
    codec => json auto_commit_interval_ms => 200 session_timeout_ms => 6000 heartbeat_interval_ms => 500 max_poll_records => 200 } }
    output { file { path => "${out}" } }`;
  const data = mkdtempSync(join(tmpdir(), 'logpipe-kafka-data-'));
  const child = spawn(process.execPath, [BIN, 'run', '--path.data', data, '-b', '50', '--log.level', 'warn', '-e', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.setEncoding('utf8');
  let err = '';
  child.stderr!.on('data', (d: string) => (err = (err + d).slice(-4000)));
  return { child, stderr: () => err };
}

/** SIGKILLs whatever is still running (a test's cleanup). */
export function killAll(processes: ConsumerProcess[]): void {
  for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
}
