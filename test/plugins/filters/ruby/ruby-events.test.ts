/**
 * The ruby filter on the embedded CRuby: real Logstash snippets, with the results Logstash's
 * documentation gives for them. Each filter boots interpreters (in this thread, and a helper
 * thread because tests run unwatched): the tests are spread over a few files to stay within the
 * runner's per-file time limit, and the checks are grouped per filter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter, registryWith, settingsOf, testContext } from '../../../helpers/harness.js';
import { createLogger } from '../../../../src/core/logger.js';
import { Event } from '../../../../src/core/event.js';
import { rubyFilter } from '../../../../src/plugins/filters/ruby/index.js';
import { Timestamp } from '../../../../src/core/timestamp.js';
import { script } from './scripts.js';

test('ruby: new_event_block emits events after the original (new ones are not decorated); clone is independent', async () => {
  const f = await makeFilter(rubyFilter, {
    code: `
      event.get("items").each do |item|
        e = LogStash::Event.new("item" => item, "parent" => event.get("id"))
        new_event_block.call(e)
      end
      c = event.clone
      c.set("copy", true)
      new_event_block.call(c)
      event.set("copy", false)
    `,
    add_field: { decorated: 'yes' },
  });
  const out = await f.one({ id: 7, items: ['a', 'b'] });
  assert.deepEqual(out.map((e) => [e.get('item') ?? null, e.get('copy') ?? null, e.get('decorated') ?? null]), [
    [null, false, 'yes'],
    ['a', null, null],
    ['b', null, null],
    [null, true, null],
  ]);
  assert.equal(out[1]!.get('parent'), 7);
  assert.ok(out[1]!.get('@timestamp') instanceof Timestamp, 'a new event gets a @timestamp');
  assert.deepEqual(out[3]!.get('items'), ['a', 'b']);
});

test('ruby: path script — register(params), filter returning several events or none, test blocks', async () => {
  const path = script('split.rb', `
    def register(params)
      @field = params["field"]
      @sep = params.fetch("separator", ",")
    end

    def filter(event)
      value = event.get(@field)
      return [] if value.nil?
      parts = value.split(@sep)
      return [event] if parts.size < 2
      parts.map { |p| e = event.clone; e.set(@field, p); e }
    end

    test "splits on the separator" do
      parameters { { "field" => "list", "separator" => ";" } }
      in_event { { "list" => "a;b;c" } }
      expect("three events") { |events| events.size == 3 }
      expect("values in order") { |events| events.map { |e| e.get("list") } == %w[a b c] }
    end

    test "drops events without the field" do
      parameters { { "field" => "list" } }
      in_event { { "other" => 1 } }
      expect("nothing") { |events| events.empty? }
    end
  `);
  const f = await makeFilter(rubyFilter, { path, script_params: { field: 'csv' }, add_tag: ['split'] });
  const out = await f.run([{ csv: 'x,y', n: 1 }, { csv: 'single', n: 2 }, { n: 3 }]);
  assert.deepEqual(out.map((e) => [e.get('csv'), e.get('n')]), [['x', 1], ['y', 1], ['single', 2]]);
  // Decorations go to the original when it was returned: the clones were made before.
  assert.deepEqual(out.map((e) => e.tags), [[], [], ['split']]);
});

test('ruby: path script results that are not an array of events tag the event', async () => {
  const path = script('bad-result.rb', `
    def filter(event)
      case event.get("kind")
      when "nil" then nil
      when "str" then ["x"]
      else [event]
      end
    end
  `);
  const f = await makeFilter(rubyFilter, { path, tag_with_exception_message: true });
  const out = await f.run([{ kind: 'nil' }, { kind: 'str' }, { kind: 'ok' }]);
  assert.equal(out.length, 3);
  assert.match(out[0]!.tags.join('|'), /_rubyexception: Custom script did not return an array/);
  assert.match(out[1]!.tags.join('|'), /_rubyexception: Custom script returned a non event object/);
  assert.deepEqual(out[2]!.tags, []);
});

test('ruby: logger calls reach the plugin\'s log at their level, each message rate-limited', async () => {
  const lines: string[] = [];
  const registry = registryWith(rubyFilter);
  const options = registry.validate(rubyFilter, settingsOf({
    init: "logger.info('ready')",
    code: "logger.warn('odd value', 'value' => event.get('message')) if event.get('message') == 'odd'\nlogger.error('bad') if event.get('message') == 'bad'\nlogger.debug { 'lazy' }",
  }), undefined);
  const ctx = { ...testContext('ruby'), logger: createLogger('debug', 'test', (l) => lines.push(l)) };
  const filter = await rubyFilter.create(options as never, ctx);
  const events = ['odd', 'fine', 'bad', 'odd', 'odd'].map((message) => new Event({ message }));
  const out = await filter.filterBatch!(events, () => {});
  assert.equal(out.length, 5);
  assert.equal(lines.filter((l) => l.includes('ready')).length, 1);
  const odd = lines.filter((l) => l.includes('odd value'));
  assert.equal(odd.length, 1, 'three identical warnings within a minute make one line');
  assert.match(odd[0]!, /WARN.*odd value.*value="?odd/);
  assert.equal(lines.filter((l) => /ERROR.*bad/.test(l)).length, 1);
  assert.equal(lines.filter((l) => /DEBUG.*lazy/.test(l)).length, 1, 'a block gives the message');
  await filter.close?.();
});
