/**
 * The seed's Filebeat file (examples/seed/filebeat.yml), as shipped, with only its addresses
 * changed for the test through its environment switches (a free port for the beats input, a
 * unique Redis key prefix), the log path pointed at the shipped log, and a shorter
 * idle_timeout (the test need not wait 5 s for a batch to fill): the agent
 * ships the seed log to a `logpipe run` pipeline over the Beats protocol and to the machine's
 * Redis (db 7, a list per log_group), and both receive every line with the seed's fields at the root.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { freePort, keyPrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = join(ROOT, 'bin', 'logpipe.js');
const SEED_LOG = join(ROOT, 'examples', 'seed', 'logs', 'game-events.log');
const { prefix } = keyPrefix('seed-agent');
const db7 = new Redis({ host: '127.0.0.1', port: 6379, db: 7, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
const children: ChildProcess[] = [];
after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await db7.del(`${prefix}foo_bar_group`).catch(() => 0);
  db7.disconnect();
});

function start(args: string[], env: Record<string, string> = {}): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return { child, stderr: () => err, exited: new Promise((resolve) => child.on('exit', resolve)) };
}

test('examples/seed/filebeat.yml ships the seed log to a logpipe pipeline (beats) and to Redis, the seed fields at the root', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-seed-agent-'));
  const port = await freePort();
  const seed = readFileSync(join(ROOT, 'examples', 'seed', 'filebeat.yml'), 'utf8');
  const yml = join(dir, 'filebeat.yml');
  const adapted = seed
    .replace('${path.config}/logs/game-events.log', SEED_LOG)
    .replace('filebeat.idle_timeout: 5s', 'filebeat.idle_timeout: 200ms');
  assert.notEqual(adapted, seed);
  writeFileSync(yml, adapted);
  const received = join(dir, 'received.json');
  const pipeline = start(['run', '-e', `input { beats { port => ${port} host => "127.0.0.1" } } output { file { path => "${received}" codec => json_lines } }`,
    '--path.data', join(dir, 'pipeline-data'), '--log.level', 'warn']);
  const agent = start(['agent', '-c', yml, '--path.data', join(dir, 'agent-data'), '--log.level', 'warn'],
    { SEED_BEATS_HOST: `127.0.0.1:${port}`, SEED_KEY_PREFIX: prefix });
  const expected = readFileSync(SEED_LOG, 'utf8').split('\n').filter((l) => l !== '').sort();
  const events = (): Record<string, unknown>[] => existsSync(received)
    ? readFileSync(received, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) : [];
  await waitFor('every seed line at the pipeline', () => events().length >= expected.length, 30_000);
  await waitFor('every seed line in Redis', async () => (await db7.llen(`${prefix}foo_bar_group`)) >= expected.length, 30_000);
  agent.child.kill('SIGTERM');
  assert.equal(await agent.exited, 0, agent.stderr());
  pipeline.child.kill('SIGTERM');
  assert.equal(await pipeline.exited, 0, pipeline.stderr());

  const fromRedis = (await db7.lrange(`${prefix}foo_bar_group`, 0, -1)).map((v) => JSON.parse(v) as Record<string, unknown>);
  for (const [where, list] of [['pipeline', events()], ['redis', fromRedis]] as const) {
    assert.deepEqual(list.map((e) => e['message']).sort(), expected, where);
    for (const e of list) {
      assert.equal(e['kafka_key'], 'foo_bar_kafka_key', where);
      assert.equal(e['log_group'], 'foo_bar_group', where);
      assert.equal(e['type'], 'foo_bar_type', where);
      assert.equal(e['source'], SEED_LOG, where);
    }
  }
  assert.deepEqual(fromRedis[0]!['@metadata'], { beat: 'filebeat', type: 'doc', version: (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version });
  // The seed's Logstash-style redis keys were reported.
  assert.match(agent.stderr(), /output\.redis\.batch_count/);
});
