/**
 * The ssl_* options of network plugins (tcp, syslog, http, gelf, beats …), parsed once here.
 *
 * Contract: a plugin spreads SERVER_TLS_OPTIONS (it listens) and/or CLIENT_TLS_OPTIONS (it
 * connects) into its schema, then calls `serverTlsOf` / `clientTlsOf` in createSource/createSink.
 * Both accept Logstash's current names (`ssl_enabled`, `ssl_certificate`, `ssl_key`,
 * `ssl_certificate_authorities`, `ssl_client_authentication`, `ssl_verification_mode`) and the
 * older ones (`ssl_enable`, `ssl_cert`, `ssl_cacert`, `ssl_verify`); a current name wins over an
 * old one. PEM files are read at once, so a missing file stops the start with a ConfigError that
 * names the option. `buildServerTls` is the common core for plugins whose option names differ
 * (the beats input's `ssl_verify_mode`).
 */
import { readFileSync } from 'node:fs';
import { checkServerIdentity, type ConnectionOptions, type SecureVersion, type TlsOptions } from 'node:tls';
import { ConfigError, type SourceLocation } from '../../core/errors.js';
import type { OptionsOf, Password, Schema } from '../../config/schema.js';
import type { ClientAuthentication, ServerTls } from '../../protocols/net/tls.js';

const PROTOCOLS = ['TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export const SERVER_TLS_OPTIONS = {
  ssl_enabled: { type: 'boolean', description: 'TLS directly on the port (default false).' },
  ssl_enable: { type: 'boolean', deprecated: 'use ssl_enabled', description: 'Old name of ssl_enabled.' },
  ssl_certificate: { type: 'path', description: 'Certificate (PEM) this side presents.' },
  ssl_cert: { type: 'path', deprecated: 'use ssl_certificate', description: 'Old name of ssl_certificate.' },
  ssl_key: { type: 'path', description: 'Private key (PEM, PKCS#8 or PKCS#1) of ssl_certificate.' },
  ssl_key_passphrase: { type: 'password', description: 'Passphrase of ssl_key.' },
  ssl_extra_chain_certs: { type: 'string_list', default: [], description: 'Intermediate certificates (PEM files) sent after ssl_certificate.' },
  ssl_certificate_authorities: { type: 'string_list', default: [], description: 'CA certificates (PEM files) the peer\'s certificate is verified against.' },
  ssl_client_authentication: {
    type: 'string', values: ['none', 'optional', 'required'],
    description: 'Client certificates: none (not asked for), optional (verified when sent) or required (default required when ssl_certificate_authorities is set, else none).',
  },
  ssl_verify: { type: 'boolean', deprecated: 'use ssl_client_authentication (server) or ssl_verification_mode (client)', description: 'Old switch: verify the peer\'s certificate.' },
  ssl_supported_protocols: { type: 'string_list', default: [], description: 'TLS versions allowed (TLSv1.1, TLSv1.2, TLSv1.3); default Node\'s.' },
  ssl_cipher_suites: { type: 'string_list', default: [], description: 'OpenSSL cipher names allowed; default Node\'s.' },
} as const satisfies Schema;

export const CLIENT_TLS_OPTIONS = {
  ...SERVER_TLS_OPTIONS,
  ssl_cacert: { type: 'path', deprecated: 'use ssl_certificate_authorities', description: 'Old name of ssl_certificate_authorities (one file).' },
  ssl_verification_mode: {
    type: 'string', values: ['full', 'none'],
    description: 'Client side: full (the server\'s certificate chain and host name are checked; the default) or none.',
  },
} as const satisfies Schema;

type ServerOptions = OptionsOf<typeof SERVER_TLS_OPTIONS>;
type ClientOptions = OptionsOf<typeof CLIENT_TLS_OPTIONS>;

/** What buildServerTls needs, whatever the plugin calls it. */
export interface ServerTlsSettings {
  certificate?: string;
  key?: string;
  keyPassphrase?: Password;
  /** A PKCS#12 file with the key and certificate, instead of certificate/key (a Java keystore is refused). */
  keystore?: { path: string; type?: string; password?: Password };
  certificateAuthorities: string[];
  extraChain?: string[];
  clientAuthentication: ClientAuthentication;
  supportedProtocols: string[];
  /** Used when supportedProtocols is empty. */
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  cipherSuites: string[];
  handshakeTimeoutMs?: number;
}

export function readPem(plugin: string, path: string, option: string, location: SourceLocation | undefined): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(`${plugin}: cannot read ${option} "${path}": ${(err as Error).message}`, location);
  }
}

function versionRange(plugin: string, protocols: string[], location: SourceLocation | undefined): { minVersion?: SecureVersion; maxVersion?: SecureVersion } {
  const versions = protocols.map((p) => {
    if (!PROTOCOLS.includes(p)) throw new ConfigError(`${plugin}: unknown TLS protocol "${p}" (${PROTOCOLS.join(', ')})`, location);
    return p as SecureVersion;
  }).sort();
  if (versions.length === 0) return {};
  return { minVersion: versions[0]!, maxVersion: versions[versions.length - 1]! };
}

/** The server side of TLS from plugin-neutral settings. */
export function buildServerTls(plugin: string, s: ServerTlsSettings, location: SourceLocation | undefined): ServerTls {
  const identity = s.keystore !== undefined ? keystoreIdentity(plugin, s, s.keystore, location) : pemIdentity(plugin, s, location);
  if (s.clientAuthentication !== 'none' && s.certificateAuthorities.length === 0) {
    throw new ConfigError(`${plugin}: client authentication "${s.clientAuthentication}" needs ssl_certificate_authorities`, location);
  }
  const range = versionRange(plugin, s.supportedProtocols, location);
  const minVersion = range.minVersion ?? s.minVersion;
  const maxVersion = range.maxVersion ?? s.maxVersion;
  return {
    clientAuthentication: s.clientAuthentication,
    options: {
      ...identity,
      ...(s.certificateAuthorities.length > 0 ? { ca: s.certificateAuthorities.map((p) => readPem(plugin, p, 'ssl_certificate_authorities', location)) } : {}),
      ...(minVersion ? { minVersion } : {}),
      ...(maxVersion ? { maxVersion } : {}),
      ...(s.cipherSuites.length > 0 ? { ciphers: s.cipherSuites.join(':') } : {}),
      ...(s.handshakeTimeoutMs !== undefined ? { handshakeTimeout: s.handshakeTimeoutMs } : {}),
    },
  };
}

function pemIdentity(plugin: string, s: ServerTlsSettings, location: SourceLocation | undefined): TlsOptions {
  if (!s.certificate || !s.key) throw new ConfigError(`${plugin}: ssl_enabled needs ssl_certificate and ssl_key`, location);
  const chain = (s.extraChain ?? []).map((p) => readPem(plugin, p, 'ssl_extra_chain_certs', location));
  const cert = readPem(plugin, s.certificate, 'ssl_certificate', location);
  return {
    cert: chain.length > 0 ? Buffer.concat([cert, Buffer.from('\n'), ...chain.flatMap((c) => [c, Buffer.from('\n')])]) : cert,
    key: readPem(plugin, s.key, 'ssl_key', location),
    ...(s.keyPassphrase ? { passphrase: s.keyPassphrase.reveal() } : {}),
  };
}

function keystoreIdentity(plugin: string, s: ServerTlsSettings, keystore: NonNullable<ServerTlsSettings['keystore']>, location: SourceLocation | undefined): TlsOptions {
  const fail = (message: string): never => {
    throw new ConfigError(`${plugin}: ${message}`, location);
  };
  if (s.certificate !== undefined) fail('ssl_keystore_path and ssl_certificate cannot be used together');
  const type = keystore.type ?? (/\.jks$/i.test(keystore.path) ? 'jks' : 'pkcs12');
  if (type === 'jks') fail('Java keystores (jks) are not read: convert it to PKCS#12 (`keytool -importkeystore -deststoretype pkcs12`) or to PEM files for ssl_certificate and ssl_key');
  return { pfx: readPem(plugin, keystore.path, 'ssl_keystore_path', location), ...(keystore.password ? { passphrase: keystore.password.reveal() } : {}) };
}

function tlsEnabled(o: ServerOptions): boolean {
  return o.ssl_enabled ?? o.ssl_enable ?? false;
}

/**
 * A listening plugin's TLS, or undefined when TLS is off. `defaultClientAuthentication` is the
 * plugin's documented default when neither ssl_client_authentication nor ssl_verify is set.
 */
export function serverTlsOf(plugin: string, o: ServerOptions, location: SourceLocation | undefined, defaultClientAuthentication: ClientAuthentication = 'none'): ServerTls | undefined {
  if (!tlsEnabled(o)) return undefined;
  const cas = o.ssl_certificate_authorities;
  const clientAuthentication: ClientAuthentication = (o.ssl_client_authentication as ClientAuthentication | undefined)
    ?? (o.ssl_verify === undefined ? (cas.length > 0 ? defaultClientAuthentication : 'none') : o.ssl_verify ? 'required' : 'none');
  const certificate = o.ssl_certificate ?? o.ssl_cert;
  return buildServerTls(plugin, {
    ...(certificate !== undefined ? { certificate } : {}),
    ...(o.ssl_key !== undefined ? { key: o.ssl_key } : {}),
    ...(o.ssl_key_passphrase !== undefined ? { keyPassphrase: o.ssl_key_passphrase } : {}),
    certificateAuthorities: cas,
    extraChain: o.ssl_extra_chain_certs,
    clientAuthentication,
    supportedProtocols: o.ssl_supported_protocols,
    cipherSuites: o.ssl_cipher_suites,
  }, location);
}

/** A connecting plugin's TLS options for tls.connect(), or undefined when TLS is off. */
export function clientTlsOf(plugin: string, o: ClientOptions, host: string, location: SourceLocation | undefined): ConnectionOptions | undefined {
  if (!tlsEnabled(o)) return undefined;
  const certificate = o.ssl_certificate ?? o.ssl_cert;
  if ((certificate === undefined) !== (o.ssl_key === undefined)) throw new ConfigError(`${plugin}: ssl_certificate and ssl_key go together`, location);
  const cas = [...o.ssl_certificate_authorities, ...(o.ssl_cacert !== undefined ? [o.ssl_cacert] : [])];
  const mode = o.ssl_verification_mode ?? (o.ssl_verify === false ? 'none' : 'full');
  const range = versionRange(plugin, o.ssl_supported_protocols, location);
  return {
    servername: host,
    ...(certificate !== undefined ? { cert: readPem(plugin, certificate, 'ssl_certificate', location), key: readPem(plugin, o.ssl_key!, 'ssl_key', location) } : {}),
    ...(o.ssl_key_passphrase !== undefined ? { passphrase: o.ssl_key_passphrase.reveal() } : {}),
    ...(cas.length > 0 ? { ca: cas.map((p) => readPem(plugin, p, 'ssl_certificate_authorities', location)) } : {}),
    ...range,
    ...(o.ssl_cipher_suites.length > 0 ? { ciphers: o.ssl_cipher_suites.join(':') } : {}),
    ...(mode === 'none' ? { rejectUnauthorized: false } : { rejectUnauthorized: true, checkServerIdentity }),
  };
}

/**
 * The ssl_* names of the Elastic listeners (the beats and http inputs): `ssl`, `ssl_verify_mode`
 * (none/peer/force_peer), `tls_min_version`/`tls_max_version`, `cipher_suites` and the handshake
 * timeout, instead of the tcp family's `ssl_enable`/`ssl_verify`. The beats input spreads these;
 * the http input spreads LISTENER_TLS_OPTIONS, which adds a PKCS#12 keystore and older names.
 */
export const LISTENER_TLS_CORE_OPTIONS = {
  ssl_enabled: { type: 'boolean', default: false, description: 'Accept TLS connections only (TLS directly on the port).' },
  ssl: { type: 'boolean', deprecated: 'use ssl_enabled', description: 'Old name of ssl_enabled.' },
  ssl_certificate: { type: 'path', description: 'Server certificate (PEM), followed by its intermediates if any.' },
  ssl_key: { type: 'path', description: 'Server private key (PEM, PKCS#8 or PKCS#1).' },
  ssl_key_passphrase: { type: 'password', description: 'Passphrase of ssl_key.' },
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
  ssl_handshake_timeout: { type: 'number', default: 10_000, description: 'Milliseconds a TLS handshake may take before the connection is closed.' },
  ssl_supported_protocols: { type: 'string_list', default: [], description: 'TLS versions allowed (TLSv1.1, TLSv1.2, TLSv1.3); default Node\'s (TLSv1.2 and TLSv1.3).' },
  ssl_cipher_suites: { type: 'string_list', default: [], description: 'OpenSSL cipher names allowed; default Node\'s.' },
  cipher_suites: { type: 'string_list', deprecated: 'use ssl_cipher_suites', description: 'Old name of ssl_cipher_suites.' },
  tls_min_version: { type: 'number', deprecated: 'use ssl_supported_protocols', description: 'Old lowest TLS version (1.1, 1.2 or 1.3).' },
  tls_max_version: { type: 'number', deprecated: 'use ssl_supported_protocols', description: 'Old highest TLS version (1.1, 1.2 or 1.3).' },
} as const satisfies Schema;

/** LISTENER_TLS_CORE_OPTIONS plus the http input's PKCS#12 keystore and oldest names. */
export const LISTENER_TLS_OPTIONS = {
  ...LISTENER_TLS_CORE_OPTIONS,
  ssl_keystore_path: { type: 'path', description: 'PKCS#12 file holding the server key and certificate, instead of ssl_certificate/ssl_key (a Java keystore is refused).' },
  ssl_keystore_type: { type: 'string', values: ['pkcs12', 'jks'], description: 'Format of ssl_keystore_path; only pkcs12 is read.' },
  ssl_keystore_password: { type: 'password', description: 'Password of ssl_keystore_path.' },
  verify_mode: {
    type: 'string',
    values: ['none', 'peer', 'force_peer'],
    deprecated: 'use ssl_client_authentication',
    description: 'Oldest name of ssl_client_authentication.',
  },
  ssl_truststore_path: { type: 'path', obsolete: 'Java truststores are not read: put the CA certificates (PEM) in ssl_certificate_authorities (`openssl pkcs12 -in trust.p12 -nokeys -out ca.pem`)', description: 'Not supported.' },
  keystore: { type: 'path', obsolete: 'use ssl_keystore_path (PKCS#12) or ssl_certificate and ssl_key (PEM)', description: 'Not supported.' },
  keystore_password: { type: 'password', obsolete: 'use ssl_keystore_password', description: 'Not supported.' },
} as const satisfies Schema;

type AllListenerOptions = OptionsOf<typeof LISTENER_TLS_OPTIONS>;
/** Options listenerTlsOf reads; the keystore and the oldest verify_mode may be missing from a plugin's schema (beats). */
type ListenerOptionalNames = 'ssl_keystore_path' | 'ssl_keystore_type' | 'ssl_keystore_password' | 'verify_mode';
type ListenerObsoleteNames = 'ssl_truststore_path' | 'keystore' | 'keystore_password';
export type ListenerTlsOptions = Omit<AllListenerOptions, ListenerOptionalNames | ListenerObsoleteNames> & Partial<Pick<AllListenerOptions, ListenerOptionalNames>>;

const VERIFY_MODES: Record<string, ClientAuthentication> = { none: 'none', peer: 'optional', force_peer: 'required' };

const legacyVersion = (v: number | undefined): SecureVersion | undefined => (v === undefined ? undefined : (`TLSv${v}` as SecureVersion));

/** An Elastic listener's TLS (LISTENER_TLS_OPTIONS names), or undefined when TLS is off. */
export function listenerTlsOf(plugin: string, o: ListenerTlsOptions, location: SourceLocation | undefined): ServerTls | undefined {
  if (!(o.ssl ?? o.ssl_enabled)) return undefined;
  const legacyMode = o.ssl_verify_mode ?? o.verify_mode;
  const clientAuthentication: ClientAuthentication = o.ssl_client_authentication !== undefined
    ? (o.ssl_client_authentication as ClientAuthentication)
    : legacyMode !== undefined ? VERIFY_MODES[legacyMode]! : 'none';
  const minVersion = legacyVersion(o.tls_min_version);
  const maxVersion = legacyVersion(o.tls_max_version);
  return buildServerTls(plugin, {
    ...(o.ssl_certificate !== undefined ? { certificate: o.ssl_certificate } : {}),
    ...(o.ssl_key !== undefined ? { key: o.ssl_key } : {}),
    ...(o.ssl_key_passphrase ? { keyPassphrase: o.ssl_key_passphrase } : {}),
    ...(o.ssl_keystore_path !== undefined ? {
      keystore: {
        path: o.ssl_keystore_path,
        ...(o.ssl_keystore_type !== undefined ? { type: o.ssl_keystore_type } : {}),
        ...(o.ssl_keystore_password ? { password: o.ssl_keystore_password } : {}),
      },
    } : {}),
    certificateAuthorities: o.ssl_certificate_authorities,
    clientAuthentication,
    supportedProtocols: o.ssl_supported_protocols,
    ...(minVersion ? { minVersion } : {}),
    ...(maxVersion ? { maxVersion } : {}),
    cipherSuites: o.ssl_cipher_suites.length > 0 ? o.ssl_cipher_suites : o.cipher_suites ?? [],
    handshakeTimeoutMs: o.ssl_handshake_timeout,
  }, location);
}
