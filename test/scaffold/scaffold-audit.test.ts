import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, checkFormat, SAMPLES, scaffold } from './check.js';

test('scaffold audit.log: >=95% of lines parsed with @timestamp right by a real run; its DDL loads SQLite and MariaDB', () => checkFormat('audit.log'));

test('scaffold is deterministic and reads stdin', () => {
  const sample = join(SAMPLES, 'hdfs.log');
  const a = spawnSync(process.execPath, [BIN, 'scaffold', sample, '--sql', 'postgresql'], { encoding: 'utf8' });
  const b = spawnSync(process.execPath, [BIN, 'scaffold', sample, '--sql', 'postgresql'], { encoding: 'utf8' });
  assert.equal(a.status, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  assert.match(a.stdout, /"pid" => "integer"/);
  assert.match(a.stdout, /match => \["timestamp", "yyMMdd HHmmss"\]/);
  assert.match(a.stdout, /"ts" TIMESTAMPTZ\(3\) NOT NULL,\n  "message" TEXT,\n  "pid" BIGINT,/);
  const c = spawnSync(process.execPath, [BIN, 'scaffold', '--sql', 'postgresql'], { encoding: 'utf8', input: readFileSync(sample) });
  assert.equal(c.stdout.replace(/from \S+:/, ''), a.stdout.replace(/from \S+:/, ''));
});

test('scaffold reports the lines it does not parse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-scaffold-bad-'));
  const lines = readFileSync(join(SAMPLES, 'windows-cbs.log'), 'utf8').split('\n').slice(0, 20);
  lines.splice(5, 0, 'garbage that is not a CBS line');
  writeFileSync(join(dir, 'mixed.log'), lines.join('\n'));
  const r = scaffold(join(dir, 'mixed.log'), []);
  assert.match(r.stderr, /parsed 20 of 21 sample lines \(95\.2%\)/);
  assert.match(r.stderr, /line 6: tagged _grokparsefailure: "garbage that is not a CBS line"/);
});
