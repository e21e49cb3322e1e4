import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRubyRegex, translateRubyRegex } from '../../src/core/ruby-regex.js';

// ---- from test/config/logstash/regex.test.ts (config conditionals)

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

test('Ruby constructs JavaScript cannot express throw at compile time', () => {
  // The old config translator rejected (?>a) and a++ too; Ruby accepts them, so they are
  // now translated exactly (see "atomic groups" below). These stay unsupported:
  assert.throws(() => compileRubyRegex('a(?i:b)c'), SyntaxError);
  assert.throws(() => compileRubyRegex('a(?i)b'), SyntaxError);
  assert.throws(() => compileRubyRegex('\\p{Alpha}'), SyntaxError);
  assert.throws(() => compileRubyRegex('\\Gab'), SyntaxError);
  assert.throws(() => compileRubyRegex('[[:nope:]]'), SyntaxError);
  assert.throws(() => compileRubyRegex('[[:constructor:]]'), SyntaxError);
  assert.throws(() => compileRubyRegex('[a-z&&[^aeiou]]'), SyntaxError);
  assert.throws(() => compileRubyRegex('(?>a)(b)'), SyntaxError, 'a capture after a helper group would be renumbered');
  assert.throws(() => compileRubyRegex('(a)++'), SyntaxError);
  assert.throws(() => compileRubyRegex('(unclosed'), SyntaxError);
  assert.throws(() => compileRubyRegex('a\\'), SyntaxError);
});

test('errors quote the Ruby pattern, not the translation', () => {
  assert.throws(() => compileRubyRegex('\\A(['), (e: unknown) => e instanceof SyntaxError && e.message.includes('/\\A([/'));
  assert.throws(() => compileRubyRegex('(a'), (e: unknown) => e instanceof SyntaxError && e.message.startsWith('Invalid regular expression: /(a/: '));
});

// ---- from test/plugins/filters/mutate/mutate.test.ts (gsub)

test('mutate gsub forms: line anchors, \\A, POSIX + \\h, leading (?i), extra flags', () => {
  assert.equal('line1\nline2'.replace(compileRubyRegex('^line', 'g'), 'L'), 'L1\nL2');
  assert.equal('ab\nab'.replace(compileRubyRegex('\\Aab', 'g'), 'X'), 'X\nab');
  assert.equal('a1 b2'.replace(compileRubyRegex('[[:alpha:]]\\h', 'g'), '-'), '- -');
  assert.equal('ABC'.replace(compileRubyRegex('(?i)b', 'g'), 'x'), 'AxC');
  assert.equal(compileRubyRegex('a', 'g').flags.includes('g'), true);
});

// ---- from test/plugins/filters/prune/prune.test.ts

test('prune forms: Ruby anchors, \\h and a leading (?i) are translated', () => {
  assert.equal(compileRubyRegex('\\Aab').test('x\nab'), false, '\\A is the string start, not a line start');
  assert.equal(compileRubyRegex('\\Aab').test('ab'), true);
  assert.equal(compileRubyRegex('ab\\z').test('ab\n'), false);
  assert.equal(compileRubyRegex('ab\\Z').test('ab\n'), true);
  assert.equal(compileRubyRegex('^\\h+$').test('c0ffee'), true);
  assert.equal(compileRubyRegex('^\\h+$').test('h'), false);
  assert.equal(compileRubyRegex('^[\\h-]+$').test('ab-12'), true);
  assert.equal(compileRubyRegex('\\\\A').test('\\A'), true, 'an escaped backslash is left alone');
  assert.equal(compileRubyRegex('(?i)^get$').test('GET'), true);
});

// ---- cases where the three old translators differed (Ruby's behaviour wins)

test('atomic groups and possessive quantifiers keep Ruby semantics (no backtracking into them)', () => {
  assert.equal(compileRubyRegex('^(?>a)$').test('a'), true);
  assert.equal(compileRubyRegex('^a++$').test('aaa'), true);
  // Ruby: the atomic a+ takes every "a", so the trailing "a" can never match.
  assert.equal(compileRubyRegex('(?>a+)a').test('aaa'), false);
  assert.equal(compileRubyRegex('a++a').test('aaa'), false);
  assert.equal(compileRubyRegex('a*+b').test('aab'), true);
  assert.equal(compileRubyRegex('^"(?:[^"\\\\]|\\\\.)*+"$').test('"x\\"y"'), true);
  assert.equal(compileRubyRegex('x?+x').test('x'), false);
  // Captures before an atomic group keep their numbers.
  assert.equal('ab-12'.replace(compileRubyRegex('(\\w+)-(?>\\d+)', 'g'), '$1'), 'ab');
  assert.deepEqual(compileRubyRegex('(a)(?>b+)(?<!x)c').exec('abbc')?.slice(0, 2), ['abbc', 'a']);
  // A following digit is not read as part of the helper back-reference.
  assert.equal(compileRubyRegex('^(?>a)1$').test('a1'), true);
});

test('an interval followed by + is a repeated interval in Ruby, not possessive', () => {
  assert.equal(compileRubyRegex('^(?:ab){2}+$').test('abababab'), true);
  assert.equal(compileRubyRegex('^a{2}+$').test('aaa'), false);
  assert.equal(compileRubyRegex('^a{,2}$').test('aa'), true);
  assert.equal(compileRubyRegex('^a{,2}$').test('aaa'), false);
  assert.equal(compileRubyRegex('^a{x}$').test('a{x}'), true, 'not an interval: literal braces');
});

test('dot matches everything but \\n (JS would also stop at \\r); (?m) is dot-all', () => {
  assert.equal(compileRubyRegex('^a.b$').test('a\rb'), true);
  assert.equal(compileRubyRegex('^a.b$').test('a\nb'), false);
  assert.equal(compileRubyRegex('(?m)^a.b$').test('a\nb'), true);
  assert.equal(compileRubyRegex('^x(?m:a.b)$').test('xa\nb'), true);
  assert.equal(compileRubyRegex('^x(?m:a.b).$').test('xa\nb\n'), false, '(?m:...) ends with its group');
  assert.equal(compileRubyRegex('(?m)a(?-m).b').test('a\nb'), false);
  assert.equal(compileRubyRegex('[.]').test('x'), false, 'a dot in a class stays literal');
});

test('\\H inside a class, nested classes, (?#comments), \\x{...}, \\e', () => {
  assert.equal(compileRubyRegex('^[\\H]+$').test('xyz-'), true);
  assert.equal(compileRubyRegex('^[\\H]+$').test('x1'), false);
  assert.equal(compileRubyRegex('^[a-c[0-2]]+$').test('a1c2'), true);
  assert.equal(compileRubyRegex('^[a-c[0-2]]+$').test('a3'), false);
  assert.equal(compileRubyRegex('^a(?#ignored)b$').test('ab'), true);
  assert.equal(compileRubyRegex('^\\x{41}\\x{e9}$').test('A\u00e9'), true);
  assert.equal(compileRubyRegex('^\\e$').test('\x1b'), true);
  assert.equal(compileRubyRegex('^[[:space:]]$').test('\u00a0'), true, 'Ruby [[:space:]] is Unicode white space');
  assert.equal(compileRubyRegex('^[[:ascii:]]+$').test('abc\u00e9'), false);
});

test('named groups: (?<n>) and (?\'n\') with \\k<n> / \\k\'n\'', () => {
  assert.equal(compileRubyRegex("^(?'w'\\w)\\k'w'$").test('aa'), true);
  assert.equal(compileRubyRegex('^(?<w>\\w)\\k<w>$').test('ab'), false);
  assert.equal(compileRubyRegex('^(?<w>\\w)$').exec('a')?.groups?.['w'], 'a');
});
