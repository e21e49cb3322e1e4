import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFilter } from '../../../helpers/harness.js';
import { cidrFilter } from '../../../../src/plugins/filters/cidr/index.js';
import { networkList } from '../../../../src/plugins/filters/cidr/networks.js';

test('cidr: IPv4 and IPv6 blocks and single addresses', () => {
  const list = networkList(['192.168.0.0/16', '10.1.2.3', '2001:db8::/32', '::1']);
  assert.ok(list.contains('192.168.44.1'));
  assert.ok(!list.contains('192.169.0.1'));
  assert.ok(list.contains('10.1.2.3'));
  assert.ok(!list.contains('10.1.2.4'));
  assert.ok(list.contains('2001:db8:1::5'));
  assert.ok(!list.contains('2001:db9::1'));
  assert.ok(list.contains('::1'));
  assert.ok(!list.contains('not an ip'));
  assert.throws(() => networkList(['300.1.1.1/8']), /not an IP address/);
  assert.throws(() => networkList(['10.0.0.0/33']), /prefix length/);
});

test('cidr: decorations apply when any address is in any network', async () => {
  const f = await makeFilter(cidrFilter, { address: ['%{src}', '%{dst}'], network: ['10.0.0.0/8', 'fe80::/10'], add_tag: ['internal'] });
  const out = await f.run([
    { src: '8.8.8.8', dst: '10.9.9.9' },
    { src: '8.8.8.8', dst: '1.1.1.1' },
    { src: 'fe80::1', dst: 'garbage' },
    { dst: '1.1.1.1' },
  ]);
  assert.deepEqual(out.map((e) => e.get('tags') ?? []), [['internal'], [], ['internal'], []]);
});

test('cidr: networks from a field of the event', async () => {
  const f = await makeFilter(cidrFilter, { address: ['%{ip}'], network: ['%{net}'], add_field: { matched: 'yes' } });
  const [a, b, c] = await f.run([{ ip: '172.16.5.4', net: '172.16.0.0/12' }, { ip: '172.15.5.4', net: '172.16.0.0/12' }, { ip: '1.2.3.4', net: 'bad' }]);
  assert.equal(a!.get('matched'), 'yes');
  assert.equal(b!.get('matched'), undefined);
  assert.equal(c!.get('matched'), undefined);
});

test('cidr: network_path is read, and re-read after refresh_interval when it changed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-cidr-'));
  const path = join(dir, 'nets.txt');
  writeFileSync(path, '# office\n10.0.0.0/8\n\n192.168.1.0/24\n');
  const f = await makeFilter(cidrFilter, { address: ['%{ip}'], network_path: path, refresh_interval: 0, add_tag: ['known'] });
  assert.deepEqual((await f.one({ ip: '192.168.1.7' }))[0]!.get('tags'), ['known']);
  assert.equal((await f.one({ ip: '172.16.0.1' }))[0]!.get('tags'), undefined);
  writeFileSync(path, '172.16.0.0/12\n');
  utimesSync(path, new Date(), new Date(Date.now() + 5000));
  assert.deepEqual((await f.one({ ip: '172.16.0.1' }))[0]!.get('tags'), ['known']);
  assert.equal((await f.one({ ip: '192.168.1.7' }))[0]!.get('tags'), undefined);
});

test('cidr: an invalid network or both network and network_path are refused at start', async () => {
  await assert.rejects(makeFilter(cidrFilter, { address: ['%{ip}'], network: ['10.0.0.0/40'] }), /prefix length/);
  await assert.rejects(makeFilter(cidrFilter, { address: ['%{ip}'], network: ['10.0.0.0/8'], network_path: '/tmp/x' }), /cannot be used together/);
});
