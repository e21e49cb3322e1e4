/**
 * The main-thread half of the sql/jdbc outputs: executes a batch of rows the encoder grouped by
 * SQL text, in one transaction.
 *
 * The fast path: BEGIN, one multi-row INSERT per group (per `flush_size` rows) where the SQL is
 * a plain single-row INSERT … VALUES (?, …), otherwise one statement per row, COMMIT.
 * When the server refuses a row (a constraint, a value too long, a bad value) the transaction is
 * rolled back and the batch is written again one row at a time — each row inside a SAVEPOINT
 * where a failed statement would spoil the transaction (PostgreSQL) — so the refused rows are
 * found, reported in WriteResult.failed with the server's reason, and every other row is
 * committed. A connection or server problem (errors.ts) rolls back and rejects with a retryable
 * OutputError: the pipeline writes the whole batch again after the sink's retry delay.
 *
 * With `create_table` the tables a batch writes to are created first (tables.ts); with a
 * `failure_table` the refused rows are inserted there in the same transaction as the accepted
 * ones, so both commit together or neither does.
 */
import { OutputError, type OutputSink, type RetryPolicy, type WriteResult } from '../../api.js';
import type { Logger } from '../../../core/logger.js';
import type { SqlDialect } from './dialects.js';
import type { SqlConnection, SqlPool } from './drivers.js';
import type { SqlBatch, SqlGroup, SqlValue } from './encoder.js';
import { createFailureTableSql, FAILURE_COLUMNS, failureInsertSql } from './ddl.js';
import { classifyError, errorReason } from './errors.js';
import { insertShape, multiRowSql, type InsertShape } from './statement.js';
import { TableKeeper } from './tables.js';

export interface SqlSinkOptions {
  dialect: SqlDialect;
  pool: SqlPool;
  /** Most rows in one multi-row INSERT (Logstash's flush_size). */
  flushSize: number;
  retrySqlStates: readonly string[];
  retry: RetryPolicy;
  /** Where we write, for messages (never the password). */
  target: string;
  logger: Logger;
  /** The output's id, for logs and the failure table. */
  output: string;
  /** Writes in flight (write_concurrency); each takes its own pooled connection. */
  concurrency: number;
  /** create_table: the CREATE TABLE IF NOT EXISTS for a table name the encoder reported. */
  createTable?: (table: string) => string;
  /** failure_table: where refused rows go; `only`: not to the pipeline's failure path as well. */
  failureTable?: { name: string; only: boolean };
}

/** A row the database refused, with what the failure table and failure path keep of it. */
interface RefusedRow {
  index: number;
  reason: string;
  sql: string;
  values: SqlValue[];
  event: string | undefined;
}

/** How one SQL text is executed, worked out once per text. */
interface Plan {
  /** The single-row statement in the driver's form. */
  single: string;
  shape: InsertShape | undefined;
  /** Rows per multi-row statement, and that statement (the last chunk of a group may be shorter). */
  chunkRows: number;
  chunkSql: string | undefined;
}

/** A row the server refused (thrown inside a transaction to leave the fast path). */
class RowRefused extends Error {
  constructor(readonly original: unknown) {
    super('row refused');
  }
}

const SAVEPOINT = 'logpipe_row';
const PLAN_CACHE_LIMIT = 1000;

export class SqlSink implements OutputSink {
  readonly retry: RetryPolicy;
  readonly concurrency: number;
  private readonly plans = new Map<string, Plan>();
  private readonly tables: TableKeeper | undefined;
  private readonly failureTables: TableKeeper | undefined;

  constructor(private readonly options: SqlSinkOptions) {
    this.retry = options.retry;
    this.concurrency = options.concurrency;
    const { createTable, failureTable, dialect, logger, output } = options;
    if (createTable) this.tables = new TableKeeper(createTable, logger, output);
    if (failureTable) this.failureTables = new TableKeeper((name) => createFailureTableSql(dialect, name), logger, output);
  }

  async write(data: unknown): Promise<WriteResult | void> {
    const batch = data as SqlBatch | undefined;
    if (!batch || batch.length === 0) return;
    let conn: SqlConnection;
    try {
      conn = await this.options.pool.acquire();
    } catch (err) {
      throw new OutputError(`cannot connect to ${this.options.target}: ${errorReason(err, this.options.dialect.name)}`, 'retryable', { cause: err });
    }
    let broken = false;
    try {
      if (this.tables) await this.createTables(conn, batch, this.tables);
      try {
        await this.transaction(conn, () => this.writeFast(conn, batch));
        return;
      } catch (err) {
        if (!(err instanceof RowRefused)) throw err;
      }
      const failureTable = this.failureTables && (await this.prepareFailureTable(conn, this.failureTables));
      const refused: RefusedRow[] = [];
      let kept = false;
      await this.transaction(conn, async () => {
        await this.writeRowByRow(conn, batch, refused);
        kept = failureTable !== undefined && refused.length > 0 && (await this.keepRefused(conn, failureTable, refused));
      });
      return this.report(refused, kept);
    } catch (err) {
      if (err instanceof OutputError) throw err;
      // Whatever state the connection is in (mid-transaction, cut off), a fresh one is safer.
      broken = true;
      throw new OutputError(`write to ${this.options.target} failed: ${errorReason(err, this.options.dialect.name)}`, 'retryable', { cause: err });
    } finally {
      conn.release(broken);
    }
  }

  close(): Promise<void> {
    return this.options.pool.close();
  }

  /**
   * BEGIN, body, COMMIT; on any error ROLLBACK (best effort: the connection may be gone) and
   * rethrow. A COMMIT that fails leaves the outcome unknown: retried (at-least-once; the
   * on_conflict recipe makes the repeat harmless).
   */
  private async transaction(conn: SqlConnection, body: () => Promise<void>): Promise<void> {
    await conn.run(this.options.dialect.begin);
    try {
      await body();
    } catch (err) {
      await conn.run('ROLLBACK').catch(() => {});
      throw err;
    }
    await conn.run('COMMIT');
  }

  private async writeFast(conn: SqlConnection, batch: SqlBatch): Promise<void> {
    for (const group of batch) {
      const plan = this.planOf(group.sql);
      try {
        if (plan.shape) await this.insertMany(conn, plan, plan.shape, group);
        else for (let i = 0; i < group.indexes.length; i++) await conn.run(plan.single, rowOf(group, i));
      } catch (err) {
        throw this.classify(err) === 'row' ? new RowRefused(err) : err;
      }
    }
  }

  private async insertMany(conn: SqlConnection, plan: Plan, shape: InsertShape, group: SqlGroup): Promise<void> {
    const rows = group.indexes.length;
    const { width, values } = group;
    for (let start = 0; start < rows; start += plan.chunkRows) {
      const count = Math.min(plan.chunkRows, rows - start);
      if (count === 1) {
        await conn.run(plan.single, rowOf(group, start));
        continue;
      }
      const sql = count === plan.chunkRows && plan.chunkSql !== undefined
        ? plan.chunkSql
        : this.options.dialect.driverSql(multiRowSql(shape, count));
      // The whole group in one statement: its values as they came, no copy.
      const bound = count === rows ? values : values.slice(start * width, (start + count) * width);
      await conn.run(sql, bound);
    }
  }

  /**
   * CREATE TABLE IF NOT EXISTS for each table of the batch not made yet. A refusal (a bad type,
   * no privilege) is logged and the batch goes on: its rows then fail as "no such table" and go
   * to the failure path with that reason. A connection problem fails the write (retried).
   */
  private async createTables(conn: SqlConnection, batch: SqlBatch, keeper: TableKeeper): Promise<void> {
    for (const group of batch) {
      if (group.table === undefined) continue;
      try {
        await keeper.ensure(conn, group.table);
      } catch (err) {
        if (this.classify(err) === 'retryable') throw err;
        this.options.logger.error('sql output: cannot create table', { output: this.options.output, table: group.table, error: errorReason(err, this.options.dialect.name) });
      }
    }
  }

  /** The failure table's name once it exists; undefined (refused rows to the failure path only) if it cannot be made. */
  private async prepareFailureTable(conn: SqlConnection, keeper: TableKeeper): Promise<string | undefined> {
    const name = this.options.failureTable!.name;
    try {
      await keeper.ensure(conn, name);
      return name;
    } catch (err) {
      if (this.classify(err) === 'retryable') throw err;
      this.options.logger.error('sql output: cannot create the failure table; refused rows go to the failure path', { output: this.options.output, table: name, error: errorReason(err, this.options.dialect.name) });
      return undefined;
    }
  }

  /**
   * Inserts the refused rows into the failure table, inside the batch's transaction (in a
   * savepoint where a failed statement would spoil it). False when the table refused them: they
   * then go to the failure path instead, never nowhere.
   */
  private async keepRefused(conn: SqlConnection, table: string, refused: RefusedRow[]): Promise<boolean> {
    const { dialect, output, logger } = this.options;
    const savepoints = dialect.statementErrorAbortsTransaction;
    const failedAt = new Date().toISOString().replace('T', ' ').slice(0, 23);
    const perStatement = Math.max(1, Math.floor(dialect.maxParams / FAILURE_COLUMNS.length));
    if (savepoints) await conn.run(`SAVEPOINT ${SAVEPOINT}`);
    try {
      for (let start = 0; start < refused.length; start += perStatement) {
        const chunk = refused.slice(start, start + perStatement);
        const values: SqlValue[] = [];
        for (const r of chunk) values.push(failedAt, output.slice(0, 255), r.reason, r.sql, JSON.stringify(r.values), r.event ?? null);
        await conn.run(dialect.driverSql(failureInsertSql(dialect, table, chunk.length)), values);
      }
      if (savepoints) await conn.run(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      return true;
    } catch (err) {
      if (this.classify(err) === 'retryable') throw err;
      if (savepoints) await conn.run(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      logger.error('sql output: the failure table refused the refused rows; they go to the failure path', { output, table, error: errorReason(err, dialect.name) });
      return false;
    }
  }

  /** Logs each refused row once; hands it to the failure path unless the failure table alone keeps it. */
  private report(refused: RefusedRow[], kept: boolean): WriteResult | undefined {
    if (refused.length === 0) return undefined;
    const { failureTable, logger, output } = this.options;
    if (kept) {
      for (const r of refused) logger.warn('sql output: row refused by the database; kept in the failure table', { output, table: failureTable!.name, reason: r.reason });
      if (failureTable!.only) return undefined;
    }
    // Without the failure table the pipeline's failure path logs each one.
    return { failed: refused.map((r) => ({ index: r.index, reason: r.reason, event: r.event ?? JSON.stringify({ statement: r.sql, values: r.values }) })) };
  }

  /** Every row on its own, so the refused ones can be told from the rest. */
  private async writeRowByRow(conn: SqlConnection, batch: SqlBatch, failed: RefusedRow[]): Promise<void> {
    const savepoints = this.options.dialect.statementErrorAbortsTransaction;
    for (const group of batch) {
      const plan = this.planOf(group.sql);
      for (let i = 0; i < group.indexes.length; i++) {
        const row = rowOf(group, i);
        if (savepoints) await conn.run(`SAVEPOINT ${SAVEPOINT}`);
        try {
          await conn.run(plan.single, row);
          if (savepoints) await conn.run(`RELEASE SAVEPOINT ${SAVEPOINT}`);
        } catch (err) {
          if (this.classify(err) === 'retryable') throw err;
          if (savepoints) await conn.run(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
          failed.push({ index: group.indexes[i]!, reason: errorReason(err, this.options.dialect.name), sql: group.sql, values: row, event: group.events?.[i] });
        }
      }
    }
  }

  private classify(err: unknown): 'retryable' | 'row' {
    return classifyError(err, this.options.dialect.name, this.options.retrySqlStates);
  }

  private planOf(sql: string): Plan {
    let plan = this.plans.get(sql);
    if (plan) return plan;
    const { dialect, flushSize } = this.options;
    const shape = insertShape(sql);
    const chunkRows = shape ? Math.max(1, Math.min(flushSize, Math.floor(dialect.maxParams / Math.max(1, shape.width)))) : 1;
    plan = {
      single: dialect.driverSql(sql),
      shape,
      chunkRows,
      chunkSql: shape && chunkRows > 1 ? dialect.driverSql(multiRowSql(shape, chunkRows)) : undefined,
    };
    // Per-day tables (unsafe_statement) make new SQL texts over time; old ones are not needed.
    if (this.plans.size >= PLAN_CACHE_LIMIT) this.plans.clear();
    this.plans.set(sql, plan);
    return plan;
  }
}

/** Row `i` of a group: its slice of the flat values. */
function rowOf(group: SqlGroup, i: number): SqlValue[] {
  return group.values.slice(i * group.width, (i + 1) * group.width);
}
