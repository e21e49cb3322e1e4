import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFilter } from '../../../helpers/harness.js';
import { PrivateDnsmasq } from '../../../helpers/dnsmasq.js';
import { dnsFilter } from '../../../../src/plugins/filters/dns/index.js';

let dns: PrivateDnsmasq;
before(async () => {
  dns = await PrivateDnsmasq.start('10.1.2.3 web.corp.test web\n10.1.2.4 db.corp.test\nfd00::5 v6only.corp.test\n');
});
after(() => dns.stop());

test('dns: resolve appends the address (or replaces the name); reverse gives the name', async () => {
  const append = await makeFilter(dnsFilter, { resolve: ['host'], nameserver: [dns.address], add_tag: ['resolved'] });
  const [a] = await append.one({ host: 'web.corp.test' });
  assert.deepEqual(a!.get('host'), ['web.corp.test', '10.1.2.3']);
  assert.deepEqual(a!.get('tags'), ['resolved']);
  const replace = await makeFilter(dnsFilter, { resolve: ['host'], reverse: ['ip'], action: 'replace', nameserver: { address: [dns.address] } });
  const [r] = await replace.one({ host: 'db.corp.test', ip: '10.1.2.3' });
  assert.equal(r!.get('host'), '10.1.2.4');
  assert.equal(r!.get('ip'), 'web.corp.test');
  const [six] = await replace.one({ host: 'v6only.corp.test' });
  assert.equal(six!.get('host'), 'fd00::5', 'no A record: the AAAA one');
});

test('dns: search domains for short names', async () => {
  const f = await makeFilter(dnsFilter, { resolve: ['h'], action: 'replace', nameserver: { address: [dns.address], search: ['corp.test'] } });
  assert.equal((await f.one({ h: 'web' }))[0]!.get('h'), '10.1.2.3');
});

test('dns: no answer leaves the field and skips decorations; lists and non-addresses are skipped', async () => {
  const f = await makeFilter(dnsFilter, { resolve: ['host'], reverse: ['ip'], action: 'replace', nameserver: [dns.address], add_tag: ['ok'] });
  const out = await f.run([{ host: 'nope.corp.test' }, { ip: '10.9.9.9' }, { ip: 'not-an-ip' }, { host: ['web.corp.test', 'db.corp.test'] }]);
  assert.equal(out[0]!.get('host'), 'nope.corp.test');
  assert.equal(out[1]!.get('ip'), '10.9.9.9');
  assert.equal(out[2]!.get('ip'), 'not-an-ip');
  assert.deepEqual(out[3]!.get('host'), ['web.corp.test', 'db.corp.test']);
  assert.ok(out.every((e) => e.get('tags') === undefined));
});

test('dns: a server that never answers tags _dnstimeout after timeout × tries', async () => {
  const silent: Socket = createSocket('udp4');
  await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
  try {
    const f = await makeFilter(dnsFilter, { resolve: ['host'], nameserver: [`127.0.0.1:${silent.address().port}`], timeout: 0.2, max_retries: 1 });
    const t = Date.now();
    const [e] = await f.one({ host: 'web.corp.test' });
    assert.deepEqual(e!.get('tags'), ['_dnstimeout']);
    assert.equal(e!.get('host'), 'web.corp.test');
    assert.ok(Date.now() - t < 3000, 'bounded by the timeout');
  } finally {
    silent.close();
  }
});

test('dns: hostsfile answers first; hit and failure caches hold answers for their TTL', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-dns-'));
  const hosts = join(dir, 'hosts');
  writeFileSync(hosts, '# local overrides\n192.0.2.10  web.corp.test\n');
  const f = await makeFilter(dnsFilter, { resolve: ['host'], action: 'replace', nameserver: [dns.address], hostsfile: [hosts] });
  assert.equal((await f.one({ host: 'web.corp.test' }))[0]!.get('host'), '192.0.2.10');
  // A cached answer survives the server going away.
  const local = await PrivateDnsmasq.start('10.7.7.7 cached.corp.test\n');
  const cached = await makeFilter(dnsFilter, { resolve: ['host'], action: 'replace', nameserver: [local.address], hit_cache_size: 10, hit_cache_ttl: 60, timeout: 0.2, max_retries: 0 });
  assert.equal((await cached.one({ host: 'cached.corp.test' }))[0]!.get('host'), '10.7.7.7');
  await local.stop();
  assert.equal((await cached.one({ host: 'cached.corp.test' }))[0]!.get('host'), '10.7.7.7', 'from the cache');
  assert.deepEqual((await cached.one({ host: 'other.corp.test' }))[0]!.get('tags'), ['_dnstimeout'], 'not cached: the server is gone');
});

test('dns: a nameserver that is not an address is refused at start', async () => {
  await assert.rejects(makeFilter(dnsFilter, { resolve: ['h'], nameserver: ['dns.example.com'] }), /not an IP address/);
});
