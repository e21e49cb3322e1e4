/**
 * The ruby filter on the embedded CRuby: real Logstash snippets, with the results Logstash's
 * documentation gives for them. Each filter boots interpreters (in this thread, and a helper
 * thread because tests run unwatched), so the checks are grouped per filter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFilter } from '../../../helpers/harness.js';
import { rubyFilter } from '../../../../src/plugins/filters/ruby/index.js';
import { ConfigError } from '../../../../src/core/errors.js';
import { Event } from '../../../../src/core/event.js';
import { Timestamp } from '../../../../src/core/timestamp.js';

const dir = mkdtempSync(join(tmpdir(), 'logpipe-ruby-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const script = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

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

test('ruby: standard library — json, time, date, digest, securerandom, ipaddr, base64, csv, uri, set', async () => {
  const f = await makeFilter(rubyFilter, {
    init: `
      require "json"; require "time"; require "date"; require "digest"; require "securerandom"
      require "ipaddr"; require "base64"; require "csv"; require "uri"; require "set"
      @private = IPAddr.new("10.0.0.0/8")
    `,
    code: `
      m = event.get("message")
      event.set("parsed", JSON.parse(event.get("json")))
      event.set("dumped", { "a" => [1, nil] }.to_json)
      event.set("epoch", Time.parse("2020-01-02T03:04:05Z").to_i)
      event.set("strptime", DateTime.strptime("02/Jan/2020:03:04:05 +0000", "%d/%b/%Y:%H:%M:%S %z").to_time.to_i)
      event.set("weekday", Date.new(2024, 2, 29).strftime("%A"))
      event.set("md5", Digest::MD5.hexdigest(m))
      event.set("sha1", Digest::SHA1.hexdigest(m))
      event.set("sha256", Digest::SHA256.hexdigest(m))
      event.set("uuid", SecureRandom.uuid)
      event.set("hex", SecureRandom.hex(8))
      event.set("private", @private.include?(IPAddr.new(event.get("ip"))))
      event.set("ip6", IPAddr.new("2001:db8::1").ipv6?)
      event.set("b64", Base64.strict_encode64(m))
      event.set("unb64", Base64.decode64(Base64.encode64(m)))
      event.set("csv", CSV.parse_line(event.get("csvline")))
      u = URI.parse(event.get("url"))
      event.set("host", u.host)
      event.set("query", URI.decode_www_form(u.query).to_h)
      event.set("uniq", Set.new(%w[a b a]).size)
    `,
  });
  const message = 'héllo wörld';
  const [e] = await f.one({ message, json: '{"x":[1,2],"y":{"z":"w"}}', ip: '10.20.30.40', csvline: 'a,"b,c",d', url: 'https://example.test:8443/p?q=1&r=two' });
  const hex = (alg: string) => createHash(alg).update(message).digest('hex');
  assert.deepEqual(e!.get('parsed'), { x: [1, 2], y: { z: 'w' } });
  assert.equal(e!.get('dumped'), '{"a":[1,null]}');
  assert.equal(e!.get('epoch'), Date.UTC(2020, 0, 2, 3, 4, 5) / 1000);
  assert.equal(e!.get('strptime'), Date.UTC(2020, 0, 2, 3, 4, 5) / 1000);
  assert.equal(e!.get('weekday'), 'Thursday');
  assert.equal(e!.get('md5'), hex('md5'));
  assert.equal(e!.get('sha1'), hex('sha1'));
  assert.equal(e!.get('sha256'), hex('sha256'));
  assert.match(e!.get('uuid') as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(e!.get('hex') as string, /^[0-9a-f]{16}$/);
  assert.equal(e!.get('private'), true);
  assert.equal(e!.get('ip6'), true);
  assert.equal(e!.get('b64'), Buffer.from(message).toString('base64'));
  assert.equal(e!.get('unb64'), message);
  assert.deepEqual(e!.get('csv'), ['a', 'b,c', 'd']);
  assert.equal(e!.get('host'), 'example.test');
  assert.deepEqual(e!.get('query'), { q: '1', r: 'two' });
  assert.equal(e!.get('uniq'), 2);
});

test('ruby: an exception tags that event only (with the message when asked); exit and exit! do not stop anything', async () => {
  const f = await makeFilter(rubyFilter, {
    code: `
      case event.get("what")
      when "raise" then raise ArgumentError, "bad value #{event.get("n")}"
      when "nil" then nil.upcase
      when "exit" then exit 1
      when "exit!" then exit! 2
      when "abort" then abort "stop"
      end
      event.set("done", true)
    `,
    tag_with_exception_message: true,
    add_tag: ['ok'],
  });
  const out = await f.run(['fine', 'raise', 'nil', 'exit', 'exit!', 'abort', 'fine'].map((what, n) => ({ what, n })));
  assert.equal(out.length, 7);
  assert.deepEqual(out.map((e) => e.get('done') ?? null), [true, null, null, null, null, null, true]);
  assert.deepEqual(out[0]!.tags, ['ok']);
  assert.deepEqual(out[1]!.tags, ['_rubyexception', '_rubyexception: ArgumentError: bad value 1']);
  assert.match(out[2]!.tags[1]!, /^_rubyexception: NoMethodError: undefined method 'upcase' for nil/);
  assert.match(out[3]!.tags[1]!, /SystemExit/);
  assert.match(out[4]!.tags[1]!, /SystemExit/);
  assert.deepEqual(out[6]!.tags, ['ok']);
  // The interpreter is still usable.
  const [again] = await f.one({ what: 'fine' });
  assert.equal(again!.get('done'), true);
});

test('ruby: an endless loop is cut off after timeout_ms: that event is tagged _rubytimeout, the rest of the batch goes on', async () => {
  const f = await makeFilter(rubyFilter, {
    init: '@count = 0',
    code: 'loop { } if event.get("spin")\n@count += 1\nevent.set("count", @count)',
    timeout_ms: 300,
  });
  const started = Date.now();
  const out = await f.run([{ n: 1 }, { n: 2, spin: true }, { n: 3 }]);
  assert.ok(Date.now() - started < 20_000);
  assert.deepEqual(out.map((e) => [e.get('n'), e.hasTag('_rubytimeout'), e.has('count')]), [[1, false, true], [2, true, false], [3, false, true]]);
  // The batch was run again on a fresh interpreter without the offender: init state restarts.
  assert.deepEqual(out.map((e) => e.get('count') ?? null), [1, null, 2]);
  const [next] = await f.one({ n: 4 });
  assert.equal(next!.get('count'), 3);
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
