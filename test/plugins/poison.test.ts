/**
 * Every built-in filter and codec against events of odd shapes. Nothing may throw out of a
 * filter step or a decode, and the healthy events mixed in with the poison must come out.
 * A plugin added to the registry is picked up here automatically (give it settings below if
 * its required options or its interesting paths need them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../../src/core/event.js';
import type { ConfigValue } from '../../src/config/values.js';
import type { BinaryCodec, FilterDefinition } from '../../src/plugins/api.js';
import { builtinRegistry } from '../../src/plugins/builtins.js';
import { encodeText } from '../../src/plugins/outputs/encoding.js';
import { makeCodec, makeFilter, settingsOf } from '../helpers/harness.js';
import { nested, nestedText } from '../helpers/deep.js';

/** Settings that make each filter do its work on `message` (required options included). */
const FILTER_SETTINGS: Record<string, Record<string, ConfigValue>> = {
  clone: { clones: ['copy'] },
  grok: { match: { message: '%{WORD:w} %{NUMBER:n}' } },
  geoip: { source: 'message' },
  useragent: { source: 'message' },
  js: { code: "event.set('len', String(event.get('message')).length)" },
  ruby: { code: "event.set('len', event.get('message').to_s.length)" },
  aggregate: { task_id: '%{message}', code: "map['n'] = (map['n'] || 0) + 1; event.set('n', map['n'])" },
  multiline: { pattern: '^\\s', what: 'next' },
  translate: { source: 'message', dictionary: { hello: 'bonjour' } },
  date: { match: ['message', 'ISO8601', 'dd/MMM/yyyy:HH:mm:ss Z'] },
  uuid: { target: 'uuid' },
  fingerprint: { source: ['message', 'other'], concatenate_sources: true },
  mutate: {
    add_field: { '%{message}': 'x' },
    rename: { other: '[a][b]' },
    gsub: ['message', 'l', 'L'],
    convert: { n: 'integer' },
    lowercase: ['message'],
    split: { message: ' ' },
  },
  json: { source: 'message' },
  kv: {},
  dissect: { mapping: { message: '%{a} %{b}' } },
  csv: {},
  split: {},
  truncate: { length_bytes: 5 },
  urldecode: {},
  prune: {},
  dedup: {},
  drop: {},
  beats_add_fields: { fields: { a: { b: 1 } }, target: '' },
  beats_add_tags: { tags: ['t'] },
  beats_drop_fields: { fields: ['other', 'message.nested'], ignore_missing: true },
  beats_include_fields: { fields: ['message', 'healthy', 'other.self'] },
  beats_drop_event: { when: { or: [{ equals: { message: 'drop me' } }, { range: { 'n.gt': 5 } }, { regexp: { message: '^zzz' } }] } },
  beats_rename: { fields: [{ from: 'other', to: 'renamed.x' }, { from: 'a]b', to: 'ab' }], ignore_missing: true, fail_on_error: true },
  beats_decode_json_fields: { fields: ['message', 'other'], max_depth: 3, add_error_key: true, process_array: true },
  beats_dissect: { tokenizer: '%{a} %{b}' },
  beats_add_host_metadata: { netinfo_enabled: false },
  syslog_pri: { syslog_pri_field_name: 'message' },
  bytes: { source: 'message', target: 'size' },
  de_dot: { recursive: true },
  json_encode: { source: 'message', target: 'json' },
  age: {},
  environment: { add_metadata_from_env: { home: 'HOME' } },
  sleep: { time: '0' },
  cidr: { address: ['%{message}', '%{other}'], network: ['10.0.0.0/8', '::1'] },
  tld: { source: 'message' },
  throttle: { key: '%{message}', after_count: 1 },
  elapsed: { start_tag: 'start', end_tag: 'end', unique_id_field: 'message' },
  metrics: { meter: ['%{message}'], timer: { t: '%{n}' } },
  xml: { source: 'message', target: 'doc', xpath: { '/a/text()': 'a' } },
  // Servers that do not answer: every event tagged, none lost.
  dns: { resolve: ['message'], reverse: ['other'], nameserver: ['127.0.0.1:9'], timeout: 0.05, max_retries: 0 },
  memcached: { hosts: ['127.0.0.1:9'], get: { '%{message}': 'cached' }, set: { other: 'o:%{message}' }, timeout: 0.05 },
  http: { url: 'http://127.0.0.1:9/%{message}', connect_timeout: 1, request_timeout: 1 },
  jdbc_streaming: { jdbc_connection_string: 'jdbc:sqlite::memory:', statement: 'SELECT :m AS m', parameters: { m: 'message' }, target: 'rows' },
  jdbc_static: {
    jdbc_connection_string: 'jdbc:sqlite::memory:',
    loaders: [{ query: "SELECT 'hello 1' AS k, 'v' AS v", local_table: 'kv' }],
    local_db_objects: [{ name: 'kv', columns: [['k', 'TEXT'], ['v', 'TEXT']] }],
    local_lookups: [
      { id: 'by_field', query: 'SELECT v FROM kv WHERE k = :m', parameters: { m: 'message' } },
      { id: 'by_template', query: 'SELECT v FROM kv WHERE k = :m', parameters: { m: '%{other}' }, default_hash: { v: 'none' } },
    ],
  },
  elasticsearch: { hosts: ['127.0.0.1:9'], query: 'message:%{message} AND other:%{other}', fields: { a: 'b' }, timeout: 1 },
};

/** Filters whose job is to remove events: only "nothing throws" applies to them. */
const REMOVES_EVENTS = new Set(['drop']);

const HUGE = 'x'.repeat(1 << 20);

/** Fresh poison each time: filters change events in place. */
function poison(): Event[] {
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  const shapes: Record<string, unknown>[] = [
    {},
    { message: null },
    { message: 42 },
    { message: ['hello', 42, null] },
    { message: { nested: { deeper: [1, { x: 'y' }] } } },
    { message: 'a]b', 'a]b': 'x', other: '[[x' },
    { message: '%{a]b} [unclosed', n: 'not a number' },
    { message: nested(100_000) },
    { message: 'ok', other: nested(100_000) },
    { message: '\uFFFD\uFFFD bad bytes \uD800 lone surrogate' },
    { message: HUGE, other: HUGE },
    { message: 'x', tags: 'a string' },
    { message: 'x', tags: { not: 'a list' } },
    { message: 'x', other: cyclic },
    { message: 'x', n: 10n },
  ];
  return shapes.map((s) => new Event(s));
}

const healthy = (i: number): Event => new Event({ message: `hello ${i}`, healthy: i, other: 'fine' });

for (const def of builtinRegistry().all()) {
  if (def.kind !== 'filter') continue;
  const settings = FILTER_SETTINGS[def.name];
  test(`poison: filter ${def.name}`, async () => {
    assert.ok(settings, `give filter ${def.name} settings in FILTER_SETTINGS`);
    const filter = await makeFilter(def as FilterDefinition, settings);
    // Healthy events between the poison ones, in one batch, as a worker would see them.
    const batch: Event[] = [];
    const bad = poison();
    bad.forEach((e, i) => batch.push(healthy(i), e));
    batch.push(healthy(bad.length));
    let out: Event[] = [];
    await assert.doesNotReject(async () => {
      out = await filter.run(batch);
    });
    if (REMOVES_EVENTS.has(def.name)) return;
    const came = new Set(out.map((e) => e.get('healthy')).filter((h) => h !== undefined));
    for (let i = 0; i <= bad.length; i++) assert.ok(came.has(i), `healthy event ${i} came out of ${def.name}`);
    for (const e of out) {
      if (e.get('healthy') !== undefined) assert.ok(!e.hasTag('_filter_error'), `${def.name} failed on a healthy event`);
    }
    await filter.close();
  });
}

const DECODE_INPUTS = [
  '',
  '\n\n',
  'a]b',
  '{not json',
  '[1,2',
  '"just a string"',
  '42',
  'null',
  '[]',
  '{"message":"%{a]b}","tags":"x"}',
  '{"@timestamp":"not a time","@metadata":[1]}',
  '{"@timestamp":{"x":1}}',
  nestedText(100_000),
  '['.repeat(100_000) + ']'.repeat(100_000),
  '\uFFFD\uFFFD invalid bytes',
  HUGE,
];

/** Settings of codecs with required options, or whose encoding leaves `message` out by default. */
const CODEC_SETTINGS: Record<string, Record<string, ConfigValue>> = {
  multiline: { pattern: '^\\s', what: 'previous' },
  cef: { fields: ['message'] },
};
/** Codecs whose encoding does not carry the event's text at all (a progress dot). */
const NO_TEXT_ENCODING = new Set(['dots']);

for (const def of builtinRegistry().all()) {
  if (def.kind !== 'codec') continue;
  test(`poison: codec ${def.name}`, () => {
    const settings = CODEC_SETTINGS[def.name];
    const codec = makeCodec(settings ? { name: def.name, settings: settingsOf(settings) } : def.name);
    if (codec.binary) return poisonBinaryCodec(def.name, codec.binary);
    for (const text of DECODE_INPUTS) {
      assert.doesNotThrow(() => codec.decode(text, () => {}), `${def.name} decoding ${text.slice(0, 20)}`);
    }
    // The poison lines of a chunk do not take its healthy lines with them.
    if (def.name === 'line' || def.name === 'json_lines') {
      const chunk = ['{"healthy":1}', ...DECODE_INPUTS.filter((t) => !t.includes('\n')), '{"healthy":2}'].join('\n');
      const out: Event[] = [];
      codec.decode(chunk, (e) => out.push(e));
      const key = def.name === 'line' ? (e: Event) => e.get('message') : (e: Event) => e.get('healthy');
      const found = out.map(key);
      assert.ok(found.includes(def.name === 'line' ? '{"healthy":1}' : 1) && found.includes(def.name === 'line' ? '{"healthy":2}' : 2), def.name);
    }
    // Encoding goes through the outputs' helper: poison is rejected (or written), never thrown.
    const events = [healthy(0), ...poison(), healthy(1)];
    let result: ReturnType<typeof encodeText> | undefined;
    assert.doesNotThrow(() => {
      result = encodeText(codec, events);
    });
    const text = Buffer.from(result!.bytes).toString('utf8');
    if (NO_TEXT_ENCODING.has(def.name)) assert.equal(text, '.'.repeat(events.length - (result!.rejected?.length ?? 0)), `${def.name} wrote a dot per event`);
    else assert.ok(text.includes('hello 0') && text.includes('hello 1'), `${def.name} encoded the healthy events`);
    for (const r of result!.rejected ?? []) assert.doesNotThrow(() => JSON.parse(r.event), 'rejected events are JSON text');
  });
}

/**
 * A binary codec (msgpack) gets the poison as bytes: every decode input as UTF-8 bytes, plus bytes
 * no well-formed message starts or ends with, each decoded to events (tagged) without throwing;
 * encoding rejects what it cannot write and keeps the healthy events.
 */
function poisonBinaryCodec(name: string, binary: BinaryCodec): void {
  const inputs = [...DECODE_INPUTS.map((t) => new TextEncoder().encode(t)), Uint8Array.of(0xc1), Uint8Array.of(0xdf, 0xff, 0xff, 0xff, 0xff), new Uint8Array(0)];
  for (const bytes of inputs) {
    const out: Event[] = [];
    assert.doesNotThrow(() => binary.decodeBytes(bytes, (e) => out.push(e)), `${name} decoding ${bytes.length} bytes`);
  }
  const events = [healthy(0), ...poison(), healthy(1)];
  const encoded: Event[] = [];
  for (const event of events) {
    try {
      binary.encodeBytes(event);
      encoded.push(event);
    } catch {
      // rejected: the output sends it to the failure path
    }
  }
  assert.ok(encoded.includes(events[0]!) && encoded.includes(events.at(-1)!), `${name} encoded the healthy events`);
}
