import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/core/errors.js';
import { loadGraph } from '../../src/config/load.js';
import { builtinRegistry } from '../../src/plugins/builtins.js';

const load = (text: string) => loadGraph([{ name: 'p.conf', text }], { registry: builtinRegistry(), supportEscapes: false });

test('compiles sections, conditionals and ids', () => {
  const g = load(`
input { generator { count => 1 } stdin { id => "in" } }
filter { }
output {
  if [type] == "a" { stdout { codec => json_lines } } else { null {} }
  file { path => "/tmp/x.log" }
}`);
  assert.equal(g.inputs.length, 2);
  assert.equal(g.inputs[1]!.id, 'in');
  assert.equal(g.outputList.length, 3);
  assert.equal(g.outputs[0]!.kind, 'if');
  assert.deepEqual(g.outputList.map((o) => o.definition.name), ['stdout', 'null', 'file']);
});

test('an unsupported Logstash plugin names what to use instead', () => {
  assert.throws(() => load('input { stdin {} }\noutput {\n  webhdfs { host => "h" }\n}'), (e: Error) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /p\.conf:3:3: output plugin "webhdfs" is not supported/);
    assert.match(e.message, /"file" output/);
    return true;
  });
  assert.throws(() => load('input { stdin {} } output { webhdfs { } }'), /output plugin "webhdfs" is not supported[\s\S]*"file" output/);
  // kafka is implemented now: a missing option is what is reported.
  assert.throws(() => load('input { stdin {} } output { kafka { } }'), /requires option "topic_id"/);
  // jdbc is implemented now (the sql output's Logstash name): a missing option is what is reported.
  assert.throws(() => load('input { stdin {} } output { jdbc { } }'), /requires option "connection_string"/);
});

test('an unknown plugin suggests the closest name; an unknown codec is caught at compile time', () => {
  assert.throws(() => load('input { stdinn {} } output { null {} }'), /unknown input plugin "stdinn"[\s\S]*did you mean "stdin"/);
  assert.throws(() => load('input { stdin { codec => jsn } } output { null {} }'), /unknown codec plugin "jsn"[\s\S]*did you mean "json"/);
  assert.throws(() => load('input { stdin {} } output { stdout { codec => line { formt => "x" } } }'), /unknown option "formt"[\s\S]*did you mean "format"/);
});

test('every error in a config is reported, each with its location', () => {
  try {
    load('input { stdin { bogus => 1 } }\noutput {\n  file { }\n  null { id => 3 foo => 2 }\n}');
    assert.fail('expected errors');
  } catch (e) {
    const text = (e as Error).message;
    assert.match(text, /p\.conf:1:17: unknown option "bogus"/);
    assert.match(text, /p\.conf:3:3: output plugin "file" requires option "path"/);
    assert.match(text, /p\.conf:4:\d+: unknown option "foo"/);
  }
});

test('duplicate ids and conditionals in input are refused', () => {
  assert.throws(() => load('input { stdin { id => "x" } generator { id => "x" } } output { null {} }'), /duplicate plugin id "x"/);
});

test('${VAR} and ${VAR:default} are substituted from the environment', () => {
  process.env['LOGPIPE_TEST_OUT'] = '/tmp/from-env.log';
  const g = load('input { stdin {} } output { file { path => "${LOGPIPE_TEST_OUT}" } file { path => "${LOGPIPE_UNSET_VAR:/tmp/default.log}" } }');
  assert.equal(g.outputList[0]!.options['path'], '/tmp/from-env.log');
  assert.equal(g.outputList[1]!.options['path'], '/tmp/default.log');
  assert.throws(() => load('input { stdin {} } output { file { path => "${LOGPIPE_UNSET_VAR}" } }'), /environment variable "LOGPIPE_UNSET_VAR" is not defined/);
});
