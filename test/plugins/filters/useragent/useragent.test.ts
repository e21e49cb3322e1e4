import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { useragentFilter } from '../../../../src/plugins/filters/useragent/index.js';
import { ConfigError } from '../../../../src/core/errors.js';

const FIREFOX_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.11; rv:45.0) Gecko/20100101 Firefox/45.0';
const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux i686) AppleWebKit/537.31 (KHTML, like Gecko) Chrome/26.0.1410.63 Safari/537.31';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 9_3_2 like Mac OS X) AppleWebKit/601.1.46 (KHTML, like Gecko) Version/9.0 Mobile/13F69 Safari/601.1';
const CHROME_ANDROID = 'Mozilla/5.0 (Linux; Android 13; SM-S901B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Mobile Safari/537.36';

test('useragent: legacy layout at the root (the Logstash docs example)', async () => {
  const f = await makeFilter(useragentFilter, { source: 'message', add_tag: ['ua'] });
  const [e] = await f.one({ message: FIREFOX_MAC });
  assert.equal(e!.get('name'), 'Firefox');
  assert.equal(e!.get('version'), '45.0');
  assert.equal(e!.get('major'), '45');
  assert.equal(e!.get('minor'), '0');
  assert.equal(e!.has('patch'), false);
  assert.equal(e!.get('os_name'), 'Mac OS X');
  assert.equal(e!.get('os'), 'Mac OS X');
  assert.equal(e!.get('os_version'), '10.11');
  assert.equal(e!.get('os_full'), 'Mac OS X 10.11');
  assert.equal(e!.get('os_major'), '10');
  assert.equal(e!.get('os_minor'), '11');
  assert.equal(e!.get('device'), 'Mac');
  assert.ok(e!.hasTag('ua'));
});

test('useragent: legacy layout with target and prefix; four-part versions', async () => {
  const f = await makeFilter(useragentFilter, { source: 'agent', target: 'ua', prefix: 'ua_' });
  const [e] = await f.one({ agent: CHROME_LINUX });
  assert.equal(e!.get('[ua][ua_name]'), 'Chrome');
  assert.equal(e!.get('[ua][ua_version]'), '26.0.1410.63');
  assert.equal(e!.get('[ua][ua_major]'), '26');
  assert.equal(e!.get('[ua][ua_minor]'), '0');
  assert.equal(e!.get('[ua][ua_patch]'), '1410');
  assert.equal(e!.get('[ua][ua_os_name]'), 'Linux');
  assert.equal(e!.get('[ua][ua_os_full]'), 'Linux', 'the CPU is not an OS version');
  assert.equal(e!.has('[ua][ua_os_version]'), false);
  assert.equal(e!.get('[ua][ua_device]'), 'Other');
  assert.equal(e!.get('agent'), CHROME_LINUX);
});

test('useragent: ECS layout with version parts in @metadata', async () => {
  const f = await makeFilter(useragentFilter, { source: '[user_agent][original]' }, { ecs: 'v8' });
  const [e] = await f.one({ user_agent: { original: SAFARI_IPHONE } });
  assert.equal(e!.get('[user_agent][original]'), SAFARI_IPHONE);
  assert.equal(e!.get('[user_agent][name]'), 'Mobile Safari');
  assert.equal(e!.get('[user_agent][version]'), '9.0');
  assert.equal(e!.get('[user_agent][os][name]'), 'iOS');
  assert.equal(e!.get('[user_agent][os][version]'), '9.3.2');
  assert.equal(e!.get('[user_agent][os][full]'), 'iOS 9.3.2');
  assert.equal(e!.get('[user_agent][device][name]'), 'iPhone');
  assert.equal(e!.get('[@metadata][filter][user_agent][version][major]'), '9');
  assert.equal(e!.get('[@metadata][filter][user_agent][os][version][patch]'), '2');
  assert.equal(e!.has('[user_agent][major]'), false);
  assert.equal(e!.has('name'), false);
});

test('useragent: Android device names carry the vendor', async () => {
  const f = await makeFilter(useragentFilter, { source: 'a', target: 'ua' }, { ecs: 'v1' });
  const [e] = await f.one({ a: CHROME_ANDROID });
  assert.equal(e!.get('[ua][name]'), 'Chrome Mobile');
  assert.equal(e!.get('[ua][os][name]'), 'Android');
  assert.equal(e!.get('[ua][os][version]'), '13');
  assert.equal(e!.get('[ua][device][name]'), 'Samsung SM-S901B');
});

test('useragent: bots and command-line clients are recognised; junk becomes Other', async () => {
  const f = await makeFilter(useragentFilter, { source: 'a', target: 'ua' });
  const [curl, bot, junk] = await f.run([{ a: 'curl/7.68.0' }, { a: 'Googlebot/2.1 (+http://www.google.com/bot.html)' }, { a: 'xyzzy' }]);
  assert.equal(curl!.get('[ua][name]'), 'curl');
  assert.equal(curl!.get('[ua][major]'), '7');
  assert.equal(bot!.get('[ua][name]'), 'Googlebot');
  assert.deepEqual(junk!.get('ua'), { name: 'Other', device: 'Other', os_name: 'Other', os: 'Other', os_full: 'Other' });
});

test('useragent: missing or empty source does nothing; arrays use the first element', async () => {
  const f = await makeFilter(useragentFilter, { source: 'a', target: 'ua', add_tag: ['ua'] });
  const [none, empty, arr] = await f.run([{ b: 1 }, { a: '' }, { a: [FIREFOX_MAC, CHROME_LINUX] }]);
  assert.equal(none!.has('ua'), false);
  assert.equal(none!.hasTag('ua'), false);
  assert.equal(empty!.has('ua'), false);
  assert.equal(arr!.get('[ua][name]'), 'Firefox');
});

test('useragent: target equal to source replaces it; cache results stay correct', async () => {
  const f = await makeFilter(useragentFilter, { source: 'ua', target: 'ua', lru_cache_size: 1 });
  const out = await f.run([FIREFOX_MAC, CHROME_LINUX, FIREFOX_MAC, FIREFOX_MAC].map((ua) => ({ ua })));
  assert.deepEqual(out.map((e) => e.get('[ua][name]')), ['Firefox', 'Chrome', 'Firefox', 'Firefox']);
  assert.equal(typeof out[0]!.get('ua'), 'object');
});

test('useragent: regexes is refused with a hint', async () => {
  await assert.rejects(makeFilter(useragentFilter, { source: 'a', regexes: '/etc/regexes.yaml' }),
    (e: unknown) => e instanceof ConfigError && /regexes/.test(e.message) && e.hint !== undefined);
});
