/**
 * TLS, on a private redis-server that speaks only TLS, with a CA and a server certificate the
 * test makes with openssl: the output and the input round-trip through it when the CA is given,
 * and a server the CA does not vouch for is refused (ssl_verification_mode full).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OutputError } from '../../../../src/plugins/api.js';
import { redisOutput } from '../../../../src/plugins/outputs/redis/index.js';
import { makeOutput } from '../../../helpers/harness.js';
import { freePort, missing, PrivateRedis, runPipeline, sequences, startPipeline, tmp } from '../../../helpers/redis.js';
import { waitFor } from '../../../helpers/wait.js';
import { makeCertificates } from '../../../helpers/certificates.js';

const dir = tmp();
const file = (name: string): string => join(dir, name);
let server: PrivateRedis;


before(async () => {
  makeCertificates(file);
  server = new PrivateRedis(await freePort(), { cert: file('server.crt'), key: file('server.key'), ca: file('ca.crt') });
  await server.start();
});

after(async () => {
  await server?.stop();
});

test('TLS: output → stream → input round trip with ssl_certificate_authorities', async () => {
  const tls = `port => ${server.port} ssl_enabled => true ssl_certificate_authorities => ["${file('ca.crt')}"]`;
  const out = join(tmp(), 'out.json');
  await runPipeline(`input { generator { count => 500 } } output { redis { data_type => "stream" key => "tls" ${tls} } }`);
  const consumer = await startPipeline(`input { redis { data_type => "stream" key => "tls" ${tls} } } output { file { path => "${out}" } }`);
  await waitFor('500 events', () => sequences(out).length >= 500);
  await consumer.pipeline.stop();
  await consumer.done;
  assert.deepEqual(missing(sequences(out), 500), []);
});

test('TLS: a server certificate the given CA did not sign is refused; ssl_verification_mode => none accepts it', async () => {
  const refused = await makeOutput(redisOutput, { data_type: 'list', key: 'k', port: server.port, ssl_enabled: true, ssl_certificate_authorities: [file('other.crt')] });
  await assert.rejects(refused.sink.write(refused.encode([{ a: 1 }])), (err: unknown) => err instanceof OutputError && err.failure === 'retryable' && /certificate/i.test(err.message));
  await refused.sink.close?.();
  const unchecked = await makeOutput(redisOutput, { data_type: 'list', key: 'k', port: server.port, ssl_enabled: true, ssl_verification_mode: 'none' });
  assert.equal(await unchecked.sink.write(unchecked.encode([{ a: 1 }])), undefined);
  await unchecked.sink.close?.();
});

test('TLS: plain text to a TLS-only server fails as retryable, not as a hang', async () => {
  const plain = await makeOutput(redisOutput, { data_type: 'list', key: 'k', port: server.port, timeout: 1 });
  await assert.rejects(plain.sink.write(plain.encode([{ a: 1 }])), (err: unknown) => err instanceof OutputError && err.failure === 'retryable');
  await plain.sink.close?.();
});
