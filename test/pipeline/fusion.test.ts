/**
 * The fused step (src/pipeline/fusion.ts): the agent's graph, translated from Filebeat YAML, run by
 * a WorkerCore with fusion and by one whose logstash output cannot fuse, on the same payloads,
 * must give byte-equal output payloads, cut the same way, and the same per-plugin figures. Graphs
 * the straight documents would not reproduce take the regular path; so do batches while a tap is
 * attached, and batches on which the fused encoder throws.
 */
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentSettings } from '../../src/cli/agent.js';
import { loadFilebeatConfig } from '../../src/config/filebeat/load.js';
import { serializeGraph } from '../../src/config/serialize.js';
import { createLogger } from '../../src/core/logger.js';
import { FIGURE, FIGURES_PER_PLUGIN, figuresBytes } from '../../src/pipeline/metrics.js';
import { defaultSettings, fusedBatchSize } from '../../src/pipeline/settings.js';
import { TapHub } from '../../src/pipeline/tap.js';
import { WorkerCore, type BatchItem, type BatchResult } from '../../src/pipeline/worker-core.js';
import { agentRegistry } from '../../src/plugins/agent-plugins.js';
import { defineOutput, type FusedEncoding, type FusedInput, type FusionUpstream, type OutputDefinition } from '../../src/plugins/api.js';
import { logstashOutput } from '../../src/plugins/outputs/logstash/index.js';
import { PluginRegistry } from '../../src/plugins/registry.js';
import type { EventDocuments } from '../../src/protocols/lumberjack/client.js';
import type { EventsPayload, LinesPayload } from '../../src/tailing/payload.js';
import { registryWith, workerInitFor } from '../helpers/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'logpipe-fusion-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0, 42);
const quiet = createLogger('error', 'test');

const fusing = await agentRegistry('');
/** The same plugins, but a logstash output without `fuse`: the regular path, always. */
const regular = new PluginRegistry();
for (const d of fusing.all()) {
  if (d.kind === 'output' && d.name === 'logstash') {
    const { fuse: _fuse, ...rest } = logstashOutput as OutputDefinition;
    regular.register(rest as OutputDefinition);
  } else regular.register(d);
}

let configs = 0;
/** A WorkerCore for a Filebeat file (its `filebeat.inputs` and `output` parts) as the agent runs it. */
async function agentCore(yaml: string, registry: PluginRegistry, options: { taps?: TapHub; figures?: SharedArrayBuffer } = {}): Promise<WorkerCore> {
  const file = join(dir, `filebeat-${configs++}.yml`);
  writeFileSync(file, `${yaml}\npath.data: ${join(dir, 'data')}\n`);
  const config = loadFilebeatConfig(file, { registry: fusing, defaultDataDir: dir, version: '0.1.0', env: {} });
  const settings = agentSettings(config, 'error');
  // The regular path cuts its output into batches of batchSize, the fused step into fusedBatchSize
  // (larger in the agent); both cores cut alike here so their payloads compare one to one.
  settings.batchSize = fusedBatchSize(settings);
  return WorkerCore.create({
    graph: serializeGraph(config.graph), sources: config.sources, settings, workerIndex: 0,
    ...(options.figures ? { figures: options.figures } : {}), ...(options.taps ? { taps: options.taps.cells } : {}),
  }, registry, quiet);
}

const INPUT = (extra = ''): string => `filebeat.inputs:\n  - type: log\n    paths: ["${dir}/*.log"]\n${extra}`;
const LOGSTASH = 'output.logstash:\n  hosts: ["127.0.0.1:5044"]\n';

function apacheLines(n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => `10.0.0.${(from + i) % 250} - - [02/Dec/2026:12:00:00 +0000] "GET /item/${from + i}?q=a\\b HTTP/1.1" 200 ${100 + i} "-" "curl/8.0"`);
}

const lines = (path: string, start: number, text: string[], extra: Partial<LinesPayload> = {}): BatchItem =>
  ({ input: 0, data: { path, start, bytes: new Uint8Array(Buffer.from(text.map((l) => `${l}\n`).join(''))), ...extra } satisfies LinesPayload });

/** Batches as the dispatcher forms them: a 2,500-line payload (3 batches), payloads that share batches, odd lines. */
const BATCHES: BatchItem[][] = [
  [lines('/var/log/a.log', 0, apacheLines(2500))],
  [lines('/var/log/a.log', 100_000, apacheLines(100, 1024)), lines('/var/log/b.log', 0, apacheLines(200, 7)), lines('/var/log/a.log', 120_000, apacheLines(3, 9))],
  [lines('/var/log/a.log', 5_000_000_000, ['unicode: héllo — 日本語', 'ctl \u0001 <b>&amp;</b>', '', 'crlf\r', 'cut here'], { cut: [4], cutLengths: [4096] })],
  [{ input: 0, data: { path: '/var/log/a.log', start: 7, bytes: new Uint8Array(0) } satisfies LinesPayload }],
];

const textOf = (r: BatchResult): { events: number; index: number; text: string; ends: number[] }[] => r.outputs.map((o) => {
  const docs = o.payload.data as EventDocuments;
  return { events: o.events, index: o.index, text: Buffer.from(docs.bytes).toString('utf8'), ends: [...docs.ends] };
});

/** IN, OUT and FAILURES of every plugin (time differs by nature). */
function counts(cells: SharedArrayBuffer): number[][] {
  const v = new Float64Array(cells);
  const out: number[][] = [];
  for (let at = 0; at < v.length; at += FIGURES_PER_PLUGIN) out.push([v[at + FIGURE.IN]!, v[at + FIGURE.OUT]!, v[at + FIGURE.FAILURES]!]);
  return out;
}

/** BATCHES with every other payload from a second input, and a batch of that input alone. */
const TWO_INPUT_BATCHES: BatchItem[][] = [
  ...BATCHES.map((batch) => batch.map((item, i) => ({ ...item, input: i % 2 }))),
  [lines('/var/log/b.txt', 0, apacheLines(300, 5)), lines('/var/log/a.log', 7, apacheLines(2)), lines('/var/log/b.txt', 9_000, ['last'])].map((item, i) => ({ ...item, input: i === 1 ? 0 : 1 })),
];

/** Runs BATCHES on both cores (fresh copies of the payloads each, as the queue hands them over). */
async function compare(t: TestContext, yaml: string, batches: BatchItem[][] = BATCHES): Promise<void> {
  t.mock.method(Date, 'now', () => NOW);
  const plugins = batches === BATCHES ? 3 : 4; // input(s), @metadata filter, output
  const cellsOn = new SharedArrayBuffer(figuresBytes(plugins));
  const cellsOff = new SharedArrayBuffer(figuresBytes(plugins));
  const on = await agentCore(yaml, fusing, { figures: cellsOn });
  const off = await agentCore(yaml, regular, { figures: cellsOff });
  assert.equal(on.fused, true, 'the agent graph fuses');
  assert.equal(off.fused, false);
  for (const [b, batch] of batches.entries()) {
    const copy = (): BatchItem[] => structuredClone(batch);
    const fused = await on.process(copy());
    const plain = await off.process(copy());
    assert.deepEqual(textOf(fused), textOf(plain), `batch ${b}: output payloads`);
    assert.equal(fused.eventsIn, plain.eventsIn, `batch ${b}: events in`);
    assert.equal(fused.eventsOut, plain.eventsOut, `batch ${b}: events out`);
    assert.equal(fused.taps, undefined);
  }
  assert.deepEqual(counts(cellsOn), counts(cellsOff), 'per-plugin figures');
  assert.ok(counts(cellsOn)[0]![1]! > 1300, 'figures were counted');
  assert.deepEqual(textOf(await on.process(structuredClone(BATCHES[0]!))).map((o) => o.events), [1024, 1024, 452], 'cut per the agent\'s fused batch size');
  await on.close();
  await off.close();
}

test('7.x/8.x (ECS) agent config: fused output payloads are byte-equal to the regular path, with equal figures', (t) => compare(t, INPUT() + LOGSTASH));
test('filestream with escape_html and an index: byte-equal to the regular path', (t) =>
  compare(t, `filebeat.inputs:\n  - type: filestream\n    id: fs\n    paths: ["${dir}/*.log"]\noutput.logstash:\n  hosts: ["127.0.0.1:5044"]\n  escape_html: true\n  index: games\n`));
test('5.x/6.x (legacy) config with document_type: byte-equal to the regular path', (t) =>
  compare(t, `filebeat.prospectors:\n  - input_type: log\n    document_type: apache\n    paths: ["${dir}/*.log"]\n${LOGSTASH}`));
test('input fields and tags (ECS): byte-equal to the regular path', (t) =>
  compare(t, INPUT('    fields: {app: web, team: {name: "a<b>&c", ids: [1, 2.5, true, null]}, "héllo": "wörld"}\n    tags: [web, edge, web]\n') + LOGSTASH + '  escape_html: true\n'));
test('input fields at the root (ECS) replace the shipper\'s keys in place and add others after them: byte-equal', (t) =>
  compare(t, INPUT('    fields_under_root: true\n    fields: {host: "front-1", app: web, agent: {name: x}, env: {tier: 2}}\n    tags: [web]\n') + LOGSTASH));
test('the seed\'s shape (5.x/6.x, fields at the root with `type`, tags): byte-equal, truncated lines\' tags first', (t) =>
  compare(t, `filebeat.prospectors:\n  - input_type: log\n    document_type: apache\n    paths: ["${dir}/*.log"]\n    fields_under_root: true\n` +
    `    fields: {kafka_key: "game-1", log_group: games, type: game_event}\n    tags: [seed, _line_truncated]\n${LOGSTASH}`));
test('two inputs (one per application, each with its fields and tags): byte-equal, payloads of both in one batch', (t) =>
  compare(t, INPUT('    fields: {app: web}\n') + `  - type: filestream\n    id: jobs\n    paths: ["${dir}/*.txt"]\n    fields_under_root: true\n    fields: {app: jobs}\n    tags: [batch]\n` + LOGSTASH,
    TWO_INPUT_BATCHES));

test('configs the straight documents do not reproduce take the regular path', async () => {
  const cases: Record<string, string> = {
    'a global processor': INPUT() + LOGSTASH + 'processors:\n  - add_fields: {target: "", fields: {x: 1}}\n',
    'an input processor (a conditional)': INPUT('    processors:\n      - drop_fields: {fields: [ecs]}\n') + LOGSTASH,
    'global fields (a filter)': INPUT() + LOGSTASH + 'fields: {app: web}\n',
    'global tags (a filter)': INPUT() + LOGSTASH + 'tags: [web]\n',
    'fields at the root setting the message': INPUT('    fields_under_root: true\n    fields: {message: x}\n') + LOGSTASH,
    'fields at the root setting log': INPUT('    fields_under_root: true\n    fields: {log: {level: info}}\n') + LOGSTASH,
    'fields at the root setting tags': INPUT('    fields_under_root: true\n    fields: {tags: [x]}\n') + LOGSTASH,
    'fields at the root with an @ key': INPUT('    fields_under_root: true\n    fields: {"@version": "2"}\n') + LOGSTASH,
    'fields at the root with an integer-like key': INPUT('    fields_under_root: true\n    fields: {"42": x}\n') + LOGSTASH,
    'legacy fields at the root setting the offset': `filebeat.prospectors:\n  - input_type: log\n    paths: ["${dir}/*.log"]\n    fields_under_root: true\n    fields: {offset: 1}\n${LOGSTASH}`,
    'multiline': INPUT('    multiline.pattern: "^\\\\s"\n    multiline.match: after\n') + LOGSTASH,
    'json': INPUT('    json.keys_under_root: true\n') + LOGSTASH,
    'an ndjson parser': `filebeat.inputs:\n  - type: filestream\n    id: fs\n    paths: ["${dir}/*.log"]\n    parsers:\n      - ndjson: {target: ""}\n${LOGSTASH}`,
    'include_lines': INPUT('    include_lines: ["^E"]\n') + LOGSTASH,
    'a non-UTF-8 encoding': INPUT('    encoding: gbk\n') + LOGSTASH,
    'two inputs, one with a processor': INPUT() + `  - type: log\n    paths: ["${dir}/*.txt"]\n    processors:\n      - add_tags: {tags: [x]}\n` + LOGSTASH,
    'two inputs, one with json': INPUT() + `  - type: log\n    paths: ["${dir}/*.txt"]\n    json.keys_under_root: true\n` + LOGSTASH,
    'two outputs': INPUT() + LOGSTASH + `output.file:\n  path: ${dir}/out\n`,
    'another output': INPUT() + `output.file:\n  path: ${dir}/out\n`,
  };
  for (const [what, yaml] of Object.entries(cases)) {
    const core = await agentCore(yaml, fusing);
    assert.equal(core.fused, false, what);
    await core.close();
  }
});

test('while a tap is attached, batches take the regular path (the tap sees the events)', async (t) => {
  t.mock.method(Date, 'now', () => NOW);
  const file = join(dir, 'tapped.yml');
  writeFileSync(file, INPUT() + LOGSTASH);
  const config = loadFilebeatConfig(file, { registry: fusing, defaultDataDir: dir, version: '0.1.0', env: {} });
  const taps = TapHub.forGraph(config.graph);
  const core = await agentCore(INPUT() + LOGSTASH, fusing, { taps });
  const off = await agentCore(INPUT() + LOGSTASH, regular);
  assert.equal(core.fused, true);
  const batch = BATCHES[1]!;
  assert.equal((await core.process(structuredClone(batch))).taps, undefined);
  const seen: string[] = [];
  const detach = taps.attach(taps.slotOf(config.graph.outputList[0]!.id)!, { deliver: (json) => seen.push(json) > 0 });
  const tapped = await core.process(structuredClone(batch));
  assert.deepEqual(textOf(tapped), textOf(await off.process(structuredClone(batch))));
  taps.publish(tapped.taps ?? []);
  assert.equal(seen.length, 303, 'the tap got every event');
  detach();
  assert.equal((await core.process(structuredClone(batch))).taps, undefined, 'fused again once detached');
  await core.close();
  await off.close();
});

test('a batch the fused encoder throws on takes the regular path (joined multiline events)', async (t) => {
  t.mock.method(Date, 'now', () => NOW);
  const on = await agentCore(INPUT() + LOGSTASH, fusing);
  const off = await agentCore(INPUT() + LOGSTASH, regular);
  const events: EventsPayload = { path: '/var/log/a.log', messages: ['one\n  two', 'three'], offsets: [0, 12], flags: [1, 0] };
  const batch: BatchItem[] = [lines('/var/log/a.log', 0, ['x']), { input: 0, data: events }];
  const fused = await on.process(structuredClone(batch));
  assert.deepEqual(textOf(fused), textOf(await off.process(structuredClone(batch))));
  assert.match(textOf(fused)[0]!.text, /"message":"one\\n  two".*"flags":\["multiline"\]/);
  await on.close();
  await off.close();
});

// ------------------------------------------------ the pipeline layer, with an output of its own

/** An output that writes `message` lines and fuses stdin's payloads (bytes of lines) into the same; it records what it was offered. */
function lineOutput(offers: FusionUpstream[], encode: (payloads: readonly FusedInput[], batchSize: number) => FusedEncoding): OutputDefinition {
  return defineOutput({
    kind: 'output', name: 'fusing_lines', description: 'test', options: {},
    createEncoder: () => ({ encode: (events) => ({ data: events.map((e) => `${String(e.data['message'])}\n`).join('') }) }),
    createSink: () => ({ write: async () => undefined }),
    fuse(_options, _ctx, upstream) {
      offers.push(upstream);
      return upstream.inputs.every((i) => i.name === 'stdin') ? { encode } : undefined;
    },
  }) as unknown as OutputDefinition;
}

const stdinBatch = (text: string): BatchItem[] => [{ input: 0, data: new TextEncoder().encode(text) }];

test('the pipeline offers fusion only to a straight graph, with the inputs and filters in order', async () => {
  const offers: FusionUpstream[] = [];
  const output = lineOutput(offers, () => ({ outputs: [], eventsPerPayload: [] }));
  const registry = registryWith(output);
  const core = async (text: string): Promise<WorkerCore> => WorkerCore.create(workerInitFor([{ name: 't', text }], defaultSettings(), registry), registry, quiet);
  const straight = await core('input { stdin { tags => ["a"] } } filter { mutate { add_tag => ["m"] } drop { remove_field => ["x"] } } output { fusing_lines {} }');
  assert.equal(straight.fused, true);
  assert.equal(offers.length, 1);
  assert.equal(offers[0]!.inputs[0]!.name, 'stdin');
  assert.deepEqual(offers[0]!.inputs[0]!.options['tags'], ['a'], 'the input\'s common options are shown');
  assert.deepEqual(offers[0]!.filters.map((f) => f.name), ['mutate', 'drop']);
  assert.deepEqual(offers[0]!.filters[1]!.options['remove_field'], ['x']);
  for (const text of [
    'input { stdin {} } filter { if [a] { mutate {} } } output { fusing_lines {} }',
    'input { stdin {} } output { if [a] { fusing_lines {} } }',
    'input { stdin {} } output { fusing_lines {} stdout {} }',
  ]) {
    const c = await core(text);
    assert.equal(c.fused, false, text);
    await c.close();
  }
  assert.equal(offers.length, 1, 'never asked for those');
  const two = await core('input { stdin { id => "first" } stdin { id => "second" } } output { fusing_lines {} }');
  assert.equal(two.fused, true, 'several inputs may fuse');
  assert.deepEqual(offers[1]!.inputs.map((i) => i.ctx.id), ['first', 'second'], 'in the pipeline\'s order');
  await two.close();
  const declined = await core('input { stdin {} generator { count => 1 } } output { fusing_lines {} }');
  assert.equal(declined.fused, false, 'the output declined');
  await straight.close();
});

test('a fused encoder that throws: that batch takes the regular path, the next is fused again; figures count once', async () => {
  let calls = 0;
  const output = lineOutput([], (payloads) => {
    if (++calls === 1) throw new Error('boom');
    const events = (payloads[0]!.data as Uint8Array).length / 2;
    return { outputs: [{ payload: { data: 'FUSED\n' }, events }], eventsPerPayload: [events] };
  });
  const registry = registryWith(output);
  const cells = new SharedArrayBuffer(figuresBytes(2));
  const init = { ...workerInitFor([{ name: 't', text: 'input { stdin {} } output { fusing_lines {} }' }], defaultSettings(), registry), figures: cells };
  const core = await WorkerCore.create(init, registry, quiet);
  const first = await core.process(stdinBatch('a\nb\n'));
  assert.deepEqual(first.outputs.map((o) => o.payload.data), ['a\nb\n'], 'the regular path wrote the batch');
  assert.equal(first.eventsOut, 2);
  const second = await core.process(stdinBatch('c\nd\n'));
  assert.deepEqual(second.outputs.map((o) => [o.payload.data, o.events]), [['FUSED\n', 2]]);
  assert.equal(calls, 2);
  assert.deepEqual(counts(cells), [[2, 4, 0], [4, 4, 0]], 'input: 2 payloads → 4 events; output: 4 in, 4 out');
  await core.close();
});

test('an output whose fuse() throws is not fused; the pipeline runs on the regular path', async () => {
  const output = { ...lineOutput([], () => ({ outputs: [], eventsPerPayload: [] })), fuse: () => { throw new Error('cannot tell'); } } as OutputDefinition;
  const registry = registryWith(output);
  const core = await WorkerCore.create(workerInitFor([{ name: 't', text: 'input { stdin {} } output { fusing_lines {} }' }], defaultSettings(), registry), registry, quiet);
  assert.equal(core.fused, false);
  assert.deepEqual((await core.process(stdinBatch('a\n'))).outputs.map((o) => o.payload.data), ['a\n']);
  await core.close();
});
