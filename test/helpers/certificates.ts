/** Test certificates made with the openssl CLI. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

/**
 * Writes, through `into(name)`: CAs "ca" and "other"; "server" (CN localhost, SAN localhost and
 * 127.0.0.1) and "client" (CN beat-1) signed by ca; "stranger" signed by other. Each as .crt/.key.
 */
export function makeCertificates(into: (name: string) => string): void {
  const sign = (name: string, ca: string, subject: string, ext?: string): void => {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', into(`${name}.key`), '-out', into(`${name}.csr`), '-subj', subject);
    const args = ['x509', '-req', '-in', into(`${name}.csr`), '-CA', into(`${ca}.crt`), '-CAkey', into(`${ca}.key`), '-CAcreateserial', '-out', into(`${name}.crt`), '-days', '2'];
    if (ext) {
      writeFileSync(into(`${name}.ext`), ext);
      args.push('-extfile', into(`${name}.ext`));
    }
    openssl(...args);
  };
  for (const ca of ['ca', 'other']) openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', into(`${ca}.key`), '-out', into(`${ca}.crt`), '-days', '2', '-subj', `/CN=logpipe test ${ca}`);
  sign('server', 'ca', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  sign('client', 'ca', '/CN=beat-1');
  sign('stranger', 'other', '/CN=stranger');
}
