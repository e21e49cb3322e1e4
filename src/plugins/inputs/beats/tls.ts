/** The beats input's ssl_* options → the server's TLS settings (the shared core: plugins/net/tls-options.ts). */
import type { SecureVersion } from 'node:tls';
import type { SourceLocation } from '../../../core/errors.js';
import type { OptionsOf } from '../../../config/schema.js';
import type { ClientAuthentication, ServerTls } from '../../../protocols/net/tls.js';
import { buildServerTls } from '../../net/tls-options.js';
import type { BEATS_INPUT_OPTIONS } from './options.js';

type Options = OptionsOf<typeof BEATS_INPUT_OPTIONS>;

const VERIFY_MODES: Record<string, ClientAuthentication> = { none: 'none', peer: 'optional', force_peer: 'required' };

const legacyVersion = (v: number | undefined): SecureVersion | undefined => (v === undefined ? undefined : (`TLSv${v}` as SecureVersion));

/** The TLS settings, or undefined when TLS is off. Reads the PEM files now, so a missing one stops the start. */
export function serverTls(options: Options, location: SourceLocation | undefined): ServerTls | undefined {
  const enabled = options.ssl ?? options.ssl_enabled;
  if (!enabled) return undefined;
  const clientAuthentication: ClientAuthentication =
    options.ssl_client_authentication !== undefined ? (options.ssl_client_authentication as ClientAuthentication)
      : options.ssl_verify_mode !== undefined ? VERIFY_MODES[options.ssl_verify_mode]!
        : 'none';
  const minVersion = legacyVersion(options.tls_min_version);
  const maxVersion = legacyVersion(options.tls_max_version);
  return buildServerTls('beats', {
    ...(options.ssl_certificate !== undefined ? { certificate: options.ssl_certificate } : {}),
    ...(options.ssl_key !== undefined ? { key: options.ssl_key } : {}),
    ...(options.ssl_key_passphrase ? { keyPassphrase: options.ssl_key_passphrase } : {}),
    certificateAuthorities: options.ssl_certificate_authorities,
    clientAuthentication,
    supportedProtocols: options.ssl_supported_protocols,
    ...(minVersion ? { minVersion } : {}),
    ...(maxVersion ? { maxVersion } : {}),
    cipherSuites: options.ssl_cipher_suites.length > 0 ? options.ssl_cipher_suites : options.cipher_suites ?? [],
    handshakeTimeoutMs: options.ssl_handshake_timeout,
  }, location);
}
