/**
 * HTTP receiving: a client posting JSON arrays (json_batch bodies) to logpipe's http input →
 * null, beside a bare node:http server reading the same bodies (baselines/http-read.ts). The
 * client (http-send.ts) is timed; the peak RSS is the server's. logpipe answers each request
 * only after its events went through the pipeline, the baseline as soon as it read the body.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Measurement } from './run.js';
import type { Scenario } from './scenarios.js';

const PER_REQUEST = 500;
const CONNECTIONS = 8;

function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function accepting(port: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Times the client against a server started by `start`; the RSS is the server's. */
async function against(t: Parameters<Scenario['run']>[0], server: ChildProcess, port: number, count: number): Promise<{ m: Measurement; bytes: number }> {
  await accepting(port);
  const m = await t.measure([join(t.root, 'dist', 'bench', 'http-send.js'), String(port), String(count), String(PER_REQUEST), String(CONNECTIONS)]);
  m.peakRssMb = peakRssMb(server.pid!);
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  return { m, bytes: Number(/, (\d+) bytes,/.exec(m.stderr)?.[1] ?? 0) };
}

export const httpScenario: Scenario = {
  name: 'http',
  async run(t) {
    const count = t.lines;
    const baseServer = spawn(process.execPath, [join(t.root, 'dist', 'bench', 'baselines', 'http-read.js')], { stdio: ['ignore', 'ignore', 'pipe'] });
    const basePortActual = await new Promise<number>((resolve, reject) => {
      baseServer.stderr!.setEncoding('utf8').once('data', (d: string) => {
        const m = /listening (\d+)/.exec(d);
        if (m) resolve(Number(m[1]));
        else reject(new Error(`baseline: ${d}`));
      });
    });
    const base = await against(t, baseServer, basePortActual, count);
    t.printRow({ scenario: 'http json_batch → null', variant: 'baseline (node:http read)', events: count, bytes: base.bytes, m: base.m });
    for (const workers of [1, 2]) {
      const port = await freePort();
      const config = `input { http { host => "127.0.0.1" port => ${port} } } output { null {} }`;
      const server = spawn(process.execPath, [t.logpipe, 'run', '-e', config, '-w', String(workers), '--log.level', 'warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
      const run = await against(t, server, port, count);
      t.printRow({ scenario: 'http json_batch → null', variant: `logpipe -w ${workers}`, events: count, bytes: run.bytes, m: run.m, baseline: base.m });
    }
  },
};
