import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../../../src/core/event.js';
import { ConfigError } from '../../../src/core/errors.js';
import { Timestamp } from '../../../src/core/timestamp.js';
import { parseConfig } from '../../../src/config/logstash/parser.js';
import { compileCondition, inValues, isTruthy, valuesEqual } from '../../../src/config/logstash/condition.js';
import type { ConditionNode, IfNode } from '../../../src/config/logstash/ast.js';

function node(text: string): ConditionNode {
  const ast = parseConfig([{ name: 'c.conf', text: `filter { if ${text} { } }` }]);
  return (ast.sections[0]!.body[0] as IfNode).branches[0]!.condition;
}

/** Evaluates `condition` against an event built from `fields`. */
function check(condition: string, fields: Record<string, unknown>, metadata?: Record<string, unknown>): boolean {
  return compileCondition(node(condition))(new Event(structuredClone(fields), metadata));
}

const LOC = { file: 'x', line: 1, column: 1 };

test('== and != : no coercion between strings and numbers; int equals float', () => {
  assert.equal(check('[s] == 200', { s: 200 }), true);
  assert.equal(check('[s] == 200', { s: 200.0 }), true);
  assert.equal(check('[s] == 200.0', { s: 200 }), true);
  assert.equal(check('[s] == 200', { s: '200' }), false);
  assert.equal(check('[s] == "200"', { s: 200 }), false);
  assert.equal(check('[s] != "200"', { s: 200 }), true);
  assert.equal(check('[s] == "x"', { s: 'x' }), true);
  assert.equal(check('[s] != "x"', { s: 'x' }), false);
  assert.equal(check('"x" == [s]', { s: 'x' }), true);
});

test('== on a missing field is false, != is true', () => {
  assert.equal(check('[nope] == "x"', {}), false);
  assert.equal(check('[nope] != "x"', {}), true);
  assert.equal(check('[nope] == 0', {}), false);
});

test('== between fields compares deeply (arrays, hashes, nested refs)', () => {
  const ev = { a: [1, { b: 'c' }], b: [1, { b: 'c' }], c: [1, { b: 'd' }], h: { x: 1, y: [2] }, g: { y: [2], x: 1 } };
  assert.equal(check('[a] == [b]', ev), true);
  assert.equal(check('[a] == [c]', ev), false);
  assert.equal(check('[h] == [g]', ev), true);
  assert.equal(check('[a][1][b] == "c"', ev), true);
  assert.equal(check('[h][y][0] == 2', ev), true);
  assert.equal(check('[a] == [1]', ev), false, '[1] is a field reference here, as in Logstash');
  assert.equal(check('[a] != [c]', ev), true);
});

test('ordering comparisons: numbers with numbers, strings with strings, otherwise false', () => {
  const ev = { n: 10, f: 2.5, s: 'b', ns: '10' };
  assert.equal(check('[n] > 9', ev), true);
  assert.equal(check('[n] > 10', ev), false);
  assert.equal(check('[n] >= 10', ev), true);
  assert.equal(check('[n] < 10.5', ev), true);
  assert.equal(check('[n] <= 9.99', ev), false);
  assert.equal(check('[f] < [n]', ev), true);
  assert.equal(check('[n] > -1', ev), true);
  assert.equal(check('[s] > "a"', ev), true);
  assert.equal(check('[s] < "a"', ev), false);
  assert.equal(check('[s] <= "b"', ev), true);
  // Mixed types never compare, in either direction.
  assert.equal(check('[ns] > 5', ev), false);
  assert.equal(check('[ns] < 5', ev), false);
  assert.equal(check('[n] > "5"', ev), false);
  // Missing fields make every ordering comparison false.
  for (const op of ['<', '>', '<=', '>=']) assert.equal(check(`[missing] ${op} 1`, ev), false, op);
});

test('timestamps compare with each other', () => {
  const e = new Event({ '@timestamp': new Timestamp(1000), later: new Timestamp(2000), same: new Timestamp(1000) });
  assert.equal(compileCondition(node('[@timestamp] < [later]'))(e), true);
  assert.equal(compileCondition(node('[@timestamp] == [same]'))(e), true);
  assert.equal(compileCondition(node('[@timestamp] > [later]'))(e), false);
});

test('=~ and !~ with regex literals and strings', () => {
  assert.equal(check('[m] =~ /err(or)?/', { m: 'an error here' }), true);
  assert.equal(check('[m] =~ /^ERR/', { m: 'an error' }), false);
  assert.equal(check('[m] !~ /^ERR/', { m: 'an error' }), true);
  assert.equal(check('[m] =~ "\\d{3}"', { m: 'code 404' }), true);
  assert.equal(check('[p] =~ /^\\/var\\/log\\//', { p: '/var/log/syslog' }), true);
  assert.equal(check('[p] =~ /^\\/var\\/log\\//', { p: '/tmp/var/log/' }), false);
});

test('=~ on a non-string or missing field is false; !~ is then true', () => {
  assert.equal(check('[n] =~ /1/', { n: 1 }), false);
  assert.equal(check('[n] =~ /1/', { n: ['1'] }), false);
  assert.equal(check('[x] =~ /./', {}), false);
  assert.equal(check('[x] !~ /./', {}), true);
});

test('Ruby regex dialect: \\A \\z \\Z, (?i), multiline ^ $, POSIX classes, \\h', () => {
  assert.equal(check('[m] =~ /\\Aab\\z/', { m: 'ab' }), true);
  assert.equal(check('[m] =~ /\\Aab\\z/', { m: 'ab\n' }), false);
  assert.equal(check('[m] =~ /\\Aab\\Z/', { m: 'ab\n' }), true);
  assert.equal(check('[m] =~ /\\Ab/', { m: 'a\nb' }), false);
  // Ruby's ^ and $ match at every line.
  assert.equal(check('[m] =~ /^b$/', { m: 'a\nb\nc' }), true);
  assert.equal(check('[m] =~ /(?i)hello/', { m: 'HeLLo' }), true);
  assert.equal(check('[m] =~ /hello/', { m: 'HeLLo' }), false);
  assert.equal(check('[m] =~ /^[[:digit:]]+$/', { m: '123' }), true);
  assert.equal(check('[m] =~ /^[[:alpha:]]+$/', { m: 'ab1' }), false);
  assert.equal(check('[m] =~ /^\\h+$/', { m: 'deadBEEF' }), true);
  assert.equal(check('[m] =~ /^\\h+$/', { m: 'xyz' }), false);
  // (?m) in Ruby makes "." match newlines.
  assert.equal(check('[m] =~ /(?m)a.b/', { m: 'a\nb' }), true);
  assert.equal(check('[m] =~ /a.b/', { m: 'a\nb' }), false);
  assert.equal(check('[m] =~ /(?x) a \\s b # comment/', { m: 'a b' }), true);
});

test('regexes are compiled once, not per event', () => {
  const original = globalThis.RegExp;
  let constructed = 0;
  const pred = compileCondition(node('[m] =~ /abc/'));
  globalThis.RegExp = new Proxy(original, { construct(t, args) { constructed++; return Reflect.construct(t, args); } });
  try {
    for (let i = 0; i < 10; i++) pred(new Event({ m: 'xabcx' }));
  } finally {
    globalThis.RegExp = original;
  }
  assert.equal(constructed, 0);
});

test('in: array literal membership (string forms, like Logstash)', () => {
  assert.equal(check('[s] in [200, 404]', { s: 404 }), true);
  assert.equal(check('[s] in [200, 404]', { s: '404' }), true);
  assert.equal(check('[s] in ["a", "b"]', { s: 'b' }), true);
  assert.equal(check('[s] in ["a", "b"]', { s: 'c' }), false);
  assert.equal(check('[s] in ["a"]', { s: 'a' }), true, 'one-element array, not a field named "a"');
  assert.equal(check('[s] in []', { s: 'a' }), false);
  assert.equal(check('[s] in ["a", "b"]', {}), false);
  assert.equal(check('[s] not in ["a", "b"]', { s: 'c' }), true);
  assert.equal(check('[s] not in ["a", "b"]', { s: 'a' }), false);
});

test('in: field holding an array or string', () => {
  const ev = { tags: ['_grokparsefailure', 'x'], msg: 'an error occurred', codes: [200, 404], ids: [[1, 2]] };
  assert.equal(check('"_grokparsefailure" in [tags]', ev), true);
  assert.equal(check('"_grok" in [tags]', ev), false, 'membership, not substring, for arrays');
  assert.equal(check('"error" in [msg]', ev), true, 'substring for strings');
  assert.equal(check('"nope" in [msg]', ev), false);
  assert.equal(check('404 in [codes]', ev), true);
  assert.equal(check('"404" in [codes]', ev), false, 'no coercion against a field array');
  assert.equal(check('[1, 2] in [ids]', ev), true, 'deep equality of members');
  assert.equal(check('[x] in [tags]', { ...ev, x: 'x' }), true);
  assert.equal(check('[x] in [msg]', { ...ev, x: 'error' }), true);
  assert.equal(check('[x] in [msg]', { ...ev, x: 5 }), false);
  assert.equal(check('[x] in [tags]', { ...ev, x: ['x'] }), false);
});

test('in: field in a string constant is a substring test', () => {
  assert.equal(check('[s] in "abcdef"', { s: 'cde' }), true);
  assert.equal(check('[s] in "abcdef"', { s: 'xyz' }), false);
  assert.equal(check('[s] in "abcdef"', { s: 1 }), false);
});

test('in / not in with missing fields: in is false, not in is true', () => {
  assert.equal(check('"x" in [tags]', {}), false);
  assert.equal(check('"x" not in [tags]', {}), true);
  assert.equal(check('[missing] in [tags]', { tags: ['a'] }), false);
  assert.equal(check('[missing] not in [tags]', { tags: ['a'] }), true);
  assert.equal(check('"x" not in [tags]', { tags: ['x'] }), false);
});

test('truthiness: exists and not null/false/""/"false"', () => {
  assert.equal(check('[a]', { a: 'x' }), true);
  assert.equal(check('[a]', { a: 0 }), true);
  assert.equal(check('[a]', { a: [] }), true);
  assert.equal(check('[a]', { a: {} }), true);
  assert.equal(check('[a]', { a: true }), true);
  assert.equal(check('[a]', {}), false);
  assert.equal(check('[a]', { a: null }), false);
  assert.equal(check('[a]', { a: false }), false);
  assert.equal(check('[a]', { a: '' }), false);
  assert.equal(check('[a]', { a: 'false' }), false);
  assert.equal(check('[a][b]', { a: { b: 1 } }), true);
  assert.equal(check('[a][b]', { a: 'str' }), false);
  assert.equal(check('![a]', {}), true);
  assert.equal(check('![a]', { a: 1 }), false);
  assert.equal(check('"lit"', {}), true);
  assert.equal(check('""', {}), false);
});

test('@metadata references', () => {
  assert.equal(check('[@metadata][idx] == "a"', {}, { idx: 'a' }), true);
  assert.equal(check('[@metadata][idx]', { '@metadata': 'no' }), false);
});

test('boolean operators and precedence', () => {
  const t = { t: true };
  const row = (a: boolean, b: boolean, c: boolean): Record<string, unknown> => ({ a, b, c, ...t });
  for (const a of [false, true]) {
    for (const b of [false, true]) {
      for (const c of [false, true]) {
        const ev = row(a, b, c);
        assert.equal(check('[a] or [b] and [c]', ev), a || (b && c), `a or b and c ${a}${b}${c}`);
        assert.equal(check('[a] and [b] or [c]', ev), (a && b) || c, `a and b or c ${a}${b}${c}`);
        assert.equal(check('([a] or [b]) and [c]', ev), (a || b) && c);
        assert.equal(check('[a] xor [b]', ev), a !== b);
        assert.equal(check('[a] nand [b]', ev), !(a && b));
        assert.equal(check('[a] xor [b] xor [c]', ev), (a !== b) !== c);
        assert.equal(check('[a] nand [b] nand [c]', ev), !(!(a && b) && c), 'left-assoc nand');
        assert.equal(check('!([a] and [b])', ev), !(a && b));
        assert.equal(check('[a] and [b] and [c] or [a]', ev), (a && b && c) || a);
      }
    }
  }
});

test('and / or short-circuit', () => {
  let reads = 0;
  const data: Record<string, unknown> = {};
  Object.defineProperty(data, 'b', { enumerable: true, get() { reads++; return true; } });
  const e = new Event(data);
  e.data.a = false;
  compileCondition(node('[a] and [b]'))(e);
  assert.equal(reads, 0);
  e.data.a = true;
  compileCondition(node('[a] or [b]'))(e);
  assert.equal(reads, 0);
});

test('constant conditions fold at compile time', () => {
  assert.equal(check('1 == 1', {}), true);
  assert.equal(check('"a" in ["a", "b"]', {}), true);
  assert.equal(check('"b" in "abc"', {}), true);
  assert.equal(check('"z" in "abc"', {}), false);
  assert.equal(check('"abc" =~ /b/', {}), true);
});

test('method calls are rejected at compile time with their location', () => {
  assert.throws(() => compileCondition(node('len([a]) > 1')), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.deepEqual(e.location, { file: 'c.conf', line: 1, column: 13 });
    assert.match(e.reason, /method calls/);
    return true;
  });
});

test('compileCondition works on hand-built ASTs and reports bad regexes', () => {
  const good: ConditionNode = {
    kind: 'in', negate: false, location: LOC,
    left: { kind: 'string', value: 'b', location: LOC },
    right: { kind: 'field', reference: '[list]', location: LOC },
  };
  assert.equal(compileCondition(good)(new Event({ list: ['a', 'b'] })), true);
  const bad: ConditionNode = {
    kind: 'match', negate: false, location: LOC,
    left: { kind: 'field', reference: 'm', location: LOC },
    pattern: { kind: 'regex', source: '(', location: LOC },
  };
  assert.throws(() => compileCondition(bad), ConfigError);
});

test('helpers: valuesEqual, inValues, isTruthy', () => {
  assert.equal(valuesEqual(1, 1.0), true);
  assert.equal(valuesEqual('1', 1), false);
  assert.equal(valuesEqual(null, undefined), true);
  assert.equal(valuesEqual([1, [2]], [1, [2]]), true);
  assert.equal(valuesEqual({ a: 1 }, { a: 1, b: 2 }), false);
  assert.equal(valuesEqual([], {}), false);
  assert.equal(inValues('a', ['a']), true);
  assert.equal(inValues(undefined, [undefined]), false);
  assert.equal(inValues('bc', 'abcd'), true);
  assert.equal(inValues(3, 3), true);
  assert.equal(isTruthy(0), true);
  assert.equal(isTruthy('false'), false);
});
