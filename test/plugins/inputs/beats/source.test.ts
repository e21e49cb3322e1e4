/**
 * The beats input inside a running pipeline: windows split into payloads, ACKed only once the
 * pipeline's outputs acknowledged them, keepalives while an output is slow, and TLS options.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PluginRegistry } from '../../../../src/plugins/registry.js';
import { LumberjackClient, LumberjackConnection, SendFailure } from '../../../../src/protocols/lumberjack/client.js';
import { encodeWindowFrames } from '../../../../src/protocols/lumberjack/frames.js';
import { makeCertificates } from '../../../helpers/certificates.js';
import { freePort, startPipeline } from '../../../helpers/redis.js';
import { gatedOutput, registryWithOutputs, type Gate } from '../../../helpers/test-outputs.js';
import { sleep, waitFor } from '../../../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'logpipe-beats-'));
const file = (name: string): string => join(dir, name);
before(() => makeCertificates(file));

const CLIENT = { timeoutMs: 5000, compressionLevel: 3, pipelining: 2, ttlMs: 0, backoffInitMs: 50, backoffMaxMs: 200 };

function documents(from: number, n: number): { bytes: Uint8Array; ends: Uint32Array } {
  const texts = Array.from({ length: n }, (_, i) => JSON.stringify({ message: `line ${from + i}`, id: from + i, '@metadata': { beat: 'filebeat' } }));
  let at = 0;
  return { bytes: new Uint8Array(Buffer.from(texts.join(''))), ends: Uint32Array.from(texts.map((t) => (at += Buffer.byteLength(t)))) };
}

const idsIn = (path: string): number[] => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: number }).id);

/** An output whose writes wait until the test releases them. */
const gate: Gate = { open: false, writes: 0 };
const registry = (): PluginRegistry => registryWithOutputs(gatedOutput(gate));

test('windows larger than a payload arrive whole through the pipeline and each send resolves on its ACK', async () => {
  const port = await freePort();
  const out = file('out.json');
  const running = await startPipeline(`input { beats { host => "127.0.0.1" port => ${port} } } output { file { path => "${out}" } }`, { batchSize: 50 });
  const client = new LumberjackClient({ ...CLIENT, host: '127.0.0.1', port });
  await waitFor('the listener', async () => client.send(documents(0, 1), 0, 1, 1).then(() => true, () => false));
  for (let w = 0; w < 3; w++) await client.send(documents(1 + w * 500, 500), 0, 500); // 500 > 4 × 50: three payloads per window
  client.close();
  assert.deepEqual(idsIn(out).sort((a, b) => a - b), Array.from({ length: 1501 }, (_, i) => i), 'every ACKed event was written before its ACK');
  const first = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]!) as Record<string, unknown>;
  assert.deepEqual(first['tags'], ['beats_input_codec_plain_applied']);
  running.pipeline.stop();
  await running.done;
});

test('no ACK before the output acknowledged the window; keepalives hold a client whose timeout is shorter than the wait', async () => {
  const port = await freePort();
  gate.open = false;
  gate.writes = 0;
  const running = await startPipeline(`input { beats { host => "127.0.0.1" port => ${port} ack_keepalive_interval => "100ms" } } output { gated { } }`, {}, registry());
  let connection: LumberjackConnection | undefined;
  await waitFor('the listener', async () => {
    connection = await LumberjackConnection.connect({ host: '127.0.0.1', port, timeoutMs: 400 }).catch(() => undefined);
    return connection !== undefined;
  });
  const progress: number[] = [];
  let acked = false;
  const d = documents(0, 10);
  const sent = connection!.send(encodeWindowFrames(d.bytes, d.ends, 0, 10, 3), 10, (n) => progress.push(n)).then(() => {
    acked = true;
  });
  await waitFor('the output to be writing', () => gate.writes > 0);
  await sleep(1000); // 2.5 × the client's timeout
  assert.equal(acked, false, 'ACKed before the output was done');
  assert.equal(connection!.alive, true, 'the keepalives kept the client waiting');
  gate.open = true;
  await sent;
  assert.equal(acked, true);
  connection!.close();
  running.pipeline.stop();
  await running.done;
});

test('ssl_enabled with ssl_client_authentication required: a Beat with a certificate from the CA ships, one without is refused', async () => {
  const port = await freePort();
  const out = file('tls.json');
  const ssl = `ssl_enabled => true ssl_certificate => "${file('server.crt')}" ssl_key => "${file('server.key')}" ssl_certificate_authorities => ["${file('ca.crt')}"] ssl_client_authentication => "required"`;
  const running = await startPipeline(`input { beats { host => "127.0.0.1" port => ${port} ${ssl} enrich => "all" } } output { file { path => "${out}" } }`);
  const tls = { ca: readFileSync(file('ca.crt')), servername: 'localhost' };
  const good = new LumberjackClient({ ...CLIENT, host: '127.0.0.1', port, tls: { ...tls, cert: readFileSync(file('client.crt')), key: readFileSync(file('client.key')) } });
  await waitFor('the listener', async () => good.send(documents(0, 5), 0, 5, 1).then(() => true, () => false));
  const anonymous = new LumberjackClient({ ...CLIENT, host: '127.0.0.1', port, tls });
  await assert.rejects(anonymous.send(documents(100, 5), 0, 5, 1), SendFailure);
  assert.deepEqual(idsIn(out), [0, 1, 2, 3, 4]);
  good.close();
  anonymous.close();
  running.pipeline.stop();
  await running.done;
});
