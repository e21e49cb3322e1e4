/**
 * RabbitMQ round trip: `logpipe run` (stdin → rabbitmq output) publishes the access log to a
 * queue while a second `logpipe run` (rabbitmq input → null) consumes it; timed from the start of
 * both to the consumer's exit once it drained the queue. Beside it, the raw client doing the same
 * publishes and consumes in one process (baselines/amqp-round-trip.ts). Needs the local RabbitMQ.
 *
 *   BENCH_RABBITMQ_EVENTS=200000 (default) — messages per run
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqplib from 'amqplib';
import type { Measurement } from './run.js';
import type { Scenario } from './scenarios.js';
import { peakRssSampler } from './peak-rss.js';

const PREFETCH = 1000;

/** A child process with its peak RSS sampled until it exits. */
function start(args: string[], stdinFile?: string): { child: ChildProcess; done: Promise<Measurement> } {
  const stdinFd = stdinFile ? openSync(stdinFile, 'r') : 'ignore';
  const begin = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { stdio: [stdinFd, 'ignore', 'pipe'] });
  let stderr = '';
  const peak = peakRssSampler(child.pid);
  child.stderr!.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-20_000)));
  const done = new Promise<Measurement>((resolve) => child.on('exit', (code) => {
    const peakRssMb = peak.stop();
    if (typeof stdinFd === 'number') closeSync(stdinFd);
    resolve({ seconds: Number(process.hrtime.bigint() - begin) / 1e9, peakRssMb, code: code ?? -1, stderr });
  }));
  return { child, done };
}

export const rabbitmqScenario: Scenario = {
  name: 'rabbitmq',
  async run(t) {
    const events = Number(process.env['BENCH_RABBITMQ_EVENTS'] ?? 200_000);
    const source = readFileSync(await t.accessLog(t.lines), 'utf8').split('\n').slice(0, events).join('\n') + '\n';
    const dir = mkdtempSync(join(tmpdir(), 'logpipe-bench-rabbitmq-'));
    const log = join(dir, 'access.log');
    writeFileSync(log, source);
    const bytes = Buffer.byteLength(source);
    const admin = await amqplib.connect({ hostname: '127.0.0.1' });
    const channel = await admin.createChannel();
    try {
      const baselineQueue = `logpipe_bench_baseline_${process.pid}`;
      const baseline = await start([join(t.root, 'dist', 'bench', 'baselines', 'amqp-round-trip.js'), baselineQueue], log).done;
      t.printRow({ scenario: 'rabbitmq round trip', variant: 'baseline (amqplib)', events, bytes, m: baseline });

      const queue = `logpipe_bench_${process.pid}`;
      await channel.assertQueue(queue, { durable: false });
      const consumer = start([t.logpipe, 'run', '--log.level', 'warn', '--path.data', join(dir, 'consumer'), '-w', '1', '-e',
        `input { rabbitmq { host => "127.0.0.1" queue => "${queue}" prefetch_count => ${PREFETCH} } } output { null {} }`]);
      const producer = start([t.logpipe, 'run', '--log.level', 'warn', '--path.data', join(dir, 'producer'), '-w', '1', '-e',
        `input { stdin {} } output { rabbitmq { host => "127.0.0.1" exchange => "" exchange_type => "direct" key => "${queue}" } }`], log);
      const produced = await producer.done;
      // Drained: nothing ready, and nothing the consumer holds unacknowledged once it exits.
      while ((await channel.checkQueue(queue)).messageCount > 0) await new Promise((r) => setTimeout(r, 20));
      consumer.child.kill('SIGTERM');
      const consumed = await consumer.done;
      const left = (await channel.checkQueue(queue)).messageCount;
      if (left > 0 || produced.code !== 0) consumed.code = consumed.code || 99;
      const m: Measurement = { ...consumed, peakRssMb: Math.max(consumed.peakRssMb, produced.peakRssMb), stderr: produced.stderr + consumed.stderr };
      t.printRow({ scenario: 'rabbitmq round trip', variant: 'logpipe -w 1 (2 procs)', events, bytes, m, baseline });
      await channel.deleteQueue(queue);
    } finally {
      await admin.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
