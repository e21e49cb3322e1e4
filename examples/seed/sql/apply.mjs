// Runs a .sql file against a SQLite database file (created if missing), with the better-sqlite3
// driver logpipe ships: no sqlite3 command needed.
//   node examples/seed/sql/apply.mjs <database file> <sql file>
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const [dbFile, sqlFile] = process.argv.slice(2);
if (!dbFile || !sqlFile) {
  console.error('usage: node examples/seed/sql/apply.mjs <database file> <sql file>');
  process.exit(2);
}
const Database = createRequire(import.meta.url)('better-sqlite3');
mkdirSync(dirname(dbFile), { recursive: true });
const db = new Database(dbFile);
db.exec(readFileSync(sqlFile, 'utf8'));
db.close();
