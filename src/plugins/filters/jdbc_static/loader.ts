/**
 * jdbc_static's loaders: each runs its query on the remote database and returns the rows for its
 * local table. As in Logstash, a result of no rows or of more than max_rows leaves the local
 * table as it was (with a warning); the rows are read as a stream, so a result over max_rows is
 * abandoned as soon as it passes the bound rather than held whole.
 */
import type { Logger } from '../../../core/logger.js';
import type { SqlPool } from '../../outputs/sql/drivers.js';
import type { LoaderSettings } from './settings.js';

const CHUNK_ROWS = 1000;

/** The rows of one loader's query, or undefined when its table must keep what it has. */
export async function fetchLoader(pool: SqlPool, loader: LoaderSettings, logger: Logger): Promise<Record<string, unknown>[] | undefined> {
  const conn = await pool.acquire();
  const rows: Record<string, unknown>[] = [];
  let broken = false;
  try {
    for await (const chunk of conn.stream(loader.query, [], CHUNK_ROWS)) {
      rows.push(...chunk);
      if (rows.length > loader.maxRows) {
        // Stopping a stream early leaves the connection mid-result: it is thrown away.
        broken = true;
        logger.warn('jdbc_static: the loader query returned more than max_rows rows; its local table keeps its rows', { loader: loader.id, max_rows: loader.maxRows });
        return undefined;
      }
    }
  } catch (err) {
    broken = true;
    throw err;
  } finally {
    conn.release(broken);
  }
  if (rows.length === 0) {
    logger.warn('jdbc_static: the loader query returned no rows; its local table keeps its rows', { loader: loader.id });
    return undefined;
  }
  return rows;
}
