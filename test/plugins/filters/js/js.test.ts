import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFilter } from '../../../helpers/harness.js';
import { jsFilter } from '../../../../src/plugins/filters/js/index.js';
import { ConfigError } from '../../../../src/core/errors.js';
import { Event } from '../../../../src/core/event.js';
import { Timestamp } from '../../../../src/core/timestamp.js';

const dir = mkdtempSync(join(tmpdir(), 'logpipe-js-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const script = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** Runs `fn` with the process time zone set to `tz` (Node re-reads TZ when it is assigned). */
async function withTimeZone<T>(tz: string, fn: () => Promise<T>): Promise<T> {
  const old = process.env['TZ'];
  process.env['TZ'] = tz;
  try {
    return await fn();
  } finally {
    if (old === undefined) delete process.env['TZ'];
    else process.env['TZ'] = old;
  }
}

// ---------------------------------------------------------------- the seed's ruby blocks, ported

test('js: seed port — split the source path (ruby: path[-2], path[-1])', async () => {
  const f = await makeFilter(jsFilter, {
    code: `
      const path = event.get('source').split('/');
      event.set('src_path_prefix', path.at(-2));
      event.set('src_path_filename', path.at(-1));
    `,
  });
  const [e] = await f.one({ source: '/data/logs/foo_bar/2024-01-31.log' });
  assert.equal(e!.get('src_path_prefix'), 'foo_bar');
  assert.equal(e!.get('src_path_filename'), '2024-01-31.log');
  // Ruby's path[-2] is nil for a one-element path; at(-2) gives undefined, stored as null.
  const [short] = await f.one({ source: 'file.log' });
  assert.equal(short!.get('src_path_prefix'), null);
  assert.equal(short!.get('src_path_filename'), 'file.log');
});

test('js: seed port — Time.local(year, month, day, hour, minute, 0).to_i depends on the local zone', async () => {
  const code = `
    const t = new Date(event.get('year'), event.get('month') - 1, event.get('day'), event.get('hour'), event.get('minute'), 0);
    event.set('log_time', Math.floor(t.getTime() / 1000));
  `;
  const fields = { year: 2024, month: 1, day: 31, hour: 23, minute: 5 };
  const utcSeconds = Date.UTC(2024, 0, 31, 23, 5, 0) / 1000;
  await withTimeZone('Asia/Shanghai', async () => {
    const f = await makeFilter(jsFilter, { code });
    const [e] = await f.one(fields);
    assert.equal(e!.get('log_time'), utcSeconds - 8 * 3600);
  });
  await withTimeZone('UTC', async () => {
    const f = await makeFilter(jsFilter, { code });
    const [e] = await f.one(fields);
    assert.equal(e!.get('log_time'), utcSeconds);
  });
});

test('js: seed port — log_time and log_ym from ymd and hour, then the date filter input', async () => {
  const code = `
    const ymd = String(event.get('ymd'));
    const t = new Date(Number(ymd.slice(0, 4)), Number(ymd.slice(4, 6)) - 1, Number(ymd.slice(6, 8)), event.get('hour'), 0, 0);
    const logTime = Math.floor(t.getTime() / 1000);
    const back = new Date(logTime * 1000);
    event.set('log_time', logTime);
    event.set('log_ym', back.getFullYear() * 100 + back.getMonth() + 1);
  `;
  await withTimeZone('Asia/Shanghai', async () => {
    const f = await makeFilter(jsFilter, { code });
    // 2024-03-01 05:00 in Shanghai is still February in UTC: log_ym must use local time.
    const [e] = await f.one({ ymd: 20240301, hour: 5 });
    assert.equal(e!.get('log_time'), Date.UTC(2024, 2, 1, 5) / 1000 - 8 * 3600);
    assert.equal(e!.get('log_ym'), 202403);
  });
});

// ---------------------------------------------------------------- event API

test('js: get returns a copy; set stores; remove returns the old value', async () => {
  const f = await makeFilter(jsFilter, {
    code: `
      const a = event.get('[obj][list]');
      a.push('changed-only-locally');
      event.set('isArray', Array.isArray(a) && a instanceof Array);
      event.set('lenBefore', event.get('[obj][list]').length);
      const old = event.remove('gone');
      event.set('removed', old);
      event.set('[nested][x]', { y: [1, 2], d: new Date(Date.UTC(2020, 0, 1)) });
      event.set('has', [event.has('obj'), event.include('[obj][list]'), event.has('nope')]);
    `,
  });
  const [e] = await f.one({ obj: { list: ['a'] }, gone: 'bye' });
  assert.deepEqual(e!.get('[obj][list]'), ['a']);
  assert.equal(e!.get('isArray'), true);
  assert.equal(e!.get('lenBefore'), 1);
  assert.equal(e!.get('removed'), 'bye');
  assert.equal(e!.has('gone'), false);
  assert.deepEqual(e!.get('[nested][x][y]'), [1, 2]);
  assert.ok(Array.isArray(e!.get('[nested][x][y]')) && e!.get('[nested][x][y]') instanceof Array, 'stored values are host-realm arrays');
  assert.deepEqual(e!.get('[nested][x][d]'), new Timestamp(Date.UTC(2020, 0, 1)));
  assert.deepEqual(e!.get('has'), [true, true, false]);
});

test('js: tag, sprintf, timestamp, @timestamp from a Date, toObject, metadata', async () => {
  const f = await makeFilter(jsFilter, {
    code: `
      event.tag('a'); event.tag('a'); event.tag('b');
      event.set('greeting', event.sprintf('hello %{name} at %{+yyyy}'));
      event.set('ts_ms', event.timestamp().getTime());
      event.set('keys', Object.keys(event.toObject()).sort().join(','));
      event.set('[@metadata][seen]', true);
      event.set('meta_in_hash', '@metadata' in event.to_hash());
      event.set('@timestamp', new Date(Date.UTC(2021, 5, 1, 12)));
    `,
  });
  const input = new Event({ name: 'bob', '@timestamp': new Timestamp(Date.UTC(2019, 0, 2, 3, 4, 5)) });
  const [e] = await f.one(input);
  assert.deepEqual(e!.tags, ['a', 'b']);
  assert.equal(e!.get('greeting'), 'hello bob at 2019');
  assert.equal(e!.get('ts_ms'), Date.UTC(2019, 0, 2, 3, 4, 5));
  assert.equal(e!.get('keys'), '@timestamp,@version,greeting,name,tags,ts_ms');
  assert.equal(e!.get('[@metadata][seen]'), true);
  assert.equal(e!.get('meta_in_hash'), false);
  assert.equal(e!.timestamp.epochMs, Date.UTC(2021, 5, 1, 12));
});

test('js: cancel drops the event; uncancel and cancelled() work', async () => {
  const f = await makeFilter(jsFilter, {
    code: `
      if (event.get('drop')) event.cancel();
      if (event.get('undo')) { event.cancel(); event.set('was', event.cancelled()); event.uncancel(); }
    `,
  });
  const out = await f.run([{ n: 1, drop: true }, { n: 2, undo: true }, { n: 3 }]);
  assert.deepEqual(out.map((e) => e.get('n')), [2, 3]);
  assert.equal(out[0]!.get('was'), true);
});

test('js: emit() adds events after the original (ruby: new_event_block.call); clone is deep', async () => {
  const f = await makeFilter(jsFilter, {
    code: `
      const c = event.clone();
      c.set('[inner][copy]', true);
      emit(c);
      emit({ message: 'made from a plain object', from: event.get('n') });
      emit(new Event({ message: 'made with new Event' }));
    `,
    add_tag: ['decorated'],
  });
  const out = await f.run([{ n: 1, inner: { v: 1 } }, { n: 2, inner: { v: 2 } }]);
  assert.equal(out.length, 8);
  assert.deepEqual(out.map((e) => e.get('n') ?? e.get('from')), [1, 1, 1, undefined, 2, 2, 2, undefined]);
  assert.equal(out[0]!.has('[inner][copy]'), false);
  assert.equal(out[1]!.get('[inner][copy]'), true);
  assert.equal(out[2]!.get('message'), 'made from a plain object');
  assert.equal(out[3]!.get('message'), 'made with new Event');
  // As in Logstash, the decorations go to the original only.
  assert.deepEqual(out.map((e) => e.hasTag('decorated')), [true, false, false, false, true, false, false, false]);
});

test('js: init runs once and shares state with code', async () => {
  const f = await makeFilter(jsFilter, { init: 'let counter = 0; function bump() { return ++counter; }', code: "event.set('seq', bump());" });
  const out = await f.run([{}, {}, {}]);
  assert.deepEqual(out.map((e) => e.get('seq')), [1, 2, 3]);
});

// ---------------------------------------------------------------- failures

test('js: an exception tags only that event, keeps it, and skips the decorations', async () => {
  const f = await makeFilter(jsFilter, {
    code: "if (event.get('bad')) throw new Error('boom ' + event.get('n')); event.set('done', true);",
    add_tag: ['ok'],
    tag_with_exception_message: true,
  });
  const out = await f.run([{ n: 1 }, { n: 2, bad: true }, { n: 3 }]);
  assert.equal(out.length, 3);
  assert.deepEqual(out.map((e) => e.get('done') ?? false), [true, false, true]);
  assert.deepEqual(out[1]!.tags, ['_jsexception', '_jsexception: boom 2']);
  assert.deepEqual(out[0]!.tags, ['ok']);
  const odd = await makeFilter(jsFilter, { code: 'throw null;', tag_on_exception: '_custom' });
  const [e] = await odd.one({});
  assert.deepEqual(e!.tags, ['_custom']);
  const bad = await makeFilter(jsFilter, { code: "event.set('f', function () {});" });
  const [b] = await bad.one({});
  assert.ok(b!.hasTag('_jsexception'), 'functions cannot be stored');
});

test('js: an endless loop is interrupted; only the offending event is tagged', async () => {
  const f = await makeFilter(jsFilter, { code: "if (event.get('spin')) { event.set('started', true); while (true) {} } event.set('done', true);", timeout_ms: 50 });
  const out = await f.run([{ n: 1 }, { n: 2, spin: true }, { n: 3 }]);
  assert.deepEqual(out.map((e) => e.get('n')), [1, 2, 3]);
  assert.deepEqual(out.map((e) => e.hasTag('_jstimeout')), [false, true, false]);
  assert.equal(out[1]!.get('started'), true, 'the event is kept as the script left it');
  assert.deepEqual(out.map((e) => e.get('done') ?? false), [true, false, true]);
  // The context still works afterwards.
  const [again] = await f.one({ n: 4 });
  assert.equal(again!.get('done'), true);
});

test('js: a batch of slow events longer than timeout_ms in total is not interrupted', async () => {
  const f = await makeFilter(jsFilter, { code: "const end = Date.now() + 25; while (Date.now() < end) {} event.set('done', true);", timeout_ms: 60 });
  const out = await f.run(Array.from({ length: 8 }, (_, n) => ({ n })));
  assert.equal(out.length, 8);
  assert.ok(out.every((e) => e.get('done') === true && !e.hasTag('_jstimeout')));
});

test('js: timeout_ms => 0 disables the limit', async () => {
  const f = await makeFilter(jsFilter, { code: "event.set('x', 1);", timeout_ms: 0 });
  const [e] = await f.one({});
  assert.equal(e!.get('x'), 1);
});

// ---------------------------------------------------------------- file mode

test('js: path script with register(params) and filter(event) returning events', async () => {
  const p = script('split.js', `
    let sep;
    function register(params) { sep = params.separator; }
    function filter(event) {
      const parts = String(event.get('message')).split(sep);
      if (parts.length === 1) return [event];
      return parts.map((part) => { const e = event.clone(); e.set('message', part); return e; });
    }
  `);
  const f = await makeFilter(jsFilter, { path: p, script_params: { separator: ';' } });
  const out = await f.run([{ message: 'a;b;c' }, { message: 'single' }]);
  assert.deepEqual(out.map((e) => e.get('message')), ['a', 'b', 'c', 'single']);
});

test('js: path script return values — [] and null drop, undefined keeps, other values are errors', async () => {
  const p = script('returns.js', `
    function filter(event) {
      switch (event.get('mode')) {
        case 'empty': return [];
        case 'null': return null;
        case 'undefined': event.set('touched', true); return undefined;
        case 'string': return 'nope';
        case 'junk': return [event, 42];
        default: return [event];
      }
    }
  `);
  const f = await makeFilter(jsFilter, { path: p, add_tag: ['decorated'] });
  const out = await f.run(['empty', 'null', 'undefined', 'string', 'junk', 'keep'].map((mode) => ({ mode })));
  assert.deepEqual(out.map((e) => e.get('mode')), ['undefined', 'string', 'junk', 'keep']);
  assert.equal(out[0]!.get('touched'), true);
  assert.ok(out[1]!.hasTag('_jsexception'));
  assert.ok(out[2]!.hasTag('_jsexception'));
  assert.ok(!out[3]!.hasTag('_jsexception'));
  // Logstash's ruby filter applies no decorations in file mode.
  assert.ok(out.every((e) => !e.hasTag('decorated')));
});

// ---------------------------------------------------------------- configuration

test('js: configuration errors say what to do', async () => {
  await assert.rejects(makeFilter(jsFilter, {}), (e: unknown) => e instanceof ConfigError && /exactly one/.test(e.message));
  await assert.rejects(makeFilter(jsFilter, { code: 'x', path: '/tmp/x.js' }), /exactly one/);
  await assert.rejects(makeFilter(jsFilter, { code: "path = event.get('source').split('/')\nevent.set('a', path[-2]) if path" }),
    (e: unknown) => e instanceof ConfigError && /does not compile/.test(e.message) && /port/.test(e.hint ?? ''));
  await assert.rejects(makeFilter(jsFilter, { init: 'throw new Error("no db")', code: '' }), /init.*no db/);
  await assert.rejects(makeFilter(jsFilter, { path: script('nofilter.js', 'function register() {}') }), /filter\(event\)/);
  await assert.rejects(makeFilter(jsFilter, { path: join(dir, 'missing.js') }), /cannot read script/);
  await assert.rejects(makeFilter(jsFilter, { code: '', script_params: { a: 1 } }), /script_params/);
  await assert.rejects(makeFilter(jsFilter, { code: '', timeout_ms: -1 }), /timeout_ms/);
});

test('js: a script may define filter with const; register is optional', async () => {
  const p = script('const.js', "const filter = (event) => { event.set('seen', true); return [event]; };");
  const f = await makeFilter(jsFilter, { path: p });
  const [e] = await f.one({});
  assert.equal(e!.get('seen'), true);
});

test('js: the per-event filter() form gives the same results as the batch form', async () => {
  const { testContext } = await import('../../../helpers/harness.js');
  const ctx = testContext('js');
  const f = await jsFilter.create({
    code: "if (event.get('bad')) throw new Error('x'); emit({ child: true });",
    script_params: {}, tag_on_exception: '_jsexception', tag_with_exception_message: false, timeout_ms: 1000, tag_on_timeout: '_jstimeout',
  } as never, ctx);
  const emitted: Event[] = [];
  const good = new Event({});
  assert.equal(f.filter(good, (e) => emitted.push(e)), true);
  assert.equal(emitted.length, 1);
  assert.equal(emitted[0]!.get('child'), true);
  const bad = new Event({ bad: true });
  assert.equal(f.filter(bad, (e) => emitted.push(e)), false);
  assert.ok(bad.hasTag('_jsexception'));
});
