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
import { Event } from '../../../../src/core/event.js';
import { Timestamp } from '../../../../src/core/timestamp.js';

test('ruby: field arithmetic, string and hash/array manipulation, init state, decorations on success', async () => {
  const f = await makeFilter(rubyFilter, {
    init: '@seen = 0\n@units = { "kb" => 1024, "mb" => 1024 * 1024 }',
    code: `
      @seen += 1
      event.set("bytes", event.get("size").to_i * @units.fetch(event.get("unit"), 1))
      event.set("ratio", (event.get("hits").to_f / event.get("total")).round(3))
      parts = event.get("path").split("/")
      event.set("[file][dir]", parts[-2])
      event.set("[file][name]", parts[-1])
      event.set("seen", @seen)
      list = event.get("list") || []
      event.set("list", list.map(&:upcase).sort << "Z")
      h = event.get("nested")
      h["added"] = { "deep" => [1, 2.5, nil, true] }
      event.set("nested", h)
      event.remove("unit")
    `,
    add_tag: ['ruby_ok'],
  });
  const out = await f.run([
    { size: '3', unit: 'kb', hits: 1, total: 3, path: '/var/log/app/x.log', list: ['b', 'a'], nested: { keep: 1 } },
    { size: 2, unit: 'mb', hits: 2, total: 4, path: 'y.log', nested: {} },
  ]);
  assert.equal(out.length, 2);
  const [a, b] = out as [Event, Event];
  assert.equal(a.get('bytes'), 3072);
  assert.equal(a.get('ratio'), 0.333);
  assert.equal(a.get('[file][dir]'), 'app');
  assert.equal(a.get('[file][name]'), 'x.log');
  assert.deepEqual(a.get('list'), ['A', 'B', 'Z']);
  assert.deepEqual(a.get('nested'), { keep: 1, added: { deep: [1, 2.5, null, true] } });
  assert.equal(a.has('unit'), false);
  assert.deepEqual(a.tags, ['ruby_ok']);
  assert.equal(a.get('seen'), 1);
  // Ruby's parts[-2] of a one-element array is nil.
  assert.equal(b.get('[file][dir]'), null);
  assert.equal(b.get('bytes'), 2 * 1024 * 1024);
  assert.equal(b.get('seen'), 2, 'init state carries across events');
  // The host Timestamp survives an event the script changed.
  assert.ok(a.get('@timestamp') instanceof Timestamp);
});

test('ruby: event API — get copies, include?, tag, metadata, to_hash, timestamp, cancel, append, sprintf', async () => {
  const f = await makeFilter(rubyFilter, {
    code: `
      copy = event.get("message")
      copy << " (changed copy)"
      t = event.get("tags")
      t << "not_stored" if t
      event.set("has_message", event.include?("message"))
      event.set("has_missing", event.include?("[nope][x]"))
      event.set("[@metadata][route]", "a")
      event.set("route", event.get("[@metadata][route]"))
      event.set("keys", event.to_hash.keys.sort)
      event.set("meta_keys", event.to_hash_with_metadata["@metadata"].keys)
      event.set("epoch", event.timestamp.to_i)
      event.set("ts_class", event.get("@timestamp").class.name)
      event.set("year", event.timestamp.time.year)
      event.tag("t1")
      event.tag("t1")
      event.set("line", event.sprintf("%{message} from %{[src][ip]} at %{+yyyy}"))
      other = LogStash::Event.new("extra" => 1, "message" => "m2")
      event.append(other)
      event.cancel if event.get("drop_me")
    `,
  });
  const ts = Date.UTC(2024, 4, 6, 7, 8, 9, 123);
  const e = new Event({ message: 'hi', src: { ip: '10.1.2.3' }, '@timestamp': new Timestamp(ts), tags: ['x'] });
  const out = await f.run([e, { message: 'bye', drop_me: true }]);
  assert.equal(out.length, 1, 'the cancelled event is gone');
  const r = out[0]!;
  assert.equal(r.get('message') instanceof Array ? (r.get('message') as string[])[0] : r.get('message'), 'hi', 'get returns a copy');
  assert.deepEqual(r.get('message'), ['hi', 'm2'], 'append turns a field both events have into an array');
  assert.equal(r.get('extra'), 1);
  assert.deepEqual(r.tags, ['x', 't1']);
  assert.equal(r.get('has_message'), true);
  assert.equal(r.get('has_missing'), false);
  assert.equal(r.get('[@metadata][route]'), 'a');
  assert.equal(r.get('route'), 'a');
  assert.deepEqual(r.get('keys'), ['@timestamp', '@version', 'has_message', 'has_missing', 'message', 'route', 'src', 'tags'], 'to_hash sees what the snippet set before');
  assert.deepEqual(r.get('meta_keys'), ['route']);
  assert.equal(r.get('epoch'), Math.floor(ts / 1000));
  assert.equal(r.get('ts_class'), 'LogStash::Timestamp');
  assert.equal(r.get('year'), 2024);
  assert.equal(r.get('line'), 'hi from 10.1.2.3 at 2024');
  assert.equal((r.get('@timestamp') as Timestamp).epochMs, ts);
});

test('ruby: code using return or next (a lambda body in Logstash) behaves as there', async () => {
  const withNext = await makeFilter(rubyFilter, { code: 'next if event.get("skip")\nevent.set("ran", true)' });
  const withReturn = await makeFilter(rubyFilter, { code: 'return unless event.get("go")\nevent.set("ran", true)' });
  assert.deepEqual((await withNext.run([{ skip: true }, {}])).map((e) => e.get('ran') ?? null), [null, true]);
  assert.deepEqual((await withReturn.run([{ go: true }, {}])).map((e) => e.get('ran') ?? null), [true, null]);
});

test('ruby: LogStash::Timestamp — now, at, parse_iso8601, to_i/to_f/to_iso8601, arithmetic, setting @timestamp', async () => {
  const f = await makeFilter(rubyFilter, {
    code: `
      t = LogStash::Timestamp.parse_iso8601(event.get("when"))
      event.set("i", t.to_i)
      event.set("f", t.to_f)
      event.set("iso", t.to_iso8601)
      event.set("later", (t + 60).to_iso8601)
      event.set("diff", (t + 1.5) - t)
      event.set("at", LogStash::Timestamp.at(0).to_iso8601)
      event.set("now_ok", (LogStash::Timestamp.now.to_f - Time.now.to_f).abs < 5)
      event.set("@timestamp", t)
      begin
        LogStash::Timestamp.parse_iso8601("not a date")
      rescue LogStash::TimestampParserError => e
        event.set("bad", e.class.name)
      end
    `,
  });
  const [e] = await f.one({ when: '2021-03-04T05:06:07.250Z' });
  assert.equal(e!.get('i'), 1614834367);
  assert.equal(e!.get('f'), 1614834367.25);
  assert.equal(e!.get('iso'), '2021-03-04T05:06:07.250Z');
  assert.equal(e!.get('later'), '2021-03-04T05:07:07.250Z');
  assert.equal(e!.get('diff'), 1.5);
  assert.equal(e!.get('at'), '1970-01-01T00:00:00.000Z');
  assert.equal(e!.get('now_ok'), true);
  assert.equal(e!.get('bad'), 'LogStash::TimestampParserError');
  const ts = e!.get('@timestamp');
  assert.ok(ts instanceof Timestamp);
  assert.equal(ts.epochMs, Date.parse('2021-03-04T05:06:07.250Z'));
});

