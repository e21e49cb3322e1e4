import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGrok, standardPatterns } from '../../../../src/plugins/filters/grok/index.js';

const lib = standardPatterns('disabled');
const grok = (p: string, defs: Record<string, string> = {}) =>
  compileGrok(p, { patterns: new Map([...lib, ...Object.entries(defs)]) });

test('atomic groups keep Oniguruma semantics: a number never gives back digits', () => {
  // Oniguruma: (?>1.5) cannot backtrack to "1", so "\.5" has nothing left to match.
  assert.equal(grok('^%{NUMBER:n}\\.5$').match('1.5'), null);
  // The same expression with a plain group would backtrack and match:
  assert.deepEqual(grok('^(?<n>[0-9]+(?:\\.[0-9]+)?)\\.5$').match('1.5'), { n: '1' });
  assert.deepEqual(grok('^%{NUMBER:n}\\.x$').match('1.x'), { n: '1' });
});

test('an optional group may match empty, as in Oniguruma: (%{DATA:x})? takes "" instead of eating the next fields', () => {
  // pfSense filterlog heads: rule,sub-rule,anchor,tracker,interface,... with empty sub-rule and anchor.
  const line = '5,,,1000000103,igb0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60';
  const head = grok('^(%{NONNEGINT:rule})?,(%{NONNEGINT:sub})?,(%{DATA:anchor})?,(%{NONNEGINT:tracker})?,%{DATA:iface},%{WORD:reason},%{WORD:action},%{WORD:dir},%{INT:ipver},%{GREEDYDATA:rest}');
  assert.deepEqual(head.match(line), { rule: '5', tracker: '1000000103', iface: 'igb0', reason: 'match', action: 'block', dir: 'in', ipver: '4', rest: '0x0,,64,0,0,DF,6,tcp,60' });
  const suffixed = grok('^%{INT:rule}?,%{INT:sub}?,%{DATA:anchor}?,%{INT:tracker}?,%{DATA:iface},%{WORD:reason}');
  assert.deepEqual(suffixed.match(line), { rule: '5', tracker: '1000000103', iface: 'igb0', reason: 'match' });
  // Lazy optional: skipped first, taken only when needed.
  assert.deepEqual(grok('^(?<a>x)??(?<b>x?)$').match('x'), { b: 'x' });
  assert.deepEqual(grok('^(?<a>x)?(?<b>x?)$').match('x'), { a: 'x' });
});

test('possessive quantifiers do not give back', () => {
  assert.equal(grok('^(?<a>a*+)a$').match('aaa'), null);
  assert.deepEqual(grok('^(?<a>a*)a$').match('aaa'), { a: 'aa' });
});

test('POSIX bracket classes inside classes', () => {
  assert.deepEqual(grok('^(?<p>[[:alpha:]_]+)$').match('ab_C'), { p: 'ab_C' });
  assert.equal(grok('^(?<p>[[:alpha:]]+)$').match('ab1'), null);
  assert.deepEqual(grok('^%{UNIXPATH:p}$').match('/var/log/app-1.log'), { p: '/var/log/app-1.log' });
});

test('dot matches newlines as in Logstash (grok compiles with Regexp::MULTILINE); (?-m) makes it exclude only \\n', () => {
  assert.deepEqual(grok('^(?<x>a.b)$').match('a\rb'), { x: 'a\rb' });
  assert.deepEqual(grok('^(?<x>a.b)').match('a\nb'), { x: 'a\nb' });
  assert.deepEqual(grok('(?m)^(?<x>a.b)').match('a\nb'), { x: 'a\nb' });
  assert.deepEqual(grok('^%{GREEDYDATA:all}').match('first\nsecond'), { all: 'first\nsecond' });
  assert.equal(grok('(?-m)^(?<x>a.b)').match('a\nb'), null);
  assert.deepEqual(grok('(?-m)^(?<x>a.b)$').match('a\rb'), { x: 'a\rb' });
});

test('^ and $ are line anchors; \\A and \\z are string anchors', () => {
  assert.deepEqual(grok('^%{WORD:w}$').match('one two\nthree'), { w: 'three' });
  assert.equal(grok('\\A%{WORD:w}\\z').match('one\ntwo'), null);
  assert.deepEqual(grok('\\A%{WORD:w}\\z').match('one'), { w: 'one' });
});

test('{,n}, \\h, \\x{HH}, comments and field names with brackets', () => {
  assert.deepEqual(grok('^(?<h>\\h{,4})(?#hex)\\x{41}$').match('beefA'), { h: 'beef' });
  assert.deepEqual(grok('^(?<[a][b]>\\d+):%{INT:[a][c]:int}$').match('12:34'), { a: { b: '12', c: 34 } });
});

test('type conversion follows Ruby to_i / to_f', () => {
  assert.deepEqual(grok('^%{NUMBER:a:int} %{NUMBER:b:float} %{NOTSPACE:c:int}$').match('3.7 2.5 abc'), { a: 3, b: 2.5, c: 0 });
});

test('undefined pattern and self reference are compile errors', () => {
  assert.throws(() => grok('%{NOPE}'), /not defined/);
  assert.throws(() => grok('%{LOOP}', { LOOP: 'a%{LOOP}' }), /refers to itself/);
});

test('unnamed %{SYNTAX} captures are kept only when named_captures_only is false', () => {
  const p = new Map([...lib]);
  assert.deepEqual(compileGrok('^%{INT} %{INT:b}$', { patterns: p }).match('1 2'), { b: '2' });
  assert.deepEqual(compileGrok('^%{INT} %{INT:b}$', { patterns: p, namedCapturesOnly: false }).match('1 2'), { INT: '1', b: '2' });
});
