/**
 * The ruby filter on the embedded CRuby: real Logstash snippets, with the results Logstash's
 * documentation gives for them. Each filter boots interpreters (in this thread, and a helper
 * thread because tests run unwatched): the tests are spread over a few files to stay within the
 * runner's per-file time limit, and the checks are grouped per filter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { makeFilter } from '../../../helpers/harness.js';
import { rubyFilter } from '../../../../src/plugins/filters/ruby/index.js';

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

