import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLValidator } from 'fast-xml-parser';
import { diffEvents, removeIgnored, sortEvents } from '../../src/testing/compare.js';
import { expandBrackets, loadTestSuite, TestFileError } from '../../src/testing/cases.js';
import { junitReport, xml } from '../../src/testing/report.js';

test('diffEvents: nested fields by reference, JSON types matter, subset mode checks listed fields only', () => {
  const expected = { a: 1, n: { x: 'y', z: [1, 2] }, gone: true };
  const actual = { a: '1', n: { x: 'y', z: [1, 3] }, more: null };
  assert.deepEqual(diffEvents(expected, actual), [
    { field: '[a]', kind: 'changed', expected: 1, actual: '1' },
    { field: '[gone]', kind: 'missing', expected: true },
    { field: '[more]', kind: 'unexpected', actual: null },
    { field: '[n][z]', kind: 'changed', expected: [1, 2], actual: [1, 3] },
  ]);
  assert.deepEqual(diffEvents({ n: { x: 'y' } }, actual, true), []);
  assert.deepEqual(diffEvents({ a: '1', n: { x: 'y', z: [1, 3] }, more: null }, actual), []);
});

test('removeIgnored takes field references, including @metadata; sortEvents is stable', () => {
  const e = { host: 'h', log: { file: { path: '/x' }, level: 'i' }, '@metadata': { k: 1, keep: 2 } };
  assert.deepEqual(removeIgnored(e, ['host', '[log][file][path]', '[@metadata][k]', '[absent][x]']), { log: { file: {}, level: 'i' }, '@metadata': { keep: 2 } });
  const sorted = sortEvents([{ o: 'b', i: 1 }, { o: 'a', i: 2 }, { o: 'b', i: 3 }, { i: 4 }], '[o]');
  assert.deepEqual(sorted.map((x) => x.i), [4, 2, 1, 3]);
});

test('expandBrackets merges field-reference keys into nested objects', () => {
  assert.deepEqual(expandBrackets({ '[log][file][path]': '/a', '[log][level]': 'x', plain: { '[b][c]': 1 } }), { log: { file: { path: '/a' }, level: 'x' }, plain: { b: { c: 1 } } });
});

test('test-case files: LFV testcases with event fields over global ones, dummy events, errors name the file and key', () => {
  const suite = loadTestSuite('x.yaml', 'fields: { type: a, keep: 1 }\nignore: [host]\ntestcases:\n  - input: [l1, l2]\n    event: { type: b }\n    expected: []\n  - expected: [{}]\n');
  assert.deepEqual(suite.ignore, ['host', '@version']);
  assert.deepEqual(suite.cases[0]!.fields, { type: 'b', keep: 1 });
  assert.deepEqual(suite.cases[0]!.lines, ['l1', 'l2']);
  assert.deepEqual(suite.cases[1]!.events, [{}]);
  assert.throws(() => loadTestSuite('bad.json', '{"testcases": [{"inputs": []}]}'), (e: unknown) => e instanceof TestFileError && /bad\.json: unknown key "inputs" in testcases\[0\]/.test(e.message));
  assert.throws(() => loadTestSuite('bad.json', '{"testcases": '), /bad\.json: not valid JSON/);
});

test('JUnit XML stays valid with markup, quotes and control characters in names and diffs', () => {
  assert.equal(xml('a<b>&"c\'\u0001'), 'a&lt;b&gt;&amp;&quot;c&apos;\uFFFD');
  const report = junitReport([{ suite: '/t/x<1>.json', name: 'n "q" \u0007', passed: false, problem: 'p <&>', mismatches: [{ index: 0, differences: [{ field: '[m]', kind: 'changed', expected: '</failure>', actual: '\u0000' }] }], expected: [], actual: [], durationMs: 3 }], '/');
  assert.equal(XMLValidator.validate(report), true);
});
