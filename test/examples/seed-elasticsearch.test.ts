/**
 * The seed's elasticsearch output block passes `logpipe check` unchanged; the same block with a
 * misspelt option is refused with the option's line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CONF = join(ROOT, 'examples', 'seed', 'elasticsearch', 'output.conf');

const check = (file: string) => spawnSync(process.execPath, [join(ROOT, 'bin', 'logpipe.js'), 'check', '-f', file], { encoding: 'utf8', timeout: 60_000 });

test('the seed\'s elasticsearch output block passes logpipe check unchanged', () => {
  const text = readFileSync(CONF, 'utf8');
  assert.match(text, /document_type=>"foobar_doc_type"/, 'the block is the seed\'s, spacing included');
  const r = check(CONF);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Configuration OK/);
});

test('a misspelt option in that block is refused with its line and the right name', () => {
  const lines = readFileSync(CONF, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.includes('template_overwrite'));
  lines[at] = lines[at]!.replace('template_overwrite', 'template_overwrit');
  const file = join(mkdtempSync(join(tmpdir(), 'logpipe-seed-es-')), 'output.conf');
  writeFileSync(file, lines.join('\n'));
  const r = check(file);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`output\\.conf:${at + 1}:\\d+`));
  assert.match(r.stderr, /did you mean "template_overwrite"/);
});
