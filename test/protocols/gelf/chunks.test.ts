import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { gzipSync, deflateSync } from 'node:zlib';
import { ChunkAssembler, isChunk } from '../../../src/protocols/gelf/chunks.js';
import { compressionOf, gelfText, GelfDecodeError } from '../../../src/protocols/gelf/message.js';
import { gelfChunks } from '../../helpers/gelf.js';

const LIMITS = { maxMessages: 10, maxBytes: 1024 * 1024, timeoutMs: 5000 };

test('gelf chunks: reassembled in any order, repeats ignored, completed counted', () => {
  const message = randomBytes(10_000);
  const chunks = gelfChunks(message, 1000);
  assert.equal(chunks.length, 10);
  assert.ok(chunks.every(isChunk));
  const order = [7, 0, 9, 3, 3, 1, 8, 2, 6, 4, 5];
  const a = new ChunkAssembler(LIMITS);
  const results = order.map((k) => a.accept(chunks[k]!, 0));
  assert.ok(results.slice(0, -1).every((r) => r === undefined));
  assert.deepEqual(Buffer.from(results.at(-1)!), message);
  assert.equal(a.size, 0);
  assert.equal(a.bytes, 0);
  assert.equal(a.counters.completed, 1);
});

test('gelf chunks: interleaved messages from several senders', () => {
  const m1 = randomBytes(3000);
  const m2 = randomBytes(2500);
  const c1 = gelfChunks(m1, 1000);
  const c2 = gelfChunks(m2, 1000);
  const a = new ChunkAssembler(LIMITS);
  const done: Buffer[] = [];
  for (const c of [c1[2], c2[0], c1[0], c2[2], c2[1], c1[1]]) {
    const r = a.accept(c!, 0);
    if (r) done.push(Buffer.from(r));
  }
  assert.deepEqual(done, [m2, m1]);
});

test('gelf chunks: a message missing a chunk is dropped after the timeout and counted', () => {
  const chunks = gelfChunks(randomBytes(3000), 1000);
  const a = new ChunkAssembler(LIMITS);
  assert.equal(a.accept(chunks[0]!, 1000), undefined);
  assert.equal(a.accept(chunks[2]!, 2000), undefined);
  assert.equal(a.expire(5999), 0);
  assert.equal(a.size, 1);
  assert.equal(a.expire(6001), 1);
  assert.equal(a.size, 0);
  assert.equal(a.bytes, 0);
  assert.equal(a.counters.expired, 1);
  // the late chunk starts a new (incomplete) message rather than completing a stale one
  assert.equal(a.accept(chunks[1]!, 7000), undefined);
  assert.equal(a.size, 1);
});

test('gelf chunks: beyond maxMessages or maxBytes the oldest pending message is evicted', () => {
  const a = new ChunkAssembler({ maxMessages: 3, maxBytes: 10_000, timeoutMs: 5000 });
  const firsts = Array.from({ length: 5 }, () => gelfChunks(randomBytes(2000), 1000));
  for (const chunks of firsts) a.accept(chunks[0]!, 0);
  assert.equal(a.size, 3);
  assert.equal(a.counters.evicted, 2);
  // the evicted first message cannot complete; the last one can
  assert.equal(a.accept(firsts[0]![1]!, 1), undefined);
  assert.ok(a.accept(firsts[4]![1]!, 1));
  const big = new ChunkAssembler({ maxMessages: 100, maxBytes: 2500, timeoutMs: 5000 });
  for (let i = 0; i < 4; i++) big.accept(gelfChunks(randomBytes(4000), 1000)[0]!, 0);
  assert.ok(big.bytes <= 2500);
  assert.equal(big.counters.evicted, 2); // 3rd and 4th chunk each pushed it past 2500 bytes
});

test('gelf chunks: malformed chunks are counted invalid; a single-chunk message is returned at once', () => {
  const a = new ChunkAssembler(LIMITS);
  const id = randomBytes(8);
  const head = (seq: number, count: number): Buffer => Buffer.concat([Buffer.from([0x1e, 0x0f]), id, Buffer.from([seq, count]), Buffer.from('x')]);
  assert.equal(a.accept(head(0, 0), 0), undefined);
  assert.equal(a.accept(head(3, 3), 0), undefined);
  assert.equal(a.accept(head(0, 129), 0), undefined);
  assert.equal(a.accept(Buffer.from([0x1e, 0x0f, 1, 2]), 0), undefined);
  assert.equal(a.accept(head(0, 2), 0), undefined);
  assert.equal(a.accept(head(1, 3), 0), undefined); // count changed
  assert.equal(a.counters.invalid, 5);
  assert.equal(Buffer.from(a.accept(head(0, 1), 0)!).toString(), 'x');
});

test('gelf message: gzip, zlib and plain detected; inflation bounded; corrupt data refused', () => {
  const json = JSON.stringify({ version: '1.1', host: 'h', short_message: 'é'.repeat(100) });
  assert.equal(compressionOf(gzipSync(json)), 'gzip');
  assert.equal(compressionOf(deflateSync(json)), 'zlib');
  assert.equal(compressionOf(Buffer.from(json)), 'none');
  assert.equal(gelfText(gzipSync(json), 1 << 20), json);
  assert.equal(gelfText(deflateSync(json), 1 << 20), json);
  assert.equal(gelfText(Buffer.from(json), 1 << 20), json);
  const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024));
  assert.ok(bomb.length < 20_000);
  assert.throws(() => gelfText(bomb, 1024 * 1024), (e: unknown) => e instanceof GelfDecodeError && /inflates to more than/.test(e.message));
  const corrupt = gzipSync(json);
  corrupt[corrupt.length - 5] ^= 0xff;
  assert.throws(() => gelfText(corrupt, 1 << 20), GelfDecodeError);
});
