/**
 * The ruby filter's fast path (snippets translated to JavaScript) against CRuby itself: every
 * snippet runs on varied events both ways, and wherever the translation did not give up the
 * resulting events must be identical, field order included. Where it gave up, the event must
 * be untouched (the interpreter then runs it). One interpreter serves all snippets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event, deepCopy } from '../../../../src/core/event.js';
import { applyOps } from '../../../../src/plugins/filters/ruby/index.js';
import { RubyRuntime, FLAG_EXCEPTION } from '../../../../src/plugins/filters/ruby/runtime.js';
import { compileFastPath, isTranslation, translateRuby } from '../../../../src/plugins/filters/ruby/fastpath/index.js';

const SNIPPETS: Record<string, string> = {
  bench: "n = event.get('n')\nevent.set('double', n * 2)\nevent.set('upper', event.get('s').upcase)",
  arithmetic: "a = event.get('n'); b = event.get('m')\nevent.set('sum', a + b)\nevent.set('diff', a - b)\nevent.set('prod', a * b)\nevent.set('quot', a / b)\nevent.set('mod', a % b)\nevent.set('neg', -a)\nevent.set('abs', a.abs)",
  strings: "s = event.get('s')\nevent.set('d', s.downcase)\nevent.set('c', s.capitalize)\nevent.set('st', s.strip)\nevent.set('len', s.length)\nevent.set('e', s.empty?)\nevent.set('parts', s.split(','))\nevent.set('first', s.split(',')[0])\nevent.set('last', s.split(',')[-1])",
  conversions: "event.set('i', event.get('n').to_i)\nevent.set('si', event.get('s').to_i)\nevent.set('str', \"n=#{event.get('n')} m=#{event.get('m')}\\t#{event.get('s')}\")\nevent.set('s2', event.get('m').to_s + '!')",
  conditionals: [
    "if event.get('n') == 0 || event.get('s').nil?",
    "  event.tag('zero_or_nil')",
    "elsif event.get('n').to_i > 10 and !event.include?('[o][p]')",
    "  event.set('[o][p]', event.get('s')&.upcase)",
    'else',
    "  event.remove('s') # a comment",
    'end',
    "event.cancel if event.get('m') == 'drop'",
    "x = event.get('[o][q]') || 'default'",
    "event.set('[@metadata][x]', x)",
    "event.set('x', x) unless x.to_s.start_with?('def')",
    "event.remove('[o][q]')",
  ].join('\n'),
  comparisons: "v = event.get('s')\nevent.set('has', v.include?('a') ? 'yes' : 'no')\nevent.set('lt', v < 'm')\nevent.set('ends', v.end_with?('c'))\nevent.set('ge', event.get('n') >= event.get('m'))\nevent.set('ne', event.get('n') != event.get('m'))",
  containers: "h = event.get('o')\nevent.set('copy', h)\nevent.set('k', h['p'])\nevent.set('sz', h.size)\nevent.set('[o][new]', 1)\nevent.set('still', h['new'])",
  floats: "event.set('f', event.get('n') * 0.5)\nevent.set('g', event.get('n') + 0.25)\nevent.set('fs', (event.get('n') / 0.3).to_s)",
  logic: "a = event.get('n') && event.get('m')\nb = event.get('s') || event.get('m')\nevent.set('a', a)\nevent.set('b', b)\nc = nil\nc += 1 if false\nevent.set('c', c)\nevent.set('t', (not event.get('n')) ? 1 : 2)",
};

const N = [0, 1, -7, 12, 2 ** 52, 2 ** 53 + 2, 1.5, -2.5, 0.1, 1e20, null, undefined, '12', ' 42abc', '-3_000x', 'abc', '', true, [1, 2], { a: 1 }, 3];
const M = [2, -3, 0, 7, 0.5, 'drop', null, 'x', 1e-7, 123456789, -1, 4];
const S = ['GET /x', '', 'héllo', 'ß', '  padded\t', 'a,b,,c,,', 'ΟΔΟΣ', '😀 emoji', null, 123, 'mixed Case', '\0x\0', 'zebra', 'abc', ',', '1_000'];
const O = [{ p: 'v', q: 'w' }, {}, undefined, 'scalar', [1, 2], { p: { deep: [1] } }, null];

function inputs(): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 120; i++) {
    const data: Record<string, unknown> = { '@timestamp': '2026-01-01T00:00:00.000Z', message: `event ${i}` };
    const put = (k: string, list: unknown[], stride: number): void => {
      const v = list[(i * stride) % list.length];
      if (v !== undefined) data[k] = deepCopy(v);
    };
    put('n', N, 1);
    put('m', M, 5);
    put('s', S, 3);
    put('o', O, 2);
    out.push(data);
  }
  return out;
}

const fingerprint = (e: Event): string => JSON.stringify([e.data, e.metadata ?? null, e.cancelled]);

test('ruby fast path: the same events as CRuby on varied inputs, or the event untouched for CRuby', async () => {
  const runtime = await RubyRuntime.create('differential');
  for (const [name, code] of Object.entries(SNIPPETS)) {
    const fast = compileFastPath(code);
    assert.ok(fast, `${name} is within the subset: ${JSON.stringify(translateRuby(code))}`);
    runtime.inline(undefined, code, `(${name})`);
    let done = 0;
    let fellBack = 0;
    for (const data of inputs()) {
      const viaJs = new Event(deepCopy(data) as Record<string, unknown>);
      const before = fingerprint(viaJs);
      const ran = fast.run(viaJs);
      const viaRuby = new Event(deepCopy(data) as Record<string, unknown>);
      const entry = runtime.run(JSON.stringify([[viaRuby.data, null]]), undefined).r[0]!;
      const raised = entry !== 0 && (entry[0] & FLAG_EXCEPTION) !== 0;
      if (entry !== 0) applyOps(viaRuby, entry[1]);
      if (!ran) {
        fellBack++;
        assert.equal(fingerprint(viaJs), before, `${name}: a fallback leaves the event as it was (${JSON.stringify(data)})`);
        continue;
      }
      done++;
      assert.ok(!raised, `${name}: CRuby raised (${entry !== 0 ? entry[3] : ''}) where the translation ran, on ${JSON.stringify(data)}`);
      assert.equal(fingerprint(viaJs), fingerprint(viaRuby), `${name} on ${JSON.stringify(data)}`);
    }
    assert.ok(done >= 10, `${name}: the translation ran on ${done} of ${done + fellBack} events`);
    assert.ok(fellBack >= 1, `${name}: some inputs are outside what the translation handles exactly`);
  }
});

test('ruby fast path: gives up on nil, big integers, non-ASCII case mapping, integral Floats', () => {
  const fast = compileFastPath(SNIPPETS.bench!)!;
  const run = (data: Record<string, unknown>): boolean => fast.run(new Event(data));
  assert.equal(run({ n: 2, s: 'abc' }), true);
  assert.equal(run({ n: null, s: 'abc' }), false, 'nil * 2 raises in Ruby');
  assert.equal(run({ s: 'abc' }), false, 'a missing field is nil');
  assert.equal(run({ n: 2 ** 52, s: 'abc' }), false, '2**53 is beyond exact integers');
  assert.equal(run({ n: 2, s: 'héllo' }), false, 'Unicode upcase is left to Ruby');
  assert.equal(run({ n: 1.5, s: 'abc' }), false, '3.0 cannot be told from 3 here');
  assert.equal(run({ n: 'ab', s: 'abc' }), false, 'String * Integer repeats in Ruby');
  assert.equal(run({ n: 2, s: 'a\ud800b' }), false, 'a lone surrogate');
});

test('ruby fast path: code outside the subset is refused per line, with a reason', () => {
  const r = translateRuby([
    "x = event.get('a')",
    'puts x',
    "event.set('t', Time.now.to_i)",
    "event.get('list').each { |i| event.tag(i) }",
    "event.set('y', @count)",
    "if event.get('@timestamp')",
    "  event.set('z', 1)",
    'end',
    "event.set('ok', x)",
  ].join('\n'));
  assert.ok(!isTranslation(r));
  assert.deepEqual(r.problems.map((p) => p.line), [2, 3, 4, 5, 6]);
  assert.match(r.problems[0]!.reason, /`puts`/);
  assert.match(r.problems[1]!.reason, /constant `Time`/);
  assert.match(r.problems[2]!.reason, /method `each`/);
  assert.match(r.problems[3]!.reason, /instance variable `@count`/);
  assert.match(r.problems[4]!.reason, /@timestamp/);
  for (const outside of ["x = 1\nwhile true\nend", "event.set('a', [1, 2])", "event.set('a', :sym)", "event.set('a', 'x' * 3)\nevent.set('b', 2.0)", "event.get('a').gsub(/x/, '')", 'x = 1_', "event.set('a', event.get 'b')", "s = event.get('s')\nevent.set('l', s.size -1)"]) {
    assert.ok(!isTranslation(translateRuby(outside)), outside);
  }
});
