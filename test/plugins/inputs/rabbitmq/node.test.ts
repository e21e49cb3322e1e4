/**
 * On a private RabbitMQ node (test/helpers/rabbitmq-node.ts) with a TLS listener whose
 * certificate the test made with openssl: the rabbitmq output and input round-trip over TLS with
 * ssl_certificate_authorities, a certificate the given CA did not sign is refused; and the node
 * killed (kill -9) mid-stream, then started again: every message not yet acknowledged is
 * redelivered from the durable queue, none lost.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqplib, { type ChannelModel } from 'amqplib';
import { createLogger } from '../../../../src/core/logger.js';
import { OutputError } from '../../../../src/plugins/api.js';
import { builtinRegistry } from '../../../../src/plugins/builtins.js';
import { rabbitmqOutput } from '../../../../src/plugins/outputs/rabbitmq/index.js';
import { Pipeline } from '../../../../src/pipeline/pipeline.js';
import { defaultSettings } from '../../../../src/pipeline/settings.js';
import { makeOutput } from '../../../helpers/harness.js';
import { PrivateRabbitNode } from '../../../helpers/rabbitmq-node.js';
import { waitFor } from '../../../helpers/wait.js';
import { makeCertificates } from '../../../helpers/certificates.js';

const dir = mkdtempSync(join(tmpdir(), 'logpipe-rabbit-tls-'));
const file = (name: string): string => join(dir, name);
let node: PrivateRabbitNode;


before(async () => {
  makeCertificates(file);
  node = await PrivateRabbitNode.start({ cert: file('server.crt'), key: file('server.key'), ca: file('ca.crt') });
});

after(async () => {
  await node?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const lines = (path: string): Record<string, unknown>[] =>
  existsSync(path) ? readFileSync(path, 'utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>) : [];

function pipeline(text: string): Pipeline {
  return new Pipeline([{ name: 'test.conf', text }], { ...defaultSettings(), workers: 1, batchSize: 50, batchDelayMs: 5, shutdownTimeoutMs: 10_000 }, createLogger('fatal'), builtinRegistry());
}

async function admin(): Promise<ChannelModel> {
  const model = await amqplib.connect({ hostname: '127.0.0.1', port: node.port, username: 'guest', password: 'guest' });
  model.on('error', () => {}); // the node is killed under it
  return model;
}

test('TLS: output → exchange → input round trip with ssl_certificate_authorities; every event once', async () => {
  const tls = `host => "127.0.0.1:${node.tlsPort}" ssl => true ssl_certificate_authorities => ["${file('ca.crt')}"]`;
  const out = join(dir, 'tls.json');
  const consumer = pipeline(`input { rabbitmq { ${tls} queue => "lp_tls" durable => true exchange => "lp_tls_x" exchange_type => "direct" key => "k" } }
    output { file { path => "${out}" } }`);
  await consumer.start();
  const consumed = consumer.run();
  try {
    // The input declared and bound its queue once it is consuming; then nothing published is unroutable.
    const model = await admin();
    await waitFor('the input consuming', async () => {
      const ch = await model.createChannel();
      try {
        return (await ch.checkQueue('lp_tls')).consumerCount === 1;
      } catch {
        return false;
      } finally {
        await ch.close().catch(() => {});
      }
    });
    await model.close();
    const producer = pipeline(`input { generator { count => 500 } } output { rabbitmq { ${tls} exchange => "lp_tls_x" exchange_type => "direct" durable => true key => "k" } }`);
    await producer.start();
    assert.equal(await producer.run(), 'drained');
    await waitFor('500 events over TLS', () => lines(out).length >= 500);
  } finally {
    await consumer.stop();
  }
  assert.equal(await consumed, 'drained');
  const got = lines(out).map((e) => e['sequence']);
  assert.equal(got.length, 500);
  assert.deepEqual(new Set(got), new Set(Array.from({ length: 500 }, (_, i) => i)));
});

test('TLS: a broker certificate the given CA did not sign is refused; ssl_verification_mode => none accepts it', async () => {
  const base = { host: [`127.0.0.1:${node.tlsPort}`], ssl: true, exchange: 'lp_tls_v', exchange_type: 'fanout', connect_retry_interval: 0.1 };
  const refused = await makeOutput(rabbitmqOutput, { ...base, ssl_certificate_authorities: [file('other.crt')] });
  await assert.rejects(refused.sink.write(refused.encode([{ a: 1 }])), (err: unknown) => err instanceof OutputError && err.failure === 'retryable' && /certificate/i.test(err.message));
  await refused.sink.close?.();
  const unchecked = await makeOutput(rabbitmqOutput, { ...base, ssl_verification_mode: 'none' });
  assert.equal(await unchecked.sink.write(unchecked.encode([{ a: 1 }])), undefined);
  await unchecked.sink.close?.();
});

test('the node killed (kill -9) mid-stream and started again: unacknowledged messages are redelivered, none lost', { timeout: 120_000 }, async (t) => {
  const total = 2000;
  const queue = 'lp_crash';
  let model = await admin();
  const ch = await model.createConfirmChannel();
  await ch.assertQueue(queue, { durable: true });
  for (let id = 0; id < total; id++) ch.sendToQueue(queue, Buffer.from(JSON.stringify({ id })), { persistent: true });
  await ch.waitForConfirms();
  await model.close();

  const out = join(dir, 'crash.json');
  // About 1 ms per event, so the kill comes with messages delivered and not yet acknowledged.
  const p = pipeline(`input { rabbitmq { host => "127.0.0.1:${node.port}" queue => "${queue}" durable => true prefetch_count => 200 connect_retry_interval => 0.2 } }
    filter {
      js { code => "const t = Date.now(); while (Date.now() - t < 1) {}" }
      mutate { copy => { "[@metadata][rabbitmq_properties][redelivered]" => "redelivered" } }
    }
    output { file { path => "${out}" } }`);
  await p.start();
  const run = p.run();
  try {
    await waitFor('300 events written', () => lines(out).length >= 300);
    await node.stop('SIGKILL');
    const atKill = new Set(lines(out).map((e) => e['id']));
    assert.ok(atKill.size < total, 'the kill must come mid-stream');
    const restart = Date.now();
    await node.start();
    t.diagnostic(`node restarted in ${Date.now() - restart} ms`);
    await waitFor(`all ${total} ids`, () => new Set(lines(out).map((e) => e['id'])).size === total, 60_000);
    t.diagnostic(`all ids ${Date.now() - restart} ms after the restart began`);
  } finally {
    await p.stop();
  }
  assert.equal(await run, 'drained');
  const events = lines(out);
  const ids = new Set(events.map((e) => e['id']));
  for (let id = 0; id < total; id++) assert.ok(ids.has(id), `id ${id} lost`);
  assert.ok(events.some((e) => e['redelivered'] === true), 'messages unacknowledged at the kill came back marked redelivered');
  model = await admin();
  const check = await model.createChannel();
  const left = await check.checkQueue(queue);
  await model.close();
  assert.equal(left.messageCount, 0, 'everything was acknowledged in the end');
});
