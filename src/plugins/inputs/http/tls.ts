/**
 * Server-side TLS for inputs that listen (http and beats; written to be shared with tcp and the
 * other listeners): Logstash's ssl_* option names, old and new, in one schema fragment, and the function
 * that turns them into Node's TLS server options. PEM files are read at start, so a missing or
 * unreadable one stops the pipeline with the option's name.
 */
import { readFileSync } from 'node:fs';
import type { SecureVersion, TlsOptions } from 'node:tls';
import { ConfigError, type SourceLocation } from '../../../core/errors.js';
import type { OptionsOf, Schema } from '../../../config/schema.js';

export const SERVER_TLS_OPTIONS = {
  ssl_enabled: { type: 'boolean', default: false, description: 'Accept TLS connections only (TLS directly on the port).' },
  ssl: { type: 'boolean', deprecated: 'use ssl_enabled', description: 'Old name of ssl_enabled.' },
  ssl_certificate: { type: 'path', description: 'Server certificate (PEM), followed by its intermediates if any.' },
  ssl_key: { type: 'path', description: 'Server private key (PEM, PKCS#8 or PKCS#1).' },
  ssl_key_passphrase: { type: 'password', description: 'Passphrase of ssl_key.' },
  ssl_keystore_path: { type: 'path', description: 'PKCS#12 file holding the server key and certificate, instead of ssl_certificate/ssl_key (a Java keystore is refused).' },
  ssl_keystore_type: { type: 'string', values: ['pkcs12', 'jks'], description: 'Format of ssl_keystore_path; only pkcs12 is read.' },
  ssl_keystore_password: { type: 'password', description: 'Password of ssl_keystore_path.' },
  ssl_certificate_authorities: { type: 'string_list', default: [], description: 'CA certificates (PEM files) that client certificates are verified against.' },
  ssl_client_authentication: {
    type: 'string',
    values: ['none', 'optional', 'required'],
    description: 'Client certificates: none (not asked for), optional (asked for, verified when sent) or required. Default none.',
  },
  ssl_verify_mode: {
    type: 'string',
    values: ['none', 'peer', 'force_peer'],
    deprecated: 'use ssl_client_authentication',
    description: 'Old name of ssl_client_authentication: none, peer (= optional) or force_peer (= required).',
  },
  verify_mode: {
    type: 'string',
    values: ['none', 'peer', 'force_peer'],
    deprecated: 'use ssl_client_authentication',
    description: 'Oldest name of ssl_client_authentication.',
  },
  ssl_handshake_timeout: { type: 'number', default: 10_000, description: 'Milliseconds a TLS handshake may take before the connection is closed.' },
  ssl_supported_protocols: { type: 'string_list', default: [], description: 'TLS versions allowed (TLSv1.1, TLSv1.2, TLSv1.3); default Node\'s (TLSv1.2 and TLSv1.3).' },
  ssl_cipher_suites: { type: 'string_list', default: [], description: 'OpenSSL cipher names allowed; default Node\'s.' },
  cipher_suites: { type: 'string_list', deprecated: 'use ssl_cipher_suites', description: 'Old name of ssl_cipher_suites.' },
  tls_min_version: { type: 'number', deprecated: 'use ssl_supported_protocols', description: 'Old lowest TLS version (1.1, 1.2 or 1.3).' },
  tls_max_version: { type: 'number', deprecated: 'use ssl_supported_protocols', description: 'Old highest TLS version (1.1, 1.2 or 1.3).' },
  ssl_truststore_path: { type: 'path', obsolete: 'Java truststores are not read: put the CA certificates (PEM) in ssl_certificate_authorities (`openssl pkcs12 -in trust.p12 -nokeys -out ca.pem`)', description: 'Not supported.' },
  keystore: { type: 'path', obsolete: 'use ssl_keystore_path (PKCS#12) or ssl_certificate and ssl_key (PEM)', description: 'Not supported.' },
  keystore_password: { type: 'password', obsolete: 'use ssl_keystore_password', description: 'Not supported.' },
} as const satisfies Schema;

type AllServerTlsOptions = OptionsOf<typeof SERVER_TLS_OPTIONS>;
/** Options serverTls reads; the PKCS#12 keystore and the oldest verify_mode may be absent from a plugin's schema (beats). */
export type ServerTlsOptions = Omit<AllServerTlsOptions, OptionalNames | ObsoleteNames> & Partial<Pick<AllServerTlsOptions, OptionalNames>>;
type OptionalNames = 'ssl_keystore_path' | 'ssl_keystore_type' | 'ssl_keystore_password' | 'verify_mode';
type ObsoleteNames = 'ssl_truststore_path' | 'keystore' | 'keystore_password';
export type ClientAuthentication = 'none' | 'optional' | 'required';

export interface ServerTls {
  clientAuthentication: ClientAuthentication;
  /** For tls.createServer / https.createServer: requestCert and rejectUnauthorized already set. */
  options: TlsOptions;
}

const VERIFY_MODES: Record<string, ClientAuthentication> = { none: 'none', peer: 'optional', force_peer: 'required' };

/** The TLS server settings, or undefined when TLS is off. `plugin` names the plugin in errors. */
export function serverTls(plugin: string, options: ServerTlsOptions, location: SourceLocation | undefined): ServerTls | undefined {
  if (!(options.ssl ?? options.ssl_enabled)) return undefined;
  const fail = (message: string): never => {
    throw new ConfigError(`${plugin}: ${message}`, location);
  };
  const read = (path: string, option: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      return fail(`cannot read ${option} "${path}": ${(err as Error).message}`);
    }
  };
  let identity: TlsOptions;
  if (options.ssl_keystore_path !== undefined) {
    if (options.ssl_certificate !== undefined) fail('ssl_keystore_path and ssl_certificate cannot be used together');
    const type = options.ssl_keystore_type ?? (/\.jks$/i.test(options.ssl_keystore_path) ? 'jks' : 'pkcs12');
    if (type === 'jks') fail('Java keystores (jks) are not read: convert it to PKCS#12 (`keytool -importkeystore -deststoretype pkcs12`) or to PEM files for ssl_certificate and ssl_key');
    identity = { pfx: read(options.ssl_keystore_path, 'ssl_keystore_path'), ...(options.ssl_keystore_password ? { passphrase: options.ssl_keystore_password.reveal() } : {}) };
  } else {
    if (!options.ssl_certificate || !options.ssl_key) fail('ssl_enabled needs ssl_certificate and ssl_key');
    identity = {
      cert: read(options.ssl_certificate!, 'ssl_certificate'),
      key: read(options.ssl_key!, 'ssl_key'),
      ...(options.ssl_key_passphrase ? { passphrase: options.ssl_key_passphrase.reveal() } : {}),
    };
  }
  const legacyMode = options.ssl_verify_mode ?? options.verify_mode;
  const clientAuthentication: ClientAuthentication = options.ssl_client_authentication !== undefined
    ? (options.ssl_client_authentication as ClientAuthentication)
    : legacyMode !== undefined ? VERIFY_MODES[legacyMode]! : 'none';
  const cas = options.ssl_certificate_authorities;
  if (clientAuthentication !== 'none' && cas.length === 0) fail(`client authentication "${clientAuthentication}" needs ssl_certificate_authorities`);
  const versions = options.ssl_supported_protocols.map((p) => {
    if (p !== 'TLSv1.1' && p !== 'TLSv1.2' && p !== 'TLSv1.3') fail(`unknown TLS protocol "${p}" (TLSv1.1, TLSv1.2, TLSv1.3)`);
    return p as SecureVersion;
  }).sort();
  const legacyVersion = (v: number | undefined): SecureVersion | undefined => (v === undefined ? undefined : (`TLSv${v}` as SecureVersion));
  const minVersion = versions[0] ?? legacyVersion(options.tls_min_version);
  const maxVersion = versions[versions.length - 1] ?? legacyVersion(options.tls_max_version);
  const ciphers = options.ssl_cipher_suites.length > 0 ? options.ssl_cipher_suites : options.cipher_suites ?? [];
  return {
    clientAuthentication,
    options: {
      ...identity,
      ...(cas.length > 0 ? { ca: cas.map((path) => read(path, 'ssl_certificate_authorities')) } : {}),
      ...(minVersion ? { minVersion } : {}),
      ...(maxVersion ? { maxVersion } : {}),
      ...(ciphers.length > 0 ? { ciphers: ciphers.join(':') } : {}),
      handshakeTimeout: options.ssl_handshake_timeout,
      requestCert: clientAuthentication !== 'none',
      // optional: a certificate is asked for but may be missing; one that is sent and fails
      // verification is refused by the listener (it checks `authorized` when a peer sent one).
      rejectUnauthorized: clientAuthentication === 'required',
    },
  };
}
