/**
 * What the kafka input and output share: the broker list, client id and the security options
 * (TLS, SASL PLAIN / SCRAM) under Logstash's names, turned into the client's connection options
 * once, at startup. Options that cannot work here (Kerberos, JKS stores) are refused with what to
 * use instead, never silently dropped.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { BaseOptions, SASLOptions } from '@platformatic/kafka';
import type { Password } from '../../config/schema.js';
import { ConfigError, type SourceLocation } from '../../core/errors.js';

export const KAFKA_CONNECTION_OPTIONS = {
  bootstrap_servers: { type: 'string_list', default: ['localhost:9092'], description: 'Brokers to bootstrap from: "host:port" entries, comma-separated or a list.' },
  client_id: { type: 'string', default: 'logstash', description: 'Client id sent with every request (broker logs and quotas).' },
  security_protocol: {
    type: 'string',
    default: 'PLAINTEXT',
    values: ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'],
    description: 'PLAINTEXT, SSL (TLS), SASL_PLAINTEXT or SASL_SSL (SASL over TLS).',
  },
  sasl_mechanism: {
    type: 'string',
    default: 'GSSAPI',
    description: 'SASL mechanism with a SASL_* security_protocol: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (GSSAPI/Kerberos and OAUTHBEARER are refused).',
  },
  sasl_jaas_config: { type: 'password', description: 'JAAS login line holding username="…" password="…" (PlainLoginModule or ScramLoginModule).' },
  jaas_path: { type: 'path', description: 'JAAS file whose KafkaClient section holds username="…" password="…".' },
  ssl_truststore_location: { type: 'path', description: 'CA certificates (PEM) the broker certificate is verified against (default: the system CAs).' },
  ssl_truststore_type: { type: 'string', default: 'PEM', description: 'Only PEM: a JKS or PKCS12 store is refused (convert it with keytool/openssl).' },
  ssl_truststore_password: { type: 'password', description: 'Accepted for PEM stores, which have no password.' },
  ssl_keystore_location: { type: 'path', description: 'Client certificate and private key (PEM, one file) for mutual TLS.' },
  ssl_keystore_type: { type: 'string', default: 'PEM', description: 'Only PEM (see ssl_truststore_type).' },
  ssl_keystore_password: { type: 'password', description: 'Passphrase of the private key in ssl_keystore_location.' },
  ssl_key_password: { type: 'password', description: 'Passphrase of the private key (takes precedence over ssl_keystore_password).' },
  ssl_endpoint_identification_algorithm: {
    type: 'string',
    default: 'https',
    description: '"https" checks the broker certificate matches its host name; "" turns that check off (the chain is still verified).',
  },
  request_timeout_ms: { type: 'number', default: 40_000, description: 'How long a request may wait for its response before it fails and is retried.' },
  retry_backoff_ms: { type: 'number', default: 100, description: 'Delay between the client\'s retries of a failed request.' },
  metadata_max_age_ms: { type: 'number', default: 300_000, description: 'Cluster metadata older than this is refreshed.' },
  connections_max_idle_ms: { type: 'number', ignored: 'connections stay open while the plugin runs', description: 'Ignored.' },
  reconnect_backoff_ms: { type: 'number', ignored: 'reconnection follows retry_backoff_ms', description: 'Ignored.' },
  send_buffer_bytes: { type: 'number', ignored: 'socket buffers are left to the operating system', description: 'Ignored.' },
  receive_buffer_bytes: { type: 'number', ignored: 'socket buffers are left to the operating system', description: 'Ignored.' },
  client_dns_lookup: { type: 'string', ignored: 'every address a host name resolves to is tried by Node', description: 'Ignored.' },
} as const;

export interface KafkaConnectionSettings {
  bootstrap_servers: string[];
  client_id: string;
  security_protocol: string;
  sasl_mechanism: string;
  sasl_jaas_config?: Password | undefined;
  jaas_path?: string | undefined;
  ssl_truststore_location?: string | undefined;
  ssl_truststore_type: string;
  ssl_keystore_location?: string | undefined;
  ssl_keystore_type: string;
  ssl_keystore_password?: Password | undefined;
  ssl_key_password?: Password | undefined;
  ssl_endpoint_identification_algorithm: string;
  request_timeout_ms: number;
  retry_backoff_ms: number;
  metadata_max_age_ms: number;
}

/** The broker list: Logstash takes one comma-separated string, or (the seed) several strings. */
export function brokerList(servers: string[], location?: SourceLocation): string[] {
  const out = servers.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
  if (out.length === 0) throw new ConfigError('kafka: bootstrap_servers names no broker', location);
  for (const entry of out) {
    if (!/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d+$/.test(entry)) {
      throw new ConfigError(`kafka: bootstrap_servers entry "${entry}" is not host:port`, location);
    }
  }
  return out;
}

const SUPPORTED_SASL = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

/** username="…" and password="…" out of a JAAS login line or file section. */
export function jaasCredentials(text: string): { username: string; password: string } | undefined {
  const value = (name: string): string | undefined => {
    const m = new RegExp(`\\b${name}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(text);
    return m ? m[1]!.replace(/\\(.)/g, '$1') : undefined;
  };
  const username = value('username');
  const password = value('password');
  return username !== undefined && password !== undefined ? { username, password } : undefined;
}

function readPem(path: string, what: string, location?: SourceLocation): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(`kafka: cannot read ${what}: ${(err as Error).message}`, location);
  }
}

/** The client's connection options for these settings; throws ConfigError on what cannot work. */
export function clientConnection(settings: KafkaConnectionSettings, location?: SourceLocation): BaseOptions {
  const bootstrapBrokers = brokerList(settings.bootstrap_servers, location);
  if (!(settings.request_timeout_ms > 0)) throw new ConfigError(`kafka: request_timeout_ms must be positive, got ${settings.request_timeout_ms}`, location);
  const options: BaseOptions = {
    clientId: settings.client_id,
    bootstrapBrokers,
    timeout: settings.request_timeout_ms,
    retryDelay: Math.max(0, settings.retry_backoff_ms),
    metadataMaxAge: settings.metadata_max_age_ms,
  };
  const protocol = settings.security_protocol;
  if (protocol === 'SSL' || protocol === 'SASL_SSL') options.tls = tlsOptions(settings, location);
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') options.sasl = saslOptions(settings, location);
  return options;
}

function tlsOptions(settings: KafkaConnectionSettings, location?: SourceLocation): TlsOptions {
  for (const [name, type] of [['ssl_truststore_type', settings.ssl_truststore_type], ['ssl_keystore_type', settings.ssl_keystore_type]] as const) {
    if (type.toUpperCase() !== 'PEM') {
      throw new ConfigError(
        `kafka: ${name} ${type} is not supported: only PEM files can be read`,
        location,
        'convert the store to PEM (keytool -exportcert -rfc, or openssl pkcs12 -nodes) and set the type to "PEM"',
      );
    }
  }
  const tls: TlsOptions = {};
  if (settings.ssl_truststore_location !== undefined) tls.ca = readPem(settings.ssl_truststore_location, 'ssl_truststore_location', location);
  if (settings.ssl_keystore_location !== undefined) {
    const pem = readPem(settings.ssl_keystore_location, 'ssl_keystore_location', location);
    tls.cert = pem;
    tls.key = pem;
    const passphrase = settings.ssl_key_password ?? settings.ssl_keystore_password;
    if (passphrase) tls.passphrase = passphrase.reveal();
  }
  // Kafka's "" turns host name verification off; the certificate chain is still checked.
  if (settings.ssl_endpoint_identification_algorithm === '') tls.checkServerIdentity = () => undefined;
  return tls;
}

function saslOptions(settings: KafkaConnectionSettings, location?: SourceLocation): SASLOptions {
  const mechanism = settings.sasl_mechanism.toUpperCase();
  if (!(SUPPORTED_SASL as readonly string[]).includes(mechanism)) {
    throw new ConfigError(
      `kafka: sasl_mechanism ${settings.sasl_mechanism} is not supported`,
      location,
      `use one of ${SUPPORTED_SASL.join(', ')} (Kerberos/GSSAPI and OAUTHBEARER need the Java client)`,
    );
  }
  let text: string | undefined;
  if (settings.sasl_jaas_config) text = settings.sasl_jaas_config.reveal();
  else if (settings.jaas_path !== undefined) text = readPem(settings.jaas_path, 'jaas_path', location).toString('utf8');
  const credentials = text === undefined ? undefined : jaasCredentials(text);
  if (!credentials) {
    throw new ConfigError(`kafka: SASL ${mechanism} needs username="…" and password="…" in sasl_jaas_config or the file at jaas_path`, location);
  }
  return { mechanism: mechanism as SASLOptions['mechanism'], username: credentials.username, password: credentials.password };
}
