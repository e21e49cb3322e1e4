/**
 * The jdbc input's main-thread half: runs the statement (once, or on a cron schedule), hands the
 * rows over in payloads, and moves `:sql_last_value` on — in memory and in
 * `last_run_metadata_path` — only once every payload of the run was acknowledged. A run whose
 * payloads were not all acknowledged (a nack, a stop, a failed query) leaves the value where it
 * was, so the next run (or the next start) reads those rows again: at least once.
 */
import { Cron } from 'croner';
import type { InputSink, InputSource, PluginContext } from '../../api.js';
import { describeTarget, type ConnectionTarget } from '../../outputs/sql/connection.js';
import { dialectOf } from '../../outputs/sql/dialects.js';
import { openPool, type QueryValue, type SqlPool } from '../../outputs/sql/drivers.js';
import { dateToWallText } from '../../outputs/sql/wall-time.js';
import type { TimeZone } from '../../../core/time/timezone.js';
import { parseTracked, writeLastRun, type TrackedValue, type TrackingType } from './last-run.js';
import { RowPayloadBuilder } from './rows.js';
import { pageSql, type NamedStatement } from './statement.js';

export interface JdbcSourceSettings {
  target: ConnectionTarget;
  statement: NamedStatement;
  parameters: Record<string, unknown>;
  schedule: Cron | undefined;
  useColumnValue: boolean;
  trackingColumn: string | undefined;
  trackingType: TrackingType;
  lastRunPath: string;
  recordLastRun: boolean;
  /** The value the first run starts from (stored or initial). */
  startValue: TrackedValue;
  pageSize: number | undefined;
  lowercase: boolean;
  connectTimeoutMs: number;
  /** jdbc_default_timezone: zone-less timestamps are wall times there (MySQL, PostgreSQL). */
  zone?: TimeZone | undefined;
}

/** What became of one run's payloads. */
class RunTracker {
  private pending = 0;
  private reading = true;
  private done = false;
  private failed = false;
  readonly settled: Promise<boolean>;
  private resolve!: (ok: boolean) => void;

  constructor(private readonly onSuccess: () => void) {
    this.settled = new Promise((r) => (this.resolve = r));
  }

  delivery() {
    this.pending++;
    let answered = false;
    return {
      ack: () => {
        if (answered) return;
        answered = true;
        this.pending--;
        this.check();
      },
      nack: () => {
        if (answered) return;
        answered = true;
        this.pending--;
        this.fail();
      },
    };
  }

  finishReading(): void {
    this.reading = false;
    this.check();
  }

  fail(): void {
    this.failed = true;
    this.check();
  }

  private check(): void {
    if (this.done) return;
    if (this.failed) {
      this.done = true;
      this.resolve(false);
    } else if (!this.reading && this.pending === 0) {
      this.done = true;
      this.onSuccess();
      this.resolve(true);
    }
  }
}

export function jdbcSource(settings: JdbcSourceSettings, ctx: PluginContext): InputSource {
  const dialect = dialectOf(settings.target.dialect);
  const log = ctx.logger;
  const where = { input: ctx.id, database: describeTarget(settings.target) };
  /** The committed `:sql_last_value`: moves only when a run was acknowledged in full. */
  let lastValue = settings.startValue;
  let stopping = false;
  let wake: (() => void) | undefined;
  let pool: SqlPool | undefined;

  const sleepUntil = (when: Date): Promise<void> =>
    new Promise((resolve) => {
      // setTimeout caps at ~24.8 days; a longer wait is taken in steps by the loop.
      const ms = Math.min(Math.max(0, when.getTime() - Date.now()), 2 ** 31 - 1);
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  // A timestamp :sql_last_value compares with zone-less columns: bound as the zone's wall time.
  const bindLast = (last: TrackedValue): QueryValue =>
    settings.zone !== undefined && last instanceof Date ? dateToWallText(last, settings.zone) : last;
  const values = (last: TrackedValue): QueryValue[] =>
    settings.statement.names.map((name) => (name === 'sql_last_value' ? bindLast(last) : (settings.parameters[name] as QueryValue)));

  /** One run: query (page by page), push every row, then wait until its payloads are answered (or a stop). */
  async function runOnce(sink: InputSink): Promise<void> {
    const startedAt = new Date();
    const from = lastValue;
    let next: TrackedValue | undefined;
    const tracker = new RunTracker(() => {
      const value = settings.useColumnValue ? next ?? from : startedAt;
      lastValue = value;
      if (settings.recordLastRun) {
        try {
          writeLastRun(settings.lastRunPath, value);
        } catch (err) {
          log.error('jdbc: could not record the last run value', { ...where, path: settings.lastRunPath, error: (err as Error).message });
        }
      }
    });
    const builder = new RowPayloadBuilder(ctx.batchSize, settings.lowercase);
    const flush = async (): Promise<void> => {
      if (builder.count > 0) await sink.push(builder.take(), tracker.delivery());
    };
    const trackingColumn = settings.trackingColumn;
    /** The tracking column's key in the driver's rows (names are lowercased only afterwards). */
    let trackingKey: string | undefined;
    let rowsRead = 0;
    try {
      pool ??= openPool(settings.target, { maxConnections: 1, connectTimeoutMs: settings.connectTimeoutMs, logger: log, wallClockZone: settings.zone });
      const conn = await pool.acquire();
      let broken = false;
      try {
        const bound = values(from);
        for (let offset = 0; ; offset += settings.pageSize ?? 0) {
          const sql = settings.pageSize ? pageSql(settings.statement.sql, settings.pageSize, offset) : settings.statement.sql;
          let pageRows = 0;
          // Streamed in chunks: a payload is pushed (and waits for room in the queue) while the
          // rest of the result stays with the server, so a big table never sits in memory.
          for await (const rows of conn.stream(dialect.driverSql(sql), bound, builder.maxRows)) {
            for (const row of rows) {
              if (stopping || sink.stopping) throw new Error('stopped during a run');
              if (trackingColumn !== undefined) {
                trackingKey ??= trackingColumn in row || !settings.lowercase
                  ? trackingColumn
                  : Object.keys(row).find((k) => k.toLowerCase() === trackingColumn) ?? trackingColumn;
                const v = parseTracked(row[trackingKey], settings.trackingType);
                if (v !== undefined) next = v;
              }
              builder.add(row);
              rowsRead++;
              pageRows++;
              if (builder.full) await flush();
            }
          }
          if (!settings.pageSize || pageRows < settings.pageSize) break;
        }
      } catch (err) {
        // A query left half-read (a stop, a failure) leaves the connection in an unknown state.
        broken = true;
        throw err;
      } finally {
        conn.release(broken);
      }
      await flush();
    } catch (err) {
      tracker.fail();
      throw err;
    }
    tracker.finishReading();
    log.debug('jdbc: run read its rows', { ...where, rows: rowsRead });
    const ok = await Promise.race([tracker.settled, new Promise<boolean>((r) => (wake = () => r(false)))]);
    wake = undefined;
    if (ok) log.debug('jdbc: run acknowledged', { ...where, sql_last_value: lastValue instanceof Date ? lastValue.toISOString() : lastValue });
  }

  return {
    async run(sink) {
      try {
        if (!settings.schedule) {
          await runOnce(sink);
          return;
        }
        while (!stopping && !sink.stopping) {
          const when = settings.schedule.nextRun();
          if (!when) return;
          await sleepUntil(when);
          if (stopping || sink.stopping) return;
          if (Date.now() < when.getTime()) continue; // a long wait taken in steps
          try {
            await runOnce(sink);
          } catch (err) {
            if (stopping || sink.stopping) return;
            // A scheduled input logs a failed run and tries again at the next tick, as Logstash does.
            log.error('jdbc: the scheduled run failed; trying again at the next tick', { ...where, error: (err as Error).message });
          }
        }
      } catch (err) {
        if (stopping || sink.stopping) return;
        throw err;
      } finally {
        const p = pool;
        pool = undefined;
        await p?.close().catch(() => {});
      }
    },
    stop() {
      stopping = true;
      wake?.();
    },
  };
}
