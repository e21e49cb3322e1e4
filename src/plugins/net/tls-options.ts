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
import { checkServerIdentity, type ConnectionOptions, type SecureVersion } from 'node:tls';
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
  if (!s.certificate || !s.key) throw new ConfigError(`${plugin}: ssl_enabled needs ssl_certificate and ssl_key`, location);
  if (s.clientAuthentication !== 'none' && s.certificateAuthorities.length === 0) {
    throw new ConfigError(`${plugin}: client authentication "${s.clientAuthentication}" needs ssl_certificate_authorities`, location);
  }
  const range = versionRange(plugin, s.supportedProtocols, location);
  const minVersion = range.minVersion ?? s.minVersion;
  const maxVersion = range.maxVersion ?? s.maxVersion;
  const chain = (s.extraChain ?? []).map((p) => readPem(plugin, p, 'ssl_extra_chain_certs', location));
  const cert = readPem(plugin, s.certificate, 'ssl_certificate', location);
  return {
    clientAuthentication: s.clientAuthentication,
    options: {
      cert: chain.length > 0 ? Buffer.concat([cert, Buffer.from('\n'), ...chain.flatMap((c) => [c, Buffer.from('\n')])]) : cert,
      key: readPem(plugin, s.key, 'ssl_key', location),
      ...(s.keyPassphrase ? { passphrase: s.keyPassphrase.reveal() } : {}),
      ...(s.certificateAuthorities.length > 0 ? { ca: s.certificateAuthorities.map((p) => readPem(plugin, p, 'ssl_certificate_authorities', location)) } : {}),
      ...(minVersion ? { minVersion } : {}),
      ...(maxVersion ? { maxVersion } : {}),
      ...(s.cipherSuites.length > 0 ? { ciphers: s.cipherSuites.join(':') } : {}),
      ...(s.handshakeTimeoutMs !== undefined ? { handshakeTimeout: s.handshakeTimeoutMs } : {}),
    },
  };
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
