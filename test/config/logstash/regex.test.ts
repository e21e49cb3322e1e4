import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRubyRegex, translateRubyRegex } from '../../../src/config/logstash/regex.js';

test('anchors and flags are translated', () => {
  assert.deepEqual(translateRubyRegex('\\Aa\\z'), { source: '(?<![\\s\\S])a(?![\\s\\S])', flags: 'm' });
  assert.deepEqual(translateRubyRegex('(?i)abc'), { source: 'abc', flags: 'mi' });
  assert.deepEqual(translateRubyRegex('(?mi)a.c'), { source: 'a.c', flags: 'mis' });
});

test('escaped backslashes are not mistaken for \\A', () => {
  // Ruby "\\\\A" is a literal backslash followed by "A".
  const re = compileRubyRegex('x\\\\A');
  assert.equal(re.test('x\\A'), true);
  assert.equal(re.test('x'), false);
});

test('character classes: POSIX names, \\h, leading ]', () => {
  assert.equal(compileRubyRegex('^[[:upper:][:digit:]]+$').test('AB12'), true);
  assert.equal(compileRubyRegex('^[[:upper:][:digit:]]+$').test('Ab12'), false);
  assert.equal(compileRubyRegex('^[\\h-]+$').test('de-ad'), true);
  assert.equal(compileRubyRegex('^[]a]+$').test(']a]'), true);
  assert.equal(compileRubyRegex('^[^]a]+$').test('bc'), true);
  assert.equal(compileRubyRegex('^[^]a]+$').test('b]'), false);
});

test('extended mode strips whitespace and comments but not inside classes', () => {
  const re = compileRubyRegex('(?x) ^ a [ ] b # trailing comment\n $');
  assert.equal(re.test('a b'), true);
  assert.equal(re.test('ab'), false);
});

test('unsupported Ruby constructs throw at compile time', () => {
  assert.throws(() => compileRubyRegex('(?>a)'), SyntaxError);
  assert.throws(() => compileRubyRegex('a++'), SyntaxError);
});
