/** The tcp input over TLS with client certificates (required, optional), current and old option names. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { once } from 'node:events';
import { makeCertificates } from '../../../helpers/certificates.js';
import { sleep, waitFor } from '../../../helpers/wait.js';
import { startTcpInput } from './helpers.js';

let dir: string;
const file = (name: string): string => join(dir, name);

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'logpipe-tcp-tls-'));
  makeCertificates(file);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Sends `text` over TLS as `who` (a certificate name, or none); resolves whether the server took the connection. */
async function send(port: number, text: string, who?: string): Promise<boolean> {
  const socket: TLSSocket = connect({
    host: '127.0.0.1', port, servername: 'localhost', ca: readFileSync(file('ca.crt')),
    ...(who ? { cert: readFileSync(file(`${who}.crt`)), key: readFileSync(file(`${who}.key`)) } : {}),
  });
  try {
    await once(socket, 'secureConnect');
    socket.end(text);
    // A refusal after the handshake (TLS 1.3 sends the alert late) shows up as an error or an early close.
    const [result] = await Promise.race([once(socket, 'close').then(() => ['closed']), once(socket, 'error').then(() => ['error'])]);
    return result === 'closed';
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

test('ssl_client_authentication required: a client certificate signed by the CA is let in and its subject recorded; none or a stranger is refused', async () => {
  const input = await startTcpInput({
    ssl_enabled: true, ssl_certificate: file('server.crt'), ssl_key: file('server.key'),
    ssl_certificate_authorities: [file('ca.crt')], ssl_client_authentication: 'required',
  });
  try {
    await send(input.port, 'from client\n', 'client');
    await send(input.port, 'anonymous\n');
    await send(input.port, 'stranger\n', 'stranger');
    await waitFor('the client event', () => input.events().length >= 1);
    await sleep(200);
    assert.deepEqual(input.events().map((e) => e.get('message')), ['from client']);
    assert.match(String(input.events()[0]!.get('sslsubject')), /CN=beat-1/);
  } finally {
    await input.stop();
  }
});

test('old names (ssl_enable, ssl_cert, ssl_verify => false): TLS without client certificates', async () => {
  const input = await startTcpInput({ ssl_enable: true, ssl_cert: file('server.crt'), ssl_key: file('server.key'), ssl_verify: false }, 'v8');
  try {
    assert.equal(await send(input.port, 'plain tls\n'), true);
    await waitFor('the event', () => input.events().length === 1);
    const e = input.events()[0]!;
    assert.equal(e.get('message'), 'plain tls');
    assert.equal(e.get('[@metadata][input][tcp][tls][client][subject]'), undefined);
  } finally {
    await input.stop();
  }
});

test('optional: a client without a certificate is let in, one with a certificate from another CA is refused', async () => {
  const input = await startTcpInput({
    ssl_enabled: true, ssl_certificate: file('server.crt'), ssl_key: file('server.key'),
    ssl_certificate_authorities: [file('ca.crt')], ssl_client_authentication: 'optional',
  });
  try {
    await send(input.port, 'anonymous\n');
    await send(input.port, 'stranger\n', 'stranger');
    await send(input.port, 'known\n', 'client');
    await waitFor('two events', () => input.events().length >= 2);
    await sleep(200);
    assert.deepEqual(input.events().map((e) => e.get('message')).sort(), ['anonymous', 'known']);
  } finally {
    await input.stop();
  }
});

test('TLS on without a certificate is a config error naming the options', async () => {
  await assert.rejects(startTcpInput({ ssl_enabled: true }), /tcp: ssl_enabled needs ssl_certificate and ssl_key/);
});
