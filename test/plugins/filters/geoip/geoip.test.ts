import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Reader, type CityResponse, type CountryResponse } from 'maxmind';
import { makeFilter } from '../../../helpers/harness.js';
import { geoipFilter } from '../../../../src/plugins/filters/geoip/index.js';
import { ConfigError } from '../../../../src/core/errors.js';

// Expected values come from reading the shipped database directly, not from the filter.
const dbDir = dirname(createRequire(import.meta.url).resolve('geoip-database/package.json'));
const city = new Reader<CityResponse>(readFileSync(join(dbDir, 'GeoLite2-City.mmdb')));
const country = new Reader<CountryResponse>(readFileSync(join(dbDir, 'GeoLite2-Country.mmdb')));
const rec = (ip: string): CityResponse => {
  const r = city.get(ip);
  assert.ok(r, `${ip} must be in the shipped database for this test`);
  return r;
};
const lastSub = (r: CityResponse) => r.subdivisions?.[r.subdivisions.length - 1];

test('geoip: the seed config (fields city_name, region_name, latitude, longitude) on a GB address', async () => {
  const f = await makeFilter(geoipFilter, { source: 'ip', target: 'geoip', fields: ['city_name', 'region_name', 'latitude', 'longitude'] });
  const r = rec('81.2.69.142');
  const [e] = await f.one({ ip: '81.2.69.142' });
  const geo = e!.get('geoip') as Record<string, unknown>;
  const expected: Record<string, unknown> = {
    city_name: r.city?.names.en,
    region_name: lastSub(r)?.names.en,
    latitude: r.location?.latitude,
    longitude: r.location?.longitude,
  };
  for (const k of Object.keys(expected)) if (expected[k] === undefined) delete expected[k];
  assert.ok(Object.keys(expected).length >= 3);
  assert.deepEqual(geo, expected);
  assert.equal(e!.hasTag('_geoip_lookup_failure'), false);
});

test('geoip: default legacy fields for 8.8.8.8 and 1.1.1.1', async () => {
  const f = await makeFilter(geoipFilter, { source: 'ip', add_tag: ['geo_ok'] });
  for (const ip of ['8.8.8.8', '1.1.1.1', '24.24.24.24']) {
    const r = rec(ip);
    const [e] = await f.one({ ip });
    assert.ok(e!.hasTag('geo_ok'));
    assert.equal(e!.get('[geoip][ip]'), ip);
    assert.equal(e!.get('[geoip][country_code2]'), r.country?.iso_code);
    assert.equal(e!.get('[geoip][country_code3]'), r.country?.iso_code, 'Logstash puts the 2-letter code in country_code3 for GeoLite2');
    assert.equal(e!.get('[geoip][country_name]'), r.country?.names.en);
    assert.equal(e!.get('[geoip][continent_code]'), r.continent?.code);
    assert.equal(e!.get('[geoip][timezone]'), r.location?.time_zone);
    assert.deepEqual(e!.get('[geoip][location]'), { lat: r.location!.latitude, lon: r.location!.longitude });
    assert.equal(e!.get('[geoip][latitude]'), r.location!.latitude);
    assert.equal(e!.get('[geoip][longitude]'), r.location!.longitude);
    assert.equal(e!.get('[geoip][city_name]'), r.city?.names.en);
    assert.equal(e!.get('[geoip][postal_code]'), r.postal?.code);
    assert.equal(e!.get('[geoip][region_code]'), lastSub(r)?.iso_code);
    assert.equal(e!.get('[geoip][dma_code]'), r.location?.metro_code);
    assert.equal(e!.has('[geoip][continent_name]'), false, 'continent_name is not a City default');
    assert.equal(e!.has('[geoip][region_iso_code]'), false, 'legacy layout uses region_code');
  }
});

test('geoip: ECS layout under the parent of [client][ip]', async () => {
  const f = await makeFilter(geoipFilter, { source: '[client][ip]' }, { ecs: 'v8' });
  const ip = '81.2.69.142';
  const r = rec(ip);
  const [e] = await f.one({ client: { ip } });
  assert.equal(e!.get('[client][ip]'), ip);
  assert.equal(e!.get('[client][geo][country_iso_code]'), r.country?.iso_code);
  assert.equal(e!.get('[client][geo][city_name]'), r.city?.names.en);
  assert.equal(e!.get('[client][geo][region_iso_code]'), `${r.country?.iso_code}-${lastSub(r)?.iso_code}`);
  assert.equal(e!.get('[client][geo][region_name]'), lastSub(r)?.names.en);
  assert.equal(e!.get('[client][geo][postal_code]'), r.postal?.code);
  assert.equal(e!.get('[client][geo][timezone]'), r.location?.time_zone);
  assert.deepEqual(e!.get('[client][geo][location]'), { lat: r.location!.latitude, lon: r.location!.longitude });
  assert.equal(e!.has('[client][geo][country_code3]'), false);
  assert.equal(e!.has('[client][country_code3]'), false);
  assert.equal(e!.has('geoip'), false);
});

test('geoip: ECS mode without an [ip] source needs a target', async () => {
  await assert.rejects(makeFilter(geoipFilter, { source: 'clientip' }, { ecs: 'v1' }), (e: unknown) => e instanceof ConfigError && /target/.test(e.message));
  const f = await makeFilter(geoipFilter, { source: 'clientip', target: 'source' }, { ecs: 'v1' });
  const [e] = await f.one({ clientip: '8.8.8.8' });
  assert.equal(e!.get('[source][geo][country_iso_code]'), rec('8.8.8.8').country?.iso_code);
});

test('geoip: private, reserved and invalid addresses are tagged, never thrown', async () => {
  const f = await makeFilter(geoipFilter, { source: 'ip', add_tag: ['geo_ok'] });
  for (const ip of ['10.0.0.1', '192.168.1.1', '127.0.0.1', 'not-an-ip', '999.1.1.1', 'fe80::1']) {
    const [e] = await f.one({ ip });
    assert.ok(e!.hasTag('_geoip_lookup_failure'), ip);
    assert.equal(e!.hasTag('geo_ok'), false, ip);
    // Logstash leaves an empty target behind on a failed lookup.
    assert.deepEqual(e!.get('geoip'), {}, ip);
  }
  for (const input of [{ ip: '' }, { ip: 42 }, { other: 1 }, { ip: null }, { ip: { a: 1 } }]) {
    const [e] = await f.one(input);
    assert.ok(e!.hasTag('_geoip_lookup_failure'), JSON.stringify(input));
    assert.equal(e!.has('geoip'), false);
  }
});

test('geoip: custom tag_on_failure', async () => {
  const f = await makeFilter(geoipFilter, { source: 'ip', tag_on_failure: ['nogeo', 'x'] });
  const [e] = await f.one({ ip: '10.1.2.3' });
  assert.deepEqual(e!.tags, ['nogeo', 'x']);
});

test('geoip: IPv6 lookup', async () => {
  const ip = '2001:4860:4860::8888';
  const r = rec(ip);
  const f = await makeFilter(geoipFilter, { source: 'ip' });
  const [e] = await f.one({ ip });
  assert.equal(e!.get('[geoip][country_code2]'), r.country?.iso_code);
  assert.deepEqual(e!.get('[geoip][location]'), { lat: r.location!.latitude, lon: r.location!.longitude });
});

test('geoip: only the first element of an array source is used', async () => {
  const f = await makeFilter(geoipFilter, { source: 'ip', fields: ['country_code2'] });
  const [a] = await f.one({ ip: ['1.1.1.1', '8.8.8.8'] });
  assert.equal(a!.get('[geoip][country_code2]'), rec('1.1.1.1').country?.iso_code);
  const [b] = await f.one({ ip: ['10.0.0.1', '8.8.8.8'] });
  assert.ok(b!.hasTag('_geoip_lookup_failure'));
});

test('geoip: cached results are not shared between events', async () => {
  const f = await makeFilter(geoipFilter, { source: 'ip', cache_size: 2 });
  const [a, b] = await f.run([{ ip: '8.8.8.8' }, { ip: '8.8.8.8' }]);
  (a!.get('[geoip][location]') as Record<string, number>)['lat'] = 0;
  const r = rec('8.8.8.8');
  assert.equal(b!.get('[geoip][location][lat]'), r.location!.latitude);
  // Eviction churn keeps results right.
  const out = await f.run(['1.1.1.1', '8.8.8.8', '81.2.69.142', '1.1.1.1', '10.0.0.1', '8.8.8.8'].map((ip) => ({ ip })));
  for (const e of out) {
    const ip = e.get('ip') as string;
    const expected = city.get(ip)?.country?.iso_code;
    assert.equal(e.get('[geoip][country_code2]'), expected, ip);
  }
});

test('geoip: an existing target keeps its other fields', async () => {
  const f = await makeFilter(geoipFilter, { source: 'ip', fields: ['country_code2'] });
  const [e] = await f.one({ ip: '8.8.8.8', geoip: { note: 'kept' } });
  assert.equal(e!.get('[geoip][note]'), 'kept');
  assert.equal(e!.get('[geoip][country_code2]'), rec('8.8.8.8').country?.iso_code);
});

test('geoip: a Country database given with `database`', async () => {
  const f = await makeFilter(geoipFilter, { source: 'ip', database: join(dbDir, 'GeoLite2-Country.mmdb') });
  const r = country.get('81.2.69.142')!;
  const [e] = await f.one({ ip: '81.2.69.142' });
  assert.deepEqual(e!.get('geoip'), {
    ip: '81.2.69.142',
    country_code2: r.country?.iso_code,
    country_name: r.country?.names.en,
    continent_name: r.continent?.names.en,
  });
});

test('geoip: configuration errors', async () => {
  await assert.rejects(makeFilter(geoipFilter, { source: 'ip', default_database_type: 'ASN' }),
    (e: unknown) => e instanceof ConfigError && /ASN/.test(e.message) && /database/.test(e.message));
  await assert.rejects(makeFilter(geoipFilter, { source: 'ip', fields: ['city_name', 'galaxy'] }),
    (e: unknown) => e instanceof ConfigError && /galaxy/.test(e.message));
  await assert.rejects(makeFilter(geoipFilter, { source: 'ip', database: '/nonexistent/x.mmdb' }),
    (e: unknown) => e instanceof ConfigError && /nonexistent/.test(e.message));
  await assert.rejects(makeFilter(geoipFilter, { source: 'ip', database: new URL(import.meta.url).pathname }),
    (e: unknown) => e instanceof ConfigError && /not a valid MaxMind/.test(e.message));
  await assert.rejects(makeFilter(geoipFilter, { target: 'x' }), /source/);
});

test('geoip: results cached per /24 stay exact where the database splits a /24 into smaller networks', async () => {
  // 50.74.0.0/24 holds networks of /29 and /30 with different cities; 8.8.8.0/24 is one network.
  const ips = [...Array.from({ length: 256 }, (_, d) => `50.74.0.${d}`), ...Array.from({ length: 16 }, (_, d) => `8.8.8.${d * 16}`)];
  assert.ok(new Set(ips.slice(0, 256).map((ip) => city.get(ip)?.city?.names.en)).size > 3, 'the /24 really is split');
  for (const cacheSize of [1000, 3]) {
    const f = await makeFilter(geoipFilter, { source: 'ip', cache_size: cacheSize });
    // Twice, so the second pass is served from the caches.
    const out = await f.run([...ips, ...ips].map((ip) => ({ ip })));
    assert.equal(out.length, ips.length * 2);
    for (const e of out) {
      const ip = e.get('ip') as string;
      const r = city.get(ip);
      assert.equal(e.get('[geoip][ip]'), ip);
      if (!r?.location) {
        assert.ok(e.hasTag('_geoip_lookup_failure'), ip);
        continue;
      }
      assert.equal(e.get('[geoip][city_name]'), r.city?.names.en, `${ip} (cache_size ${cacheSize})`);
      assert.equal(e.get('[geoip][latitude]'), r.location.latitude, ip);
      assert.deepEqual(e.get('[geoip][location]'), { lat: r.location.latitude, lon: r.location.longitude }, ip);
    }
  }
});
