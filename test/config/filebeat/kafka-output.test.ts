/**
 * Filebeat's output.kafka in the agent front end: the seed's block (behind its SEED_TO_KAFKA
 * switch) and each mapped key land on the kafka output's options; keys that cannot be honoured
 * are refused or reported with their line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFilebeatConfig } from '../../../src/config/filebeat/load.js';
import { builtinRegistry } from '../../../src/plugins/builtins.js';

const seed = fileURLToPath(new URL('../../../../examples/seed/filebeat.yml', import.meta.url));
const load = (file: string, env: NodeJS.ProcessEnv = {}) => loadFilebeatConfig(file, { registry: builtinRegistry(), defaultDataDir: '/tmp/unused', version: '1.0.0', env });

function yaml(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'logpipe-fb-kafka-')), 'filebeat.yml');
  writeFileSync(file, `filebeat.inputs:\n  - type: log\n    paths: [/tmp/x.log]\n${text}`);
  return file;
}

test('the seed\'s output.kafka block loads with SEED_TO_KAFKA=true: hosts, topic, gzip, acks 1, round robin, max_message_bytes', () => {
  const c = load(seed, { SEED_TO_KAFKA: 'true' });
  const kafka = c.graph.outputList.find((o) => o.definition.name === 'kafka');
  assert.ok(kafka, 'a kafka output');
  assert.deepEqual(kafka.options['bootstrap_servers'], ['100.200.200.100:9093', '100.200.200.101:9093', '100.200.200.102:9093']);
  assert.equal(kafka.options['topic_id'], '%{[kafka_key]}');
  assert.equal(kafka.options['compression_type'], 'gzip');
  assert.equal(kafka.options['acks'], '1');
  assert.equal(kafka.options['partitioner'], 'round_robin');
  assert.equal(kafka.options['max_request_size'], 1_000_000);
  assert.equal(kafka.options['request_timeout_ms'], 60_000);
  assert.equal((kafka.options['codec'] as { name: string }).name, 'beats_json');
  for (const key of ['version', 'worker', 'max_retries', 'keep_alive', 'broker_timeout']) {
    const w = c.warnings.find((x) => x.reason.includes(`output.kafka.${key}`));
    assert.ok(w, `a warning for ${key}`);
    assert.equal(w.location!.file, seed);
  }
});

test('topics rules, key, partition.hash (Filebeat\'s FNV-1a), required_acks -1, codec.format, SASL and TLS map onto the kafka output', () => {
  const c = load(yaml(`output.kafka:
  hosts: ["k1:9092", "k2:9092"]
  topic: "logs-%{[fields.app]}"
  topics:
    - topic: "critical"
      when.contains:
        message: "CRITICAL"
  key: "%{[host.name]}"
  partition.hash:
    random: true
  required_acks: -1
  compression: zstd
  client_id: beats
  codec.format:
    string: "%{[message]}"
  username: alice
  password: 's3"cret'
  sasl.mechanism: SCRAM-SHA-512
  ssl.certificate_authorities: ["/etc/ca.pem"]
`));
  const kafka = c.graph.outputList[0]!;
  assert.equal(kafka.definition.name, 'kafka');
  assert.equal(kafka.options['topic_id'], 'logs-%{[fields][app]}');
  assert.deepEqual(kafka.options['topics'], [{ key: 'critical', when: { contains: { message: 'CRITICAL' } } }]);
  assert.equal(kafka.options['message_key'], '%{[host][name]}');
  assert.equal(kafka.options['partitioner'], 'fnv1a');
  assert.equal(kafka.options['acks'], 'all');
  assert.equal(kafka.options['compression_type'], 'zstd');
  assert.equal(kafka.options['client_id'], 'beats');
  const codec = kafka.options['codec'] as { name: string; settings: unknown };
  assert.equal(codec.name, 'plain');
  assert.equal(kafka.options['security_protocol'], 'SASL_SSL');
  assert.equal(kafka.options['sasl_mechanism'], 'SCRAM-SHA-512');
  assert.equal(String((kafka.options['sasl_jaas_config'] as { reveal(): string }).reveal()), 'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="s3\\"cret";');
  assert.equal(kafka.options['ssl_truststore_location'], '/etc/ca.pem');
});

test('partition.hash over event fields is refused with its line and what to do instead', () => {
  assert.throws(() => load(yaml(`output.kafka:
  hosts: ["k1:9092"]
  topic: t
  partition.hash:
    hash: ["a", "b"]
`)), (err: Error) => /partition\.hash\.hash: hashing event fields is not supported/.test(err.message) && /filebeat\.yml:8:/.test(err.message));
});
