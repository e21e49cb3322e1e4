/** The beats input's ssl_* options → the server's TLS settings. */
import { readFileSync } from 'node:fs';
import type { SecureVersion } from 'node:tls';
import { ConfigError, type SourceLocation } from '../../../core/errors.js';
import type { OptionsOf } from '../../../config/schema.js';
import type { ClientAuthentication, ServerTls } from '../../../protocols/lumberjack/server.js';
import type { BEATS_INPUT_OPTIONS } from './options.js';

type Options = OptionsOf<typeof BEATS_INPUT_OPTIONS>;

const VERIFY_MODES: Record<string, ClientAuthentication> = { none: 'none', peer: 'optional', force_peer: 'required' };

function readPem(path: string, option: string, location: SourceLocation | undefined): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(`beats: cannot read ${option} "${path}": ${(err as Error).message}`, location);
  }
}

/** The TLS settings, or undefined when TLS is off. Reads the PEM files now, so a missing one stops the start. */
export function serverTls(options: Options, location: SourceLocation | undefined): ServerTls | undefined {
  const enabled = options.ssl ?? options.ssl_enabled;
  if (!enabled) return undefined;
  if (!options.ssl_certificate || !options.ssl_key) {
    throw new ConfigError('beats: ssl_enabled needs ssl_certificate and ssl_key', location);
  }
  const clientAuthentication: ClientAuthentication =
    options.ssl_client_authentication !== undefined ? (options.ssl_client_authentication as ClientAuthentication)
      : options.ssl_verify_mode !== undefined ? VERIFY_MODES[options.ssl_verify_mode]!
        : 'none';
  const cas = options.ssl_certificate_authorities;
  if (clientAuthentication !== 'none' && cas.length === 0) {
    throw new ConfigError(`beats: client authentication "${clientAuthentication}" needs ssl_certificate_authorities`, location);
  }
  const protocols = options.ssl_supported_protocols;
  const versions = protocols.map((p) => {
    if (p !== 'TLSv1.2' && p !== 'TLSv1.3' && p !== 'TLSv1.1') throw new ConfigError(`beats: unknown TLS protocol "${p}" (TLSv1.1, TLSv1.2, TLSv1.3)`, location);
    return p as SecureVersion;
  }).sort();
  const legacyVersion = (v: number | undefined): SecureVersion | undefined => (v === undefined ? undefined : (`TLSv${v}` as SecureVersion));
  const minVersion = versions[0] ?? legacyVersion(options.tls_min_version);
  const maxVersion = versions[versions.length - 1] ?? legacyVersion(options.tls_max_version);
  const ciphers = options.ssl_cipher_suites.length > 0 ? options.ssl_cipher_suites : options.cipher_suites ?? [];
  return {
    clientAuthentication,
    options: {
      cert: readPem(options.ssl_certificate, 'ssl_certificate', location),
      key: readPem(options.ssl_key, 'ssl_key', location),
      ...(options.ssl_key_passphrase ? { passphrase: options.ssl_key_passphrase.reveal() } : {}),
      ...(cas.length > 0 ? { ca: cas.map((path) => readPem(path, 'ssl_certificate_authorities', location)) } : {}),
      ...(minVersion ? { minVersion } : {}),
      ...(maxVersion ? { maxVersion } : {}),
      ...(ciphers.length > 0 ? { ciphers: ciphers.join(':') } : {}),
      handshakeTimeout: options.ssl_handshake_timeout,
    },
  };
}
