/**
 * The seed's kafka input and kafka output blocks (examples/seed/kafka/kafka.conf, copied unchanged
 * from the article) pass `logpipe check`; the same file with one option misspelt is refused with
 * that option's line and the closest valid name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = join(ROOT, 'bin', 'logpipe.js');
const SEED = join(ROOT, 'examples', 'seed', 'kafka', 'kafka.conf');

const check = (file: string) => spawnSync(process.execPath, [BIN, 'check', '-f', file], { encoding: 'utf8' });

test('the seed\'s kafka input and output blocks pass logpipe check unchanged', () => {
  const r = check(SEED);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Configuration OK \(1 inputs, 0 filters, 1 outputs\)/);
});

for (const [right, wrong] of [['group_id', 'group_idd'], ['topic_id', 'topic_idd']] as const) {
  test(`a misspelt option (${wrong}) is refused with its line and the closest valid name`, () => {
    const text = readFileSync(SEED, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes(`${right} =>`)) + 1;
    const file = join(mkdtempSync(join(tmpdir(), 'logpipe-seed-kafka-')), 'kafka.conf');
    writeFileSync(file, text.replace(`${right} =>`, `${wrong} =>`));
    const r = check(file);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, new RegExp(`kafka\\.conf:${line}:\\d+`));
    assert.match(r.stderr, new RegExp(wrong));
    assert.match(r.stderr, new RegExp(right));
  });
}
