import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { PrivateMemcached } from '../../../helpers/memcached.js';
import { freePort } from '../../../helpers/ports.js';
import { memcachedFilter } from '../../../../src/plugins/filters/memcached/index.js';

let server: PrivateMemcached;
before(async () => {
  server = await PrivateMemcached.start();
});
after(() => server.stop());

test('memcached: get reads values another application stored (text protocol), by sprintf keys', async () => {
  await server.command('set user:42 0 0 5\r\nalice\r\n');
  const f = await makeFilter(memcachedFilter, { hosts: [server.address], get: { 'user:%{uid}': '[user][name]' }, add_tag: ['enriched'] });
  const [hit, miss] = await f.run([{ uid: 42 }, { uid: 7 }]);
  assert.equal(hit!.get('[user][name]'), 'alice');
  assert.deepEqual(hit!.get('tags'), ['enriched']);
  assert.equal(miss!.get('[user][name]'), undefined);
  assert.equal(miss!.get('tags'), undefined, 'nothing found: no decorations');
});

test('memcached: set writes fields (hashes as JSON) under the namespace; get reads them back', async () => {
  const writer = await makeFilter(memcachedFilter, { hosts: [server.address], namespace: 'lp', set: { ip: 'last_ip:%{user}', geo: 'geo:%{user}' } });
  await writer.one({ user: 'bob', ip: '10.0.0.9', geo: { country: 'FR' } });
  assert.match(await server.command('get lp:last_ip:bob\r\n'), /\r\n10\.0\.0\.9\r\nEND/);
  const reader = await makeFilter(memcachedFilter, { hosts: [server.address], namespace: 'lp', get: { 'geo:%{user}': 'geo_json' } });
  assert.equal((await reader.one({ user: 'bob' }))[0]!.get('geo_json'), '{"country":"FR"}');
});

test('memcached: ttl makes set values expire', async () => {
  const f = await makeFilter(memcachedFilter, { hosts: [server.address], set: { v: 'short:%{k}' }, ttl: 1 });
  await f.one({ k: 'a', v: 'x' });
  assert.match(await server.command('get short:a\r\n'), /\r\nx\r\nEND/);
  await new Promise((r) => setTimeout(r, 2100));
  assert.equal(await server.command('get short:a\r\n'), 'END\r\n');
});

test('memcached: an unreachable server tags _memcached_failure and every event still passes', async () => {
  const port = await freePort();
  const f = await makeFilter(memcachedFilter, { hosts: [`127.0.0.1:${port}`], get: { k: 'v' }, timeout: 0.2 });
  const out = await f.run([{ n: 1 }, { n: 2 }]);
  assert.equal(out.length, 2);
  assert.ok(out.every((e) => (e.get('tags') as string[]).includes('_memcached_failure')));
});

test('memcached: needs get or set; bad hosts are refused', async () => {
  await assert.rejects(makeFilter(memcachedFilter, { hosts: [server.address] }), /set get or set/);
  await assert.rejects(makeFilter(memcachedFilter, { hosts: ['a:b:c'], get: { k: 'v' } }), /not host or host:port/);
});
