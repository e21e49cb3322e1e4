import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConfig, type CheckOptions } from '../../src/cli/check.js';
import { createLogger } from '../../src/core/logger.js';
import { defaultSettings } from '../../src/pipeline/settings.js';
import type { ConfigSource } from '../../src/config/logstash/ast.js';

const options = (o: Partial<CheckOptions> = {}): CheckOptions => ({ syntaxOnly: false, strict: false, fragment: false, logger: createLogger('error'), ...o });
const check = (sources: ConfigSource[], o: Partial<CheckOptions> = {}) => checkConfig(sources, defaultSettings(), options(o));
const where = (problems: { location?: { file: string; line: number; column: number } | undefined; reason: string }[]): string[] =>
  problems.map((p) => (p.location ? `${p.location.file}:${p.location.line}:${p.location.column}` : '-'));

test('every problem is reported: parse errors of each file, compile errors, and every plugin that fails to build', async () => {
  const report = await check([
    { name: 'a.conf', text: 'input { stdin {} }\nfilter {\n  grok { match => { "message" => "%{NO_SUCH_ONE:x}" } }\n  date { match => ["t", "yyyy-MM-ddTHH"] }\n  mutate { nosuch => 1 }\n}\n' },
    { name: 'b.conf', text: 'filter { m { k => } }\n' },
    { name: 'c.conf', text: 'output {\n  stdout { codec => nosuchcodec }\n  grok_out {}\n}\n' },
  ]);
  const seen = report.problems.map((p) => `${p.location ? `${p.location.file}:${p.location.line}:${p.location.column}` : '-'} ${p.reason}`);
  assert.ok(seen.some((s) => s.startsWith('b.conf:1:19 expected a value')), seen.join('\n'));
  assert.ok(seen.some((s) => s.startsWith('a.conf:5:12 unknown option "nosuch"')), seen.join('\n'));
  assert.ok(seen.some((s) => s.startsWith('c.conf:2:12 unknown codec plugin "nosuchcodec"')), seen.join('\n'));
  assert.ok(seen.some((s) => s.startsWith('c.conf:3:3 unknown output plugin "grok_out"')), seen.join('\n'));
  assert.ok(seen.some((s) => s.startsWith('a.conf:3:3 ') && s.includes('NO_SUCH_ONE')), seen.join('\n'));
  assert.ok(seen.some((s) => s.startsWith('a.conf:4:3 ')), `the date filter's bad format is reported too:\n${seen.join('\n')}`);
  for (const p of report.problems) assert.ok(p.excerpt?.includes('^'), `excerpt with a caret: ${p.message}`);
});

test('a filter-only file says which sections are missing; --fragment accepts it', async () => {
  const sources = [{ name: '10-filter.conf', text: 'filter { mutate { add_tag => ["x"] } }\n' }];
  const report = await check(sources);
  assert.deepEqual(report.problems.map((p) => p.reason.split(' (')[0]), [
    'the configuration has no input section with a plugin in it',
    'the configuration has no output section with a plugin in it',
  ]);
  assert.match(report.problems[0]!.hint ?? '', /--fragment/);
  assert.deepEqual((await check(sources, { fragment: true })).problems, []);
});

test('--strict reports what Logstash\'s grammar refuses; without it the config is OK', async () => {
  const sources = [{ name: 's.conf', text: 'input { stdin {} }\nfilter { mutate { add_field => { "a" => "1", "b" => "2" } } }\noutput { stdout {} }\n' }];
  assert.deepEqual((await check(sources)).problems, []);
  const strict = await check(sources, { strict: true });
  assert.deepEqual(where(strict.problems), ['s.conf:2:44']);
  assert.match(strict.problems[0]!.reason, /^Logstash would refuse this: a comma between hash entries/);
  assert.deepEqual(where((await check(sources, { strict: true, syntaxOnly: true })).problems), ['s.conf:2:44']);
});

test('a valid config has no problems and a summary', async () => {
  const report = await check([{ name: 'ok.conf', text: 'input { stdin {} }\nfilter { if [a] { drop {} } elseif [b] { drop {} } }\noutput { null {} }\n' }]);
  assert.deepEqual(report.problems, []);
  assert.equal(report.summary, 'Configuration OK (1 inputs, 2 filters, 1 outputs)');
});

test('a refused codec is reported once, and the codec of a plugin logpipe lacks is reported too; an unknown charset points at its codec', async () => {
  const report = await check([{ name: 'c.conf', text: 'input {\n  stdin { codec => msgpack }\n  s3 { bucket => "b" codec => cloudtrail {} }\n  tcp { port => 1 codec => plain { charset => "UTF-9" } }\n  udp { port => 1 codec => plain { charset => "CP1252" } }\n}\noutput { null {} }\n' }]);
  assert.deepEqual(report.problems.map((p) => `${where([p])[0]} ${p.reason}`), [
    'c.conf:2:11 input plugin "stdin" carries text and cannot use the binary codec "msgpack"',
    'c.conf:3:3 input plugin "s3" is not supported by logpipe',
    'c.conf:3:31 codec plugin "cloudtrail" is not supported by logpipe',
    'c.conf:4:28 unknown charset "UTF-9"',
  ]);
  assert.match(report.problems[3]!.hint ?? '', /close names: UTF-8/);
});

test('plugins real configs use that logpipe lacks get a specific line, not "unknown plugin"', async () => {
  const report = await check([{ name: 'p.conf', text: 'input { pipeline { address => "a" } elasticsearch { hosts => "x" } }\noutput { pipeline { send_to => ["b"] } syslog { host => "h" } gelf { host => "g" } }\n' }]);
  assert.deepEqual(report.problems.map((p) => p.reason), [
    'input plugin "pipeline" is not supported by logpipe',
    'input plugin "elasticsearch" is not supported by logpipe',
    'output plugin "pipeline" is not supported by logpipe',
    'output plugin "syslog" is not supported by logpipe',
    'output plugin "gelf" is not supported by logpipe',
  ]);
  for (const p of report.problems) assert.doesNotMatch(p.hint ?? '', /^available/, p.reason);
});
