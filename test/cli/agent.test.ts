/**
 * `logpipe agent` as a process: --check, --strict, and end to end from real files to output.file,
 * the machine's Redis (127.0.0.1:6379; fails, not skips, without it) and a `logpipe run`
 * pipeline with a beats input.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { client, freePort, keyPrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'logpipe.js');
const tmp = () => mkdtempSync(join(tmpdir(), 'logpipe-agent-'));
const { prefix, cleanup } = keyPrefix('agent');
const redis = client();
const children: ChildProcess[] = [];
after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await cleanup();
  redis.disconnect();
});

function logpipe(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });
}

function start(args: string[]): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exited };
}

const lines = (path: string): Record<string, unknown>[] =>
  existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>) : [];

test('agent --check: exit 0 on a valid file; every error with file:line:column and exit 1 on a bad one', () => {
  const dir = tmp();
  const good = join(dir, 'good.yml');
  writeFileSync(good, 'filebeat.inputs:\n  - type: log\n    paths: [/tmp/x.log]\n    scan_frequncy: 1s\noutput.console: {}\n');
  const ok = logpipe(['agent', '--check', '-c', good]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /Configuration OK/);
  assert.match(ok.stderr, new RegExp(`${good}:4:5: unknown setting "filebeat.inputs\\[0\\].scan_frequncy"; did you mean "scan_frequency"`));

  const strict = logpipe(['agent', '--check', '--strict', '-c', good]);
  assert.equal(strict.status, 1);
  assert.match(strict.stderr, new RegExp(`${good}:4:5: unknown setting`));

  const bad = join(dir, 'bad.yml');
  writeFileSync(bad, 'filebeat.inputs:\n  - type: log\n    paths: [/tmp/x.log]\n    close_inactive: soon\noutput.kafka: {hosts: [k]}\n');
  const r = logpipe(['agent', '--check', '-c', bad]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`${bad}:4:\\d+: .*close_inactive`));
  assert.match(r.stderr, new RegExp(`${bad}:5:1: output.kafka`));
});

test('agent --check: file identity errors (fingerprint without the scanner fingerprint, a missing inode marker) with file:line:column', () => {
  const dir = tmp();
  const check = (input: string) => {
    const yml = join(dir, 'identity.yml');
    writeFileSync(yml, `filebeat.inputs:\n${input}output.console: {}\n`);
    return { yml, r: logpipe(['agent', '--check', '-c', yml]) };
  };
  const fp = check(`  - type: filestream\n    id: x\n    paths: [${dir}/*.log]\n    file_identity.fingerprint: ~\n`);
  assert.equal(fp.r.status, 1);
  assert.match(fp.r.stderr, new RegExp(`${fp.yml}:2:5: filestream: file_identity fingerprint needs prospector\\.scanner\\.fingerprint\\.enabled: true`));
  const marker = check(`  - type: log\n    paths: [${dir}/*.log]\n    file_identity.inode_marker.path: ${dir}/none\n`);
  assert.equal(marker.r.status, 1);
  assert.match(marker.r.stderr, /cannot read the marker file .*none/);
  const ok = check(`  - type: filestream\n    id: x\n    paths: [${dir}/*.log]\n    file_identity.fingerprint: ~\n    prospector.scanner.fingerprint.enabled: true\n`);
  assert.equal(ok.r.status, 0, ok.r.stderr);
});

test('agent: two log files to output.file and Redis (list, key from a field); per-input processors see only their input; SIGTERM drains and exits 0', async () => {
  const dir = tmp();
  const a = join(dir, 'a.log');
  const b = join(dir, 'b.log');
  writeFileSync(a, 'a0\na1\nDEBUG a2\n');
  writeFileSync(b, 'b0\nb1\n');
  const out = join(dir, 'out');
  const yml = join(dir, 'filebeat.yml');
  writeFileSync(yml, `
filebeat.inputs:
  - type: log
    paths: [${a}]
    fields: {log_group: ${prefix}group-a, kafka_key: ka}
    fields_under_root: true
    processors:
      - add_fields: {target: '', fields: {who: input-a}}
  - type: log
    paths: [${b}]
    fields: {log_group: ${prefix}group-b}
    fields_under_root: true
processors:
  - drop_event.when.regexp.message: '^DEBUG'
queue.mem.flush.timeout: 50ms
# The restart below reads on in the same file (Filebeat's default rotates it at start).
output.file: {path: ${out}, filename: events, rotate_on_startup: false}
output.redis:
  hosts: ["127.0.0.1:6379"]
  key: '%{[log_group]}'
  datatype: list
`);
  const agent = start(['agent', '-c', yml, '--path.data', join(dir, 'data'), '--log.level', 'warn']);
  const file = join(out, 'events');
  await waitFor('4 events in the file', () => lines(file).length >= 4);
  await waitFor('2 events in each list', async () => (await redis.llen(`${prefix}group-a`)) === 2 && (await redis.llen(`${prefix}group-b`)) === 2);
  appendFileSync(b, 'b2\n');
  await waitFor('the appended line', () => lines(file).length >= 5);
  agent.child.kill('SIGTERM');
  assert.equal(await agent.exited, 0, agent.stderr());

  const events = lines(file);
  assert.deepEqual(events.map((e) => e['message']).sort(), ['a0', 'a1', 'b0', 'b1', 'b2']);
  for (const e of events) {
    const fromA = String(e['message']).startsWith('a');
    assert.equal(e['who'], fromA ? 'input-a' : undefined, `only input a's events get its processor: ${JSON.stringify(e)}`);
    assert.equal(e['log_group'], `${prefix}group-${fromA ? 'a' : 'b'}`);
    assert.deepEqual(e['@metadata'], { beat: 'filebeat', type: '_doc', version: (JSON.parse(readFileSync(join(dirname(BIN), '..', 'package.json'), 'utf8')) as { version: string }).version });
    assert.equal((e['log'] as { file: { path: string } }).file.path, fromA ? a : b);
  }
  const listA = (await redis.lrange(`${prefix}group-a`, 0, -1)).map((v) => JSON.parse(v) as Record<string, unknown>);
  assert.deepEqual(listA.map((e) => e['message']), ['a0', 'a1']);
  assert.equal(listA[0]!['kafka_key'], 'ka');
  const listB = (await redis.lrange(`${prefix}group-b`, 0, -1)).map((v) => JSON.parse(v) as Record<string, unknown>);
  assert.deepEqual(listB.map((e) => e['message']), ['b0', 'b1', 'b2']);

  // Restarted on the same path.data: nothing is shipped again.
  const again = start(['agent', '-c', yml, '--path.data', join(dir, 'data'), '--log.level', 'warn']);
  appendFileSync(a, 'a3\n');
  await waitFor('the line written while stopped... and after', () => lines(file).length >= 6);
  again.child.kill('SIGTERM');
  assert.equal(await again.exited, 0, again.stderr());
  assert.deepEqual(lines(file).map((e) => e['message']).sort(), ['a0', 'a1', 'a3', 'b0', 'b1', 'b2']);
});

test('agent → logstash output → `logpipe run` with a beats input: the seed fields (kafka_key, log_group, type) arrive at the root', async () => {
  const dir = tmp();
  const log = join(dir, 'game.log');
  writeFileSync(log, '"20190420","wifi","3600","223.5.5.5"\n"20190420","4g","120","61.135.169.121"\n');
  const port = await freePort();
  const received = join(dir, 'received.json');
  const pipeline = start(['run', '-e', `input { beats { port => ${port} host => "127.0.0.1" } } output { file { path => "${received}" codec => json_lines } }`,
    '--path.data', join(dir, 'pipeline-data'), '--log.level', 'warn']);
  const yml = join(dir, 'filebeat.yml');
  writeFileSync(yml, `
filebeat.idle_timeout: 100ms
filebeat.prospectors:
  - input_type: log
    paths: [${log}]
    fields:
        kafka_key: foo_bar_kafka_key
        log_group: foo_bar_group
        type: foo_bar_type
    fields_under_root: true
output:
  logstash:
    hosts: ["127.0.0.1:${port}"]
`);
  const agent = start(['agent', '-c', yml, '--path.data', join(dir, 'agent-data'), '--log.level', 'warn']);
  await waitFor('2 events at the pipeline', () => lines(received).length >= 2, 30_000);
  agent.child.kill('SIGTERM');
  assert.equal(await agent.exited, 0, agent.stderr());
  pipeline.child.kill('SIGTERM');
  assert.equal(await pipeline.exited, 0, pipeline.stderr());
  const events = lines(received);
  assert.deepEqual(events.map((e) => e['message']).sort(), ['"20190420","4g","120","61.135.169.121"', '"20190420","wifi","3600","223.5.5.5"']);
  for (const e of events) {
    assert.equal(e['kafka_key'], 'foo_bar_kafka_key');
    assert.equal(e['log_group'], 'foo_bar_group');
    assert.equal(e['type'], 'foo_bar_type');
    assert.equal(e['source'], log, 'the 5.x layout names the file in source');
  }
});

test('agent --import-registry: a file Filebeat 5.x/6.x had read up to an offset resumes there (nothing re-shipped, nothing skipped)', async () => {
  const dir = tmp();
  const log = join(dir, 'app.log');
  writeFileSync(log, 'old1\nold2\nnew1\n');
  const st = statSync(log);
  const registry = join(dir, 'filebeat-registry');
  writeFileSync(registry, JSON.stringify([{ source: log, offset: 10, timestamp: '2017-08-01T10:00:00.000000000+08:00', ttl: -1, type: 'log', FileStateOS: { inode: st.ino, device: st.dev } }]));
  const out = join(dir, 'out');
  const yml = join(dir, 'filebeat.yml');
  writeFileSync(yml, `filebeat.prospectors:\n  - input_type: log\n    paths: [${log}]\nfilebeat.idle_timeout: 50ms\noutput.file: {path: ${out}, filename: events}\n`);
  const agent = start(['agent', '-c', yml, '--path.data', join(dir, 'data'), '--import-registry', registry, '--log.level', 'info']);
  const file = join(out, 'events');
  await waitFor('the new line', () => lines(file).length >= 1);
  appendFileSync(log, 'new2\n');
  await waitFor('the appended line', () => lines(file).length >= 2);
  agent.child.kill('SIGTERM');
  assert.equal(await agent.exited, 0, agent.stderr());
  assert.deepEqual(lines(file).map((e) => e['message']), ['new1', 'new2']);
  assert.match(agent.stderr(), /took over 1 file/);
});

test('SIGTERM waits for outstanding acknowledgements (no deadline by default); filebeat.shutdown_timeout sets one', async () => {
  const dir = tmp();
  const log = join(dir, 'app.log');
  writeFileSync(log, 'waiting-1\nwaiting-2\n');
  const port = await freePort();
  const config = (extra: string) => `filebeat.inputs:\n  - type: log\n    paths: [${log}]\nqueue.mem.flush.timeout: 50ms\n${extra}` +
    `output.logstash:\n  hosts: ["127.0.0.1:${port}"]\n  backoff.init: 100ms\n  backoff.max: 200ms\n`;

  // With a limit: nobody listens, the agent gives up after it and exits 1 (the lines stay unacknowledged).
  const limited = join(dir, 'limited.yml');
  writeFileSync(limited, config('filebeat.shutdown_timeout: 500ms\n'));
  const a = start(['agent', '-c', limited, '--path.data', join(dir, 'limited-data'), '--log.level', 'warn']);
  await waitFor('a failed delivery attempt', () => /ECONNREFUSED/.test(a.stderr()));
  a.child.kill('SIGTERM');
  assert.equal(await a.exited, 1, a.stderr());

  // Default: still waiting long after the signal; once a receiver appears, it delivers and exits 0.
  const yml = join(dir, 'filebeat.yml');
  writeFileSync(yml, config(''));
  const agent = start(['agent', '-c', yml, '--path.data', join(dir, 'data'), '--log.level', 'warn']);
  await waitFor('a failed delivery attempt', () => /ECONNREFUSED/.test(agent.stderr()));
  agent.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(agent.child.exitCode, null, 'the agent still waits for its acknowledgements');
  const received = join(dir, 'received.json');
  const pipeline = start(['run', '-e', `input { beats { port => ${port} host => "127.0.0.1" } } output { file { path => "${received}" codec => json_lines } }`,
    '--path.data', join(dir, 'pipeline-data'), '--log.level', 'warn']);
  assert.equal(await agent.exited, 0, agent.stderr());
  pipeline.child.kill('SIGTERM');
  assert.equal(await pipeline.exited, 0, pipeline.stderr());
  assert.deepEqual(lines(received).map((e) => e['message']).sort(), ['waiting-1', 'waiting-2']);
});

/** A Beats receiver that ACKs every window and records how many events each carried, and the documents. */
async function windowSizes(port: number): Promise<{ sizes: number[]; documents: Record<string, unknown>[]; close: () => Promise<void> }> {
  const { createServer } = await import('node:net');
  const { FrameParser, encodeAck } = await import('../../src/protocols/lumberjack/frames.js');
  const sizes: number[] = [];
  const documents: Record<string, unknown>[] = [];
  const server = createServer((socket) => {
    const parser = new FrameParser({ maxFrameBytes: 64 * 1024 * 1024, accept: 'client-frames' });
    let expected = 0;
    let received = 0;
    socket.on('data', (chunk: Buffer) => parser.push(chunk, (frame) => {
      if (frame.type === 'window') {
        expected = frame.count;
        received = 0;
      } else if (frame.type === 'json') {
        documents.push(JSON.parse(Buffer.from(frame.payload).toString('utf8')) as Record<string, unknown>);
        if (++received === expected) {
          sizes.push(expected);
          socket.write(encodeAck(frame.seq));
        }
      }
    }));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { sizes, documents, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('agent batches: 1024 events when the path is fused, 256 on the per-event path, queue.mem.flush.min_events for both', async () => {
  const dir = tmp();
  const log = join(dir, 'app.log');
  writeFileSync(log, Array.from({ length: 3000 }, (_, i) => `line ${i}\n`).join(''));
  const cases = [
    { name: 'fused (no processors)', extra: '', largest: 1024, straight: true },
    { name: 'per-event (a processor)', extra: '    processors:\n      - add_tags: { tags: [web] }\n', largest: 256, straight: false },
    { name: 'fused, flush.min_events 300', extra: 'queue.mem.flush.min_events: 300\n', largest: 300, straight: true },
  ];
  for (const c of cases) {
    const port = await freePort();
    const receiver = await windowSizes(port);
    const yml = join(dir, `${c.largest}.yml`);
    // A second of batch delay: the file is read long before it passes, so every batch is full.
    writeFileSync(yml, `filebeat.inputs:\n  - type: log\n    paths: [${log}]\n${c.extra}queue.mem.flush.timeout: 1s\n` +
      `output.logstash:\n  hosts: ["127.0.0.1:${port}"]\n`);
    const agent = start(['agent', '-c', yml, '--path.data', join(dir, `data-${c.largest}`), '--log.level', 'info']);
    try {
      await waitFor(`${c.name}: 3000 events received`, () => receiver.sizes.reduce((a, b) => a + b, 0) >= 3000);
      assert.equal(Math.max(...receiver.sizes), c.largest, `${c.name}: windows ${receiver.sizes.join(',')}`);
      assert.equal(/shipping straight/.test(agent.stderr()), c.straight, `${c.name}: which path`);
    } finally {
      agent.child.kill('SIGTERM');
      await agent.exited;
      await receiver.close();
    }
  }
});

test('agent: two inputs with their own fields and tags ship straight, each line once with its input\'s fields', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'web.log'), Array.from({ length: 500 }, (_, i) => `web ${i} "GET /a\\b"\n`).join(''));
  writeFileSync(join(dir, 'jobs.txt'), Array.from({ length: 300 }, (_, i) => `job ${i} <done>\n`).join(''));
  const port = await freePort();
  const receiver = await windowSizes(port);
  const yml = join(dir, 'filebeat.yml');
  writeFileSync(yml, `filebeat.inputs:\n  - type: log\n    paths: [${join(dir, '*.log')}]\n    fields: {app: web}\n    tags: [front]\n` +
    `  - type: filestream\n    id: jobs\n    paths: [${join(dir, '*.txt')}]\n    fields_under_root: true\n    fields: {app: jobs, team: {name: ops}}\n` +
    `output.logstash:\n  hosts: ["127.0.0.1:${port}"]\n`);
  const agent = start(['agent', '-c', yml, '--path.data', join(dir, 'data'), '--log.level', 'info']);
  try {
    await waitFor('800 events received', () => receiver.documents.length >= 800);
    assert.match(agent.stderr(), /shipping straight/);
    const web = receiver.documents.filter((d) => String(d['message']).startsWith('web '));
    const jobs = receiver.documents.filter((d) => String(d['message']).startsWith('job '));
    assert.deepEqual(web.map((d) => d['message']), Array.from({ length: 500 }, (_, i) => `web ${i} "GET /a\\b"`), 'every web line once, in order');
    assert.deepEqual(jobs.map((d) => d['message']), Array.from({ length: 300 }, (_, i) => `job ${i} <done>`), 'every job line once, in order');
    for (const d of web) {
      assert.deepEqual(d['fields'], { app: 'web' });
      assert.deepEqual(d['tags'], ['front']);
      assert.deepEqual(d['input'], { type: 'log' });
    }
    for (const d of jobs) {
      assert.equal(d['app'], 'jobs');
      assert.deepEqual(d['team'], { name: 'ops' });
      assert.equal(d['tags'], undefined);
      assert.deepEqual(d['input'], { type: 'filestream' });
    }
  } finally {
    agent.child.kill('SIGTERM');
    await agent.exited;
    await receiver.close();
  }
});
