import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/core/errors.js';
import { plain, readYaml, type YMap } from '../../../src/config/filebeat/yaml.js';

test('dotted keys are paths, merged with the nested spelling of the same map', () => {
  const root = readYaml('f.yml', 'output.logstash.hosts: [a]\noutput:\n  logstash:\n    ssl.enabled: true\n  redis: {key: k}\n');
  assert.deepEqual(plain(root), { output: { logstash: { hosts: ['a'], ssl: { enabled: true } }, redis: { key: 'k' } } });
});

test('every key keeps its file:line:column', () => {
  const root = readYaml('f.yml', 'a:\n  b: 1\nc.d: 2\n') as YMap;
  const a = root.entries[0]!;
  assert.deepEqual(a.location, { file: 'f.yml', line: 1, column: 1 });
  const b = (a.value as YMap).entries[0]!;
  assert.deepEqual([b.location.line, b.location.column], [2, 3]);
  const d = ((root.entries[1]!.value) as YMap).entries[0]!;
  assert.deepEqual([d.key, d.location.line, d.location.column], ['d', 3, 1]);
});

test('a later value of the same path wins', () => {
  assert.deepEqual(plain(readYaml('f.yml', 'a.b: 1\na:\n  b: 2\n')), { a: { b: 2 } });
});

test('${VAR}, ${VAR:default}; undefined without default is an error at the value', () => {
  const env = { HOST: 'h1' };
  assert.deepEqual(plain(readYaml('f.yml', 'a: ${HOST}:5044\nb: ${PORT:6379}\n', { env })), { a: 'h1:5044', b: '6379' });
  assert.throws(() => readYaml('f.yml', 'x: 1\na: ${NOPE}\n', { env }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.location!.line, 2);
    assert.match(err.message, /"NOPE" is not defined/);
    return true;
  });
});

test('a syntax error reports its line and column', () => {
  assert.throws(() => readYaml('f.yml', 'a: 1\nb: [1, 2\nc: 3\n'), (err: unknown) => {
    const e = err instanceof ConfigError ? err : (err as { errors: ConfigError[] }).errors[0]!;
    assert.match(e.message, /^f\.yml:\d+:\d+: YAML syntax error/);
    assert.ok(e.location!.line >= 2);
    return true;
  });
});

test('an empty file is an empty map', () => {
  assert.deepEqual(plain(readYaml('f.yml', '# nothing\n')), {});
});

test('YAML 1.1 as Filebeat reads it: yes/no/on/off are booleans, 0600 is octal', () => {
  assert.deepEqual(plain(readYaml('f.yml', 'a: yes\nb: off\nc: 0600\nd: "0600"\n')), { a: true, b: false, c: 384, d: '0600' });
});
