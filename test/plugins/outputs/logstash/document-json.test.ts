/**
 * DocumentJsonWriter must write exactly the bytes JSON.stringify writes for the document
 * {@timestamp, @metadata, ...fields}, whatever happened to the event since the previous one:
 * each case writes a run of events through one writer (so its reuse is exercised) and compares
 * every text with JSON.stringify of the document built independently here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../../../../src/core/event.js';
import { NestingTooDeepError } from '../../../../src/core/json-depth.js';
import { Timestamp } from '../../../../src/core/timestamp.js';
import { DocumentJsonWriter, type DocumentMetadata } from '../../../../src/plugins/outputs/logstash/document-json.js';

const SETTINGS: DocumentMetadata = { index: undefined, version: '8.11.0' };

/** The document as Filebeat's JSON for the event, built independently of the writer. */
function expected(event: Event, settings = SETTINGS): string {
  const m = event.metadata ?? {};
  const doc: Record<string, unknown> = {
    '@timestamp': event.data['@timestamp'],
    '@metadata': { ...m, beat: settings.index ?? (typeof m['beat'] === 'string' ? m['beat'] : 'logpipe'), type: m['type'] ?? '_doc', version: m['version'] ?? settings.version },
  };
  for (const k of Object.keys(event.data)) if (k !== '@timestamp' && k !== '@version') doc[k] = event.data[k];
  return JSON.stringify(doc);
}

/** An ECS event as the log input makes it for one line. */
function filebeatEvent(message: string, offset: number, path = '/var/log/app.log'): Event {
  return new Event({
    message,
    log: { file: { path }, offset },
    input: { type: 'log' },
    host: { name: 'game-01' },
    agent: { type: 'filebeat', name: 'game-01', hostname: 'game-01', version: '8.11.0', id: 'f3b1c2', ephemeral_id: '9a8b7c' },
    ecs: { version: '8.0.0' },
  });
}

function assertSame(writer: DocumentJsonWriter, event: Event, settings = SETTINGS): void {
  assert.equal(writer.write(event.data, event.metadata), expected(event, settings));
}

test('a run of Filebeat events: every document equals JSON.stringify of it', () => {
  const writer = new DocumentJsonWriter(SETTINGS);
  const messages = ['GET / 200', 'plain "quoted" \\ back\\slash', 'tab\there\nnewline', 'ünïcödé 日本語 🎮', 'lone \ud800 surrogate', 'line\u2028separator', '<html> & "x"', ''];
  for (let i = 0; i < 200; i++) assertSame(writer, filebeatEvent(messages[i % messages.length]!, i * 101, i % 50 < 25 ? '/var/log/a.log' : '/var/log/b "ü".log'));
});

test('processors that touch the repeated parts: changed, added, removed, reordered and retyped fields', () => {
  const writer = new DocumentJsonWriter(SETTINGS);
  const steps: ((e: Event) => void)[] = [
    () => undefined,
    (e) => ((e.data['agent'] as Record<string, unknown>)['name'] = 'renamed'),
    (e) => ((e.data['host'] as Record<string, unknown>)['ip'] = ['10.0.0.1', '::1']),
    (e) => delete (e.data['agent'] as Record<string, unknown>)['ephemeral_id'],
    (e) => {
      const agent = e.data['agent'] as Record<string, unknown>;
      delete agent['type'];
      agent['type'] = 'filebeat'; // same value, now last
    },
    (e) => ((e.data['ecs'] as Record<string, unknown>)['version'] = 8),
    (e) => ((e.data['ecs'] as Record<string, unknown>)['version'] = { major: 8 }),
    (e) => ((e.data['ecs'] as Record<string, unknown>)['version'] = null),
    (e) => ((e.data['input'] as Record<string, unknown>)['type'] = true),
    (e) => (e.data['input'] = 'flattened'),
    (e) => delete e.data['host'],
    (e) => (e.data['fields'] = { kafka_key: 'k', log_group: 'g', nested: { deeper: { deepest: { leaf: [1, { x: 'y' }] } } } }),
    (e) => e.tag('multiline'),
    (e) => ((e.data['log'] as Record<string, unknown>)['offset'] = Number.NaN),
    (e) => ((e.data['log'] as Record<string, unknown>)['offset'] = -0),
    (e) => ((e.data['log'] as Record<string, unknown>)['offset'] = 1e21),
    (e) => ((e.data['log'] as Record<string, unknown>)['file'] = Object.assign(Object.create(null) as object, { path: '/x' })),
    (e) => (e.data['when'] = new Date(0)),
    (e) => (e.data['ts'] = new Timestamp(1700000000123, 456000)),
    (e) => (e.data['ké\u0000y "q"'] = 'odd key'),
    (e) => (e.data['message'] = { original: 'now an object' }),
  ];
  // Each step alone after a plain event, then the steps accumulated on one event shape.
  for (const [i, step] of steps.entries()) {
    assertSame(writer, filebeatEvent('before', i));
    const e = filebeatEvent(`after step ${i}`, i);
    step(e);
    assertSame(writer, e);
    assertSame(writer, e); // the same event again: reused parts
  }
  for (let round = 0; round < 3; round++) {
    const e = filebeatEvent(`all steps, round ${round}`, round);
    for (const step of steps) {
      step(e);
      assertSame(writer, e);
    }
  }
});

test('@metadata: absent, from the event, overridden by index, and @timestamp with sub-milliseconds', () => {
  const writer = new DocumentJsonWriter(SETTINGS);
  const e = filebeatEvent('m', 1);
  assertSame(writer, e);
  e.metadata = { beat: 'mybeat', pipeline: 'p1', nested: { a: 1 } };
  assertSame(writer, e);
  assertSame(writer, e);
  e.metadata = { type: 'doc', version: '7.17.0' };
  assertSame(writer, e);
  e.metadata = {};
  assertSame(writer, e);
  e.data['@timestamp'] = new Timestamp(1700000000123, 456789);
  assertSame(writer, e);
  const indexed = new DocumentJsonWriter({ index: 'games', version: '1' });
  e.metadata = { beat: 'ignored' };
  assertSame(indexed, e, { index: 'games', version: '1' });
});

test('documents the writer leaves to JSON.stringify come out the same', () => {
  const writer = new DocumentJsonWriter(SETTINGS);
  const integerKeys = filebeatEvent('m', 1);
  integerKeys.data['7'] = 'seven'; // JSON.stringify writes it before @timestamp
  assertSame(writer, integerKeys);
  const undefinedValue = filebeatEvent('m', 2);
  undefinedValue.data['gone'] = undefined;
  (undefinedValue.data['host'] as Record<string, unknown>)['fn'] = () => 1;
  assertSame(writer, undefinedValue);
  const noTimestamp = filebeatEvent('m', 3);
  delete noTimestamp.data['@timestamp'];
  assertSame(writer, noTimestamp);
  const proto = filebeatEvent('m', 4);
  Object.defineProperty(proto.data, '__proto__', { value: { x: 1 }, enumerable: true, configurable: true, writable: true });
  assertSame(writer, proto);
  assertSame(writer, filebeatEvent('back to normal', 5)); // the memo was not left half updated
});

test('values JSON.stringify refuses are refused the same way', () => {
  const writer = new DocumentJsonWriter(SETTINGS);
  const big = filebeatEvent('m', 1);
  (big.data['agent'] as Record<string, unknown>)['n'] = 10n;
  assert.throws(() => writer.write(big.data, big.metadata), TypeError);
  const cyclic = filebeatEvent('m', 2);
  (cyclic.data['host'] as Record<string, unknown>)['self'] = cyclic.data['host'];
  assert.throws(() => writer.write(cyclic.data, cyclic.metadata), TypeError);
  let deep: unknown = 'leaf';
  for (let i = 0; i < 1200; i++) deep = [deep];
  const tooDeep = filebeatEvent('m', 3);
  tooDeep.data['deep'] = deep;
  assert.throws(() => writer.write(tooDeep.data, tooDeep.metadata), NestingTooDeepError);
  assertSame(writer, filebeatEvent('after the refusals', 4));
});

test('events with nothing repeated: the writer steps aside and still writes the same bytes', () => {
  const writer = new DocumentJsonWriter(SETTINGS);
  for (let i = 0; i < 300; i++) {
    const e = new Event({ message: `m${i}`, sub: { n: i, s: `s${i}` } });
    assertSame(writer, e);
  }
  for (let i = 0; i < 100; i++) assertSame(writer, filebeatEvent(`back ${i}`, i));
});

test('random edits of Filebeat events (seeded): every document equals JSON.stringify of it', () => {
  let seed = 42;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  const values: unknown[] = ['x', 'ü', '', 0, -1.5, true, false, null, [1, 'a'], { k: 'v' }, { k: { k2: 'v2' } }, new Timestamp(5)];
  const keys = ['name', 'type', 'extra', 'é', 'version', 'path'];
  const parts = ['agent', 'host', 'input', 'ecs', 'log', 'fields'];
  const writer = new DocumentJsonWriter(SETTINGS);
  for (let i = 0; i < 3000; i++) {
    const e = filebeatEvent(`line ${i}`, i);
    for (let edits = rand(3); edits > 0; edits--) {
      const part = parts[rand(parts.length)]!;
      const target = (e.data[part] ??= {}) as Record<string, unknown>;
      if (rand(4) === 0) delete target[keys[rand(keys.length)]!];
      else target[keys[rand(keys.length)]!] = values[rand(values.length)];
    }
    assertSame(writer, e);
  }
});
