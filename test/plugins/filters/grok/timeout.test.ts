import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { compileGrok, grokFilter } from '../../../../src/plugins/filters/grok/index.js';

const EVIL = 'a'.repeat(40) + 'b';

test('^(a+)+$ runs on V8 linear-time fallback: no guard, fast failure', async () => {
  const g = compileGrok('^(?<x>(a+)+)$', { patterns: new Map() });
  assert.equal(g.linear, true);
  const f = await makeFilter(grokFilter, { match: { message: '^(?<x>(a+)+)$' } });
  const out = await f.run([{ message: EVIL }, { message: 'aaaa' }]);
  assert.deepEqual(out[0]!.get('tags'), ['_grokparsefailure']);
  assert.equal(out[1]!.get('x'), 'aaaa');
});

test('a pathological pattern the linear engine cannot run is cut off and tagged _groktimeout; the batch goes on', async () => {
  // The lookbehind keeps V8's linear engine out, so only the guard can stop it.
  const p = '(?<!x)^(?<x>(a+)+)$';
  assert.equal(compileGrok(p, { patterns: new Map() }).linear, false);
  const f = await makeFilter(grokFilter, { match: { message: p }, timeout_millis: 200, add_tag: ['ok'] });
  const out = await f.run([{ message: 'aa' }, { message: EVIL }, { message: 'aaa' }, { message: EVIL + EVIL }, { message: 'zzz' }]);
  assert.equal(out.length, 5);
  assert.deepEqual(out[0]!.get('tags'), ['ok']);
  assert.deepEqual(out[1]!.get('tags'), ['_groktimeout']);
  assert.equal(out[2]!.get('x'), 'aaa');
  assert.deepEqual(out[3]!.get('tags'), ['_groktimeout']);
  assert.deepEqual(out[4]!.get('tags'), ['_grokparsefailure']);
});

test('tag_on_timeout is configurable; single-event filter() is guarded too', async () => {
  const def = grokFilter;
  const { testContext, registryWith, settingsOf } = await import('../../../helpers/harness.js');
  const registry = registryWith(def);
  const options = registry.validate(def, settingsOf({ match: { message: '(?<!x)^(a+)+$' }, timeout_millis: 100, tag_on_timeout: 'slow' }));
  const filter = await def.create(options as never, testContext('grok', { registry }));
  const { Event } = await import('../../../../src/core/event.js');
  const e = new Event({ message: EVIL });
  assert.equal(filter.filter(e, () => {}), false);
  assert.deepEqual(e.get('tags'), ['slow']);
});

test('the standard library patterns of the apache line stay fast on a long garbage line', async () => {
  const f = await makeFilter(grokFilter, { match: { message: '%{COMBINEDAPACHELOG}' }, timeout_millis: 1000 });
  const junk = '1.1.1.1 - - [' + '1'.repeat(5000);
  const [e] = await f.one({ message: junk });
  assert.ok(e!.hasTag('_grokparsefailure') || e!.hasTag('_groktimeout'));
});
