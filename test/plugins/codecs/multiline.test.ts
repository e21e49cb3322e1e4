/** The multiline codec alone, and per connection on the tcp input and per stream on stdin. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { once } from 'node:events';
import { Event } from '../../../src/core/event.js';
import { MAX_LINES_TAG } from '../../../src/plugins/codecs/multiline.js';
import { makeCodec, settingsOf } from '../../helpers/harness.js';
import { stdinEvents } from '../../helpers/stdin.js';
import { sleep, waitFor } from '../../helpers/wait.js';
import { startTcpInput } from '../inputs/tcp/helpers.js';

const codecOf = (settings: Record<string, string | number | boolean>) => makeCodec({ name: 'multiline', settings: settingsOf(settings) });
const LOC = { file: 'test.conf', line: 1, column: 1 };
const multilineValue = (settings: Record<string, string | number | boolean>) => ({ kind: 'plugin' as const, name: 'multiline', settings: settingsOf(settings), location: LOC });
const decodeAll = (codec: ReturnType<typeof makeCodec>, text: string): Event[] => {
  const out: Event[] = [];
  codec.decode(text, (e) => out.push(e));
  return out;
};

test('what => previous with a grok pattern and negate: a stack trace joins the line before it, tagged multiline', () => {
  const codec = codecOf({ pattern: '^%{TIMESTAMP_ISO8601} ', negate: true, what: 'previous' });
  const events = decodeAll(codec, '2024-01-01 10:00:00 first\n  at a\n  at b\n2024-01-01 10:00:01 second');
  assert.deepEqual(events.map((e) => e.get('message')), ['2024-01-01 10:00:00 first\n  at a\n  at b', '2024-01-01 10:00:01 second']);
  assert.deepEqual(events[0]!.get('tags'), ['multiline']);
  assert.equal(events[1]!.get('tags'), undefined);
});

test('what => next: a line ending in a backslash joins the next; max_lines cuts and tags', () => {
  const next = decodeAll(codecOf({ pattern: '\\\\$', what: 'next' }), 'a \\\nb \\\nc\nd');
  assert.deepEqual(next.map((e) => e.get('message')), ['a \\\nb \\\nc', 'd']);
  const capped = decodeAll(codecOf({ pattern: '^\\s', what: 'previous', max_lines: 2 }), 'x\n 1\n 2\n 3');
  assert.deepEqual(capped.map((e) => e.get('message')), ['x\n 1', ' 2\n 3']);
  assert.ok((capped[0]!.get('tags') as string[]).includes(MAX_LINES_TAG));
});

test('an invalid pattern is a config error', () => {
  assert.throws(() => codecOf({ pattern: '%{NOPE}', what: 'previous' }), /multiline: .*NOPE/);
});

test('tcp: events are joined per connection, whatever the pieces and the interleaving of two connections', async () => {
  const input = await startTcpInput({ codec: multilineValue({ pattern: '^\\s', what: 'previous' }) });
  try {
    const a = connect(input.port, '127.0.0.1');
    const b = connect(input.port, '127.0.0.1');
    await Promise.all([once(a, 'connect'), once(b, 'connect')]);
    a.write('A1\n  a1.1\n');
    await sleep(60); // past the quiet flush: the event so far is held, not handed over half
    b.write('B1\n  b1.1\n  b1');
    await sleep(60);
    a.write('  a1.2\nA2\n');
    b.write('.2\nB2\n');
    await sleep(60);
    a.end();
    b.end();
    await waitFor('four events', () => input.events().length === 4);
    await sleep(50);
    assert.deepEqual(input.events().map((e) => e.get('message')).sort(), ['A1\n  a1.1\n  a1.2', 'A2', 'B1\n  b1.1\n  b1.2', 'B2']);
  } finally {
    await input.stop();
  }
});

test('tcp: auto_flush_interval hands over an event whose next line is late', async () => {
  const input = await startTcpInput({ codec: multilineValue({ pattern: '^\\s', what: 'previous', auto_flush_interval: 0.2 }) });
  try {
    const a = connect(input.port, '127.0.0.1');
    await once(a, 'connect');
    a.write('only\n  cont\n');
    await waitFor('the flushed event', () => input.events().length === 1, 5_000);
    assert.equal(input.events()[0]!.get('message'), 'only\n  cont');
    a.destroy();
  } finally {
    await input.stop();
  }
});

test('stdin: events are joined across payload boundaries', async () => {
  // 600 continuation lines: more than one payload's worth (500 lines).
  const text = 'head\n' + Array.from({ length: 600 }, (_, i) => ` c${i}`).join('\n') + '\nnext\n';
  const { events } = await stdinEvents({ codec: multilineValue({ pattern: '^\\s', what: 'previous' }) }, [Buffer.from(text)]);
  assert.equal(events.length, 3, 'max_lines (500) cuts the long event once; nothing is split at a payload edge');
  assert.equal((events[0]!.get('message') as string).split('\n').length, 500);
  assert.equal((events[1]!.get('message') as string).split('\n').length, 101);
  assert.equal(events[2]!.get('message'), 'next');
});
