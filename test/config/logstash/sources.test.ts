import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../../src/core/errors.js';
import { configStringSource, globFiles, loadConfigSources } from '../../../src/config/logstash/sources.js';

let dir = '';

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'logpipe-sources-'));
  await mkdir(path.join(dir, 'conf.d', 'sub', 'deeper'), { recursive: true });
  await mkdir(path.join(dir, 'empty'));
  await writeFile(path.join(dir, 'conf.d', '20-filter.conf'), 'filter { }');
  await writeFile(path.join(dir, 'conf.d', '10-input.conf'), 'input { }');
  await writeFile(path.join(dir, 'conf.d', '30-output.conf'), 'output { }');
  await writeFile(path.join(dir, 'conf.d', 'B-upper.conf'), '# upper');
  await writeFile(path.join(dir, 'conf.d', 'notes.txt'), '# txt');
  await writeFile(path.join(dir, 'conf.d', '.hidden.conf'), '# hidden');
  await writeFile(path.join(dir, 'conf.d', 'sub', '40-nested.conf'), '# nested');
  await writeFile(path.join(dir, 'conf.d', 'sub', 'deeper', '50-deep.conf'), '# deep');
  await symlink(path.join(dir, 'conf.d', '10-input.conf'), path.join(dir, 'conf.d', '15-link.conf'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const names = (files: string[]): string[] => files.map((f) => path.relative(dir, f));

test('a single file', async () => {
  const file = path.join(dir, 'conf.d', '20-filter.conf');
  const sources = await loadConfigSources(file);
  assert.deepEqual(sources, [{ name: file, text: 'filter { }' }]);
});

test('a directory: its files (not subdirectories, not hidden), in alphabetical order', async () => {
  const sources = await loadConfigSources(path.join(dir, 'conf.d'));
  assert.deepEqual(names(sources.map((s) => s.name)), [
    'conf.d/10-input.conf', 'conf.d/15-link.conf', 'conf.d/20-filter.conf', 'conf.d/30-output.conf',
    'conf.d/B-upper.conf', 'conf.d/notes.txt',
  ]);
  assert.equal(sources[1]!.text, 'input { }', 'symlinked file is read through');
});

test('a glob with * matches within one directory, sorted', async () => {
  const files = await globFiles(path.join(dir, 'conf.d', '*.conf'));
  assert.deepEqual(names(files), [
    'conf.d/10-input.conf', 'conf.d/15-link.conf', 'conf.d/20-filter.conf', 'conf.d/30-output.conf', 'conf.d/B-upper.conf',
  ]);
});

test('a glob with ? and [...]', async () => {
  assert.deepEqual(names(await globFiles(path.join(dir, 'conf.d', '?0-*.conf'))),
    ['conf.d/10-input.conf', 'conf.d/20-filter.conf', 'conf.d/30-output.conf']);
  assert.deepEqual(names(await globFiles(path.join(dir, 'conf.d', '[12]*.conf'))),
    ['conf.d/10-input.conf', 'conf.d/15-link.conf', 'conf.d/20-filter.conf']);
  assert.deepEqual(names(await globFiles(path.join(dir, 'conf.d', '[!1]*.conf'))),
    ['conf.d/20-filter.conf', 'conf.d/30-output.conf', 'conf.d/B-upper.conf']);
});

test('** crosses directories (zero or more)', async () => {
  assert.deepEqual(names(await globFiles(path.join(dir, 'conf.d', '**', '*0-*.conf'))), [
    'conf.d/10-input.conf', 'conf.d/20-filter.conf', 'conf.d/30-output.conf',
    'conf.d/sub/40-nested.conf', 'conf.d/sub/deeper/50-deep.conf',
  ]);
  assert.deepEqual(names(await globFiles(path.join(dir, '*', 'sub', '*.conf'))), ['conf.d/sub/40-nested.conf']);
});

test('hidden files only match a pattern that starts with a dot', async () => {
  assert.deepEqual(names(await globFiles(path.join(dir, 'conf.d', '.*.conf'))), ['conf.d/.hidden.conf']);
});

test('relative globs keep the relative form', async () => {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    assert.deepEqual(await globFiles('conf.d/3*.conf'), ['conf.d/30-output.conf']);
    const sources = await loadConfigSources('conf.d/*-output.conf');
    assert.deepEqual(sources, [{ name: 'conf.d/30-output.conf', text: 'output { }' }]);
  } finally {
    process.chdir(cwd);
  }
});

test('nothing found is a ConfigError naming the path', async () => {
  for (const spec of [path.join(dir, 'missing.conf'), path.join(dir, 'conf.d', '*.yml'), path.join(dir, 'empty')]) {
    await assert.rejects(loadConfigSources(spec), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.ok(e.reason.includes(spec), e.reason);
      return true;
    });
  }
});

test('configStringSource names the source "config string"', () => {
  assert.deepEqual(configStringSource('input { stdin {} }'), { name: 'config string', text: 'input { stdin {} }' });
});
