import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadFilebeatConfig } from '../../../src/config/filebeat/load.js';
import { builtinRegistry } from '../../../src/plugins/builtins.js';

const seed = fileURLToPath(new URL('../../../../examples/seed/filebeat.yml', import.meta.url));
const logs = fileURLToPath(new URL('../../../../examples/seed/logs/', import.meta.url));

test('examples/seed/filebeat.yml: one prospector on the seed log with the seed fields at the root, logstash + redis outputs, kafka disabled', () => {
  const c = loadFilebeatConfig(seed, { registry: builtinRegistry(), defaultDataDir: '/tmp/unused', version: '1.0.0', env: {} });
  assert.equal(c.shape, 'legacy');
  assert.equal(c.graph.inputs.length, 1);
  const input = c.graph.inputs[0]!;
  assert.equal(input.definition.name, 'log');
  assert.deepEqual(input.options['paths'], [`${logs}game-events.log`]);
  assert.deepEqual(input.options['fields'], { kafka_key: 'foo_bar_kafka_key', log_group: 'foo_bar_group', type: 'foo_bar_type' });
  assert.equal(input.options['fields_under_root'], true);
  assert.equal(input.options['field_layout'], 'legacy');
  assert.equal(input.options['close_inactive'], 300_000);
  assert.equal(input.options['clean_inactive'], 48 * 3600_000);
  assert.deepEqual(c.graph.outputList.map((o) => o.definition.name), ['logstash', 'redis']);
  const [logstash, redis] = c.graph.outputList;
  assert.deepEqual(logstash!.options['hosts'], ['127.0.0.1:5044']);
  assert.equal(redis!.options['key'], '%{[log_group]}');
  assert.equal(redis!.options['data_type'], 'list');
  assert.equal(redis!.options['db'], 7);
  assert.deepEqual(c.settings, { batchSize: 2048, batchDelayMs: 5000, shutdownTimeoutMs: 5000, logLevel: 'info' });
  // The seed's Logstash-style redis keys are reported, each with what it means here.
  for (const key of ['data_type', 'threads', 'batch_count']) {
    const w = c.warnings.find((x) => x.reason.includes(`output.redis.${key}`));
    assert.ok(w, `a warning for ${key}`);
    assert.equal(w.location!.file, seed);
  }
});

test('examples/seed/filebeat.yml: the example\'s environment switches turn one output off and move the Beats host and the Redis key', () => {
  const load = (env: NodeJS.ProcessEnv) => loadFilebeatConfig(seed, { registry: builtinRegistry(), defaultDataDir: '/tmp/unused', version: '1.0.0', env });
  const toRedis = load({ SEED_TO_LOGSTASH: 'false', SEED_KEY_PREFIX: 'run1:' });
  assert.deepEqual(toRedis.graph.outputList.map((o) => o.definition.name), ['redis']);
  assert.equal(toRedis.graph.outputList[0]!.options['key'], 'run1:%{[log_group]}');
  const toBeats = load({ SEED_TO_REDIS: 'false', SEED_BEATS_HOST: '127.0.0.1:6000' });
  assert.deepEqual(toBeats.graph.outputList.map((o) => o.definition.name), ['logstash']);
  assert.deepEqual(toBeats.graph.outputList[0]!.options['hosts'], ['127.0.0.1:6000']);
});
