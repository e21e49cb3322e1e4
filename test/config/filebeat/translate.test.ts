import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../../src/core/errors.js';
import { ConfigErrorList } from '../../../src/config/schema.js';
import { loadFilebeatConfig } from '../../../src/config/filebeat/load.js';
import type { GraphNode } from '../../../src/config/compile.js';
import { builtinRegistry } from '../../../src/plugins/builtins.js';
import { compileKeySelector } from '../../../src/plugins/outputs/redis/key-selector.js';
import { Event } from '../../../src/core/event.js';

const testdata = fileURLToPath(new URL('../../../../test/config/filebeat/testdata/', import.meta.url));
const good = (name: string) => join(testdata, 'good', name);
const bad = (name: string) => join(testdata, 'bad', name);

function load(file: string, opts: { strict?: boolean; dataDir?: string } = {}) {
  return loadFilebeatConfig(file, { registry: builtinRegistry(), defaultDataDir: '/default/data', version: '9.9.9', ...opts });
}

function errorsOf(fn: () => unknown): ConfigError[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigErrorList) return err.errors;
    if (err instanceof ConfigError) return [err];
    throw err;
  }
  assert.fail('expected a configuration error');
}

const pluginNames = (nodes: GraphNode[]): string[] =>
  nodes.flatMap((n) => (n.kind === 'plugin' ? [n.plugin.definition.name] : [`if(${n.branches.flatMap((b) => pluginNames(b.body)).join(',')})`]));

test('5.x shape: prospectors (config_dir too, disabled skipped), legacy layout, document_type, spool/idle/shutdown settings, registry beside registry_file', () => {
  const c = load(good('filebeat5.yml'));
  assert.equal(c.shape, 'legacy');
  assert.deepEqual(c.graph.inputs.map((i) => i.definition.name), ['log', 'log']);
  const [app, extra] = c.graph.inputs.map((i) => i.options);
  assert.deepEqual(app!['paths'], ['/var/log/app/*.log']);
  assert.equal(app!['type'], 'app_log');
  assert.equal(app!['field_layout'], 'legacy');
  assert.equal(app!['fields_under_root'], true);
  assert.deepEqual(app!['fields'], { log_group: 'g1' });
  assert.equal(app!['scan_frequency'], 10_000);
  assert.equal(app!['registry_path'], '/var/lib/filebeat/registry.logpipe');
  assert.equal(c.registryDir, '/var/lib/filebeat/registry.logpipe');
  assert.deepEqual(extra!['paths'], ['/var/log/extra/*.log']);
  assert.deepEqual(extra!['multiline'], { pattern: '^\\[', negate: true, match: 'after' });
  assert.deepEqual(c.settings, { batchSize: 512, batchDelayMs: 2000, shutdownTimeoutMs: 7000, logLevel: 'warn' });
  assert.deepEqual(c.graph.outputList.map((o) => o.definition.name), ['logstash']);
  assert.equal(c.graph.outputList[0]!.options['loadbalance'], true);
  // The first filter sets Filebeat's @metadata.
  assert.equal(c.graph.filterList[0]!.definition.name, 'beats_add_fields');
  assert.deepEqual(c.graph.filterList[0]!.options['fields'], { beat: 'filebeat', type: 'doc', version: '9.9.9' });
  assert.equal(c.dataDir, '/default/data');
});

test('7.x shape: inputs, config.inputs files, queue.mem, registry.path under path.data, processors, redis/file/console outputs', () => {
  const c = load(good('filebeat7.yml'));
  assert.equal(c.shape, 'ecs');
  assert.deepEqual(c.graph.inputs.map((i) => i.definition.name), ['filestream', 'log', 'log']);
  const [web, app, fromFile] = c.graph.inputs;
  assert.equal(web!.id, 'web');
  assert.equal(web!.options['field_layout'], 'ecs');
  assert.deepEqual(app!.options['json'], { keys_under_root: true });
  assert.deepEqual(fromFile!.options['paths'], ['/var/log/from-config-inputs.log']);
  const dataDir = join(testdata, 'good', 'data-dir');
  assert.equal(c.dataDir, dataDir);
  assert.equal(c.registryDir, join(dataDir, 'reg'));
  for (const i of c.graph.inputs) assert.equal(i.options['registry_path'], join(dataDir, 'reg'));
  assert.deepEqual(c.settings, { queueMaxEvents: 8192, batchSize: 1024, batchDelayMs: 250 });
  // metadata, the web input's processors (in its conditional), global processors, the label removed.
  assert.deepEqual(pluginNames(c.graph.filters), ['beats_add_fields', 'if(beats_add_tags)', 'beats_drop_event', 'beats_add_host_metadata', 'mutate']);
  assert.deepEqual(web!.options['add_field'], { '[@metadata][logpipe][input]': '1' });
  assert.equal(app!.options['add_field'], undefined);
  assert.deepEqual(c.graph.filterList.find((f) => f.definition.name === 'beats_drop_event')!.options['when'], { regexp: { message: '^DEBUG' } });
  assert.equal(c.graph.filterList.find((f) => f.definition.name === 'beats_add_host_metadata')!.options['netinfo_enabled'], false);

  const [redis, file, consoleOut] = c.graph.outputList;
  assert.equal(redis!.definition.name, 'redis');
  assert.deepEqual(redis!.options['host'], ['127.0.0.1:6379']);
  assert.equal(redis!.options['key'], 'logs-%{[fields][app]}');
  assert.deepEqual(redis!.options['keys'], [{ key: 'errors', when: { contains: { message: 'ERROR' } } }]);
  assert.equal(redis!.options['data_type'], 'channel');
  assert.equal(redis!.options['timeout'], 3);
  assert.equal(redis!.options['batch_events'], 100);
  assert.equal(redis!.options['db'], 2);
  assert.equal(file!.definition.name, 'beats_file');
  assert.equal(file!.options['path'], '/tmp/fb-out');
  assert.equal(file!.options['filename'], 'events');
  const codec = file!.options['codec'] as { name: string; settings: { name: string; value: unknown }[] };
  assert.equal(codec.name, 'beats_json');
  assert.deepEqual(codec.settings.map((x) => [x.name, x.value]), [['pretty', true]]);
  assert.equal(consoleOut!.definition.name, 'stdout');

  // reload: the glob and period, and a signature of the files read, for the agent to watch.
  assert.equal(c.reload?.glob, join(testdata, 'good', 'inputs.d', '*.yml'));
  assert.equal(c.reload?.periodMs, 10_000);
  assert.match(c.reload!.signature, /from-config-inputs\.log/);
  assert.ok(!c.warnings.some((w) => /reload|config\.modules/.test(w.reason)), c.warnings.map((w) => w.message).join('\n'));
});

test('6.x filebeat.config.prospectors: the files\' prospectors in the 5.x/6.x shape, reload settings read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-fb-prospectors-'));
  mkdirSync(join(dir, 'prospectors.d'));
  writeFileSync(join(dir, 'prospectors.d', 'app.yml'), '- input_type: log\n  document_type: app\n  paths: [/var/log/app.log]\n');
  const yml = join(dir, 'filebeat.yml');
  writeFileSync(yml, 'filebeat.config.prospectors:\n  path: prospectors.d/*.yml\n  reload.enabled: true\n  reload.period: 2s\noutput.console: {}\n');
  const c = load(yml);
  assert.equal(c.shape, 'legacy');
  assert.deepEqual(c.graph.inputs.map((i) => [i.options['paths'], i.options['type'], i.options['field_layout']]), [[['/var/log/app.log'], 'app', 'legacy']]);
  assert.deepEqual({ glob: c.reload?.glob, periodMs: c.reload?.periodMs }, { glob: join(dir, 'prospectors.d', '*.yml'), periodMs: 2000 });
  assert.deepEqual(c.warnings.map((w) => w.message), []);
});

test('format strings with defaults (%{[x]:default}) in output.redis key and output.kafka topic: the field when present, else the default', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-fb-defaults-'));
  const yml = join(dir, 'filebeat.yml');
  writeFileSync(yml, 'filebeat.inputs: [{type: log, paths: [/x.log]}]\n'
    + 'output.redis:\n  hosts: ["127.0.0.1:6379"]\n  key: "%{[fields.app]:noapp}-%{[fields.env]:prod}-%{[host.name]}"\n  keys:\n    - key: errors\n      when.contains.message: ERROR\n'
    + 'output.kafka:\n  hosts: ["k:9092"]\n  topic: "logs-%{[fields.topic]:misc}"\n');
  const c = load(yml);
  assert.deepEqual(c.warnings.map((w) => w.message), []);
  const [redis, kafka] = c.graph.outputList;
  const redisKey = compileKeySelector(redis!.options['key'] as string, redis!.options['keys'] as unknown[]);
  const event = (data: Record<string, unknown>) => new Event({ host: { name: 'h1' }, ...data });
  assert.equal(redisKey(event({ message: 'an ERROR', fields: { app: 'a' } })), 'errors', "the file's own rules come first");
  assert.equal(redisKey(event({ fields: { app: 'a', env: 'dev' } })), 'a-dev-h1');
  assert.equal(redisKey(event({ fields: { env: 'dev' } })), 'noapp-dev-h1');
  assert.equal(redisKey(event({ fields: { app: 'a' } })), 'a-prod-h1');
  assert.equal(redisKey(event({})), 'noapp-prod-h1');
  const topic = compileKeySelector(kafka!.options['topic_id'] as string, kafka!.options['topics'] as unknown[]);
  assert.equal(topic(event({ fields: { topic: 'web' } })), 'logs-web');
  assert.equal(topic(event({})), 'logs-misc');
});

test('file_identity (fingerprint, inode_marker), prospector.scanner.fingerprint and scan.sort/order reach the inputs, without warnings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-fb-fingerprint-'));
  const yml = join(dir, 'filebeat.yml');
  writeFileSync(yml, [
    'filebeat.inputs:',
    '  - type: filestream',
    '    id: x',
    '    paths: [/x.log]',
    '    file_identity.fingerprint: ~',
    '    prospector.scanner.fingerprint:',
    '      enabled: true',
    '      offset: 0',
    '      length: 64',
    '  - type: log',
    '    paths: [/y.log]',
    '    file_identity.inode_marker.path: /logs/.marker',
    '    harvester_limit: 2',
    '    scan.sort: modtime',
    '    scan.order: desc',
    '    scan.typo: x',
    'output.console: {}',
    '',
  ].join('\n'));
  assert.match(errorsOf(() => load(yml, { strict: true })).map((e) => e.message).join('\n'), /unknown setting "filebeat\.inputs\[1\]\.scan\.typo"/);
  const c = load(yml);
  const [stream, log] = c.graph.inputs;
  assert.deepEqual(stream!.options['file_identity'], { fingerprint: {} });
  assert.deepEqual(stream!.options['prospector'], { scanner: { fingerprint: { enabled: true, offset: 0, length: 64 } } });
  assert.deepEqual(log!.options['file_identity'], { inode_marker: { path: '/logs/.marker' } });
  assert.deepEqual(log!.options['scan'], { sort: 'modtime', order: 'desc' });
  assert.deepEqual(c.warnings.map((w) => w.message).filter((m) => !/scan\.typo/.test(m)), []);
  assert.ok(c.warnings.some((w) => /scan\.typo/.test(w.message)), 'a typo inside scan is reported');
});

test('filebeat.config.modules naming a module file is refused with what to do instead; config.inputs enabled: false loads nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-fb-modules-'));
  mkdirSync(join(dir, 'modules.d'));
  mkdirSync(join(dir, 'inputs.d'));
  writeFileSync(join(dir, 'modules.d', 'nginx.yml'), '- module: nginx\n  access: {enabled: true}\n');
  writeFileSync(join(dir, 'modules.d', 'system.yml.disabled'), '- module: system\n');
  writeFileSync(join(dir, 'inputs.d', 'x.yml'), '- type: log\n  paths: [/x.log]\n');
  const yml = join(dir, 'filebeat.yml');
  writeFileSync(yml, 'filebeat.inputs: [{type: log, paths: [/a.log]}]\nfilebeat.config.modules:\n  path: ${path.config}/modules.d/*.yml\n'
    + 'filebeat.config.inputs:\n  enabled: false\n  path: inputs.d/*.yml\noutput.console: {}\n');
  const errors = errorsOf(() => load(yml));
  assert.equal(errors.length, 1, errors.map((e) => e.message).join('\n'));
  assert.match(errors[0]!.reason, /modules\.d\/nginx\.yml: Filebeat modules are not available/);
  assert.match(errors[0]!.hint ?? '', /log or filestream input/);
  assert.equal(errors[0]!.location!.line, 3);
  rmSync(join(dir, 'modules.d', 'nginx.yml'));
  const c = load(yml);
  assert.deepEqual(c.graph.inputs.map((i) => i.options['paths']), [['/a.log']], 'the disabled config.inputs files are not read');
  assert.equal(c.reload, undefined);
});

test('--path.data wins over path.data in the file', () => {
  const c = load(good('filebeat7.yml'), { dataDir: '/from/flag' });
  assert.equal(c.dataDir, '/from/flag');
  assert.equal(c.registryDir, '/from/flag/reg');
});

test('unknown keys: warnings with file:line:column and the closest key; --strict makes them errors', () => {
  const file = bad('unknown-keys.yml');
  const c = load(file);
  const byLine = new Map(c.warnings.map((w) => [w.location!.line, w]));
  const typo = byLine.get(4)!;
  assert.equal(typo.location!.file, file);
  assert.equal(typo.location!.column, 5);
  assert.match(typo.reason, /filebeat\.inputs\[0\]\.scan_frequncy.*did you mean "scan_frequency"/);
  assert.match(byLine.get(5)!.reason, /"outptu".*did you mean "output"/);
  assert.match(byLine.get(10)!.reason, /"output\.logstash\.ssl\.verfication_mode".*did you mean "verification_mode"/);
  assert.equal(c.graph.outputList.length, 2);
  assert.deepEqual(c.graph.outputList[1]!.options['ssl'], {}, 'the typo is left out of the hash');

  const errors = errorsOf(() => load(file, { strict: true }));
  assert.deepEqual(errors.map((e) => `${e.location!.line}:${e.location!.column}`).sort(), ['10:3', '4:5', '5:1']);
  assert.match(errors[0]!.message, /unknown setting/);
});

test('the seed keys Filebeat knows but we do not implement are warnings, even under --strict', () => {
  const c = load(good('filebeat7.yml'), { strict: true });
  assert.ok(c.warnings.some((w) => /registry\.flush/.test(w.reason)));
});

test('bad YAML: a syntax error with its line and column', () => {
  const errors = errorsOf(() => load(bad('syntax.yml')));
  assert.match(errors[0]!.message, /YAML syntax error/);
  assert.equal(errors[0]!.location!.file, bad('syntax.yml'));
  assert.ok(errors[0]!.location!.line >= 3, String(errors[0]!.location!.line));
});

test('output.kafka becomes the kafka output (mapping details: kafka-output.test.ts); without a topic it is refused at its line', () => {
  const c = load(good('kafka.yml'));
  assert.deepEqual(c.graph.outputList.map((o) => o.definition.name), ['kafka']);
  assert.deepEqual(c.graph.outputList[0]!.options['bootstrap_servers'], ['k:9092']);
  assert.equal(c.graph.outputList[0]!.options['topic_id'], 't');
  const errors = errorsOf(() => load(bad('kafka-no-topic.yml')));
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /output\.kafka\.topic \(or topics\) is required/);
  assert.deepEqual([errors[0]!.location!.line, errors[0]!.location!.column], [4, 1]);
});

test('errors from translation and from compiling point into the YAML', () => {
  const errors = errorsOf(() => load(bad('compile.yml')));
  const at = (re: RegExp) => errors.find((e) => re.test(e.message));
  assert.deepEqual(at(/input type "stdin"/)?.location?.line, 5);
  assert.deepEqual(at(/range/)?.location?.line, 9);
  assert.deepEqual(at(/unknown processor "frobnicate"/)?.location?.line, 10);
  assert.ok(errors.length >= 3, errors.map((e) => e.message).join('\n'));
});

test('a compile error (bad duration) carries the YAML line and a source excerpt', () => {
  const errors = errorsOf(() => load(bad('duration.yml')));
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.location!.file, bad('duration.yml'));
  assert.equal(errors[0]!.location!.line, 4);
  assert.match(errors[0]!.message, /scan_frequency/);
  assert.match(errors[0]!.message, /banana/);
  assert.match(errors[0]!.excerpt ?? '', /scan_frequency: banana/);
});

test('${VAR} and ${VAR:default}; an undefined variable is an error at its line', () => {
  const errors = errorsOf(() => load(bad('env.yml')));
  assert.match(errors[0]!.message, /LOGPIPE_TEST_UNDEFINED_VAR/);
  assert.equal(errors[0]!.location!.line, 3);
});

test('output.file: permissions as the octal literal Filebeat writes, rotation keys passed on, Filebeat\'s defaults', () => {
  const c = load(good('filebeat5-file.yml'));
  const file = c.graph.outputList[0]!;
  assert.equal(file.definition.name, 'beats_file');
  assert.equal(file.options['permissions'], 0o640);
  assert.equal(file.options['path'], '/tmp/fb5');
  assert.equal(file.options['filename'], 'filebeat');
  assert.equal(file.options['rotate_every_kb'], 512);
  assert.equal(file.options['number_of_files'], 3);
  assert.equal(file.options['rotate_on_startup'], false);
  assert.deepEqual(c.warnings.map((w) => w.message), []);
  const defaults = load(good('filebeat7.yml')).graph.outputList[1]!;
  assert.deepEqual([defaults.options['rotate_every_kb'], defaults.options['number_of_files'], defaults.options['rotate_on_startup'], defaults.options['permissions']], [10240, 7, true, 0o600]);
});

test('logpipe.field_layout overrides the shape\'s layout; an input\'s field_layout overrides both', () => {
  const c = load(good('layout.yml'));
  assert.equal(c.shape, 'ecs');
  assert.deepEqual(c.graph.inputs.map((i) => i.options['field_layout']), ['legacy', 'ecs']);
});
