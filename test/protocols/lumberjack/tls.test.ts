/**
 * TLS with certificates made here by openssl: a CA, a server certificate for localhost/127.0.0.1,
 * a client certificate the CA signed, and one from another CA.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LumberjackClient, SendFailure } from '../../../src/protocols/lumberjack/client.js';
import type { ClientAuthentication } from '../../../src/protocols/lumberjack/server.js';
import { documentsOf, recordingServer } from './helpers.js';
import { makeCertificates } from '../../helpers/certificates.js';

const dir = mkdtempSync(join(tmpdir(), 'logpipe-lumberjack-tls-'));
const file = (name: string): string => join(dir, name);
const pem = (name: string): Buffer => readFileSync(file(name));

before(() => makeCertificates(file));

const CLIENT = { timeoutMs: 3000, compressionLevel: 3, pipelining: 1, ttlMs: 0, backoffInitMs: 50, backoffMaxMs: 100 };

async function tlsServer(clientAuthentication: ClientAuthentication) {
  return recordingServer({
    tls: { clientAuthentication, options: { cert: pem('server.crt'), key: pem('server.key'), ca: [pem('ca.crt')], handshakeTimeout: 2000 } },
  });
}

function client(port: number, tls: Record<string, unknown>): LumberjackClient {
  return new LumberjackClient({ ...CLIENT, host: '127.0.0.1', port, tls: { ca: pem('ca.crt'), servername: 'localhost', ...tls } });
}

test('TLS without client certificates: a window round-trips; a client that does not trust the CA is refused', async () => {
  const rec = await tlsServer('none');
  const good = client(rec.port, {});
  await good.send(documentsOf([{ id: 1 }, { id: 2 }]), 0, 2);
  assert.deepEqual(rec.documents(), ['{"id":1}', '{"id":2}']);
  assert.equal(rec.windows[0]!.peer.certificate, undefined);
  const distrustful = client(rec.port, { ca: pem('other.crt') });
  await assert.rejects(distrustful.send(documentsOf([{ id: 3 }]), 0, 1, 1), (err: unknown) => err instanceof SendFailure && /certificate/i.test(err.message));
  // Plain TCP against the TLS port is garbage to the server and fails the client.
  const plain = new LumberjackClient({ ...CLIENT, host: '127.0.0.1', port: rec.port, timeoutMs: 1000 });
  await assert.rejects(plain.send(documentsOf([{ id: 4 }]), 0, 1, 1), SendFailure);
  assert.equal(rec.documents().length, 2);
  for (const c of [good, distrustful, plain]) c.close();
  await rec.server.close(true);
});

test('TLS with client certificates required: a certificate from the CA is accepted (its subject known), none or a stranger\'s is refused', async () => {
  const rec = await tlsServer('required');
  const withCert = client(rec.port, { cert: pem('client.crt'), key: pem('client.key') });
  await withCert.send(documentsOf([{ id: 1 }]), 0, 1);
  assert.match(rec.windows[0]!.peer.certificate?.subject ?? '', /CN=beat-1/);
  const without = client(rec.port, {});
  await assert.rejects(without.send(documentsOf([{ id: 2 }]), 0, 1, 1), SendFailure);
  const stranger = client(rec.port, { cert: pem('stranger.crt'), key: pem('stranger.key') });
  await assert.rejects(stranger.send(documentsOf([{ id: 3 }]), 0, 1, 1), SendFailure);
  assert.deepEqual(rec.documents(), ['{"id":1}']);
  for (const c of [withCert, without, stranger]) c.close();
  await rec.server.close(true);
});

test('TLS with client certificates optional: none is fine, a valid one is verified, an invalid one is refused', async () => {
  const rec = await tlsServer('optional');
  const without = client(rec.port, {});
  await without.send(documentsOf([{ id: 1 }]), 0, 1);
  const withCert = client(rec.port, { cert: pem('client.crt'), key: pem('client.key') });
  await withCert.send(documentsOf([{ id: 2 }]), 0, 1);
  const stranger = client(rec.port, { cert: pem('stranger.crt'), key: pem('stranger.key') });
  await assert.rejects(stranger.send(documentsOf([{ id: 3 }]), 0, 1, 1), SendFailure);
  assert.deepEqual(rec.documents(), ['{"id":1}', '{"id":2}']);
  assert.equal(rec.windows[0]!.peer.certificate, undefined);
  assert.match(rec.windows[1]!.peer.certificate?.subject ?? '', /CN=beat-1/);
  assert.ok(rec.lines.some((l) => /client certificate not verified/.test(l)));
  for (const c of [without, withCert, stranger]) c.close();
  await rec.server.close(true);
});
