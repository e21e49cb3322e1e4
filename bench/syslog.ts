/**
 * syslog (TCP) → null: the syslog input parsing RFC 3164 lines (grok + date, as Logstash) and RFC
 * 5424 lines (parse_rfc5424), beside a raw Node socket server reading the same bytes in the same
 * run (baselines/socket-read.ts). Lines are the access log wrapped in a syslog header.
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import type { Scenario } from './scenarios.js';
import { BASELINE_PORT, eventsOut, send, startServer } from './net.js';

/** Writes the access log as syslog lines, RFC 3164 or RFC 5424; returns the path. */
async function syslogFile(source: string, rfc: '3164' | '5424'): Promise<string> {
  const path = `${source}.rfc${rfc}`;
  const out = createWriteStream(path);
  let i = 0;
  for await (const line of createInterface({ input: createReadStream(source) })) {
    const pri = 128 + (i % 64);
    out.write(rfc === '3164'
      ? `<${pri}>Dec  2 04:21:${String(i % 60).padStart(2, '0')} web${i % 10} nginx[${1000 + (i % 500)}]: ${line}\n`
      : `<${pri}>1 2026-12-02T04:21:${String(i % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}Z web${i % 10} nginx ${1000 + (i % 500)} ACCESS [req@1 n="${i}"] ${line}\n`);
    i++;
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return path;
}

export const syslogScenario: Scenario = {
  name: 'syslog',
  async run(t) {
    const access = await t.accessLog(t.lines);
    for (const rfc of ['3164', '5424'] as const) {
      const log = await syslogFile(access, rfc);
      const size = statSync(log).size;
      const title = `syslog ${rfc} tcp → null`;
      const baseline = await startServer([join(t.root, 'dist', 'bench', 'baselines', 'socket-read.js'), 'tcp'], BASELINE_PORT);
      baseline.startClock();
      await send(t, ['tcp', String(baseline.port), log]);
      const base = await baseline.exit;
      if (Number(base.stdout.trim()) !== t.lines) base.m.code = base.m.code || 97;
      t.printRow({ scenario: title, variant: 'baseline (raw socket read)', events: t.lines, bytes: size, m: base.m });
      for (const workers of [1, 2]) {
        const logpipe = await startServer([t.logpipe, 'run', '-w', String(workers), '--log.level', 'info', '-e',
          `input { syslog { port => 0 host => "127.0.0.1" timezone => "UTC" ${rfc === '5424' ? 'parse_rfc5424 => true' : ''} } } output { null {} }`],
        /syslog: listening on tcp [^ ]+:(\d+)/);
        logpipe.startClock();
        await send(t, ['tcp', String(logpipe.port), log]);
        logpipe.child.kill('SIGTERM');
        const got = await logpipe.exit;
        if (eventsOut(got.m.stderr) !== t.lines) got.m.code = got.m.code || 97;
        t.printRow({ scenario: title, variant: `logpipe -w ${workers}`, events: t.lines, bytes: size, m: got.m, baseline: base.m });
      }
    }
  },
};
