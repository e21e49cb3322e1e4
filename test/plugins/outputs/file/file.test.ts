/** The file output's options, through its encoder and sink as the pipeline uses them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { capturingContext, makeOutput, settingsOf } from '../../../helpers/harness.js';
import { Event } from '../../../../src/core/event.js';
import { builtinRegistry } from '../../../../src/plugins/builtins.js';
import { fileOutput } from '../../../../src/plugins/outputs/file/index.js';
import { fileIo, systemFileIo } from '../../../../src/plugins/outputs/file/writer.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-file-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const plain = (messages: string[]) => messages.map((message) => ({ message }));
/** `codec => line { format => "%{message}" }` */
const lineFormat = { kind: 'plugin', name: 'line', settings: settingsOf({ format: '%{message}' }), location: { file: 'test.conf', line: 1, column: 1 } } as const;

/** Paths this process holds open, read from /proc/self/fd. */
function openPaths(): string[] {
  const paths: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      paths.push(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      /* closed while listing */
    }
  }
  return paths;
}

test('gzip: each batch is one gzip member; the members gunzip to exactly the lines written', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'out.log.gz');
    const out = await makeOutput(fileOutput, { path, gzip: true, codec: lineFormat });
    await out.sink.write(out.encode(plain(['a1', 'a2'])));
    await out.sink.write(out.encode(plain(['b1'])));
    await out.sink.close?.();
    const bytes = readFileSync(path);
    let members = 0;
    for (let i = 0; i + 2 < bytes.length; i++) if (bytes[i] === 0x1f && bytes[i + 1] === 0x8b && bytes[i + 2] === 8) members++;
    assert.equal(members, 2, 'two members, one per batch');
    assert.equal(gunzipSync(bytes).toString(), 'a1\na2\nb1\n');
  });
});

test('write_behavior => overwrite: each batch replaces the content', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'state.txt');
    const out = await makeOutput(fileOutput, { path, write_behavior: 'overwrite', codec: lineFormat });
    await out.sink.write(out.encode(plain(['first', 'batch'])));
    assert.equal(readFileSync(path, 'utf8'), 'first\nbatch\n');
    await out.sink.write(out.encode(plain(['second'])));
    assert.equal(readFileSync(path, 'utf8'), 'second\n');
    await out.sink.close?.();
  });
});

test('create_if_deleted: a file deleted while open is re-created by a later write', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'out.log');
    const out = await makeOutput(fileOutput, { path, codec: lineFormat });
    await out.sink.write(out.encode(plain(['before'])));
    unlinkSync(path);
    await sleep(1100); // the open file is checked at most once a second
    await out.sink.write(out.encode(plain(['after'])));
    assert.equal(readFileSync(path, 'utf8'), 'after\n');
    await out.sink.close?.();
  });
});

test('create_if_deleted => false: writes keep going to the deleted file; it is not re-created', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'out.log');
    const out = await makeOutput(fileOutput, { path, codec: lineFormat, create_if_deleted: false });
    await out.sink.write(out.encode(plain(['before'])));
    unlinkSync(path);
    await sleep(1100);
    await out.sink.write(out.encode(plain(['after'])));
    assert.equal(existsSync(path), false);
    await out.sink.close?.();
  });
});

test('stale_cleanup_interval: an idle file is closed, and a later write opens it again', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'out.log');
    const out = await makeOutput(fileOutput, { path, codec: lineFormat, stale_cleanup_interval: 0.2 });
    await out.sink.write(out.encode(plain(['one'])));
    assert.ok(openPaths().includes(path), 'open after a write');
    for (let i = 0; i < 40 && openPaths().includes(path); i++) await sleep(100);
    assert.equal(openPaths().includes(path), false, 'closed once idle');
    await out.sink.write(out.encode(plain(['two'])));
    assert.equal(readFileSync(path, 'utf8'), 'one\ntwo\n');
    await out.sink.close?.();
    assert.equal(openPaths().includes(path), false, 'closed by close()');
  });
});

test('flush_interval => 0 fsyncs each batch before the write resolves; otherwise fsync waits for the interval or close', async () => {
  const synced: number[] = [];
  fileIo.current = { ...systemFileIo, sync: async (fd) => { synced.push(fd); return systemFileIo.sync(fd); } };
  try {
    await withDir(async (dir) => {
      const every = await makeOutput(fileOutput, { path: join(dir, 'a.log'), flush_interval: 0 });
      await every.sink.write(every.encode(plain(['x'])));
      assert.equal(synced.length, 1, 'fsynced before the write resolved');
      await every.sink.write(every.encode(plain(['y'])));
      assert.equal(synced.length, 2);
      await every.sink.close?.();
      assert.equal(synced.length, 2, 'nothing left to fsync at close');

      synced.length = 0;
      const periodic = await makeOutput(fileOutput, { path: join(dir, 'b.log'), flush_interval: 60 });
      await periodic.sink.write(periodic.encode(plain(['x'])));
      assert.equal(synced.length, 0, 'not fsynced per batch');
      await periodic.sink.close?.();
      assert.equal(synced.length, 1, 'fsynced when closed');
    });
  } finally {
    fileIo.current = systemFileIo;
  }
});

test('an event whose sprintf path leaves the root goes to the failure file with a warning (rate-limited), as Logstash logs it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-file-escape-'));
  const { ctx, logs } = capturingContext('file');
  const options = builtinRegistry().validate(fileOutput, settingsOf({ path: join(dir, '%{type}', 'out.log') }));
  const encoder = fileOutput.createEncoder(options as never, ctx);
  const payload = encoder.encode([new Event({ type: 'ok', message: 'a' }), new Event({ type: '../..', message: 'b' }), new Event({ type: '/etc', message: 'c' })]);
  const paths = (payload!.data as { path: string }[]).map((c) => c.path).sort();
  assert.deepEqual(paths, [join(dir, '_filepath_failures'), join(dir, 'ok', 'out.log')].sort());
  const warnings = logs.filter((l) => l.includes('the event tried to write outside the files root'));
  assert.equal(warnings.length, 1, `one line per interval: ${logs.join('\n')}`);
  assert.ok(warnings[0]!.includes('_filepath_failures'));
  rmSync(dir, { recursive: true, force: true });
});
