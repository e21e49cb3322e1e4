/**
 * The syslog input on real sockets inside a running pipeline: many concurrent TCP connections
 * mixing octet-counted and newline framing, PROXY v1, oversize and garbage input, a client
 * leaving mid-message; UDP and TCP bursts from the system's own `logger` (util-linux), in both
 * RFCs.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startPipeline } from '../../../helpers/redis.js';
import { exited } from '../../../helpers/processes.js';
import { waitFor } from '../../../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'logpipe-syslog-'));
let files = 0;
const outFile = (): string => join(dir, `out-${files++}.json`);

type Doc = Record<string, unknown> & { message?: string; tags?: string[] };
const docs = (path: string): Doc[] => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Doc) : []);

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  // A failed assertion must not leave a pipeline listening (the test file would never end).
  for (const stop of running.splice(0)) await stop();
});

async function pipelineOn(options: string): Promise<{ port: number; out: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const out = outFile();
  const pipeline = await startPipeline(`input { syslog { host => "127.0.0.1" port => ${port} timezone => "UTC" ${options} } } output { file { path => "${out}" } }`, { batchSize: 50 });
  await waitFor('the TCP listener', () => new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  }));
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= (async () => { pipeline.pipeline.stop(); await pipeline.done; })());
  running.push(stop);
  return { port, out, stop };
}

function tcpSend(port: number, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const s: Socket = connect(port, '127.0.0.1', () => s.end(data));
    s.on('error', reject);
    s.on('close', () => resolve());
  });
}

const octet = (m: string): string => `${Buffer.byteLength(m)} ${m}`;

test('syslog TCP: 20 concurrent connections × 300 messages, octet-counted and LF framing mixed, written once each, none merged or split', async () => {
  const p = await pipelineOn('parse_rfc5424 => true');
  const conns = 20;
  const per = 300;
  await Promise.all(Array.from({ length: conns }, (_, c) => {
    let stream = '';
    for (let i = 0; i < per; i++) {
      const id = c * per + i;
      stream += i % 2 === 0
        ? octet(`<134>1 2026-12-02T04:21:48.${String(i % 1000).padStart(3, '0')}Z host${c} app ${c} - [m@1 id="${id}"] msg id=${id} with\nnewline`)
        : `<30>Dec  2 04:21:48 host${c} daemon[${c + 1}]: msg id=${id}\n`;
    }
    // written in odd-sized pieces so frames straddle reads
    const bytes = Buffer.from(stream);
    return new Promise<void>((resolve, reject) => {
      const s = connect(p.port, '127.0.0.1', async () => {
        for (let at = 0; at < bytes.length; at += 997) s.write(bytes.subarray(at, at + 997));
        s.end();
      });
      s.on('error', reject);
      s.on('close', () => resolve());
    });
  }));
  await waitFor('every message', () => docs(p.out).length >= conns * per, 60_000);
  const all = docs(p.out);
  assert.equal(all.length, conns * per);
  const ids = all.map((d) => Number(/msg id=(\d+)/.exec(d.message!)![1])).sort((a, b) => a - b);
  assert.deepEqual(ids, Array.from({ length: conns * per }, (_, i) => i));
  for (const d of all) {
    assert.equal(d.tags, undefined, JSON.stringify(d));
    assert.equal(d['host'], '127.0.0.1');
    const id = Number(/msg id=(\d+)/.exec(d.message!)![1]);
    if (id % per % 2 === 0) {
      assert.equal(d.message, `msg id=${id} with\nnewline`);
      assert.deepEqual(d['structured_data'], { 'm@1': { id: String(id) } });
      assert.equal(d['priority'], 134);
    } else {
      assert.equal(d['program'], 'daemon');
      assert.equal(d['priority'], 30);
    }
  }
  await p.stop();
});

test('syslog TCP: PROXY v1 header gives the client address; garbage, invalid UTF-8, an oversize line and a client leaving mid-message', async () => {
  const p = await pipelineOn('proxy_protocol => true max_message_size => "1KiB"');
  await tcpSend(p.port, 'PROXY TCP4 198.51.100.22 203.0.113.1 51000 514\r\n<13>Dec  2 04:21:48 h app: via proxy\n');
  await tcpSend(p.port, `PROXY TCP4 10.0.0.1 10.0.0.2 1 2\r\n${'z'.repeat(5 * 1024 * 1024)}\n<13>Dec  2 04:21:48 h app: after big\n`);
  await tcpSend(p.port, Buffer.concat([Buffer.from('PROXY TCP4 10.0.0.3 10.0.0.2 1 2\r\n\x00\x01\x02garbage '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('\n<13>Dec  2 04:21:48 h app: no newline at the end')]));
  await tcpSend(p.port, 'not a proxy header\n<13>Dec  2 04:21:48 h app: must not arrive\n');
  await waitFor('the messages', () => docs(p.out).length >= 5, 20_000);
  const all = docs(p.out);
  const by = (text: string): Doc => all.find((d) => String(d.message).includes(text))!;
  assert.equal(by('via proxy')['host'], '198.51.100.22');
  const big = all.find((d) => d.tags?.includes('_line_truncated'))!;
  assert.equal(big.message!.length, 1024);
  assert.ok(big.tags!.includes('_grokparsefailure_sysloginput'));
  assert.equal(by('after big')['host'], '10.0.0.1');
  assert.ok(by('garbage').tags!.includes('_grokparsefailure_sysloginput'));
  assert.match(by('garbage').message!, /garbage \uFFFD\(\uFFFD$/);
  assert.equal(by('no newline at the end')['program'], 'app');
  assert.equal(all.length, 5);
  assert.equal(all.some((d) => String(d.message).includes('must not arrive')), false);
  await p.stop();
});

test('syslog UDP: datagrams parsed, trailing newline dropped, sender address in host', async () => {
  const p = await pipelineOn('');
  const sock = createSocket('udp4');
  for (let i = 0; i < 50; i++) sock.send(`<165>Dec  2 04:21:48 router kernel: udp ${i}\n`, p.port, '127.0.0.1');
  await waitFor('the datagrams', () => docs(p.out).length >= 50, 20_000);
  sock.close();
  const all = docs(p.out);
  assert.deepEqual(all.map((d) => Number(d.message!.split(' ')[1])).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  assert.ok(all.every((d) => d['host'] === '127.0.0.1' && d['logsource'] === 'router' && d['facility_label'] === 'local4' && d['@timestamp'] === '2026-12-02T04:21:48.000Z'));
  await p.stop();
});

/** Runs `logger` with `args`, feeding one message per stdin line. */
async function logger(args: string[], lines: string[]): Promise<void> {
  const child = spawn('logger', args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin!.end(lines.map((l) => `${l}\n`).join(''));
  const code = await exited(child);
  assert.equal(code, 0, `logger ${args.join(' ')} failed: ${err}`);
}

test('syslog with util-linux logger: RFC 3164 and RFC 5424 over UDP and TCP (LF and octet-counted framing)', async () => {
  const p = await pipelineOn('parse_rfc5424 => true');
  const n = 200;
  const batch = (kind: string): string[] => Array.from({ length: n }, (_, i) => `${kind} message ${i} ünïcödé`);
  const base = ['-n', '127.0.0.1', '-P', String(p.port), '-t', 'lgtest', '--id=4242', '-p', 'local3.warning'];
  await logger([...base, '--rfc3164', '-d'], batch('udp3164'));
  await logger([...base, '--rfc5424', '-d', '--sd-id', 'origin@32473', '--sd-param', 'tag="x"'], batch('udp5424'));
  await logger([...base, '--rfc3164', '-T'], batch('tcp3164'));
  await logger([...base, '--rfc5424', '-T', '--octet-count'], batch('tcp5424'));
  await waitFor('every logger message', () => docs(p.out).length >= 4 * n, 30_000).catch(() => undefined);
  const all = docs(p.out);
  for (const kind of ['udp3164', 'udp5424', 'tcp3164', 'tcp5424']) {
    const mine = all.filter((d) => String(d.message).startsWith(`${kind} `));
    // UDP on loopback: logger sends one datagram per line; the loss model allows drops, none expected at this rate
    assert.equal(mine.length, n, `${kind}: ${mine.length} of ${n}`);
    for (const d of mine) {
      assert.equal(d.tags, undefined, JSON.stringify(d));
      assert.equal(d['priority'], 19 * 8 + 4);
      assert.equal(d['facility_label'], 'local3');
      assert.equal(d['severity_label'], 'Warning');
      assert.equal(d['program'], 'lgtest');
      assert.equal(d['pid'], '4242');
      assert.match(d.message!, /^\w+ message \d+ ünïcödé$/);
      if (kind.endsWith('5424')) {
        assert.equal(d['syslog_version'], 1);
        const sd = d['structured_data'] as Record<string, Record<string, string>>;
        assert.equal(sd['timeQuality']!['tzKnown'], '1');
        if (kind === 'udp5424') assert.equal(sd['origin@32473']!['tag'], 'x');
        assert.match(String(d['@timestamp']), /^20\d\d-\d\d-\d\dT/);
      } else {
        assert.equal(typeof d['logsource'], 'string');
      }
    }
  }
  await p.stop();
});
