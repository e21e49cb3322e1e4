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
 */
import { OutputError, type OutputSink, type RetryPolicy, type WriteResult } from '../../api.js';
import type { Logger } from '../../../core/logger.js';
import type { SqlDialect } from './dialects.js';
import type { SqlConnection, SqlPool } from './drivers.js';
import type { SqlBatch, SqlGroup, SqlValue } from './encoder.js';
import { classifyError, errorReason } from './errors.js';
import { insertShape, multiRowSql, type InsertShape } from './statement.js';

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
  private readonly plans = new Map<string, Plan>();

  constructor(private readonly options: SqlSinkOptions) {
    this.retry = options.retry;
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
      try {
        await this.transaction(conn, () => this.writeFast(conn, batch));
        return;
      } catch (err) {
        if (!(err instanceof RowRefused)) throw err;
      }
      const failed: NonNullable<WriteResult['failed']> = [];
      await this.transaction(conn, () => this.writeRowByRow(conn, batch, failed));
      return failed.length > 0 ? { failed } : undefined;
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
        if (plan.shape) await this.insertMany(conn, plan, plan.shape, group.rows);
        else for (const row of group.rows) await conn.run(plan.single, row);
      } catch (err) {
        throw this.classify(err) === 'row' ? new RowRefused(err) : err;
      }
    }
  }

  private async insertMany(conn: SqlConnection, plan: Plan, shape: InsertShape, rows: SqlValue[][]): Promise<void> {
    for (let start = 0; start < rows.length; start += plan.chunkRows) {
      const chunk = rows.slice(start, start + plan.chunkRows);
      if (chunk.length === 1) {
        await conn.run(plan.single, chunk[0]);
        continue;
      }
      const sql = chunk.length === plan.chunkRows && plan.chunkSql !== undefined
        ? plan.chunkSql
        : this.options.dialect.driverSql(multiRowSql(shape, chunk.length));
      await conn.run(sql, chunk.flat());
    }
  }

  /** Every row on its own, so the refused ones can be told from the rest. */
  private async writeRowByRow(conn: SqlConnection, batch: SqlBatch, failed: NonNullable<WriteResult['failed']>): Promise<void> {
    const savepoints = this.options.dialect.statementErrorAbortsTransaction;
    for (const group of batch) {
      const plan = this.planOf(group.sql);
      for (let i = 0; i < group.rows.length; i++) {
        const row = group.rows[i]!;
        if (savepoints) await conn.run(`SAVEPOINT ${SAVEPOINT}`);
        try {
          await conn.run(plan.single, row);
          if (savepoints) await conn.run(`RELEASE SAVEPOINT ${SAVEPOINT}`);
        } catch (err) {
          if (this.classify(err) === 'retryable') throw err;
          if (savepoints) await conn.run(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
          failed.push({ index: group.indexes[i]!, reason: errorReason(err, this.options.dialect.name), event: describeRow(group, row) });
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

/** What the output made of the event, for the failure path: the statement and its values. */
function describeRow(group: SqlGroup, row: SqlValue[]): string {
  return JSON.stringify({ statement: group.sql, values: row });
}
