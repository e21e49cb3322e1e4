/**
 * tcp → null (access-log lines and JSON application lines) and udp → null: logpipe's network
 * inputs beside a raw Node socket server reading the same bytes (baselines/socket-read.ts), in the
 * same run. The baseline does the least a real receiver does: it reads the bytes and splits them
 * into lines (counts every newline; tcp) or counts datagrams (udp), nothing else. The sender (net-sender.ts) is not measured; each receiver
 * is timed from the sender's start until the receiver has everything (tcp: the baseline exits
 * when the connection closes; logpipe is sent SIGTERM once the sender is done and exits after
 * draining, so every line is counted).
 *
 * The sender starts once the receiver is ready: for logpipe, once it logged "pipeline started"
 * (its worker threads have booted). Its inputs listen earlier, while the workers boot, so a
 * sender starting at "listening" would time the boot (1–2 s on a loaded machine) with the
 * throughput; the boot time is printed on its own line instead.
 *
 * udp: datagrams are sent at a fixed rate (half the target, then the target) and as fast as the
 * senders can, from BENCH_UDP_SENDERS (2) processes, into logpipe with BENCH_UDP_WORKERS (2)
 * pipeline workers; the row's events/s are datagrams received per second of sending (the senders'
 * own count, their start-up excluded), and the loss is printed beside it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { peakRssSampler } from './peak-rss.js';
import { join } from 'node:path';
import { jsonAppLog, warmPageCache } from './data.js';
import type { Measurement } from './run.js';
import type { Scenario, ScenarioTools } from './scenarios.js';

interface Server {
  child: ChildProcess;
  port: number;
  /** Resolves at exit with the measurement (seconds from `startClock()`), stdout and stderr. */
  exit: Promise<{ m: Measurement; stdout: string }>;
  startClock(): void;
  /** The last 100 kB it wrote to stderr so far. */
  stderr(): string;
}

/** Starts a receiver and waits until it says which port it listens on. */
export async function startServer(args: string[], portPattern: RegExp): Promise<Server> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  let start = process.hrtime.bigint();
  const peak = peakRssSampler(child.pid);
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-100_000);
      const m = portPattern.exec(stderr);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`receiver exited (${code}): ${stderr.slice(-2000)}`)));
  });
  const exit = new Promise<{ m: Measurement; stdout: string }>((resolve) => child.once('exit', (code) => {
    const peakRssMb = peak.stop();
    resolve({ m: { seconds: Number(process.hrtime.bigint() - start) / 1e9, peakRssMb, code: code ?? -1, stderr }, stdout });
  }));
  return { child, port, exit, startClock: () => (start = process.hrtime.bigint()), stderr: () => stderr };
}

/** Waits until a logpipe receiver's workers have booted; resolves with the ms since it listened. */
export async function pipelineStarted(server: Server): Promise<number> {
  const listening = process.hrtime.bigint();
  while (!/pipeline started/.test(server.stderr())) {
    if (server.child.exitCode !== null) throw new Error(`logpipe exited before its pipeline started: ${server.stderr().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Number(process.hrtime.bigint() - listening) / 1e6;
}

/** The line below a row saying how long logpipe's workers took to boot after it listened. */
export const printBoot = (ms: number): void => console.log(`${''.padEnd(28)} ${''.padEnd(22)} (workers booted ${ms.toFixed(0)} ms after listening; not timed)`);

export async function send(t: ScenarioTools, args: string[]): Promise<{ sent: number; seconds: number }> {
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, [join(t.root, 'dist', 'bench', 'net-sender.js'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  // udp senders say how long they spent sending (their start-up, reading the file, is not counted).
  const [sent, sendingSeconds] = out.trim().split(' ').map(Number);
  return { sent: sent ?? 0, seconds: sendingSeconds ?? Number(process.hrtime.bigint() - start) / 1e9 };
}

const LOGPIPE_PORT = /listening on [^ ]+:(\d+)/;
export const BASELINE_PORT = /listening (\d+)/;
export const eventsOut = (stderr: string): number => Number(/pipeline stopped.*eventsOut=(\d+)/.exec(stderr)?.[1] ?? -1);

/**
 * Two shapes of lines: the access log (~190 bytes a line) with 1 and 2 workers, and JSON
 * application logs (~470 bytes a line, jsonAppLog) with 1 — longer lines fill a payload's bytes
 * before its line count, which is where decoding a payload as one large string had cost most.
 */
export const tcpScenario: Scenario = {
  name: 'tcp',
  async run(t) {
    const shapes = [
      { scenario: 'tcp → null', log: await t.accessLog(t.lines), workers: [1, 2] },
      { scenario: 'tcp → null (JSON lines)', log: await jsonAppLog(t.lines), workers: [1] },
    ];
    for (const { scenario, log, workers } of shapes) {
      const size = statSync(log).size;
      warmPageCache([log]);
      const baseline = await startServer([join(t.root, 'dist', 'bench', 'baselines', 'socket-read.js'), 'tcp'], BASELINE_PORT);
      baseline.startClock();
      await send(t, ['tcp', String(baseline.port), log]);
      const base = await baseline.exit;
      if (Number(base.stdout.trim()) !== t.lines) base.m.code = base.m.code || 97;
      t.printRow({ scenario, variant: 'baseline (raw socket read)', events: t.lines, bytes: size, m: base.m });
      for (const w of workers) {
        const logpipe = await startServer([t.logpipe, 'run', '-w', String(w), '--log.level', 'info', '-e',
          'input { tcp { port => 0 host => "127.0.0.1" dns_reverse_lookup_enabled => false } } output { null {} }'], LOGPIPE_PORT);
        const boot = await pipelineStarted(logpipe);
        logpipe.startClock();
        await send(t, ['tcp', String(logpipe.port), log]);
        logpipe.child.kill('SIGTERM');
        const got = await logpipe.exit;
        if (eventsOut(got.m.stderr) !== t.lines) got.m.code = got.m.code || 97;
        t.printRow({ scenario, variant: `logpipe -w ${w}`, events: t.lines, bytes: size, m: got.m, baseline: base.m });
        printBoot(boot);
      }
    }
  },
};

/** Sender processes for udp (net-sender.ts says why one is not enough); BENCH_UDP_SENDERS overrides. */
const UDP_SENDERS = Number(process.env['BENCH_UDP_SENDERS'] ?? 2);
/** Pipeline workers of the udp receiver; BENCH_UDP_WORKERS overrides. */
const UDP_WORKERS = Number(process.env['BENCH_UDP_WORKERS'] ?? 2);

export const udpScenario: Scenario = {
  name: 'udp',
  async run(t) {
    const count = Math.min(t.lines, 1_000_000);
    const log = await t.accessLog(count);
    const size = statSync(log).size;
    for (const rate of [100_000, 200_000, 0]) {
      const label = rate === 0 ? 'unpaced' : `${rate / 1000}k/s`;
      const baseline = await startServer([join(t.root, 'dist', 'bench', 'baselines', 'socket-read.js'), 'udp'], BASELINE_PORT);
      const b = await send(t, ['udp', String(baseline.port), log, String(rate), String(UDP_SENDERS)]);
      baseline.child.kill('SIGTERM');
      const base = await baseline.exit;
      const baseGot = Number(base.stdout.trim());
      base.m.seconds = b.seconds;
      t.printRow({ scenario: `udp → null ${label}`, variant: 'baseline (raw socket)', events: baseGot, bytes: size * (baseGot / count), m: base.m });
      console.log(`${''.padEnd(28)} ${''.padEnd(22)} received ${baseGot} of ${b.sent} (${((1 - baseGot / b.sent) * 100).toFixed(2)}% lost)`);
      const logpipe = await startServer([t.logpipe, 'run', '-w', String(UDP_WORKERS), '--log.level', 'info', '-e',
        'input { udp { port => 0 host => "127.0.0.1" receive_buffer_bytes => 8388608 queue_size => 20000 } } output { null {} }'], /udp: listening on [^ ]+:(\d+)/);
      await pipelineStarted(logpipe);
      const l = await send(t, ['udp', String(logpipe.port), log, String(rate), String(UDP_SENDERS)]);
      logpipe.child.kill('SIGTERM');
      const got = await logpipe.exit;
      const received = eventsOut(got.m.stderr);
      const dropped = Number(/udp: stopped.*dropped=(\d+)/.exec(got.m.stderr)?.[1] ?? -1);
      got.m.seconds = l.seconds;
      t.printRow({ scenario: `udp → null ${label}`, variant: `logpipe -w ${UDP_WORKERS}`, events: received, bytes: size * (received / count), m: got.m, baseline: base.m });
      console.log(`${''.padEnd(28)} ${''.padEnd(22)} received ${received} of ${l.sent} (${((1 - received / l.sent) * 100).toFixed(2)}% lost; ${dropped} dropped on a full queue, the rest in the kernel)`);
    }
  },
};
