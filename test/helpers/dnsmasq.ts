/** A private dnsmasq (Debian's dnsmasq-base) answering from a hosts file, for the dns filter's tests. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resolver } from 'node:dns/promises';
import { freePort } from './ports.js';
import { exited } from './processes.js';

const BINARY = '/usr/sbin/dnsmasq';

export class PrivateDnsmasq {
  private constructor(private readonly child: ChildProcess, readonly port: number) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Serves `hosts` (hosts-file text) for names under `.test`; other `.test` names are NXDOMAIN. */
  static async start(hosts: string): Promise<PrivateDnsmasq> {
    if (spawnSync(BINARY, ['--version']).status !== 0) throw new Error(`${BINARY} is missing: install Debian's dnsmasq-base (.ci/services.d/12-dnsmasq.sh does)`);
    const dir = mkdtempSync(join(tmpdir(), 'logpipe-dnsmasq-'));
    writeFileSync(join(dir, 'hosts'), hosts, { mode: 0o644 });
    chmodSync(dir, 0o755); // dnsmasq reads the file as the unprivileged user it switches to
    const port = await freePort();
    const child = spawn(BINARY, ['--keep-in-foreground', `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces', '--no-resolv', '--no-hosts',
      `--addn-hosts=${join(dir, 'hosts')}`, '--local=/test/', '--conf-file=/dev/null', '--pid-file=', '--cache-size=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const server = new PrivateDnsmasq(child, port);
    const probe = new Resolver({ timeout: 200, tries: 1 });
    probe.setServers([server.address]);
    for (let i = 0; i < 50; i++) {
      if (child.exitCode !== null) throw new Error(`dnsmasq exited: ${stderr}`);
      try {
        await probe.resolve4('probe.invalid.test');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOTFOUND') return server;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    throw new Error(`dnsmasq did not answer on ${server.address}: ${stderr}`);
  }

  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    await exited(this.child);
  }
}
