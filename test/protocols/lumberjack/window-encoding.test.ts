/**
 * The client's window encoder: the same bytes as the plain encoder whatever runs at once, kept
 * zlib streams that make a complete stream per window, and the bound on deflates at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { FrameParser, encodeWindowFrames, type Frame } from '../../../src/protocols/lumberjack/frames.js';
import { DEFLATE_SLOTS, Deflater, deflateSlots, encodeWindowFramesAsync } from '../../../src/protocols/lumberjack/window-encoding.js';
import { documentsOf } from './helpers.js';

function events(n: number, tag: string): ReturnType<typeof documentsOf> {
  return documentsOf(Array.from({ length: n }, (_, i) => ({ id: i, tag, message: `${tag} line ${i} ${'x'.repeat(i % 97)}` })));
}

/** The documents of one window, through our parser (W, then J frames, inflated when compressed). */
function decode(window: Buffer): { count: number; docs: string[] } {
  const frames: Frame[] = [];
  const parser = new FrameParser({ maxFrameBytes: 64 * 1024 * 1024, accept: 'client-frames' });
  parser.push(window, (f) => frames.push(f.type === 'json' ? { ...f, payload: Buffer.from(f.payload) } : f));
  parser.end();
  const [w, ...rest] = frames;
  assert.equal(w?.type, 'window');
  assert.deepEqual(rest.map((f) => (f.type === 'json' ? f.seq : -1)), rest.map((_, i) => i + 1));
  return { count: w.type === 'window' ? w.count : -1, docs: rest.map((f) => (f.type === 'json' ? Buffer.from(f.payload).toString() : '')) };
}

test('the same bytes as encodeWindowFrames: levels 0, 1, 3 and 9; windows of 1, 256 and 10,000 events; slices', async () => {
  for (const n of [1, 256, 10_000]) {
    const docs = events(n, `n${n}`);
    for (const level of [0, 1, 3, 9]) {
      for (const [from, to] of [[0, n], [Math.floor(n / 2), n]] as const) {
        if (from === to) continue;
        const window = await encodeWindowFramesAsync(docs.bytes, docs.ends, from, to, level);
        assert.deepEqual(window, encodeWindowFrames(docs.bytes, docs.ends, from, to, level), `${n} events, level ${level}, [${from}, ${to})`);
      }
    }
  }
});

test('windows encoded at once never share a buffer: each decodes to its own documents; deflates at once stay within the slots', async () => {
  const windows = Array.from({ length: 24 }, (_, k) => events(50 + k * 37, `w${k}`));
  let most = 0;
  let done = false;
  const watch = (async () => {
    while (!done) {
      most = Math.max(most, deflateSlots.busy);
      await new Promise((r) => setImmediate(r));
    }
  })();
  const encoded = await Promise.all(windows.map((d, k) => encodeWindowFramesAsync(d.bytes, d.ends, 0, d.ends.length, k % 3 === 2 ? 0 : 1 + (k % 2) * 5)));
  done = true;
  await watch;
  encoded.forEach((window, k) => {
    const { count, docs } = decode(window);
    assert.equal(count, windows[k]!.ends.length);
    assert.deepEqual(docs, Buffer.from(windows[k]!.bytes).toString().replace(/}\{/g, '}\n{').split('\n'), `window ${k}`);
  });
  assert.ok(most >= 1 && most <= DEFLATE_SLOTS, `at most ${DEFLATE_SLOTS} deflates at once, saw ${most}`);
  assert.equal(deflateSlots.busy, 0);
});

test('a kept Deflater makes a complete zlib stream per input, byte-equal to deflateSync, including outputs larger than its read buffer', async () => {
  const deflater = new Deflater(3);
  try {
    const inputs = [Buffer.from('{"a":1}'.repeat(1000)), randomBytes(3 * 1024 * 1024), Buffer.from('x'), Buffer.alloc(0), Buffer.from('{"b":2}'.repeat(50_000))];
    for (const input of inputs) {
      const out = await deflater.deflate(input);
      assert.deepEqual(out, deflateSync(input, { level: 3 }), `${input.length} bytes`);
      assert.deepEqual(inflateSync(out), input);
    }
    assert.equal(deflater.broken, false);
  } finally {
    deflater.close();
  }
});
