/**
 * Filebeat's file identities on real files: filestream's `fingerprint` (prospector.scanner.fingerprint),
 * `inode_marker`, the carry-over between identities, and which files harvester_limit lets in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, renameSync, statSync, truncateSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInput, tempDir } from './run-input.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { ConfigError } from '../../src/core/errors.js';
import { importFilebeatRegistry } from '../../src/tailing/registry/import-filebeat.js';
import { REGISTRY_FILE, RegistryStore } from '../../src/tailing/registry/store.js';

const FAST = { scan_frequency: '100ms', backoff: '20ms', max_backoff: '50ms' } as const;
const SCOPE = 'filestream::filestream_test';
/** Lines numbered from `from`, each `width` bytes with its newline, so sizes are exact. */
const lines = (prefix: string, from: number, to: number, width = 32): string =>
  Array.from({ length: to - from }, (_, i) => `${prefix}${from + i} `.padEnd(width - 1, '.') + '\n').join('');
const registryOf = (dir: string): RegistryStore => new RegistryStore(join(dir, 'registry', REGISTRY_FILE));
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const fingerprinted = (length = 64, offset = 0) => ({
  id: 'fp', file_identity: { fingerprint: {} }, prospector: { scanner: { fingerprint: { enabled: true, offset, length } } }, ...FAST,
});

test('fingerprint: a file shorter than offset+length is not read until it grows; the key is the SHA-256 of those bytes', async () => {
  const dir = tempDir();
  const file = join(dir, 'small.log');
  writeFileSync(file, lines('a', 0, 1)); // 32 bytes < 64
  const input = runInput('filestream', { paths: [join(dir, '*.log')], ...fingerprinted(64, 16) }, { dataDir: dir });
  await sleep(400);
  assert.deepEqual(input.messages(), [], 'nothing is read below offset+length');
  appendFileSync(file, lines('a', 1, 3)); // 96 bytes >= 80: read from 0, the first line included
  await input.waitEvents(3);
  await input.stop();
  assert.equal(input.events.length, 3);
  const key = `${SCOPE}::fingerprint::${sha256(readFileSync(file).subarray(16, 80))}`;
  assert.equal(registryOf(dir).get(key)?.offset, 96);
});

test('fingerprint: a rename keeps the identity (nothing read twice, even across a restart); a rewrite with other first bytes is a new file', async () => {
  const dir = tempDir();
  const file = join(dir, 'app.log');
  writeFileSync(file, lines('a', 0, 10));
  const first = runInput('filestream', { paths: [join(dir, 'app.log*')], ...fingerprinted() }, { dataDir: dir });
  await first.waitEvents(10);
  renameSync(file, `${file}.1`);
  appendFileSync(`${file}.1`, lines('a', 10, 12));
  await first.waitEvents(12);
  await first.stop();
  // Renamed again while stopped, and grown: only the new lines.
  renameSync(`${file}.1`, `${file}.2`);
  appendFileSync(`${file}.2`, lines('a', 12, 14));
  // The same path rewritten: other first bytes, so another identity, read from 0.
  writeFileSync(file, lines('b', 0, 3));
  const second = runInput('filestream', { paths: [join(dir, 'app.log*')], ...fingerprinted() }, { dataDir: dir });
  await second.waitEvents(5);
  await sleep(300);
  await second.stop();
  assert.deepEqual(first.messages(), lines('a', 0, 12).trimEnd().split('\n'));
  assert.deepEqual(second.messages().sort(), [...lines('a', 12, 14).trimEnd().split('\n'), ...lines('b', 0, 3).trimEnd().split('\n')].sort());
  const keys = registryOf(dir).all().map((e) => [e.key, e.path]).sort();
  assert.deepEqual(keys, [
    [`${SCOPE}::fingerprint::${sha256(Buffer.from(lines('a', 0, 2)))}`, `${file}.2`],
    [`${SCOPE}::fingerprint::${sha256(Buffer.from(lines('b', 0, 2)))}`, file],
  ].sort());
});

test('fingerprint: copytruncate — the copy carries the state on (its unread tail is read), the truncated file is a new one', async () => {
  const dir = tempDir();
  const file = join(dir, 'app.log');
  writeFileSync(file, lines('a', 0, 10));
  const first = runInput('filestream', { paths: [join(dir, 'app.log*')], ...fingerprinted() }, { dataDir: dir });
  await first.waitEvents(10);
  await first.stop();
  appendFileSync(file, lines('a', 10, 15)); // written, not read: the agent is down
  copyFileSync(file, `${file}.1`);
  truncateSync(file, 0);
  writeFileSync(file, lines('c', 0, 4));
  const second = runInput('filestream', { paths: [join(dir, 'app.log*')], ...fingerprinted() }, { dataDir: dir });
  await second.waitEvents(9);
  // Live: a copytruncate under the running input; the copy (same first bytes) has nothing new.
  copyFileSync(file, `${file}.2`);
  truncateSync(file, 0);
  appendFileSync(file, lines('d', 0, 3));
  await second.waitEvents(12);
  await sleep(400);
  await second.stop();
  const expected = [...lines('a', 10, 15), ...lines('c', 0, 4), ...lines('d', 0, 3)].join('').trimEnd().split('\n');
  assert.deepEqual(second.messages().sort(), expected.sort(), 'every line once: no re-read copy, no lost tail');
});

test('fingerprint: two files with the same bytes at offset..offset+length are one identity (the second is skipped); offset skips a shared header', async () => {
  const dir = tempDir();
  const header = '#'.repeat(63) + '\n'; // 64 bytes both files share
  writeFileSync(join(dir, 'a.log'), header + lines('a', 0, 3));
  writeFileSync(join(dir, 'b.log'), header + lines('b', 0, 3));
  const same = runInput('filestream', { paths: [join(dir, '*.log')], ...fingerprinted(64, 0) }, { dataDir: join(dir, 'same') });
  await same.waitEvents(4);
  await sleep(400);
  await same.stop();
  assert.equal(same.events.length, 4, 'the header and a.log\'s lines; b.log has the same identity');
  assert.deepEqual(same.messages().filter((m) => m.startsWith('b')), []);
  const skipped = runInput('filestream', { paths: [join(dir, '*.log')], ...fingerprinted(64, 64) }, { dataDir: join(dir, 'offset') });
  await skipped.waitEvents(8);
  await skipped.stop();
  assert.equal(skipped.events.length, 8);
});

test('fingerprint: refused without prospector.scanner.fingerprint.enabled, below 64 bytes, and on the log input', () => {
  const dir = tempDir();
  const make = (name: 'log' | 'filestream', settings: Record<string, never>) => () => runInput(name, { paths: [join(dir, '*.log')], ...settings }, { dataDir: dir });
  assert.throws(make('filestream', { file_identity: { fingerprint: {} } } as never), (e: unknown) => e instanceof ConfigError && /prospector\.scanner\.fingerprint\.enabled: true/.test(e.message));
  assert.throws(make('filestream', fingerprinted(32) as never), (e: unknown) => e instanceof ConfigError && /length must be at least 64/.test(e.message));
  assert.throws(make('log', { file_identity: 'fingerprint' } as never), (e: unknown) => e instanceof ConfigError && /belongs to the filestream input/.test(e.message));
  assert.throws(make('log', { file_identity: 'inode' } as never), (e: unknown) => e instanceof ConfigError && /must be one of native_fingerprint, native, path, fingerprint, inode_marker/.test(e.message));
});

test('the scanner fingerprint enabled under the default identity still holds back files shorter than offset+length', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'short.log'), lines('s', 0, 1));
  writeFileSync(join(dir, 'long.log'), lines('l', 0, 3));
  const input = runInput('filestream', { id: 'x', paths: [join(dir, '*.log')], prospector: { scanner: { fingerprint: { enabled: true } } }, ...FAST }, { dataDir: dir });
  await sleep(400);
  await input.stop();
  assert.deepEqual(input.messages(), [], 'both are below the default 1024 bytes');
});

test('switching file_identity carries the recorded offset over to the new key: nothing is read twice', async () => {
  const dir = tempDir();
  const file = join(dir, 'app.log');
  writeFileSync(file, lines('a', 0, 10));
  const before = runInput('filestream', { id: 'x', paths: [file], ...FAST }, { dataDir: dir });
  await before.waitEvents(10);
  await before.stop();
  appendFileSync(file, lines('a', 10, 12));
  const after = runInput('filestream', { paths: [file], ...fingerprinted() }, { dataDir: dir });
  await after.waitEvents(2);
  await sleep(300);
  await after.stop();
  assert.deepEqual(after.messages(), lines('a', 10, 12).trimEnd().split('\n'));
  assert.deepEqual(registryOf(dir).all().map((e) => e.key), [`${SCOPE}::fingerprint::${sha256(Buffer.from(lines('a', 0, 2)))}`]);
});

test('inode_marker: key inode + marker content; a missing marker refuses to start; a changed marker makes every file new', async () => {
  const dir = tempDir();
  const file = join(dir, 'app.log');
  const marker = join(dir, '.marker');
  writeFileSync(file, lines('a', 0, 3));
  const settings = { paths: [file], file_identity: { inode_marker: { path: marker } }, ...FAST };
  assert.throws(() => runInput('log', settings, { dataDir: dir }), (e: unknown) => e instanceof ConfigError && /cannot read the marker file/.test(e.message));
  writeFileSync(marker, 'disk-a\n');
  const first = runInput('log', settings, { dataDir: dir });
  await first.waitEvents(3);
  await first.stop();
  const { ino } = statSync(file);
  assert.equal(registryOf(dir).get(`filebeat::logs::inode_marker::${ino}-disk-a\n`)?.offset, 96, 'the content verbatim, newline included (as Filebeat)');
  appendFileSync(file, lines('a', 3, 4));
  const second = runInput('log', settings, { dataDir: dir });
  await second.waitEvents(1);
  // The marker rewritten (another device mounted there): the same inode is another file now.
  writeFileSync(marker, 'disk-b');
  utimesSync(marker, new Date(), new Date(Date.now() + 5000));
  await second.waitEvents(5);
  await second.stop();
  assert.deepEqual(second.messages(), [...lines('a', 3, 4), ...lines('a', 0, 4)].join('').trimEnd().split('\n'));
  assert.ok(registryOf(dir).get(`filebeat::logs::inode_marker::${ino}-disk-b`));
});

test('harvester_limit: unsorted, every file gets a turn (the order is shuffled at each scan); scan.sort filename desc opens the last name first', async () => {
  const dir = tempDir();
  const names = ['a', 'b', 'c', 'd'];
  for (const n of names) writeFileSync(join(dir, `${n}.log`), lines(n, 0, 2));
  // One slot, files closed at their end: with a fixed order, appends to a.log would keep d.log waiting.
  const turns = runInput('log', { paths: [join(dir, '*.log')], harvester_limit: 1, close_eof: true, ...FAST }, { dataDir: join(dir, 'turns') });
  const grow = setInterval(() => appendFileSync(join(dir, 'a.log'), lines('a', 100, 101)), 30);
  try {
    await waitFor('every file read', () => names.every((n) => turns.messages().some((m) => m.startsWith(`${n}1 `))), 10_000);
  } finally {
    clearInterval(grow);
    await turns.stop();
  }
  const sorted = runInput('log', { paths: [join(dir, '*.log')], harvester_limit: 1, close_eof: true, scan: { sort: 'filename', order: 'desc' }, ...FAST }, { dataDir: join(dir, 'sorted') });
  await sorted.waitEvents(2);
  await sorted.stop();
  assert.deepEqual(sorted.messages().slice(0, 2), lines('d', 0, 2).trimEnd().split('\n'));
  assert.throws(() => runInput('log', { paths: [join(dir, '*.log')], scan: { sort: 'size' } }, { dataDir: dir }), /scan\.sort must be modtime or filename/);
  unlinkSync(join(dir, 'a.log'));
});

test('--import-registry: filestream states under fingerprint and inode_marker keep their keys, and the fingerprint input resumes them', async () => {
  const dir = tempDir();
  const rotated = join(dir, 'app.log.1');
  writeFileSync(rotated, lines('a', 0, 10)); // Filebeat read 6 lines of it, under its old name
  const marked = join(dir, 'm.log');
  writeFileSync(marked, lines('m', 0, 4));
  const fpKey = `fingerprint::${sha256(Buffer.from(lines('a', 0, 2)))}`;
  const markerKey = `inode_marker::${statSync(marked).ino}-disk-a`;
  const fb = join(dir, 'fb', 'registry', 'filebeat');
  mkdirSync(fb, { recursive: true });
  writeFileSync(join(fb, 'meta.json'), '{"version":"1"}');
  const op = (id: number, key: string, source: string, offset: number, name: string): string =>
    `{"op":"set","id":${id}}\n${JSON.stringify({ k: `filestream::${key}`, v: { cursor: { offset }, meta: { source, identifier_name: name }, ttl: 0 } })}\n`;
  const logInput = `{"op":"set","id":3}\n${JSON.stringify({ k: `filebeat::logs::${markerKey}`, v: { id: markerKey, source: marked, offset: 32, FileStateOS: { inode: statSync(marked).ino, device: statSync(marked).dev } } })}\n`;
  writeFileSync(join(fb, 'log.json'), op(1, `filestream_test::${fpKey}`, join(dir, 'app.log'), 192, 'fingerprint') + op(2, `other::${markerKey}`, marked, 64, 'inode_marker') + logInput);
  const report = await importFilebeatRegistry(join(dir, 'fb', 'registry'), join(dir, 'registry'));
  // The fingerprint state's path is gone (rotated to app.log.1): it is taken over all the same.
  assert.deepEqual(report.skipped, []);
  assert.deepEqual(report.imported.map((i) => i.key).sort(), [`${SCOPE}::${fpKey}`, `filestream::other::${markerKey}`, `filebeat::logs::${markerKey}`].sort());
  const input = runInput('filestream', { paths: [join(dir, 'app.log*')], ...fingerprinted() }, { dataDir: dir });
  await input.waitEvents(4);
  await sleep(300);
  await input.stop();
  assert.deepEqual(input.messages(), lines('a', 6, 10).trimEnd().split('\n'), 'resumed at Filebeat\'s offset under the rotated name');
});

test('inode_marker: a state whose device id changed (a reboot) is kept and resumed, not cleaned as removed', async () => {
  const dir = tempDir();
  const file = join(dir, 'app.log');
  const marker = join(dir, '.marker');
  writeFileSync(marker, 'disk-a');
  writeFileSync(file, lines('a', 0, 3));
  const st = statSync(file);
  const key = `filebeat::logs::inode_marker::${st.ino}-disk-a`;
  const store = registryOf(dir);
  store.set({ key, path: file, offset: 96, inode: st.ino, device: st.dev + 1, updated: Date.now(), ttl: -1 });
  await store.flush();
  const input = runInput('log', { paths: [file], file_identity: { inode_marker: { path: marker } }, ...FAST }, { dataDir: dir });
  await sleep(400); // scans and clean_removed passes while the file has nothing new
  appendFileSync(file, lines('a', 3, 5));
  await input.waitEvents(2);
  await sleep(200);
  await input.stop();
  assert.deepEqual(input.messages(), lines('a', 3, 5).trimEnd().split('\n'));
});
