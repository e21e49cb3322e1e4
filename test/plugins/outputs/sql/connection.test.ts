/** Connection strings of every scheme, and the SQL text helpers: pure functions, no database. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeTarget, parseConnectionString, redact } from '../../../../src/plugins/outputs/sql/connection.js';
import { insertShape, multiRowSql, numberPlaceholders, placeholderOffsets } from '../../../../src/plugins/outputs/sql/statement.js';
import { dialectOf } from '../../../../src/plugins/outputs/sql/dialects.js';

test("jdbc:mysql: the seed's connection string: host, port, database, credentials from the query; other parameters listed as ignored", () => {
  const t = parseConnectionString('jdbc:mysql://db_host:3306/for_bar_db?user=username&password=p%40ss&useUnicode=true&characterEncoding=UTF-8&autoReconnect=true');
  assert.deepEqual(t, {
    dialect: 'mysql', host: 'db_host', port: 3306, user: 'username', password: 'p@ss', database: 'for_bar_db',
    ignoredParams: ['useUnicode', 'characterEncoding', 'autoReconnect'],
  });
  assert.equal(describeTarget(t), 'mysql://username@db_host:3306/for_bar_db');
});

test('jdbc:mariadb: and mysql:// with user:password@ speak the MySQL protocol; the port defaults to 3306', () => {
  assert.deepEqual(parseConnectionString('jdbc:mariadb://h/db'), { dialect: 'mysql', host: 'h', port: 3306, user: undefined, password: undefined, database: 'db', ignoredParams: [] });
  const t = parseConnectionString('mysql://u:s%3Acret@10.0.0.1:3307/x');
  assert.deepEqual([t.dialect, t.host, t.port, t.user, t.password, t.database], ['mysql', '10.0.0.1', 3307, 'u', 's:cret', 'x']);
});

test('jdbc:postgresql: and postgres://; the port defaults to 5432; IPv6 hosts in brackets', () => {
  const t = parseConnectionString('jdbc:postgresql://pg.example:6432/logs?user=writer&password=pw&ssl=false');
  assert.deepEqual([t.dialect, t.host, t.port, t.user, t.password, t.database, t.ignoredParams], ['postgres', 'pg.example', 6432, 'writer', 'pw', 'logs', ['ssl']]);
  const v6 = parseConnectionString('postgresql://[::1]/test');
  assert.deepEqual([v6.dialect, v6.host, v6.port], ['postgres', '::1', 5432]);
  assert.equal(parseConnectionString('postgres://pg/db').port, 5432);
});

test('jdbc:sqlite: a file path (absolute, relative, sqlite:///), or :memory:', () => {
  assert.equal(parseConnectionString('jdbc:sqlite:/var/lib/events.db').path, '/var/lib/events.db');
  assert.equal(parseConnectionString('jdbc:sqlite:events.db').path, 'events.db');
  assert.equal(parseConnectionString('sqlite:///tmp/x.db').path, '/tmp/x.db');
  assert.equal(parseConnectionString('jdbc:sqlite::memory:').path, ':memory:');
  assert.equal(parseConnectionString('jdbc:sqlite:/tmp/a.db').dialect, 'sqlite');
});

test('unsupported schemes, several hosts, a bad port and a missing file are refused with what to do; messages carry no password', () => {
  assert.throws(() => parseConnectionString('jdbc:oracle:thin:@host:1521:orcl'), /unsupported connection string scheme "oracle"/);
  assert.throws(() => parseConnectionString('jdbc:mysql://a:3306,b:3306/db'), /several hosts/);
  assert.throws(() => parseConnectionString('jdbc:mysql://a:99999/db'), /invalid port/);
  assert.throws(() => parseConnectionString('jdbc:mysql:db'), /mysql:\/\/host:port\/database/);
  assert.throws(() => parseConnectionString('jdbc:sqlite:'), /names no database file/);
  assert.equal(redact('jdbc:mysql://h/db?user=u&password=secret&x=1'), 'jdbc:mysql://h/db?user=u&password=<password>&x=1');
  assert.equal(redact('mysql://u:secret@h/db'), 'mysql://<credentials>@h/db');
});

test('placeholders are found outside string literals, quoted identifiers and comments', () => {
  const sql = `INSERT INTO t ("a?", b) VALUES (?, 'it''s ?', ?) -- why?\n/* ? */`;
  assert.equal(placeholderOffsets(sql).length, 2);
  assert.equal(placeholderOffsets(`SELECT 'a\\'?' , ?`).length, 1);
  assert.equal(numberPlaceholders(`INSERT INTO t (a, b) VALUES (?, '?', ?)`), `INSERT INTO t (a, b) VALUES ($1, '?', $2)`);
});

test('a plain single-row INSERT … VALUES (?, …) is recognised and repeated into a multi-row INSERT; other statements are not', () => {
  const shape = insertShape('INSERT INTO for_bar_20190401 (a,b,c) VALUES(?,?,?)');
  assert.ok(shape);
  assert.equal(shape.width, 3);
  assert.equal(multiRowSql(shape, 2), 'INSERT INTO for_bar_20190401 (a,b,c) VALUES (?,?,?),(?,?,?)');
  const upsert = insertShape('INSERT INTO t (k, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v);');
  assert.ok(upsert);
  assert.equal(multiRowSql(upsert, 2), 'INSERT INTO t (k, v) VALUES (?,?),(?,?) ON DUPLICATE KEY UPDATE v = VALUES(v)');
  assert.equal(insertShape('UPDATE t SET a = ? WHERE b = ?'), undefined);
  assert.equal(insertShape('INSERT INTO t (a, b) VALUES (?, NOW())'), undefined);
  assert.equal(insertShape('INSERT INTO t (a) VALUES (?), (?)'), undefined);
  assert.equal(insertShape('INSERT INTO t (a) VALUES (?) ON CONFLICT (a) DO UPDATE SET b = ?'), undefined);
});

test('generated INSERTs: quoting, and on_conflict per dialect (MySQL skips duplicates without INSERT IGNORE)', () => {
  assert.equal(dialectOf('mysql').insert('logs.t', ['a', 'b`c'], 'ignore', []), 'INSERT INTO `logs`.`t` (`a`, `b``c`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `a` = `a`');
  assert.equal(dialectOf('mysql').insert('t', ['k', 'v'], 'update', ['k']), 'INSERT INTO `t` (`k`, `v`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `v` = VALUES(`v`)');
  assert.equal(dialectOf('postgres').insert('t', ['k', 'v'], 'ignore', []), 'INSERT INTO "t" ("k", "v") VALUES (?, ?) ON CONFLICT DO NOTHING');
  assert.equal(dialectOf('sqlite').insert('t', ['k', 'v'], 'update', ['k']), 'INSERT INTO "t" ("k", "v") VALUES (?, ?) ON CONFLICT ("k") DO UPDATE SET "v" = excluded."v"');
  assert.equal(dialectOf('postgres').driverSql('INSERT INTO "t" ("k") VALUES (?),(?)'), 'INSERT INTO "t" ("k") VALUES ($1),($2)');
});
