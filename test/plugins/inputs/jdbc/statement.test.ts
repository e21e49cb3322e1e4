/** The jdbc input's SQL text work and its last-run file, without a database. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { namedStatement, pageSql } from '../../../../src/plugins/inputs/jdbc/statement.js';
import { readLastRun, writeLastRun } from '../../../../src/plugins/inputs/jdbc/last-run.js';
import { placeholderOffsets } from '../../../../src/plugins/outputs/sql/statement.js';

test(':name parameters become placeholders; quotes, comments and ::casts are left alone', () => {
  const s = namedStatement("SELECT id::text, ':no' AS a FROM t -- :nope\nWHERE id > :sql_last_value AND k = :kind /* :x */ AND j = :kind");
  assert.deepEqual(s.names, ['sql_last_value', 'kind', 'kind']);
  assert.equal(s.sql, "SELECT id::text, ':no' AS a FROM t -- :nope\nWHERE id > ? AND k = ? /* :x */ AND j = ?");
  assert.equal(placeholderOffsets(s.sql).length, 3);
});

test('paging wraps the statement as a subquery with LIMIT/OFFSET', () => {
  assert.equal(pageSql('SELECT * FROM t ORDER BY id;', 10, 20), 'SELECT * FROM (SELECT * FROM t ORDER BY id) AS t1 LIMIT 10 OFFSET 20');
});

test('last-run file: round trip, Logstash\'s timestamp form, a missing or empty file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-jdbc-lr-'));
  try {
    const path = join(dir, 'sub', 'last');
    assert.equal(readLastRun(path, 'numeric'), undefined);
    writeLastRun(path, 42);
    assert.equal(readFileSync(path, 'utf8'), '--- 42\n');
    assert.equal(readLastRun(path, 'numeric'), 42);
    writeLastRun(path, new Date('2024-05-01T10:00:00.123Z'));
    assert.equal((readLastRun(path, 'timestamp') as Date).toISOString(), '2024-05-01T10:00:00.123Z');
    writeFileSync(path, '--- 2024-05-01 10:00:00.123456000 Z\n');
    assert.equal((readLastRun(path, 'timestamp') as Date).toISOString(), '2024-05-01T10:00:00.123Z');
    writeFileSync(path, '');
    assert.equal(readLastRun(path, 'numeric'), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
