/** A private memcached (Debian's memcached package) per test file. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './ports.js';
import { exited } from './processes.js';

const BINARY = '/usr/bin/memcached';

export class PrivateMemcached {
  private constructor(private readonly child: ChildProcess, readonly port: number) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateMemcached> {
    if (spawnSync(BINARY, ['-V']).status !== 0) throw new Error(`${BINARY} is missing: install Debian's memcached (.ci/services.d/13-memcached.sh does)`);
    const port = await freePort();
    const child = spawn(BINARY, ['-p', String(port), '-l', '127.0.0.1', '-U', '0', '-u', 'nobody', '-m', '16'], { stdio: 'ignore' });
    const server = new PrivateMemcached(child, port);
    for (let i = 0; i < 50; i++) {
      if (child.exitCode !== null) throw new Error(`memcached exited with ${child.exitCode}`);
      if (await server.command('version\r\n').then((r) => r.startsWith('VERSION'), () => false)) return server;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    throw new Error(`memcached did not answer on ${server.address}`);
  }

  /** One text-protocol command, as another application would send it; resolves with the reply. */
  command(text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.port, '127.0.0.1');
      let reply = '';
      socket.on('data', (d) => {
        reply += d.toString();
        if (/(END|STORED|NOT_STORED|DELETED|NOT_FOUND|ERROR|VERSION [^\r]*)\r\n$/.test(reply)) {
          socket.end();
          resolve(reply);
        }
      });
      socket.on('error', reject);
      socket.write(text);
    });
  }

  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    await exited(this.child);
  }
}
