/**
 * Pipeline → MariaDB and → PostgreSQL inserts (generator → jdbc output), each beside the raw
 * driver inserting the same rows (baselines/sql-insert.ts). Each run writes into a fresh table
 * that is counted afterwards (a run that did not write every row is flagged) and dropped.
 *
 *   BENCH_SQL_ROWS=1000000 (default; logpipe's ~0.7 s start-up weighs on fewer rows)
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as MySql from 'mysql2/promise';
import type * as Pg from 'pg';
import type { Scenario } from './scenarios.js';

const require = createRequire(import.meta.url);

interface Admin {
  exec(sql: string): Promise<void>;
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

async function admin(kind: 'mysql' | 'postgres'): Promise<Admin> {
  if (kind === 'mysql') {
    const conn = await (require('mysql2/promise') as typeof MySql).createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test' });
    return {
      exec: async (sql) => void (await conn.query(sql)),
      count: async (t) => Number(((await conn.query(`SELECT COUNT(*) AS n FROM ${t}`))[0] as { n: number }[])[0]!.n),
      close: () => conn.end(),
    };
  }
  const client = new (require('pg') as typeof Pg).Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
  await client.connect();
  return {
    exec: async (sql) => void (await client.query(sql)),
    count: async (t) => Number((await client.query(`SELECT COUNT(*) AS n FROM ${t}`)).rows[0].n),
    close: () => client.end(),
  };
}

const URLS = { mysql: 'jdbc:mysql://127.0.0.1:3306/test?user=root', postgres: 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres' };
const TITLES = { mysql: 'generator → MariaDB', postgres: 'generator → PostgreSQL' };

function sqlScenario(kind: 'mysql' | 'postgres'): Scenario {
  return {
    name: kind === 'mysql' ? 'mariadb' : 'postgres',
    async run(t) {
      const rows = Number(process.env['BENCH_SQL_ROWS'] ?? 1_000_000);
      const db = await admin(kind);
      const table = `bench_sql_${process.pid}`;
      const fresh = async () => {
        await db.exec(`DROP TABLE IF EXISTS ${table}`);
        await db.exec(`CREATE TABLE ${table} (seq INT PRIMARY KEY, msg VARCHAR(40))`);
      };
      const check = async (m: { code: number }) => {
        if ((await db.count(table)) !== rows) m.code = m.code || 99;
      };
      try {
        for (const batch of [125, 1000]) {
          await fresh();
          const baseline = await t.measure([join(t.root, 'dist', 'bench', 'baselines', 'sql-insert.js'), kind, table, String(rows), String(batch)]);
          await check(baseline);
          t.printRow({ scenario: TITLES[kind], variant: `baseline (driver, ${batch}/tx)`, events: rows, bytes: 0, m: baseline });
          // write_concurrency 2 (the default) overlaps one batch's COMMIT with the next batch's
          // INSERT (batches may then commit out of order); 1 keeps the order, as the baseline does.
          for (const concurrency of [2, 1]) {
            const config = `input { generator { count => ${rows} } } output { jdbc { connection_string => "${URLS[kind]}" write_concurrency => ${concurrency}
              statement => ["INSERT INTO ${table} (seq, msg) VALUES (?, ?)", "sequence", "message"] } }`;
            await fresh();
            const m = await t.measure([t.logpipe, 'run', '-e', config, '-w', '2', '-b', String(batch), '--log.level', 'warn']);
            await check(m);
            t.printRow({ scenario: TITLES[kind], variant: `logpipe -w2 -b${batch} c${concurrency}${concurrency === 2 ? ' (default)' : ''}`, events: rows, bytes: 0, m, baseline });
          }
        }
      } finally {
        await db.exec(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
        await db.close();
      }
    },
  };
}

export const SQL_SCENARIOS: Scenario[] = [sqlScenario('mysql'), sqlScenario('postgres')];
