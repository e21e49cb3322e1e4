/** The tailing core on real files: rotation, truncation, identity, held-back lines, max_bytes, encodings, multiline, acks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, renameSync, unlinkSync, writeFileSync, statSync, readFileSync, truncateSync, symlinkSync, mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { runInput, tempDir } from './run-input.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { fingerprintMatches, fingerprintOf } from '../../src/tailing/identity.js';
import { REGISTRY_FILE, RegistryStore } from '../../src/tailing/registry/store.js';

const FAST = { scan_frequency: '100ms', backoff: '20ms', max_backoff: '50ms' } as const;
const lines = (prefix: string, from: number, to: number): string => Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}\n`).join('');
const registryOf = (dir: string): RegistryStore => new RegistryStore(join(dir, 'registry', REGISTRY_FILE));

test('rename+create rotation, copytruncate and delete+re-create: every line once, in order per file', async () => {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, lines('a', 0, 100));
  const input = runInput('log', { paths: [join(dir, '*.log')], ...FAST }, { dataDir: dir });
  await input.waitEvents(100);
  renameSync(log, join(dir, 'app.log.1')); // rotated out of the glob: the harvester keeps reading it
  appendFileSync(join(dir, 'app.log.1'), lines('a', 100, 110));
  writeFileSync(log, lines('b', 0, 50));
  await input.waitEvents(160);
  // copytruncate: the file shrinks under the open harvester and is read again from 0.
  await sleep(100);
  truncateSync(log, 0);
  await sleep(150);
  appendFileSync(log, lines('c', 0, 20));
  await input.waitEvents(180);
  // delete and re-create under the same name.
  unlinkSync(log);
  writeFileSync(log, lines('d', 0, 30));
  await input.waitEvents(210);
  await input.stop();
  const got = input.messages();
  const expected = [...lines('a', 0, 110).split('\n'), ...lines('b', 0, 50).split('\n'), ...lines('c', 0, 20).split('\n'), ...lines('d', 0, 30).split('\n')].filter(Boolean);
  assert.deepEqual(new Set(got), new Set(expected));
  assert.equal(got.length, expected.length, 'no duplicates');
});

test('a registry entry with the same device+inode but other first bytes is not resumed (inode reuse)', async () => {
  const dir = tempDir();
  const file = join(dir, 'x.log');
  writeFileSync(file, 'first file content\nmore\n');
  const h = await open(file, 'r');
  const recorded = await fingerprintOf(h, statSync(file).size);
  await h.close();
  writeFileSync(file, 'another file entirely, same inode\n'); // same inode, new content
  const h2 = await open(file, 'r');
  assert.equal(await fingerprintMatches(h2, recorded, await fingerprintOf(h2, statSync(file).size)), false);
  await h2.close();
  // Through the input: the stale entry (offset 10) is ignored and the file is read from 0.
  const st = statSync(file);
  const store = registryOf(dir);
  store.set({ key: `filebeat::logs::native::${st.ino}-${st.dev}`, path: file, offset: 10, inode: st.ino, device: st.dev, fingerprint: recorded, updated: Date.now(), ttl: -1 });
  await store.flush();
  const input = runInput('log', { paths: [file], ...FAST }, { dataDir: dir });
  await input.waitEvents(1);
  await input.stop();
  assert.deepEqual(input.messages(), ['another file entirely, same inode']);
  // native identity would have resumed at the stale offset.
  const store2 = registryOf(dir);
  store2.set({ key: `filebeat::logs::native::${st.ino}-${st.dev}`, path: file, offset: 8, inode: st.ino, device: st.dev, updated: Date.now(), ttl: -1 });
  await store2.flush();
  const native = runInput('log', { paths: [file], file_identity: { native: {} }, ...FAST }, { dataDir: dir });
  await native.waitEvents(1);
  await native.stop();
  assert.deepEqual(native.messages(), ['file entirely, same inode']);
});

test('a last line without newline is held back until completed, or shipped at close_eof', async () => {
  const dir = tempDir();
  const file = join(dir, 'p.log');
  writeFileSync(file, 'one\ntw');
  const input = runInput('log', { paths: [file], ...FAST }, { dataDir: dir });
  await input.waitEvents(1);
  await sleep(200);
  assert.deepEqual(input.messages(), ['one']);
  appendFileSync(file, 'o\n');
  await input.waitEvents(2);
  await input.stop();
  assert.deepEqual(input.messages(), ['one', 'two']);
  const dir2 = tempDir();
  writeFileSync(join(dir2, 'q.log'), 'alpha\nbeta');
  const eof = runInput('log', { paths: [join(dir2, 'q.log')], close_eof: true, ...FAST }, { dataDir: dir2 });
  await eof.waitEvents(2);
  await eof.stop();
  assert.deepEqual(eof.messages(), ['alpha', 'beta']);
  assert.equal(eof.events[1]!.get('[log][offset]'), 6);
});

test('lines of random lengths through reads of 100 bytes (read buffers reused): every line intact, once, in order', async () => {
  const dir = tempDir();
  const file = join(dir, 'r.log');
  let seed = 7;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  const alphabet = ['a', 'b', ' ', '"', 'é', '€', '\\', '𝄞'];
  const expected = Array.from({ length: 3000 }, (_, i) => {
    // Mostly short lines; some empty; some spanning tens of reads.
    const length = rand(20) === 0 ? 500 + rand(3000) : rand(10) === 0 ? 0 : rand(150);
    return `${i} ${Array.from({ length }, () => alphabet[rand(alphabet.length)]).join('')}`.slice(0, i % 10 === 0 ? 0 : undefined);
  });
  writeFileSync(file, expected.map((l) => `${l}\n`).join(''));
  const input = runInput('file', { path: [file], start_position: 'beginning', file_chunk_size: 100, stat_interval: 0.05 }, { dataDir: dir });
  await input.waitEvents(expected.length, 30_000);
  await input.stop();
  assert.equal(input.events.length, expected.length);
  const got = input.messages();
  for (let i = 0; i < expected.length; i++) assert.equal(got[i], expected[i], `line ${i}`);
});

test('a 200 MB line is cut at max_bytes and flagged, memory stays bounded, the next line is intact', async () => {
  const dir = tempDir();
  const file = join(dir, 'big.log');
  const fd = await open(file, 'w');
  const block = Buffer.alloc(4 * 1024 * 1024, 'x');
  for (let i = 0; i < 50; i++) await fd.write(block);
  await fd.write('\nafter\n');
  await fd.close();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const input = runInput('log', { paths: [file], max_bytes: '1MiB', ...FAST }, { dataDir: dir });
  await input.waitEvents(2, 60_000);
  clearInterval(timer);
  await input.stop();
  assert.equal((input.events[0]!.get('message') as string).length, 1024 * 1024);
  assert.deepEqual(input.events[0]!.get('[log][flags]'), ['truncated']);
  assert.equal(input.events[1]!.get('message'), 'after');
  assert.equal(input.events[1]!.get('[log][offset]'), 200 * 1024 * 1024 + 1, 'offsets count the dropped bytes');
  assert.ok(peak - before < 120 * 1024 * 1024, `RSS grew by ${Math.round((peak - before) / 1e6)} MB reading a 200 MB line`);
});

test('GBK and UTF-16LE files arrive as correct UTF-8', async () => {
  const dir = tempDir();
  const text = ['服务器启动', '玩家登录 id=42', 'ok'];
  writeFileSync(join(dir, 'gbk.log'), iconv.encode(text.join('\n') + '\n', 'gbk'));
  const gbk = runInput('log', { paths: [join(dir, 'gbk.log')], encoding: 'gbk', ...FAST }, { dataDir: dir });
  await gbk.waitEvents(3);
  await gbk.stop();
  assert.deepEqual(gbk.messages(), text);
  const dir2 = tempDir();
  // A UTF-16LE newline is 0A 00; "\u0a0a"-like code units must not be cut at odd offsets.
  const utf16 = ['日志\u0a0a行', 'second'];
  writeFileSync(join(dir2, 'u16.log'), Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(utf16.join('\r\n') + '\r\n', 'utf-16le')]));
  const u = runInput('log', { paths: [join(dir2, 'u16.log')], encoding: 'utf-16le', ...FAST }, { dataDir: dir2 });
  await u.waitEvents(2);
  await u.stop();
  assert.deepEqual(u.messages().map((m) => m.replace(/^\ufeff/, '')), utf16);
});

test('a Java log with stack traces arrives one event per trace; the registry never commits half a trace', async () => {
  const dir = tempDir();
  const file = join(dir, 'java.log');
  const trace = (n: number): string => `2024-01-01 12:00:0${n} ERROR boom ${n}\njava.lang.IllegalStateException: bad ${n}\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)\n`;
  writeFileSync(file, trace(1) + trace(2) + '2024-01-01 12:00:03 INFO fine\n' + trace(4).split('\n').slice(0, 2).join('\n') + '\n');
  const multiline = { pattern: '^\\d{4}-\\d{2}-\\d{2}', negate: true, match: 'after', timeout: '10s' };
  const input = runInput('log', { paths: [file], multiline, ...FAST }, { dataDir: dir });
  await input.waitEvents(3);
  await sleep(300);
  await input.stop();
  const msgs = input.messages();
  assert.equal(msgs.length, 3, 'the 4th trace is still open (its next line has not come, timeout 10 s)');
  assert.equal(msgs[0], trace(1).slice(0, -1));
  assert.deepEqual(input.events[0]!.get('[log][flags]'), ['multiline']);
  const entry = registryOf(dir).all()[0]!;
  assert.equal(entry.offset, Buffer.byteLength(trace(1) + trace(2) + '2024-01-01 12:00:03 INFO fine\n'), 'offset stops where the open trace starts');
});

test('a payload\'s bytes are reused for later payloads only once it is acknowledged', async () => {
  const dir = tempDir();
  const file = join(dir, 'reuse.log');
  writeFileSync(file, lines('a', 0, 2000)); // 4 payloads of 500 lines
  const input = runInput('log', { paths: [file], ...FAST }, { dataDir: dir, autoAck: false });
  await input.waitEvents(2000);
  const bytesOf = (k: number): Uint8Array => (input.payloads[k]!.payload.data as { bytes: Uint8Array }).bytes;
  const first = input.payloads.map((_, k) => Buffer.from(bytesOf(k)));
  // Two acknowledged, two not: only the acknowledged ones may be written over.
  input.payloads[0]!.delivery.ack();
  input.payloads[1]!.delivery.ack();
  appendFileSync(file, lines('b', 0, 2000));
  await input.waitEvents(4000);
  assert.deepEqual(Buffer.from(bytesOf(2)), first[2], 'an unacknowledged payload is left as it was');
  assert.deepEqual(Buffer.from(bytesOf(3)), first[3]);
  const buffers = (from: number, to: number): Set<ArrayBufferLike> => new Set(input.payloads.slice(from, to).map((_, k) => bytesOf(from + k).buffer));
  const later = buffers(4, input.payloads.length);
  assert.ok([...buffers(0, 2)].some((b) => later.has(b)), 'an acknowledged payload\'s buffer was taken again');
  assert.ok(![...buffers(2, 4)].some((b) => later.has(b)), 'no unacknowledged payload\'s buffer was');
  assert.deepEqual(input.messages().slice(2000), lines('b', 0, 2000).trim().split('\n'));
  for (const p of input.payloads) p.delivery.ack();
  await input.stop();
});

test('acks out of order never advance past a hole; nacked payloads are read again after a restart', async () => {
  const dir = tempDir();
  const file = join(dir, 'acks.log');
  writeFileSync(file, lines('l', 0, 2000)); // 4 payloads of 500 lines (batch size 125 × 4)
  const input = runInput('log', { paths: [file], ...FAST }, { dataDir: dir, autoAck: false });
  await input.waitEvents(2000);
  const [p0, p1, p2, p3] = input.payloads;
  p2!.delivery.ack();
  p1!.delivery.ack();
  const registry = join(dir, 'registry', REGISTRY_FILE);
  await sleep(1300); // one flush interval
  const offsetNow = (): number => (JSON.parse(readFileSync(registry, 'utf8')) as { entries: { offset: number }[] }).entries[0]!.offset;
  assert.equal(offsetNow(), 0, 'payload 0 is a hole');
  p0!.delivery.ack();
  p3!.delivery.nack!('test');
  await input.stop();
  assert.equal(offsetNow(), Buffer.byteLength(lines('l', 0, 1500)));
  const again = runInput('log', { paths: [file], ...FAST }, { dataDir: dir });
  await again.waitEvents(500);
  await sleep(200);
  await again.stop();
  assert.deepEqual(again.messages(), lines('l', 1500, 2000).split('\n').filter(Boolean));
});

test('files appearing and disappearing under a glob (with a symlink when symlinks: true); clean_removed forgets them', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'logs', 'sub'), { recursive: true });
  const target = join(dir, 'elsewhere.txt');
  writeFileSync(target, 'via link\n');
  symlinkSync(target, join(dir, 'logs', 'link.log'));
  const input = runInput('log', { paths: [join(dir, 'logs', '**', '*.log')], symlinks: true, close_removed: true, clean_removed: true, ...FAST }, { dataDir: dir });
  await input.waitEvents(1);
  writeFileSync(join(dir, 'logs', 'sub', 'new.log'), 'new file\n');
  await input.waitEvents(2);
  unlinkSync(join(dir, 'logs', 'sub', 'new.log'));
  await waitFor('the removed file forgotten', () => input.events.length === 2 && registryOf(dir).all().length === 1, 5000).catch(() => {});
  await input.stop();
  assert.deepEqual(new Set(input.messages()), new Set(['via link', 'new file']));
  assert.deepEqual(registryOf(dir).all().map((e) => e.path), [join(dir, 'logs', 'link.log')]);
});

test('clean_inactive drops entries not updated for that long', async () => {
  const dir = tempDir();
  const file = join(dir, 'c.log');
  writeFileSync(file, 'x\n');
  const input = runInput('log', { paths: [join(dir, 'nothing-matches-*.log')], clean_inactive: '200ms', ...FAST }, { dataDir: dir });
  const store = registryOf(dir);
  store.set({ key: 'filebeat::logs::native::1-1', path: file, offset: 2, updated: Date.now() - 1000, ttl: 200 });
  await store.flush();
  await input.stop();
  const fresh = runInput('log', { paths: [join(dir, 'nothing-*.log')], clean_inactive: '200ms', ...FAST }, { dataDir: dir });
  await sleep(300);
  await fresh.stop();
  assert.equal(registryOf(dir).all().length, 0);
});
