/**
 * The ruby filter on the embedded CRuby: real Logstash snippets, with the results Logstash's
 * documentation gives for them. Each filter boots interpreters (in this thread, and a helper
 * thread because tests run unwatched): the tests are spread over a few files to stay within the
 * runner's per-file time limit, and the checks are grouped per filter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { rubyFilter } from '../../../../src/plugins/filters/ruby/index.js';
import { ConfigError } from '../../../../src/core/errors.js';
import { script } from './scripts.js';

test('ruby: an endless loop is cut off after timeout_ms: that event is tagged _rubytimeout, the rest of the batch goes on', async () => {
  const f = await makeFilter(rubyFilter, {
    init: '@count = 0',
    code: 'loop { } if event.get("spin")\n@count += 1\nevent.set("count", @count)',
    timeout_ms: 2000,
  });
  // A first event warms the interpreter up: its first run of code is unoptimised and slow.
  await f.one({ n: 0 });
  const started = Date.now();
  const out = await f.run([{ n: 1 }, { n: 2, spin: true }, { n: 3 }]);
  assert.ok(Date.now() - started < 60_000);
  assert.deepEqual(out.map((e) => [e.get('n'), e.hasTag('_rubytimeout'), e.has('count')]), [[1, false, true], [2, true, false], [3, false, true]]);
  // The batch was run again on a fresh interpreter without the offender: init state restarts.
  assert.deepEqual(out.map((e) => e.get('count') ?? null), [1, null, 2]);
  const [next] = await f.one({ n: 4 });
  assert.equal(next!.get('count'), 3);
});

test('ruby: a failing test block, a syntax error, a raising register or a missing filter() refuse the configuration', async () => {
  const failing = script('failing.rb', `
    def filter(event) = [event]
    test "wrong" do
      in_event { { "a" => 1 } }
      expect("two events") { |events| events.size == 2 }
    end
  `);
  await assert.rejects(makeFilter(rubyFilter, { path: failing }), (e: Error) => e instanceof ConfigError && /1 of 1 test\(s\).*expect\("two events"\) failed/s.test(e.message));
  await assert.rejects(makeFilter(rubyFilter, { code: 'event.set("a", ' }), (e: Error) => e instanceof ConfigError && /syntax/i.test(e.message));
  const raising = script('raising.rb', 'def register(params)\n  raise "need a field" unless params["field"]\nend\ndef filter(event) = [event]\n');
  await assert.rejects(makeFilter(rubyFilter, { path: raising }), /need a field/);
  const nofilter = script('nofilter.rb', 'def register(params); end\n');
  await assert.rejects(makeFilter(rubyFilter, { path: nofilter }), /must define filter\(event\)/);
  await assert.rejects(makeFilter(rubyFilter, { code: 'x', path: nofilter }), /exactly one of/);
  await assert.rejects(makeFilter(rubyFilter, {}), /exactly one of/);
});

