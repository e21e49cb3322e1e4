/** The logstash output's `ssl` hash (Filebeat's output.logstash.ssl.*) → Node TLS client options. */
import { readFileSync } from 'node:fs';
import { checkServerIdentity, type ConnectionOptions, type SecureVersion } from 'node:tls';
import { ConfigError, type SourceLocation } from '../../../core/errors.js';
import { Password } from '../../../config/schema.js';

const KNOWN = new Set(['enabled', 'certificate_authorities', 'certificate', 'key', 'key_passphrase', 'verification_mode', 'supported_protocols', 'cipher_suites']);

function text(value: unknown, key: string, location: SourceLocation | undefined): string {
  if (value instanceof Password) return value.reveal();
  if (typeof value !== 'string') throw new ConfigError(`logstash: ssl.${key} must be a string`, location);
  return value;
}

function list(value: unknown, key: string, location: SourceLocation | undefined): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map((v) => text(v, key, location));
}

function read(path: string, key: string, location: SourceLocation | undefined): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(`logstash: cannot read ssl.${key} "${path}": ${(err as Error).message}`, location);
  }
}

/** Undefined when TLS is off (no ssl settings, or enabled false). */
export function clientTls(ssl: Record<string, unknown>, location: SourceLocation | undefined, warn: (m: string) => void): ConnectionOptions | undefined {
  const keys = Object.keys(ssl);
  if (keys.length === 0) return undefined;
  for (const key of keys) if (!KNOWN.has(key)) warn(`logstash: unknown ssl option "${key}" ignored`);
  const enabled = ssl['enabled'];
  if (enabled === false || enabled === 'false') return undefined;
  const options: ConnectionOptions = {};
  if (ssl['certificate_authorities'] !== undefined) options.ca = list(ssl['certificate_authorities'], 'certificate_authorities', location).map((p) => read(p, 'certificate_authorities', location));
  if ((ssl['certificate'] === undefined) !== (ssl['key'] === undefined)) throw new ConfigError('logstash: ssl.certificate and ssl.key go together', location);
  if (ssl['certificate'] !== undefined) {
    options.cert = read(text(ssl['certificate'], 'certificate', location), 'certificate', location);
    options.key = read(text(ssl['key'], 'key', location), 'key', location);
    if (ssl['key_passphrase'] !== undefined) options.passphrase = text(ssl['key_passphrase'], 'key_passphrase', location);
  }
  const mode = ssl['verification_mode'] === undefined ? 'full' : text(ssl['verification_mode'], 'verification_mode', location);
  switch (mode) {
    case 'full':
    case 'strict':
      break;
    case 'certificate':
      // The chain is verified; the host name is not.
      options.checkServerIdentity = () => undefined;
      break;
    case 'none':
      options.rejectUnauthorized = false;
      break;
    default:
      throw new ConfigError(`logstash: ssl.verification_mode must be full, strict, certificate or none, got "${mode}"`, location);
  }
  if (mode === 'full' || mode === 'strict') options.checkServerIdentity = checkServerIdentity;
  if (ssl['supported_protocols'] !== undefined) {
    const versions = list(ssl['supported_protocols'], 'supported_protocols', location).map((p) => {
      if (!['TLSv1.1', 'TLSv1.2', 'TLSv1.3'].includes(p)) throw new ConfigError(`logstash: unknown TLS protocol "${p}"`, location);
      return p as SecureVersion;
    }).sort();
    if (versions.length > 0) {
      options.minVersion = versions[0]!;
      options.maxVersion = versions[versions.length - 1]!;
    }
  }
  if (ssl['cipher_suites'] !== undefined) options.ciphers = list(ssl['cipher_suites'], 'cipher_suites', location).join(':');
  return options;
}
