/**
 * Beats protocol shipping: generator → logstash output → the minimal receiver
 * (beats-receiver.ts, counts and ACKs without parsing), beside our Lumberjack client alone
 * sending the same documents in the same windows (baselines/lumberjack-send.ts). The receiver
 * runs throughout and is not measured; each sender is timed until everything it sent was ACKed.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Scenario } from './scenarios.js';

interface Totals {
  events: number;
  bytes: number;
}

export const beatsScenario: Scenario = {
  name: 'beats',
  async run(t) {
    const count = t.lines;
    const receiver = spawn(process.execPath, [join(t.root, 'dist', 'bench', 'beats-receiver.js'), '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const port = await new Promise<number>((resolve, reject) => {
      receiver.stderr!.setEncoding('utf8').once('data', (d: string) => {
        const m = /listening (\d+)/.exec(d);
        if (m) resolve(Number(m[1]));
        else reject(new Error(`receiver: ${d}`));
      });
      receiver.once('exit', (code) => reject(new Error(`the receiver exited (${code})`)));
    });
    const reports = createInterface({ input: receiver.stdout! })[Symbol.asyncIterator]();
    const totals = async (): Promise<Totals> => {
      receiver.kill('SIGUSR1');
      return JSON.parse((await reports.next()).value as string) as Totals;
    };
    try {
      await totals();
      const base = await t.measure([join(t.root, 'dist', 'bench', 'baselines', 'lumberjack-send.js'), String(port), String(count)]);
      const baseTotals = await totals();
      if (baseTotals.events !== count) base.code = base.code || 97;
      t.printRow({ scenario: 'generator → beats receiver', variant: 'baseline (client only)', events: count, bytes: baseTotals.bytes, m: base });
      for (const workers of [1, 2]) {
        const config = `input { generator { count => ${count} } } output { logstash { hosts => ["127.0.0.1:${port}"] } }`;
        const m = await t.measure([t.logpipe, 'run', '-e', config, '-w', String(workers), '-b', '2048', '--log.level', 'warn']);
        const got = await totals();
        if (got.events !== count) m.code = m.code || 97;
        t.printRow({ scenario: 'generator → beats receiver', variant: `logpipe -w ${workers} -b 2048`, events: count, bytes: got.bytes, m, baseline: base });
      }
    } finally {
      receiver.kill('SIGTERM');
    }
  },
};
