/**
 * Creates the tables an output writes to, once per distinct name per process (a per-day table
 * on its first row of the day), before the batch's transaction: MySQL commits implicitly on DDL.
 * Concurrent writes needing the same table share one creation. A creation that fails is
 * forgotten, so the next batch tries again.
 */
import type { Logger } from '../../../core/logger.js';
import type { SqlConnection } from './drivers.js';
import { isConcurrentCreate } from './ddl.js';

/** Per-day tables make a new name a day; a long-running process keeps no ever-growing set. */
const REMEMBERED_LIMIT = 10_000;

export class TableKeeper {
  private readonly made = new Map<string, Promise<void>>();

  /** `ddl(table)`: the CREATE TABLE IF NOT EXISTS for that name. */
  constructor(private readonly ddl: (table: string) => string, private readonly logger: Logger, private readonly output: string) {}

  /** Resolves once `table` exists; rejects with the driver's error when it could not be made. */
  ensure(conn: SqlConnection, table: string): Promise<void> {
    let creation = this.made.get(table);
    if (creation) return creation;
    if (this.made.size >= REMEMBERED_LIMIT) this.made.clear();
    creation = conn.run(this.ddl(table)).catch((err: unknown) => {
      if (isConcurrentCreate(err)) return;
      this.made.delete(table);
      throw err;
    });
    this.made.set(table, creation);
    void creation.then(() => this.logger.debug('table ready', { output: this.output, table }), () => {});
    return creation;
  }
}
