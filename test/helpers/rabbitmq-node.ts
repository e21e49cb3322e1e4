/**
 * A private RabbitMQ node a fault test may stop and restart without disturbing the shared broker:
 * its own node name, AMQP port, distribution port and mnesia/log directories, no plugins, and
 * optionally a TLS listener with a certificate the test made. Started with the distribution's
 * `rabbitmq-server` (run as root it switches to the rabbitmq user, hence world-writable
 * directories and readable key files). Startup takes 5–15 s on this machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, openSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { sleep, waitFor } from './wait.js';

export interface NodeTls {
  cert: string;
  key: string;
  ca: string;
}

let counter = 0;

export class PrivateRabbitNode {
  private launcher: ChildProcess | undefined;
  readonly name = `logpipe_${process.pid}_${counter++}@localhost`;

  private constructor(readonly dir: string, readonly port: number, readonly tlsPort: number | undefined, private readonly distPort: number) {}

  static async start(tls?: NodeTls): Promise<PrivateRabbitNode> {
    const dir = mkdtempSync(join(tmpdir(), 'logpipe-rabbit-'));
    chmodSync(dir, 0o777);
    const node = new PrivateRabbitNode(dir, await freePort(), tls ? await freePort() : undefined, await freePort());
    const conf = [`listeners.tcp.default = 127.0.0.1:${node.port}`];
    if (tls) {
      // Copies the node's user can read (the test's own files sit in a private directory).
      const copy = (from: string, name: string): string => {
        const to = join(dir, name);
        copyFileSync(from, to);
        chmodSync(to, 0o644);
        return to;
      };
      conf.push(
        `listeners.ssl.default = 127.0.0.1:${node.tlsPort}`,
        `ssl_options.cacertfile = ${copy(tls.ca, 'ca.pem')}`,
        `ssl_options.certfile = ${copy(tls.cert, 'cert.pem')}`,
        `ssl_options.keyfile = ${copy(tls.key, 'key.pem')}`,
        'ssl_options.verify = verify_none',
        'ssl_options.fail_if_no_peer_cert = false',
      );
    }
    writeFileSync(join(dir, 'rabbitmq.conf'), conf.join('\n') + '\n');
    writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
    await node.start();
    return node;
  }

  private get pidFile(): string {
    return join(this.dir, 'node.pid');
  }

  /** The Erlang VM's pid (the process that holds the queues), once it wrote it. */
  get pid(): number | undefined {
    if (!existsSync(this.pidFile)) return undefined;
    const pid = Number(readFileSync(this.pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  async start(): Promise<void> {
    const env = {
      ...process.env,
      RABBITMQ_NODENAME: this.name,
      RABBITMQ_NODE_PORT: String(this.port),
      RABBITMQ_DIST_PORT: String(this.distPort),
      RABBITMQ_MNESIA_BASE: join(this.dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(this.dir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(this.dir, 'enabled_plugins'),
      RABBITMQ_CONFIG_FILE: join(this.dir, 'rabbitmq'),
      RABBITMQ_PID_FILE: this.pidFile,
      ERL_CRASH_DUMP: join(this.dir, 'erl_crash.dump'),
    };
    rmSync(this.pidFile, { force: true });
    const output = openSync(join(this.dir, 'startup.log'), 'a');
    const launcher = spawn('rabbitmq-server', [], { env, stdio: ['ignore', output, output] });
    closeSync(output);
    this.launcher = launcher;
    await waitFor(`RabbitMQ node ${this.name} on port ${this.port}`, async () => {
      if (launcher.exitCode !== null) throw new Error(`rabbitmq-server exited with ${launcher.exitCode}: ${readFileSync(join(this.dir, 'startup.log'), 'utf8').slice(-1500)}`);
      return this.pid !== undefined && (await accepts(this.port)) && (this.tlsPort === undefined || (await accepts(this.tlsPort)));
    }, 60_000);
  }

  /**
   * Ends the node's Erlang VM: SIGKILL is a crash (the host lost power, the OOM killer), SIGTERM
   * a clean stop. Resolves once the process is gone.
   */
  async stop(signal: 'SIGKILL' | 'SIGTERM' = 'SIGTERM'): Promise<void> {
    const pid = this.pid;
    if (pid !== undefined && alive(pid)) {
      process.kill(pid, signal);
      await waitFor(`node ${this.name} to exit`, () => !alive(pid), 30_000);
    }
    const launcher = this.launcher;
    if (launcher && launcher.exitCode === null && launcher.signalCode === null) {
      await Promise.race([new Promise((r) => launcher.once('exit', r)), sleep(5000)]);
    }
    this.launcher = undefined;
  }

  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
