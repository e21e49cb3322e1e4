/**
 * rsyslog forwarding into the syslog input: a private rsyslogd (own config, pid file and work
 * directory, started and killed by the test) receives a burst over its own TCP input and forwards
 * each message four ways — RFC 5424 (RSYSLOG_SyslogProtocol23Format) over UDP and octet-counted
 * TCP, and the traditional format (RSYSLOG_TraditionalForwardFormat) over UDP and LF-framed TCP.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startPipeline } from '../../../helpers/redis.js';
import { exited } from '../../../helpers/processes.js';
import { waitFor } from '../../../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'logpipe-rsyslog-'));
type Doc = Record<string, unknown> & { message?: string; tags?: string[] };
const docs = (path: string): Doc[] => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Doc) : []);

let rsyslogd: ChildProcess | undefined;
after(async () => {
  if (rsyslogd && rsyslogd.exitCode === null) {
    rsyslogd.kill('SIGKILL');
    await exited(rsyslogd);
  }
});

const canConnect = (port: number): Promise<boolean> => new Promise((resolve) => {
  const s = connect(port, '127.0.0.1', () => {
    s.destroy();
    resolve(true);
  });
  s.on('error', () => resolve(false));
});

test('rsyslog forwarding a burst in both formats over UDP and TCP is parsed (5424 natively, traditional by grok)', async () => {
  const rfc5424Port = await freePort();
  const traditionalPort = await freePort();
  const rsyslogInPort = await freePort();
  const out = join(dir, 'out.json');
  const running = await startPipeline(`
    input {
      syslog { host => "127.0.0.1" port => ${rfc5424Port} timezone => "UTC" parse_rfc5424 => true tags => ["via5424"] }
      syslog { host => "127.0.0.1" port => ${traditionalPort} timezone => "UTC" tags => ["traditional"] }
    }
    output { file { path => "${out}" } }`, { batchSize: 50 });
  try {
    await waitFor('both listeners', async () => (await canConnect(rfc5424Port)) && (await canConnect(traditionalPort)));
    const conf = join(dir, 'rsyslog.conf');
    const forward = (port: number, protocol: string, template: string, framing = ''): string =>
      `action(type="omfwd" target="127.0.0.1" port="${port}" protocol="${protocol}" template="${template}"${framing})`;
    writeFileSync(conf, [
      `global(workDirectory="${dir}")`,
      'module(load="imtcp")',
      `input(type="imtcp" port="${rsyslogInPort}" address="127.0.0.1")`,
      forward(rfc5424Port, 'udp', 'RSYSLOG_SyslogProtocol23Format'),
      forward(rfc5424Port, 'tcp', 'RSYSLOG_SyslogProtocol23Format', ' TCP_Framing="octet-counted"'),
      forward(traditionalPort, 'udp', 'RSYSLOG_TraditionalForwardFormat'),
      forward(traditionalPort, 'tcp', 'RSYSLOG_TraditionalForwardFormat'),
      '',
    ].join('\n'));
    rsyslogd = spawn('rsyslogd', ['-n', '-f', conf, '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    rsyslogd.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitFor('rsyslogd to listen', () => canConnect(rsyslogInPort), 20_000).catch((e: Error) => {
      throw new Error(`${e.message}; rsyslogd said: ${stderr}`);
    });

    // The burst enters rsyslog over TCP (LF framing), as a local application's messages would.
    const n = 300;
    let burst = '';
    for (let i = 0; i < n; i++) burst += `<${16 * 8 + (i % 8)}>Dec  2 04:21:48 srchost burst[${1000 + i}]: message ${i} with "quotes" and ] brackets\n`;
    await new Promise<void>((resolve, reject) => {
      const s = connect(rsyslogInPort, '127.0.0.1', () => s.end(burst));
      s.on('error', reject);
      s.on('close', () => resolve());
    });
    await waitFor('every forwarded message', () => docs(out).length >= 4 * n, 30_000).catch(() => undefined);
    const all = docs(out);
    for (const via of ['via5424', 'traditional']) {
      const mine = all.filter((d) => d.tags?.includes(via));
      const ids = mine.map((d) => Number(/message (\d+) /.exec(String(d.message))?.[1])).sort((a, b) => a - b);
      // each message twice (UDP and TCP); loopback UDP at this rate loses none here
      assert.deepEqual(ids, Array.from({ length: 2 * n }, (_, k) => Math.floor(k / 2)), `${via}: ${mine.length} events`);
      for (const d of mine) {
        const i = Number(/message (\d+) /.exec(String(d.message))![1]);
        assert.deepEqual(d.tags, [via], JSON.stringify(d));
        assert.equal(d['priority'], 16 * 8 + (i % 8));
        assert.equal(d['facility_label'], 'local0');
        assert.equal(d['program'], 'burst');
        assert.equal(d['pid'], String(1000 + i));
        assert.equal(d['logsource'], 'srchost');
        // rsyslog's %msg% keeps the space after "burst[pid]:"; RFC 5424 MSG is taken verbatim
        assert.equal(d.message, `${via === 'via5424' ? ' ' : ''}message ${i} with "quotes" and ] brackets`);
        if (via === 'via5424') assert.equal(d['syslog_version'], 1);
        assert.match(String(d['@timestamp']), /^\d{4}-12-02T04:21:48\.000Z$/);
      }
    }
  } finally {
    running.pipeline.stop();
    await running.done;
  }
});
