/**
 * Grok behaviours checked against Logstash's grok and pattern specs (read for behaviour;
 * the sample lines are ours): how `%{...}` references are read, POSIX classes on
 * Unicode text, and which legacy captures stay strings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGrok, standardPatterns } from '../../../../src/plugins/filters/grok/index.js';

const grok = (pattern: string, ecs: 'disabled' | 'v1' = 'disabled') => compileGrok(pattern, { patterns: standardPatterns(ecs) });

test('text after the pattern name inside %{...} is ignored, as Logstash\'s grok reads references', () => {
  assert.deepEqual(grok('%{WORD:w trailing words} %{INT:n?} %{INT:m:int and more}').match('abc 12 34'), { w: 'abc', n: '12', m: 34 });
  assert.deepEqual(grok('%{WORD anything at all}-%{WORD:x}').match('a-b'), { x: 'b' });
  // A field name stops at the first character Logstash does not allow in it.
  assert.deepEqual(grok('%{WORD:[a][b] c}').match('v'), { a: { b: 'v' } });
});

test('%{NAME=regex} defines NAME inline for the rest of the expression', () => {
  assert.deepEqual(grok('%{PAIR:p=\\d+-\\d+} then %{PAIR:q}').match('1-2 then 30-40'), { p: '1-2', q: '30-40' });
});

test('POSIX bracket classes match Unicode letters and digits as Ruby does on UTF-8; \\w stays ASCII', () => {
  const g = grok('^(?<name>[[:alpha:]]+) (?<n>[[:digit:]]+) (?<id>[[:alnum:]_]+) (?<w>\\w+)');
  assert.deepEqual(g.match('Zürich ٣٤ Straße_9 abc'), { name: 'Zürich', n: '٣٤', id: 'Straße_9', w: 'abc' });
  assert.equal(grok('^\\w+$').match('Zürich'), null, '\\w is [a-zA-Z0-9_] in Ruby');
  assert.deepEqual(grok('^(?<u>[[:upper:]]+)(?<l>[[:lower:]]+)$').match('ÉÇa\u00df'), { u: 'ÉÇ', l: 'aß' });
  assert.deepEqual(grok('^(?<p>[[:punct:]]+)$').match('¿!«»'), { p: '¿!«»' });
});

test('legacy captures upstream leaves as strings stay strings (redis monitor port, bind9 client port, syslog 5424 pri/version)', () => {
  assert.equal(grok('%{REDISMONLOG}').match('1470000000.000001 [2 10.1.1.1:6001] "get" "k"')!['port'], '6001');
  const bind = grok('%{BIND9}').match('05-Jan-2025 11:22:33.444 queries: info: client @0xabc 10.2.3.4#40000 (ex.org): query: ex.org IN A + (10.0.0.53)')!;
  assert.equal(bind['clientport'], '40000');
  assert.deepEqual(bind['query'], ['ex.org', 'ex.org'], 'a name captured twice gives both values, as in Logstash');
  const s = grok('%{SYSLOG5424LINE}').match('<13>1 2025-01-05T11:22:33Z h1 app 77 m1 - hello')!;
  assert.equal(s['syslog5424_pri'], '13');
  assert.equal(s['syslog5424_ver'], '1');
  // ECS mode converts where upstream's ecs-v1 file says :int.
  assert.equal((grok('%{REDISMONLOG}', 'v1').match('1470000000.000001 [2 10.1.1.1:6001] "get" "k"')!['client'] as Record<string, unknown>)['port'], 6001);
});
