import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/core/errors.js';
import { builtinRegistry } from '../../src/plugins/builtins.js';
import { LOGSTASH_PLUGINS_NOT_SHIPPED } from '../../src/plugins/logstash-catalog.js';
import type { PluginKind } from '../../src/plugins/api.js';
import { checkConfig } from '../../src/cli/check.js';
import { createLogger } from '../../src/core/logger.js';
import { defaultSettings } from '../../src/pipeline/settings.js';

const registry = builtinRegistry();

test('every Logstash plugin logpipe lacks gets a specific message: what it is and what to use meanwhile', () => {
  for (const kind of Object.keys(LOGSTASH_PLUGINS_NOT_SHIPPED) as PluginKind[]) {
    for (const name of Object.keys(LOGSTASH_PLUGINS_NOT_SHIPPED[kind])) {
      if (registry.find(kind, name)) continue; // shipped since: the plugin wins
      assert.throws(() => registry.resolve(kind, name), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.reason, `${kind} plugin "${name}" is not supported by logpipe`);
        assert.ok((err.hint ?? '').length > 20, `${kind} ${name}: ${err.hint}`);
        assert.ok(!/did you mean|available .* plugins/.test(err.hint ?? ''), `${kind} ${name} is not treated as a typo`);
        return true;
      });
    }
  }
});

test('a sample of the official list, by kind', () => {
  const samples: [PluginKind, string, RegExp][] = [
    ['input', 's3', /aws s3 sync/],
    ['input', 'dead_letter_queue', /failed_events\.path/],
    ['filter', 'cipher', /fingerprint/],
    ['filter', 'alter', /mutate/],
    ['filter', 'anonymize', /fingerprint/],
    ['output', 'sink', /"null" output/],
    ['output', 'csv', /"file" output/],
    ['codec', 'netflow', /beats/],
    ['codec', 'java_line', /"line"/],
  ];
  for (const [kind, name, hint] of samples) {
    assert.throws(() => registry.resolve(kind, name), (err: unknown) => err instanceof ConfigError && hint.test(err.hint ?? ''), `${kind} ${name}`);
  }
});

test('the list of unsupported plugins never names a plugin logpipe ships', () => {
  const listed = registry.unsupported();
  // The official list has ~250 plugins; the ones logpipe ships leave it (the assertion below).
  assert.ok(listed.length > 100, `the whole official list is covered (${listed.length})`);
  for (const u of listed) assert.equal(registry.find(u.kind, u.name), undefined, `${u.kind} ${u.name} is shipped`);
  assert.ok(listed.some((u) => u.kind === 'codec' && u.name === 'avro'));
});

test('check on a conf.d using three missing plugins prints one specific line for each', async () => {
  const report = await checkConfig([{ name: 'fw.conf', text: [
    'input { s3 { bucket => "logs" } }',
    'filter { cipher { algorithm => "aes-256-cbc" } }',
    'output { statsd { increment => ["fw.%{action}"] } }',
  ].join('\n') }], defaultSettings(), { syntaxOnly: false, strict: false, fragment: false, logger: createLogger('error') });
  assert.deepEqual(report.problems.map((p) => `${p.location?.line}:${p.location?.column} ${p.reason}`), [
    '1:9 input plugin "s3" is not supported by logpipe',
    '2:10 filter plugin "cipher" is not supported by logpipe',
    '3:10 output plugin "statsd" is not supported by logpipe',
  ]);
});
