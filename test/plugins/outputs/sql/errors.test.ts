/** Which database errors are retried and which fail a row, with errors shaped as each driver makes them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyError, errorReason } from '../../../../src/plugins/outputs/sql/errors.js';
import { makeOutput } from '../../../helpers/harness.js';
import { jdbcOutput } from '../../../../src/plugins/outputs/sql/index.js';
import { OutputError } from '../../../../src/plugins/api.js';
import { uniqueName, withDb } from './helpers.js';

const mysqlError = (errno: number, sqlState: string, code: string, fatal = false) => Object.assign(new Error(code), { errno, sqlState, code, fatal });
const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code, severity: 'ERROR' });

test('MySQL/MariaDB: constraint and data errors fail the row; deadlocks, lock timeouts, lost connections and listed states are retried', () => {
  assert.equal(classifyError(mysqlError(1062, '23000', 'ER_DUP_ENTRY'), 'mysql', []), 'row');
  assert.equal(classifyError(mysqlError(1406, '22001', 'ER_DATA_TOO_LONG'), 'mysql', []), 'row');
  assert.equal(classifyError(mysqlError(1146, '42S02', 'ER_NO_SUCH_TABLE'), 'mysql', []), 'row');
  assert.equal(classifyError(mysqlError(1213, '40001', 'ER_LOCK_DEADLOCK'), 'mysql', []), 'retryable');
  assert.equal(classifyError(mysqlError(1205, 'HY000', 'ER_LOCK_WAIT_TIMEOUT'), 'mysql', []), 'retryable');
  assert.equal(classifyError(Object.assign(new Error('Connection lost'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }), 'mysql', []), 'retryable');
  assert.equal(classifyError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED', errno: -111 }), 'mysql', []), 'retryable');
  // retry_sql_states: a SQLSTATE, or (as the seed lists "2015") a MySQL error number.
  assert.equal(classifyError(mysqlError(1062, '23000', 'ER_DUP_ENTRY'), 'mysql', ['23000']), 'retryable');
  assert.equal(classifyError(mysqlError(2015, 'HY000', 'CR_X'), 'mysql', ['100', 'HY00', '2015']), 'retryable');
  assert.equal(classifyError(mysqlError(1366, 'HY000', 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD'), 'mysql', ['100', 'HY00', '2015']), 'row');
});

test('PostgreSQL: server states by class; errors without a server state (connection terminated) are retried', () => {
  assert.equal(classifyError(pgError('23505'), 'postgres', []), 'row');
  assert.equal(classifyError(pgError('22001'), 'postgres', []), 'row');
  assert.equal(classifyError(pgError('40P01'), 'postgres', []), 'retryable');
  assert.equal(classifyError(pgError('57P01'), 'postgres', []), 'retryable');
  assert.equal(classifyError(pgError('08006'), 'postgres', []), 'retryable');
  assert.equal(classifyError(new Error('Connection terminated unexpectedly'), 'postgres', []), 'retryable');
  assert.equal(classifyError(Object.assign(new Error('ECONNRESET'), { code: 'ECONNRESET' }), 'postgres', []), 'retryable');
});

test('SQLite: busy/locked/IO errors are retried; constraints and binding errors fail the row', () => {
  assert.equal(classifyError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }), 'sqlite', []), 'retryable');
  assert.equal(classifyError(Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }), 'sqlite', []), 'row');
  assert.equal(classifyError(new RangeError('Too few parameter values were provided'), 'sqlite', []), 'row');
  assert.equal(errorReason(mysqlError(1062, '23000', 'ER_DUP_ENTRY'), 'mysql'), 'ER_DUP_ENTRY (ER_DUP_ENTRY, SQLSTATE 23000)');
});

test('mysql: a state listed in retry_sql_states makes the write retryable instead of failing the row', async () => {
  const table = uniqueName('lp_retry_state');
  await withDb('mysql', [table], async (db) => {
    await db.exec(`CREATE TABLE ${table} (id INT PRIMARY KEY)`);
    await db.exec(`INSERT INTO ${table} VALUES (1)`);
    const out = await makeOutput(jdbcOutput, { connection_string: db.url, retry_sql_states: ['23000'], statement: [`INSERT INTO ${table} (id) VALUES (?)`, 'id'] });
    await assert.rejects(out.sink.write(out.encode([{ id: 2 }, { id: 1 }])), (err: unknown) => err instanceof OutputError && err.failure === 'retryable');
    await out.sink.close?.();
    // Nothing of the batch was kept: the retry will write it whole.
    assert.deepEqual((await db.rows(`SELECT id FROM ${table}`)).map((r) => r['id']), [1]);
  });
});
