import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../../src/core/event.js';
import { compileTemplate, compileTemplateTree } from '../../src/core/sprintf.js';
import { Timestamp } from '../../src/core/timestamp.js';
import { compileJodaFormat } from '../../src/core/time/joda-format.js';

const at = new Timestamp(Date.UTC(2019, 3, 29, 16, 32, 59, 514));
const event = () => new Event({ '@timestamp': at, type: 'access', a: { b: 'deep' }, list: ['x', 'y'], map: { k: 1 }, n: 42 });

test('field references, nested references, arrays and hashes', () => {
  assert.equal(compileTemplate('%{type}-%{[a][b]}')(event()), 'access-deep');
  assert.equal(compileTemplate('%{list}')(event()), 'x,y');
  assert.equal(compileTemplate('%{map}')(event()), '{"k":1}');
  assert.equal(compileTemplate('n=%{n}')(event()), 'n=42');
});

test('a missing field leaves the reference text in place', () => {
  assert.equal(compileTemplate('/logs/%{nope}/%{[a][x]}.log')(event()), '/logs/%{nope}/%{[a][x]}.log');
});

test('date formats of @timestamp in UTC, and epoch seconds', () => {
  assert.equal(compileTemplate('logstash-%{+YYYY.MM.dd}')(event()), 'logstash-2019.04.29');
  assert.equal(compileTemplate('%{+yyyy-MM-dd HH:mm:ss.SSS}')(event()), '2019-04-29 16:32:59.514');
  assert.equal(compileTemplate('%{+%s}')(event()), String(Math.floor(at.epochMs / 1000)));
  assert.equal(compileTemplate('foo-bar-%{+YYYY.MM}')(event()), 'foo-bar-2019.04');
});

test('text without references is returned as is; unterminated references stay literal', () => {
  assert.equal(compileTemplate('plain')(event()), 'plain');
  assert.equal(compileTemplate('a %{type')(event()), 'a %{type');
});

test('joda formatter: names, week-based fields, literals', () => {
  const f = compileJodaFormat("EEE, dd MMM yyyy 'at' hh:mm a Z");
  assert.equal(f(at.epochMs), 'Mon, 29 Apr 2019 at 04:32 PM +0000');
  assert.equal(compileJodaFormat('EEEE MMMM D')(at.epochMs), 'Monday April 119');
  // 2021-01-03 is a Sunday in ISO week 53 of 2020.
  assert.equal(compileJodaFormat('xxxx-ww')(Date.UTC(2021, 0, 3)), '2020-53');
  assert.equal(compileJodaFormat("''yy''")(at.epochMs), "'19'");
});

test('compileTemplateTree renders strings and hash keys at any depth, other values as they are', () => {
  const render = compileTemplateTree({ 'k-%{a}': ['%{a}', 1, { deep: 'x%{[b][c]}' }], n: 2, none: null });
  assert.deepEqual(render(new Event({ a: 'A', b: { c: 3 } })), { 'k-A': ['A', 1, { deep: 'x3' }], n: 2, none: null });
});
