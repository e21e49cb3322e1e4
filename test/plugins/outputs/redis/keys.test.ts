/** redis output: Filebeat's `keys` rules (first matching rule, mappings with default, else `key`). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redisOutput, type KeyChunk } from '../../../../src/plugins/outputs/redis/index.js';
import { makeOutput } from '../../../helpers/harness.js';

test('keys: the first rule whose condition matches names the key; mappings map a rendered key (default when unmapped); else key', async () => {
  const out = await makeOutput(redisOutput, {
    data_type: 'list',
    key: 'other-%{[fields][app]}',
    keys: [
      { key: 'errors', when: { contains: { message: 'ERROR' } } },
      { key: '%{[fields][app]}', mappings: { web: 'frontend', nginx: 'frontend' } },
      { key: '%{[fields][app]}', when: { equals: { 'fields.tier': 'db' } }, mappings: { pg: 'sql' }, default: 'databases' },
    ],
  });
  const chunks = out.encode([
    { message: 'an ERROR', fields: { app: 'web' } },
    { message: 'ok', fields: { app: 'web' } },
    { message: 'ok', fields: { app: 'nginx' } },
    { message: 'ok', fields: { app: 'mysql', tier: 'db' } },
    { message: 'ok', fields: { app: 'pg', tier: 'db' } },
    { message: 'ok', fields: { app: 'cron' } },
  ]) as KeyChunk[];
  const keyOf = new Map<number, string>();
  for (const c of chunks) for (const p of c.positions) keyOf.set(p, c.key);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => keyOf.get(i)), ['errors', 'frontend', 'frontend', 'databases', 'sql', 'other-cron']);
  await out.sink.close?.();
});

test('keys: a bad condition is a configuration error', async () => {
  await assert.rejects(makeOutput(redisOutput, { data_type: 'list', key: 'k', keys: [{ key: 'x', when: { bogus: {} } }] }), /unknown condition "bogus"/);
});
