import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../../src/core/event.js';
import { createLogger } from '../../src/core/logger.js';
import { defineFilter, defineInput, defineOutput } from '../../src/plugins/api.js';
import { WorkerCore, type BatchResult } from '../../src/pipeline/worker-core.js';
import { defaultSettings } from '../../src/pipeline/settings.js';
import { FIGURE, FIGURES_PER_PLUGIN } from '../../src/pipeline/metrics.js';
import { registryWith, workerInitFor } from '../helpers/harness.js';
import { nested } from '../helpers/deep.js';
import { PluginRegistry } from '../../src/plugins/registry.js';

const lines = (text: string[]): Uint8Array => new TextEncoder().encode(text.join('\n') + '\n');
const written = (r: BatchResult): string =>
  r.outputs.map((o) => (o.payload.data === undefined ? '' : Buffer.from(o.payload.data as Uint8Array).toString())).join('');

async function core(config: string, registry?: PluginRegistry, log: string[] = []): Promise<WorkerCore> {
  const settings = { ...defaultSettings(), batchSize: 4 };
  const logger = createLogger('error', 'test', (line) => void log.push(line));
  return WorkerCore.create(workerInitFor([{ name: 'f.conf', text: config }], settings, registry), registry, logger);
}

test('the issue\'s repro: add_field "%{message}" on "a]b" tags that event; the healthy ones are all written', async () => {
  const c = await core('input { stdin {} } filter { mutate { add_field => { "%{message}" => "x" } } } output { stdout { codec => json_lines } }');
  const input = ['ok1', 'ok2', 'a]b', 'ok3', 'ok4', 'ok5'];
  const result = await c.process([{ input: 0, data: lines(input) }]);
  const out = written(result).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(out.map((e) => e['message']), input, 'every event is written, in order');
  const bad = out[2]!;
  assert.deepEqual(bad['tags'], ['_mutate_error'], 'mutate\'s own failure tag (Logstash: tag_on_failure)');
  for (const e of out.filter((_, i) => i !== 2)) {
    assert.equal(e[e['message'] as string], 'x');
    assert.equal(e['tags'], undefined);
  }
  assert.equal(result.eventsOut, 6);
});

/** Throws on events whose message is "poison": from filter() or from filterBatch(), sync or async. */
const poisonFilter = defineFilter({
  kind: 'filter',
  name: 'poison',
  description: 'test filter',
  options: { mode: { type: 'string', default: 'event', description: '' } },
  create(options) {
    const check = (e: Event): void => {
      if (e.get('message') === 'poison') throw new Error('poisoned');
    };
    if (options.mode === 'event') return { filter: (e) => (check(e), true) };
    return {
      filter: () => true,
      filterBatch(events, matched) {
        const run = (): Event[] => {
          for (const e of events) check(e);
          for (const e of events) matched(e);
          return events;
        };
        return options.mode === 'async' ? Promise.resolve().then(run) : run();
      },
    };
  },
});

for (const mode of ['event', 'batch', 'async']) {
  test(`a filter throwing from ${mode === 'event' ? 'filter()' : `filterBatch() (${mode})`}: only the poison event is tagged _filter_error; the others get their decorations`, async () => {
    const log: string[] = [];
    const c = await core(`input { stdin {} } filter { poison { id => "p1" mode => "${mode}" add_tag => ["seen"] } } output { stdout { codec => json_lines } }`, registryWith(poisonFilter), log);
    const result = await c.process([{ input: 0, data: lines(['a', 'b', 'poison', 'c', 'd', 'poison', 'e']) }]);
    const out = written(result).trim().split('\n').map((l) => JSON.parse(l) as { message: string; tags: string[] });
    assert.deepEqual(out.map((e) => e.message), ['a', 'b', 'poison', 'c', 'd', 'poison', 'e']);
    assert.deepEqual(out.map((e) => e.tags), [['seen'], ['seen'], ['_filter_error'], ['seen'], ['seen'], ['_filter_error'], ['seen']]);
    assert.equal(log.length, 1, 'one log line per plugin per interval');
    assert.match(log[0]!, /plugin="p1" at="f\.conf:1:29" error="Error: poisoned"/);
    // Figures: the filter is slot 1 (after the one input).
    const f = c.figures();
    const at = 1 * FIGURES_PER_PLUGIN;
    assert.equal(f[at + FIGURE.IN], 7);
    assert.equal(f[at + FIGURE.OUT], 7);
    assert.equal(f[at + FIGURE.FAILURES], 2);
  });
}

/** Gives the event whose [n] is 2 two different 100k-deep values: comparing them overflows the stack. */
const deepenFilter = defineFilter({
  kind: 'filter',
  name: 'deepen',
  description: 'test filter',
  options: {},
  create: () => ({
    filter(e) {
      if (e.get('n') === 2) {
        e.set('a', nested(100_000));
        e.set('b', nested(100_000));
      }
      return true;
    },
  }),
});

test('a conditional that throws counts as false and tags _condition_error, in filters and in outputs', async () => {
  const log: string[] = [];
  const config = `input { stdin { codec => json_lines } }
filter { deepen {} if [a] == [b] { mutate { add_tag => ["same"] } } else { mutate { add_tag => ["other"] } } }
output { if [a] == [b] { stdout { codec => line { format => "same %{n} %{tags}" } } } else { stdout { codec => line { format => "other %{n} %{tags}" } } } }`;
  const c = await core(config, registryWith(deepenFilter), log);
  const input = [{ n: 1, a: 1, b: 1 }, { n: 2 }, { n: 3, a: 1, b: 2 }].map((e) => JSON.stringify(e));
  const result = await c.process([{ input: 0, data: lines(input) }]);
  assert.equal(written(result), 'same 1 same\nother 2 _condition_error,other\nother 3 other\n');
  assert.equal(log.length, 2, 'one line per conditional (location) per interval');
  assert.match(log[0]!, /conditional failed.*at="f\.conf:2:23".*RangeError/);
  assert.match(log[1]!, /conditional failed.*at="f\.conf:3:13".*RangeError/);
});

test('an encoder leaves out events it cannot encode (too deep, cyclic, BigInt) and reports them as rejected; the others are written', async () => {
  const shapes = defineFilter({
    kind: 'filter',
    name: 'shapes',
    description: 'test filter',
    options: {},
    create: () => ({
      filter(e) {
        const n = e.get('message');
        if (n === 'deep') e.set('x', nested(100_000));
        if (n === 'deep1001') e.set('x', nested(1001));
        if (n === 'cyclic') {
          const o: Record<string, unknown> = {};
          o['o'] = o;
          e.set('x', o);
        }
        if (n === 'bigint') e.set('x', 10n);
        return true;
      },
    }),
  });
  for (const codec of ['json_lines', 'json', 'rubydebug']) {
    const c = await core(`input { stdin {} } filter { shapes {} } output { stdout { id => "out" codec => ${codec} } }`, registryWith(shapes));
    const input = ['ok1', 'deep', 'deep1001', 'cyclic', 'bigint', 'ok2'];
    const result = await c.process([{ input: 0, data: lines(input) }]);
    const text = written(result);
    assert.ok(text.includes('ok1') && text.includes('ok2'), codec);
    const rejected = result.outputs.flatMap((o) => o.payload.rejected ?? []);
    const expected = codec === 'rubydebug' ? ['deep', 'deep1001', 'cyclic'] : ['deep', 'deep1001', 'cyclic', 'bigint'];
    assert.deepEqual(rejected.map((r) => (JSON.parse(r.event) as { message: string }).message), expected, codec);
    assert.match(rejected[0]!.reason, /nested deeper than 1000 levels/);
    for (const name of expected) assert.ok(!text.includes(`"${name}"`), `${codec}: ${name} is not written`);
    const f = c.figures();
    const at = 2 * FIGURES_PER_PLUGIN;
    assert.deepEqual([f[at + FIGURE.IN], f[at + FIGURE.OUT], f[at + FIGURE.FAILURES]], [6, 6 - expected.length, expected.length], codec);
  }
});

test('an encoder that throws instead of rejecting: each event is tried alone, the others are written together', async () => {
  const fragile = defineOutput({
    kind: 'output',
    name: 'fragile',
    description: 'test output',
    options: {},
    createEncoder: () => ({
      encode(events) {
        if (events.some((e) => e.get('message') === 'bad')) throw new Error('cannot');
        return { data: events.map((e) => e.get('message')) };
      },
    }),
    createSink: () => ({ write: async () => {} }),
  });
  const c = await core('input { stdin {} } output { fragile {} }', registryWith(fragile));
  const result = await c.process([{ input: 0, data: lines(['a', 'bad', 'b']) }]);
  assert.equal(result.outputs.length, 1);
  assert.deepEqual(result.outputs[0]!.payload.data, ['a', 'b']);
  assert.deepEqual(result.outputs[0]!.payload.rejected!.map((r) => r.reason), ['Error: cannot']);
});

test('a decoder that throws: the payload becomes one raw event tagged _decode_error; other payloads decode as usual', async () => {
  const brittle = defineInput({
    kind: 'input',
    name: 'brittle',
    description: 'test input',
    options: {},
    createSource: () => ({ run: async () => {}, stop() {} }),
    createDecoder: () => ({
      decode(data, emit) {
        const text = new TextDecoder().decode(data as Uint8Array);
        for (const line of text.split('\n')) {
          if (line === 'boom') throw new Error('decoder bug');
          emit(new Event({ message: line }));
        }
      },
    }),
  });
  const c = await core('input { brittle {} } output { stdout { codec => line { format => "%{message}|%{tags}" } } }', registryWith(brittle));
  const enc = new TextEncoder();
  const result = await c.process([{ input: 0, data: enc.encode('a\nboom\nb') }, { input: 0, data: enc.encode('c') }]);
  assert.equal(written(result), 'a\nboom\nb|_decode_error\nc|%{tags}\n');
  const f = c.figures();
  assert.deepEqual([f[FIGURE.IN], f[FIGURE.OUT], f[FIGURE.FAILURES]], [2, 2, 1], 'two payloads, two events, one failure');
});

test('a json_lines line nested too deep is tagged _jsonparsefailure; the other lines decode', async () => {
  const c = await core('input { stdin { codec => json_lines } } output { stdout { codec => line { format => "%{n}|%{tags}" } } }');
  const deep = '{"n":9,"x":' + '['.repeat(2000) + ']'.repeat(2000) + '}';
  const huge = '{"n":8,"x":' + '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000) + '}';
  const result = await c.process([{ input: 0, data: lines(['{"n":1}', deep, huge, '{"n":2}']) }]);
  assert.equal(written(result), '1|%{tags}\n%{n}|_jsonparsefailure\n%{n}|_jsonparsefailure\n2|%{tags}\n');
});

test('input decorations that throw (add_field over a 100k-deep value) tag that event _decode_error; it still goes on', async () => {
  const deepInput = defineInput({
    kind: 'input',
    name: 'deepinput',
    description: 'test input',
    options: {},
    createSource: () => ({ run: async () => {}, stop() {} }),
    createDecoder: () => ({
      decode(data, emit) {
        for (const n of data as number[]) emit(new Event(n === 2 ? { n, x: nested(100_000) } : { n, x: 'v' }));
      },
    }),
  });
  const c = await core('input { deepinput { add_field => { "f" => "%{x}" } } } output { stdout { codec => line { format => "%{n}|%{f}|%{tags}" } } }', registryWith(deepInput));
  const result = await c.process([{ input: 0, data: [1, 2, 3] }]);
  assert.equal(written(result), '1|v|%{tags}\n2|%{f}|_decode_error\n3|v|%{tags}\n');
});
