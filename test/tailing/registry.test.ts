/** The registry: atomic replacement under kill -9, recovery from a zero-byte file, Logstash's sincedb, Filebeat import. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './run-input.js';
import { sleep } from '../helpers/wait.js';
import { REGISTRY_FILE, RegistryStore } from '../../src/tailing/registry/store.js';
import { importFilebeatRegistry } from '../../src/tailing/registry/import-filebeat.js';
import { parseSincedb, makedev } from '../../src/tailing/registry/sincedb.js';

const storeModule = new URL('../../src/tailing/registry/store.js', import.meta.url).href;
const testdata = fileURLToPath(new URL('../../../test/tailing/testdata/', import.meta.url));

test('kill -9 while the registry is rewritten in a loop: the file left behind always loads', async () => {
  const dir = tempDir();
  const file = join(dir, REGISTRY_FILE);
  const script = `
    import { RegistryStore } from ${JSON.stringify(storeModule)};
    const s = new RegistryStore(${JSON.stringify(file)}, 1);
    for (let i = 1; ; i++) {
      for (let k = 0; k < 200; k++) s.set({ key: 'file::native::' + k + '-1', path: '/var/log/f' + k + '.log', offset: i, updated: Date.now(), ttl: -1 });
      await s.flush();
      if (i === 3) process.stdout.write('writing\\n');
    }`;
  for (let round = 0; round < 5; round++) {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    await sleep(20 + round * 17);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const loaded = new RegistryStore(file);
    assert.deepEqual(loaded.loadReport.problems, []);
    assert.ok(['file', 'backup'].includes(loaded.loadReport.source), loaded.loadReport.source);
    assert.equal(loaded.all().length, 200);
    const offsets = new Set(loaded.all().map((e) => e.offset));
    assert.equal(offsets.size, 1, 'one consistent document, not a mix');
    assert.ok([...offsets][0]! >= 3);
  }
});

test('a zero-byte registry (power loss) is reported and the previous copy used', async () => {
  const dir = tempDir();
  const file = join(dir, REGISTRY_FILE);
  const s = new RegistryStore(file, 1);
  s.set({ key: 'file::native::1-2', path: '/a', offset: 10, updated: 1, ttl: -1 });
  await s.flush();
  s.set({ key: 'file::native::1-2', path: '/a', offset: 20, updated: 2, ttl: -1 });
  await s.flush();
  writeFileSync(file, '');
  const loaded = new RegistryStore(file);
  assert.equal(loaded.loadReport.source, 'backup');
  assert.match(loaded.loadReport.problems.join('\n'), /empty \(zero bytes/);
  assert.equal(loaded.get('file::native::1-2')!.offset, 10);
  writeFileSync(`${file}.bak`, '{"version":1,"entr');
  const none = new RegistryStore(file);
  assert.equal(none.loadReport.source, 'empty');
  assert.match(none.loadReport.problems.join('\n'), /previous copy is unusable/);
});

test("Logstash's sincedb lines are read as native entries of the file input", () => {
  const entries = parseSincedb('1234 0 64768 500 1700000000.5 /var/log/a.log\n99 8 1 7\n');
  assert.equal(entries.length, 2);
  assert.deepEqual(entries[0], { key: `file::native::1234-${makedev(0, 64768)}`, path: '/var/log/a.log', offset: 500, inode: 1234, device: makedev(0, 64768), updated: 1700000000500, ttl: -1 });
  assert.equal(makedev(8, 1), 2049);
});

/** Lays out a Filebeat registry fixture naming real files in `dir`. */
function fixtureFiles(dir: string) {
  const kept = join(dir, 'kept.log');
  const replaced = join(dir, 'replaced.log');
  writeFileSync(kept, 'line 1\nline 2\nline 3\n');
  writeFileSync(replaced, 'new content\n');
  const k = statSync(kept);
  const r = statSync(replaced);
  return { kept, replaced, k, r, gone: join(dir, 'gone.log') };
}

test('import from a Filebeat 5.x/6.x registry (JSON array): matching files resume, others are skipped with a reason', async () => {
  const dir = tempDir();
  const { kept, replaced, k, r, gone } = fixtureFiles(dir);
  const template = readFileSync(join(testdata, 'filebeat6', 'registry'), 'utf8');
  const registry = join(dir, 'registry');
  writeFileSync(registry, template
    .replaceAll('@KEPT@', kept).replaceAll('@KEPT_INODE@', String(k.ino)).replaceAll('@DEV@', String(k.dev))
    .replaceAll('@REPLACED@', replaced).replaceAll('@OLD_INODE@', String(r.ino + 1000))
    .replaceAll('@GONE@', gone));
  const report = await importFilebeatRegistry(registry, join(dir, 'out'));
  assert.equal(report.format, 'array');
  assert.deepEqual(report.imported.map((i) => [i.path, i.offset]), [[kept, 7]]);
  assert.deepEqual(report.skipped.map((s) => s.path).sort(), [gone, replaced].sort());
  assert.match(report.skipped.find((s) => s.path === replaced)!.reason, /another file/);
  const store = new RegistryStore(join(dir, 'out', REGISTRY_FILE));
  assert.equal(store.get(`filebeat::logs::native::${k.ino}-${k.dev}`)!.offset, 7);
});

test('import from a Filebeat 7.x/8.x memlog registry: checkpoint, then log.json ops up to the first gap', async () => {
  const dir = tempDir();
  const { kept, replaced, k, r } = fixtureFiles(dir);
  const src = join(dir, 'data', 'registry');
  cpSync(join(testdata, 'filebeat8', 'registry'), src, { recursive: true });
  const fb = join(src, 'filebeat');
  for (const name of ['log.json', '3.json']) {
    const p = join(fb, name);
    writeFileSync(p, readFileSync(p, 'utf8')
      .replaceAll('@KEPT@', kept).replaceAll('@KEPT_INODE@', String(k.ino)).replaceAll('@DEV@', String(k.dev))
      .replaceAll('@REPLACED@', replaced).replaceAll('@REPLACED_INODE@', String(r.ino)));
  }
  const report = await importFilebeatRegistry(src, join(dir, 'out'));
  assert.equal(report.format, 'memlog');
  // log input: checkpoint (txid 3) said 7, op 2 is older than it, op 4 moved it to 14, op 7 (after the gap at 6) is ignored.
  // filestream: the replaced file is at offset 12 == its size.
  assert.deepEqual(report.imported.map((i) => [i.path, i.offset, i.key.split('::')[0]]).sort(), [[kept, 14, 'filebeat'], [replaced, 12, 'filestream']].sort());
  assert.ok(existsSync(join(dir, 'out', REGISTRY_FILE)));
  mkdirSync(join(dir, 'empty'));
  await assert.rejects(importFilebeatRegistry(join(dir, 'empty'), join(dir, 'out')), /no Filebeat registry found/);
});
