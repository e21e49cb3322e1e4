import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { domainParts, tldFilter } from '../../../../src/plugins/filters/tld/index.js';

test('tld: parts of names under ICANN and private suffixes', () => {
  assert.deepEqual(domainParts('www.google.com'), { tld: 'com', sld: 'google', trd: 'www', domain: 'google.com', subdomain: 'www.google.com', top_level_domain: 'com' });
  assert.deepEqual(domainParts('a.b.example.co.uk'), { tld: 'co.uk', sld: 'example', trd: 'a.b', domain: 'example.co.uk', subdomain: 'a.b.example.co.uk', top_level_domain: 'co.uk' });
  assert.deepEqual(domainParts('google.com'), { tld: 'com', sld: 'google', trd: null, domain: 'google.com', subdomain: null, top_level_domain: 'com' });
  assert.equal(domainParts('user.github.io')?.tld, 'github.io');
});

test('tld: unknown suffixes, IP addresses and bare suffixes do not match', () => {
  for (const name of ['foo.notarealtld', '192.168.0.1', 'com', 'localhost', '']) assert.equal(domainParts(name), undefined, name);
});

test('tld: the filter sets the target hash and applies decorations only on a match', async () => {
  const f = await makeFilter(tldFilter, { source: 'host', add_tag: ['tld'] });
  const [ok] = await f.one({ host: 'Mail.Example.ORG' });
  assert.equal(ok!.get('[tld][domain]'), 'example.org');
  assert.equal(ok!.get('[tld][trd]'), 'mail');
  assert.deepEqual(ok!.get('tags'), ['tld']);
  const [no] = await f.one({ host: '10.0.0.1' });
  assert.equal(no!.get('tld'), undefined);
  assert.equal(no!.get('tags'), undefined);
  const g = await makeFilter(tldFilter, {});
  assert.equal((await g.one({ message: 'www.bbc.co.uk' }))[0]!.get('[tld][sld]'), 'bbc');
});
