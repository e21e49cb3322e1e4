import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rubyCapitalize, rubyReplacement, rubySplit, rubyStrip, rubyToI } from '../../src/core/ruby-string.js';

test('rubyReplacement: Ruby gsub back-references become JS replacement patterns', () => {
  assert.equal(rubyReplacement('\\0-\\k<n>-$1-\\\\'), '$&-$<n>-$$1-\\');
  assert.equal('abc'.replace(/(b)/, rubyReplacement('[\\1\\&]')), 'a[bb]c');
  assert.equal(rubyReplacement('plain'), 'plain');
});

test('rubyCapitalize: first character up, the rest down', () => {
  assert.equal(rubyCapitalize('éCOLE'), 'École');
  assert.equal(rubyCapitalize(''), '');
});

test('rubyStrip: ASCII white space and NUL, not Unicode spaces', () => {
  assert.equal(rubyStrip(' \t\n\v\f\r\0x y\0 '), 'x y');
  assert.equal(rubyStrip('\u00a0x\u00a0'), '\u00a0x\u00a0');
});

// From test/plugins/filters/mutate/mutate.test.ts (mutate) and fingerprint's own copy.
test('rubyToI: leading integer with single underscores, 0 when none', () => {
  assert.equal(rubyToI('  -12_3x'), -123);
  assert.equal(rubyToI('abc'), 0);
  assert.equal(rubyToI('24'), 24);
  assert.equal(rubyToI('1__2'), 1, 'Ruby: a double underscore ends the number');
});

// From test/plugins/filters/mutate/mutate.test.ts: String#split(sep), trailing empties dropped.
test('rubySplit (default limit): mutate split', () => {
  assert.deepEqual(rubySplit('a b', ','), ['a b']);
  assert.deepEqual(rubySplit('', ','), []);
  assert.deepEqual(rubySplit('a,b,,', ','), ['a', 'b']);
  assert.deepEqual(rubySplit('  a \t b  ', ' '), ['a', 'b']);
});

// From test/plugins/filters/split/split.test.ts: String#split(t, -1), as the split filter calls it.
test('rubySplit mirrors Ruby String#split(t, -1)', () => {
  assert.deepEqual(rubySplit('a,b,,', ',', true), ['a', 'b', '', '']);
  assert.deepEqual(rubySplit('', ',', true), []);
  // A single space is awk-style: runs of whitespace, leading whitespace ignored.
  assert.deepEqual(rubySplit('  a \t b  ', ' ', true), ['a', 'b', '']);
  assert.deepEqual(rubySplit('ab', '', true), ['a', 'b', '']);
});

test('rubySplit: awk mode is ASCII white space only; "" splits by character', () => {
  assert.deepEqual(rubySplit('\0a b', ' '), ['\0a', 'b'], 'NUL is not white space for split');
  assert.deepEqual(rubySplit('\u00a0a b', ' '), ['\u00a0a', 'b']);
  assert.deepEqual(rubySplit('a\u{1F600}', ''), ['a', '\u{1F600}']);
});
