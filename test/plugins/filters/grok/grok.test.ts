import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturingContext, makeFilter, registryWith, settingsOf } from '../../../helpers/harness.js';
import { ConfigError } from '../../../../src/core/errors.js';
import { Event } from '../../../../src/core/event.js';
import { grokFilter } from '../../../../src/plugins/filters/grok/index.js';

const APACHE = '93.184.216.34 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"';

test('COMBINEDAPACHELOG with ECS off gives the legacy fields', async () => {
  const f = await makeFilter(grokFilter, { match: { message: '%{COMBINEDAPACHELOG}' } });
  const [e] = await f.one({ message: APACHE });
  assert.equal(e!.get('clientip'), '93.184.216.34');
  assert.equal(e!.get('ident'), '-');
  assert.equal(e!.get('auth'), 'frank');
  assert.equal(e!.get('timestamp'), '10/Oct/2000:13:55:36 -0700');
  assert.equal(e!.get('verb'), 'GET');
  assert.equal(e!.get('request'), '/apache_pb.gif');
  assert.equal(e!.get('httpversion'), '1.0');
  assert.equal(e!.get('response'), '200');
  assert.equal(e!.get('bytes'), '2326');
  assert.equal(e!.get('referrer'), '"http://www.example.com/start.html"');
  assert.equal(e!.get('agent'), '"Mozilla/4.08 [en] (Win98; I ;Nav)"');
  assert.equal(e!.get('message'), APACHE);
  assert.equal(e!.hasTag('_grokparsefailure'), false);
});

test('COMBINEDAPACHELOG with ECS v1 gives ECS fields and integers', async () => {
  for (const ecs of ['v1', 'v8'] as const) {
    const f = await makeFilter(grokFilter, { match: { message: '%{COMBINEDAPACHELOG}' } }, { ecs });
    const [e] = await f.one({ message: APACHE });
    assert.equal(e!.get('[source][address]'), '93.184.216.34');
    assert.equal(e!.get('[user][name]'), 'frank');
    assert.equal(e!.get('[apache][access][user][identity]'), undefined);
    assert.equal(e!.get('[http][request][method]'), 'GET');
    assert.equal(e!.get('[url][original]'), '/apache_pb.gif');
    assert.equal(e!.get('[http][version]'), '1.0');
    assert.equal(e!.get('[http][response][status_code]'), 200);
    assert.equal(e!.get('[http][response][body][bytes]'), 2326);
    assert.equal(e!.get('[http][request][referrer]'), 'http://www.example.com/start.html');
    assert.equal(e!.get('[user_agent][original]'), 'Mozilla/4.08 [en] (Win98; I ;Nav)');
    assert.equal(e!.get('timestamp'), '10/Oct/2000:13:55:36 -0700');
  }
});

test('no match tags _grokparsefailure (or tag_on_failure) and skips decorations', async () => {
  const f = await makeFilter(grokFilter, { match: { message: '^%{INT:n}$' }, add_tag: ['ok'] });
  const [e] = await f.one({ message: 'abc' });
  assert.deepEqual(e!.get('tags'), ['_grokparsefailure']);
  const g = await makeFilter(grokFilter, { match: { message: '^%{INT:n}$' }, tag_on_failure: ['bad', 'worse'] });
  const [e2] = await g.one({ message: 'abc' });
  assert.deepEqual(e2!.get('tags'), ['bad', 'worse']);
  const [e3] = await f.one({ other: 'x' });
  assert.deepEqual(e3!.get('tags'), ['_grokparsefailure']);
  const [e4] = await f.one({ message: '12' });
  assert.deepEqual(e4!.get('tags'), ['ok']);
});

test('several patterns are tried in order; break_on_match stops at the first', async () => {
  const pats = ['^%{INT:a}$', '^%{WORD:b}$', '^%{NOTSPACE:c}$'];
  const f = await makeFilter(grokFilter, { match: { message: pats } });
  const [e] = await f.one({ message: 'hello' });
  assert.equal(e!.get('b'), 'hello');
  assert.equal(e!.get('c'), undefined);
  const g = await makeFilter(grokFilter, { match: { message: pats }, break_on_match: false });
  const [e2] = await g.one({ message: 'hello' });
  assert.equal(e2!.get('b'), 'hello');
  assert.equal(e2!.get('c'), 'hello');
  assert.equal(e2!.get('a'), undefined);
});

test('several fields; an array source is matched element by element', async () => {
  const f = await makeFilter(grokFilter, { match: { a: '^%{INT:n:int}$', b: '^%{WORD:w}$' }, break_on_match: false });
  const [e] = await f.one({ a: '7', b: 'x' });
  assert.equal(e!.get('n'), 7);
  assert.equal(e!.get('w'), 'x');
  const g = await makeFilter(grokFilter, { match: { a: '^%{INT:n}$' } });
  const [e2] = await g.one({ a: ['1', 'x', '3'] });
  assert.deepEqual(e2!.get('n'), ['1', '3']);
  assert.equal(e2!.hasTag('_grokparsefailure'), false);
  // Like Logstash, only a string (or array) is promoted: an existing number is left alone.
  const h = await makeFilter(grokFilter, { match: { a: '^%{INT:n:int}$' } });
  const [e3] = await h.one({ a: ['1', '3'] });
  assert.equal(e3!.get('n'), 1);
});

test('existing fields become arrays unless listed in overwrite', async () => {
  const f = await makeFilter(grokFilter, { match: { message: '^%{WORD:w} %{GREEDYDATA:message}$' } });
  const [e] = await f.one({ message: 'hi there you', w: 'old' });
  assert.deepEqual(e!.get('w'), ['old', 'hi']);
  assert.deepEqual(e!.get('message'), ['hi there you', 'there you']);
  const g = await makeFilter(grokFilter, { match: { message: '^%{WORD:w} %{GREEDYDATA:message}$' }, overwrite: ['message'] });
  const [e2] = await g.one({ message: 'hi there you' });
  assert.equal(e2!.get('message'), 'there you');
  const h = await makeFilter(grokFilter, { match: { message: '^%{INT:n} %{INT:n}$' } });
  const [e3] = await h.one({ message: '1 2' });
  assert.deepEqual(e3!.get('n'), ['1', '2']);
});

test('keep_empty_captures keeps empty strings', async () => {
  const p = '^%{DATA:a},%{DATA:b}$';
  const [e] = await (await makeFilter(grokFilter, { match: { message: p } })).one({ message: ',x' });
  assert.equal(e!.has('a'), false);
  assert.equal(e!.get('b'), 'x');
  const [e2] = await (await makeFilter(grokFilter, { match: { message: p }, keep_empty_captures: true })).one({ message: ',x' });
  assert.equal(e2!.get('a'), '');
});

test('named_captures_only false keeps %{SYNTAX} captures under the pattern name', async () => {
  const f = await makeFilter(grokFilter, { match: { message: '^%{INT} %{WORD:w}$' }, named_captures_only: false });
  const [e] = await f.one({ message: '5 x' });
  assert.equal(e!.get('INT'), '5');
  assert.equal(e!.get('w'), 'x');
});

test('pattern_definitions, patterns_dir and patterns_files_glob', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'grok-'));
  writeFileSync(join(dir, 'mine'), '# comment\nQUEUEID [0-9A-F]{6,11}\n\nSHOUT [A-Z]+\n');
  writeFileSync(join(dir, 'other.txt'), 'SHOUT nope\n');
  const f = await makeFilter(grokFilter, {
    match: { message: '^%{QUEUEID:q} %{SHOUT:s} %{PIN:p}$' },
    patterns_dir: [dir],
    patterns_files_glob: 'm*',
    pattern_definitions: { PIN: '\\d{4}' },
  });
  const [e] = await f.one({ message: 'ABC123 HEY 1234' });
  assert.equal(e!.get('q'), 'ABC123');
  assert.equal(e!.get('s'), 'HEY');
  assert.equal(e!.get('p'), '1234');
});

test('patterns_dir takes files and globs too, and a path that does not exist loads nothing with a warning (as Logstash skips it)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'grok-'));
  writeFileSync(join(dir, 'postfix'), 'QUEUEID [0-9A-F]{6,11}\n');
  writeFileSync(join(dir, 'shout.grok'), 'SHOUT [A-Z]+\n');
  const registry = registryWith(grokFilter);
  const build = (patternsDir: string[], pattern: string) => {
    const { ctx, logs } = capturingContext('grok', { registry });
    const options = registry.validate(grokFilter, settingsOf({ match: { message: pattern }, patterns_dir: patternsDir }));
    return { filter: grokFilter.create(options as never, ctx), logs };
  };
  const built = build([join(dir, 'postfix'), join(dir, '*.grok'), '/nonexistent/logpipe/patterns.d'], '^%{QUEUEID:q} %{SHOUT:s} %{WORD:w}$');
  const event = new Event({ message: 'ABC123 HEY there' });
  (await built.filter).filter(event, () => undefined);
  assert.deepEqual([event.get('q'), event.get('s'), event.get('w')], ['ABC123', 'HEY', 'there']);
  assert.equal(built.logs.length, 1);
  assert.match(built.logs[0]!, /patterns_dir "\/nonexistent\/logpipe\/patterns\.d" does not exist/);
  // A pattern the missing directory should have held is then undefined, with the plugin's place.
  await assert.rejects(async () => build(['/nonexistent/logpipe/patterns.d'], '%{POSTFIX_SMTPD}').filter, (e: ConfigError) => /POSTFIX_SMTPD/.test(e.message) && e.location !== undefined);
});

test('target nests every capture; nested semantics build objects', async () => {
  const f = await makeFilter(grokFilter, { match: { message: '^%{WORD:[a][b]} %{INT:c:int}$' }, target: 'g' });
  const [e] = await f.one({ message: 'x 5' });
  assert.deepEqual(e!.get('g'), { a: { b: 'x' }, c: 5 });
});

test('Oniguruma named captures inside the pattern become fields', async () => {
  const f = await makeFilter(grokFilter, { match: { message: '^(?<queue_id>[0-9A-F]{10,11}): %{GREEDYDATA:rest}$' } });
  const [e] = await f.one({ message: 'BEF25A72965: message-id=<x@y>' });
  assert.equal(e!.get('queue_id'), 'BEF25A72965');
  assert.equal(e!.get('rest'), 'message-id=<x@y>');
});

test('a bad pattern is a config error', async () => {
  await assert.rejects(makeFilter(grokFilter, { match: { message: '%{NOT_A_PATTERN}' } }), /not defined/);
});
