/**
 * jdbc_static: enriches events from reference data loaded out of a remote database (MySQL/MariaDB,
 * PostgreSQL, SQLite) into a local in-memory SQLite, once at start and again on `loader_schedule`.
 * Mirrors logstash-integration-jdbc's jdbc_static filter (which uses an embedded Derby): the same
 * options, lookups as lists of hashes in `target`, `default_hash`, the same tags. Each filter
 * instance (one per worker) has its own local database; see docs/decisions/0025.
 */
import { Cron } from 'croner';
import { ConfigError } from '../../../core/errors.js';
import { deepCopy, type Event } from '../../../core/event.js';
import { rateLimitedWarn } from '../../../core/rate-limit.js';
import { defineFilter } from '../../api.js';
import { describeTarget, type ConnectionTarget } from '../../outputs/sql/connection.js';
import { JDBC_LOOKUP_CONNECTION_OPTIONS, lookupTarget } from '../../outputs/sql/lookup-connection.js';
import { openPool, type SqlPool } from '../../outputs/sql/drivers.js';
import { fetchLoader } from './loader.js';
import { LocalDatabase } from './local-db.js';
import { compileLookup, type Lookup } from './lookup.js';
import { readDbObjects, readLoaders, readLookups, type LoaderSettings } from './settings.js';

export const jdbcStaticFilter = defineFilter({
  kind: 'filter',
  name: 'jdbc_static',
  description: 'Enriches events from reference tables loaded out of a remote database (MySQL/MariaDB, PostgreSQL, SQLite) into a local in-memory SQLite, refreshed on a cron schedule.',
  options: {
    ...JDBC_LOOKUP_CONNECTION_OPTIONS,
    loaders: { type: 'array', default: [], description: 'Remote queries that fill local tables: hashes of id, query, local_table, max_rows (1 000 000; a larger result leaves the table as it was).' },
    local_db_objects: { type: 'array', default: [], description: 'Local tables: hashes of name, columns ([[name, type], …]), index_columns, preserve_existing.' },
    local_lookups: { type: 'array', required: true, description: 'Per-event queries on the local tables: hashes of id, query, parameters (:name → field or %{template}) or prepared_parameters (for ?), target (default: id), default_hash, tag_on_failure, tag_on_default_use.' },
    loader_schedule: { type: 'string', description: 'Cron expression (5 fields, or 6 with seconds first) for reloading the loaders; absent = load once at start.' },
    tag_on_failure: { type: 'string_list', default: ['_jdbcstaticfailure'], description: 'Tags added when a lookup fails (its SQL, or a parameter field missing); a lookup\'s own tag_on_failure wins.' },
    tag_on_default_use: { type: 'string_list', default: ['_jdbcstaticdefaultsused'], description: 'Tags added when a lookup found no row and used its default_hash; a lookup\'s own wins.' },
    staging_directory: { type: 'string', ignored: 'rows go from the remote result into the local database without staging files', description: 'Accepted for compatibility.' },
  },
  async create(options, ctx) {
    const where = ctx.location;
    const problems: string[] = [];
    const loaders = readLoaders(options.loaders, problems);
    const objects = readDbObjects(options.local_db_objects, problems);
    const lookupSettings = readLookups(options.local_lookups, { tagOnFailure: options.tag_on_failure, tagOnDefaultUse: options.tag_on_default_use }, problems);
    if (problems.length > 0) throw new ConfigError(`jdbc_static: ${problems.join('; ')}`, where);
    const remote = lookupTarget(options, 'jdbc_static', where);
    const cron = options.loader_schedule?.trim();
    if (cron !== undefined) {
      try {
        new Cron(cron, { paused: true }).stop();
      } catch (err) {
        throw new ConfigError(`jdbc_static: invalid loader_schedule "${options.loader_schedule}": ${(err as Error).message}`, where);
      }
    }

    const local = new LocalDatabase(objects);
    const missing = loaders.filter((l) => !local.hasTable(l.table));
    if (missing.length > 0) {
      local.close();
      throw new ConfigError(`jdbc_static: loader ${missing.map((l) => `"${l.id}"`).join(', ')} fills local_table ${missing.map((l) => `"${l.table}"`).join(', ')}, which local_db_objects does not define`, where);
    }
    if (ctx.ecs !== 'disabled') {
      for (const l of lookupSettings.filter((x) => x.idAsTarget)) ctx.logger.info('jdbc_static: ECS compatibility is on but the lookup has no target; its rows go to a field named after its id', { lookup: l.id });
    }
    let lookups: Lookup[];
    try {
      lookups = lookupSettings.map((settings) => compileLookup(settings, local, ctx.logger, where));
    } catch (err) {
      local.close();
      throw err;
    }

    const pool: SqlPool = openPool(remote, { maxConnections: 1, connectTimeoutMs: 10_000, logger: ctx.logger });
    let closed = false;
    /** Fetches every loader, then swaps in the tables that got rows, in one transaction. */
    const load = async (initial: boolean): Promise<void> => {
      const fetched = new Map<string, Record<string, unknown>[]>();
      for (const loader of loaders) {
        let rows: Record<string, unknown>[] | undefined;
        try {
          rows = await fetchLoader(pool, loader, ctx.logger);
        } catch (err) {
          if (initial) throw loadError(loader, remote, err, where);
          ctx.logger.error('jdbc_static: a scheduled load failed; its local table keeps its rows until the next one', { loader: loader.id, error: (err as Error).message });
          continue;
        }
        if (rows) fetched.set(loader.table, rows);
      }
      if (closed || fetched.size === 0) return;
      try {
        local.replace(fetched);
      } catch (err) {
        if (initial) throw new ConfigError(`jdbc_static: the loaded rows do not fit the local tables: ${(err as Error).message}`, where, 'a loader query must return the columns of its local_table, in order');
        ctx.logger.error('jdbc_static: the loaded rows do not fit the local tables; they keep their rows', { error: (err as Error).message });
      }
    };
    try {
      await load(true);
    } catch (err) {
      local.close();
      await pool.close().catch(() => {});
      throw err;
    }
    // protect: a load still running when the next tick comes is not started twice.
    const schedule = cron === undefined ? undefined : new Cron(cron, { protect: true }, () => load(false));

    const warn = rateLimitedWarn(ctx.logger);
    return {
      filter(event: Event) {
        let all = true;
        for (const lookup of lookups) {
          const outcome = lookup.run(event);
          if (outcome.kind === 'failed') {
            warn(lookup.id, outcome.message, { lookup: lookup.id, ...outcome.fields });
            for (const t of lookup.tagOnFailure) event.tag(t);
            all = false;
            continue;
          }
          if (outcome.rows.length === 0 && lookup.defaultHash) {
            for (const t of lookup.tagOnDefaultUse) event.tag(t);
            lookup.target.set(event, [deepCopy(lookup.defaultHash)]);
            continue;
          }
          lookup.target.set(event, outcome.rows);
        }
        return all;
      },
      async close() {
        closed = true;
        schedule?.stop();
        local.close();
        await pool.close();
      },
    };
  },
});

/** Logstash fails register when the initial load fails; so does this filter, saying where and why. */
function loadError(loader: LoaderSettings, remote: ConnectionTarget, err: unknown, where: ConfigError['location']): ConfigError {
  return new ConfigError(`jdbc_static: the initial load of loader "${loader.id}" from ${describeTarget(remote)} failed: ${(err as Error).message}`, where,
    'the remote database must be reachable and the loader queries valid when the pipeline starts');
}
