/**
 * Kafka on a private local broker (test/servers/kafka, from Maven Central), each logpipe figure
 * beside the Java client's own perf tools from the same jars on the same record count and size:
 *
 *   produce   `logpipe run` (stdin → kafka output, acks 1)  vs  ProducerPerformance (acks 1)
 *   consume   `logpipe run` (kafka input → null), timed until the group committed every record,
 *             vs ConsumerPerformance
 *   encode    the kafka output's encoder (events → record batch, codec json) vs JSON.stringify of
 *             the same events, in this process
 *
 *   BENCH_KAFKA_EVENTS=300000 (default) — records per run
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Event } from '../src/core/event.js';
import { kafkaOutput } from '../src/plugins/outputs/kafka/index.js';
import { registryWith, settingsOf, testContext } from '../test/helpers/harness.js';
import { committedTotal, KAFKA_SH, PrivateKafka, uniqueName } from '../test/helpers/kafka.js';
import type { Measurement } from './run.js';
import type { Scenario } from './scenarios.js';

const PARTITIONS = 4;

/** Runs a Java perf tool from the broker's jars (through kafka.sh, which execs the JVM). */
function javaTool(t: Parameters<Scenario['run']>[0], args: string[]): Promise<Measurement> {
  return t.measure(['java', ...args], { command: KAFKA_SH });
}

/** The encoder half in this process: events → record batches, beside JSON.stringify. */
function encodeHalf(t: Parameters<Scenario['run']>[0], lines: string[]): void {
  const registry = registryWith(kafkaOutput);
  const options = registry.validate(kafkaOutput, settingsOf({ topic_id: 'bench', message_key: '%{id}', codec: 'json' }), undefined);
  const encoder = kafkaOutput.createEncoder(options as never, testContext('kafka', { registry }));
  const events = lines.map((message, id) => new Event({ message, id, '@timestamp': '2026-12-02T00:00:00.000Z', host: 'bench' }));
  const batch = 125;
  const time = (fn: () => number): { seconds: number; bytes: number } => {
    fn(); // warm up
    const begin = process.hrtime.bigint();
    const bytes = fn();
    return { seconds: Number(process.hrtime.bigint() - begin) / 1e9, bytes };
  };
  const baseline = time(() => {
    let bytes = 0;
    for (const e of events) bytes += JSON.stringify(e.data).length;
    return bytes;
  });
  const encoded = time(() => {
    let bytes = 0;
    for (let i = 0; i < events.length; i += batch) {
      const out = encoder.encode(events.slice(i, i + batch));
      bytes += (out?.data as { bytes: Uint8Array }).bytes.length;
    }
    return bytes;
  });
  const m = (s: { seconds: number }): Measurement => ({ seconds: s.seconds, peakRssMb: process.memoryUsage().rss / 1048576, code: 0, stderr: '' });
  t.printRow({ scenario: 'kafka encode (in process)', variant: 'baseline JSON.stringify', events: events.length, bytes: baseline.bytes, m: m(baseline) });
  t.printRow({ scenario: 'kafka encode (in process)', variant: 'events → record batch', events: events.length, bytes: encoded.bytes, m: m(encoded), baseline: m(baseline) });
}

export const kafkaScenario: Scenario = {
  name: 'kafka',
  async run(t) {
    const events = Number(process.env['BENCH_KAFKA_EVENTS'] ?? 300_000);
    const lines = readFileSync(await t.accessLog(t.lines), 'utf8').split('\n').slice(0, events);
    const source = lines.join('\n') + '\n';
    const bytes = Buffer.byteLength(source);
    const recordSize = Math.round(bytes / events);
    const dir = mkdtempSync(join(tmpdir(), 'logpipe-bench-kafka-'));
    const log = join(dir, 'access.log');
    writeFileSync(log, source);
    encodeHalf(t, lines);
    const kafka = await PrivateKafka.start();
    console.log(`  (private Kafka broker started in ${kafka.startMs} ms; ${PARTITIONS} partitions, ${recordSize}-byte records)`);
    try {
      // ---- produce
      const javaTopic = uniqueName('bench-java');
      await kafka.createTopic(javaTopic, PARTITIONS);
      const javaProduce = await javaTool(t, ['org.apache.kafka.tools.ProducerPerformance', '--topic', javaTopic, '--num-records', String(events),
        '--record-size', String(recordSize), '--throughput', '-1', '--producer-props', `bootstrap.servers=${kafka.bootstrap}`, 'acks=1']);
      t.printRow({ scenario: 'kafka produce', variant: 'baseline Java perf tool', events, bytes, m: javaProduce });
      const topic = uniqueName('bench');
      await kafka.createTopic(topic, PARTITIONS);
      const produce = await t.measure([t.logpipe, 'run', '--log.level', 'warn', '--path.data', join(dir, 'producer'), '-w', '2', '-b', '1000', '-e',
        `input { stdin {} } output { kafka { bootstrap_servers => "${kafka.bootstrap}" topic_id => "${topic}" acks => "1" } }`], { stdinFile: log });
      t.printRow({ scenario: 'kafka produce', variant: 'logpipe stdin → kafka', events, bytes, m: produce, baseline: javaProduce });

      // ---- consume
      const javaConsume = await javaTool(t, ['org.apache.kafka.tools.ConsumerPerformance', '--bootstrap-server', kafka.bootstrap, '--topic', topic,
        '--messages', String(events), '--group', uniqueName('bench-java-g'), '--timeout', '60000']);
      t.printRow({ scenario: 'kafka consume', variant: 'baseline Java perf tool', events, bytes, m: javaConsume });
      const group = uniqueName('bench-g');
      let finishedAt = 0n;
      const begin = process.hrtime.bigint();
      const consumer = t.measure([t.logpipe, 'run', '--log.level', 'warn', '--path.data', join(dir, 'consumer'), '-w', '2', '-b', '1000', '-e',
        `input { kafka { bootstrap_servers => "${kafka.bootstrap}" topics => ["${topic}"] group_id => "${group}" auto_offset_reset => "earliest" auto_commit_interval_ms => 100 max_poll_records => 4000 } } output { null {} }`],
      { onSpawn: (child) => {
        const poll = setInterval(() => {
          kafka.committed(group, topic).then((c) => {
            if (committedTotal(c) >= BigInt(events) && finishedAt === 0n) {
              finishedAt = process.hrtime.bigint();
              clearInterval(poll);
              child.kill('SIGTERM');
            }
          }, () => undefined);
        }, 50);
        child.on('exit', () => clearInterval(poll));
      } });
      const consumed = await consumer;
      if (finishedAt === 0n) consumed.code = consumed.code || 99;
      else consumed.seconds = Number(finishedAt - begin) / 1e9;
      t.printRow({ scenario: 'kafka consume', variant: 'logpipe kafka → null', events, bytes, m: consumed, baseline: javaConsume });
    } finally {
      await kafka.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
