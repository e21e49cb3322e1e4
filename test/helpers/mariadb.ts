/**
 * A private MariaDB server a fault test may stop and restart without disturbing the shared one:
 * its own data directory (mariadb-install-db), socket and free port, root without a password
 * (grant tables skipped: nothing but the test talks to it), and a `test` database.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type * as MySql from 'mysql2/promise';
import { freePort } from './ports.js';
import { waitFor } from './wait.js';

const require = createRequire(import.meta.url);
const mysql = require('mysql2/promise') as typeof MySql;

export class PrivateMariaDb {
  private process: ChildProcess | undefined;
  private constructor(readonly dir: string, readonly port: number) {}

  /** Installs a fresh data directory (about 2 s) and starts the server on a free port. */
  static async start(): Promise<PrivateMariaDb> {
    const dir = mkdtempSync(join(tmpdir(), 'logpipe-mariadb-'));
    const install = spawnSync('mariadb-install-db', ['--no-defaults', `--datadir=${join(dir, 'data')}`, '--skip-test-db', '--user=root', '--auth-root-authentication-method=normal'], { encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`mariadb-install-db failed (${install.status ?? install.error?.message}): ${install.stderr}`);
    const server = new PrivateMariaDb(dir, await freePort());
    await server.start();
    const conn = await server.connect(false);
    await conn.query('CREATE DATABASE IF NOT EXISTS test');
    await conn.end();
    return server;
  }

  get url(): string {
    return `mysql://root@127.0.0.1:${this.port}/test`;
  }

  /** A connection to the `test` database (or to none, before it exists). */
  connect(database = true): Promise<MySql.Connection> {
    return mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root', ...(database ? { database: 'test' } : {}), connectTimeout: 2000 });
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  async start(): Promise<void> {
    const child = spawn('mariadbd', [
      '--no-defaults', `--datadir=${join(this.dir, 'data')}`, `--socket=${join(this.dir, 'mysqld.sock')}`,
      `--port=${this.port}`, '--bind-address=127.0.0.1', '--user=root', '--skip-grant-tables',
      `--pid-file=${join(this.dir, 'mysqld.pid')}`, `--log-error=${join(this.dir, 'error.log')}`,
      '--innodb-buffer-pool-size=32M', '--skip-log-bin',
    ], { stdio: 'ignore' });
    this.process = child;
    await waitFor(`mariadbd on port ${this.port}`, async () => {
      if (child.exitCode !== null) throw new Error(`mariadbd exited with ${child.exitCode}: ${this.errorLog().slice(-2000)}`);
      try {
        const conn = await this.connect(false);
        await conn.end();
        return true;
      } catch {
        return false;
      }
    }, 30_000);
  }

  /** SIGTERM: a clean shutdown (connections are closed by the server), waited for. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    this.process = undefined;
  }

  errorLog(): string {
    try {
      return readFileSync(join(this.dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
