/**
 * jdbc_static lookups beside the translate filter on the same 10 000-key dictionary (an in-memory
 * Map lookup: the cheapest enrichment there is), on generator events with one worker. Every event
 * looks up its sequence number, so the first 10 000 hit and the rest miss, in both variants.
 * Baseline: the same pipeline without a filter. The remote database is a SQLite file, so the
 * initial load is in the measured time (as a pipeline's start is).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { Scenario } from './scenarios.js';

const KEYS = 10_000;

export const lookupsScenario: Scenario = {
  name: 'lookups',
  async run(t) {
    const count = Number(process.env['BENCH_LOOKUP_EVENTS'] ?? 200_000);
    const dir = mkdtempSync(join(tmpdir(), 'logpipe-bench-lookups-'));
    try {
      const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
      const db = new Database(join(dir, 'remote.db'));
      db.exec('CREATE TABLE hosts (k INTEGER, name TEXT)');
      const insert = db.prepare('INSERT INTO hosts VALUES (?, ?)');
      db.transaction(() => { for (let k = 0; k < KEYS; k++) insert.run(k, `host-${k}`); })();
      db.close();
      const dictionary = join(dir, 'hosts.json');
      writeFileSync(dictionary, JSON.stringify(Object.fromEntries(Array.from({ length: KEYS }, (_, k) => [String(k), `host-${k}`]))));
      const filters = {
        translate: `translate { source => "sequence" target => "host" dictionary_path => "${dictionary}" }`,
        jdbc_static: `jdbc_static {
          jdbc_connection_string => "jdbc:sqlite:${join(dir, 'remote.db')}"
          loaders => [{ query => "SELECT k, name FROM hosts" local_table => "hosts" }]
          local_db_objects => [{ name => "hosts" index_columns => ["k"] columns => [["k", "INTEGER"], ["name", "varchar(32)"]] }]
          local_lookups => [{ id => "host" query => "SELECT name FROM hosts WHERE k = :k" parameters => { "k" => "sequence" } }]
        }`,
      };
      const config = (filter: string): string => `input { generator { count => ${count} message => "x" } } filter { ${filter} } output { null {} }`;
      const run = (filter: string) => t.measure([t.logpipe, 'run', '-e', config(filter), '-w', '1', '--log.level', 'warn']);
      // Interleaved rounds, best of each: the machine is shared.
      const best: Record<string, Awaited<ReturnType<typeof run>>> = {};
      for (let round = 0; round < 3; round++) {
        for (const [name, filter] of [['baseline', ''], ...Object.entries(filters)] as const) {
          const m = await run(filter);
          if (!best[name] || (m.code === 0 && m.seconds < best[name]!.seconds)) best[name] = m;
        }
      }
      t.printRow({ scenario: 'generator → lookup', variant: 'baseline (no filter)', events: count, bytes: 0, m: best['baseline']! });
      for (const name of Object.keys(filters)) t.printRow({ scenario: 'generator → lookup', variant: `${name} -w 1`, events: count, bytes: 0, m: best[name]!, baseline: best['baseline']! });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
