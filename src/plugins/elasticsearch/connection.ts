/**
 * How the elasticsearch output and filter reach their nodes: the options they share with
 * Logstash's plugins (credentials, custom headers, TLS) and the Transport built from them.
 */
import { ConfigError } from '../../core/errors.js';
import type { OptionsOf, Schema } from '../../config/schema.js';
import type { PluginContext } from '../api.js';
import { tlsOptions } from '../redis-connection.js';
import { cloudAuthCredentials, cloudIdUrl } from './cloud.js';
import { nodeUrl } from './hosts.js';
import { Transport } from './transport.js';

export const ELASTICSEARCH_CLIENT_OPTIONS = {
  cloud_id: { type: 'string', description: 'Elastic Cloud deployment id ("label:base64…" from the Cloud console) instead of hosts: the deployment\'s Elasticsearch endpoint over https.' },
  cloud_auth: { type: 'password', description: 'Elastic Cloud credentials "user:password" (instead of user and password).' },
  user: { type: 'string', description: 'User for HTTP basic authentication.' },
  password: { type: 'password', description: 'Password for HTTP basic authentication.' },
  api_key: { type: 'password', description: 'Elasticsearch API key as "id:api_key" (sent base64-encoded, as `Authorization: ApiKey …`); needs TLS, as in Logstash.' },
  custom_headers: { type: 'hash', default: {}, description: 'Extra HTTP headers on every request.' },
  ssl_enabled: { type: 'boolean', description: 'Use HTTPS for hosts given without a scheme.' },
  ssl: { type: 'boolean', deprecated: 'use ssl_enabled', description: 'Deprecated name of ssl_enabled.' },
  ssl_certificate_authorities: { type: 'string_list', description: 'PEM files of the CAs that sign the servers\' certificates.' },
  ssl_verification_mode: { type: 'string', default: 'full', values: ['full', 'none'], description: 'full: check the certificate chain and the host name; none: check nothing (tests only).' },
  ssl_certificate: { type: 'path', description: 'PEM client certificate (with ssl_key) for mutual TLS.' },
  ssl_key: { type: 'path', description: 'PEM private key of ssl_certificate.' },
  ssl_supported_protocols: { type: 'string_list', default: [], description: 'TLS versions allowed: TLSv1.2, TLSv1.3.' },
  ssl_cipher_suites: { type: 'string_list', default: [], description: 'OpenSSL cipher names allowed (default: Node\'s).' },
} as const satisfies Schema;

export type ClientOptions = OptionsOf<typeof ELASTICSEARCH_CLIENT_OPTIONS>;

/** What else a plugin must have to reach its nodes: the same names in the output and the filter. */
export interface NodeOptions extends ClientOptions {
  /** Left out: the cloud_id's endpoint, else the plugin's default host. */
  hosts?: string[] | undefined;
  /** Path prefix for hosts without their own. */
  path?: string | undefined;
  /** Seconds a request may take. */
  timeout: number;
  /** Seconds a failed node is left out of the rotation. */
  resurrect_delay: number;
  /** Deprecated: false turns verification off. */
  ssl_certificate_verification?: boolean | undefined;
}

/** Authorization and custom headers; user/password and api_key exclude each other, api_key needs TLS. */
function headers(options: ClientOptions, ctx: PluginContext, anyHttps: boolean): Record<string, string> {
  const out: Record<string, string> = { 'user-agent': 'logpipe' };
  if (options.cloud_auth !== undefined) {
    if (options.user !== undefined || options.password !== undefined || options.api_key !== undefined) throw new ConfigError(`${ctx.name}: use one of cloud_auth, user/password and api_key`, ctx.location);
    const { user, password } = cloudAuthCredentials(options.cloud_auth.reveal(), ctx.location);
    out['authorization'] = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  if (options.user !== undefined || options.password !== undefined) {
    if (options.user === undefined || options.password === undefined) throw new ConfigError(`${ctx.name}: user and password go together`, ctx.location);
    if (options.api_key !== undefined) throw new ConfigError(`${ctx.name}: use either user/password or api_key, not both`, ctx.location);
    out['authorization'] = `Basic ${Buffer.from(`${options.user}:${options.password.reveal()}`).toString('base64')}`;
  }
  if (options.api_key !== undefined) {
    if (!anyHttps) throw new ConfigError(`${ctx.name}: api_key needs TLS (https:// hosts or ssl_enabled => true), as in Logstash`, ctx.location);
    out['authorization'] = `ApiKey ${Buffer.from(options.api_key.reveal()).toString('base64')}`;
  }
  for (const [name, value] of Object.entries(options.custom_headers)) out[name.toLowerCase()] = String(value);
  return out;
}

/**
 * The transport to the plugin's nodes; `legacyCaFiles` are CA files given under the plugin's
 * deprecated option (the output's cacert, the filter's ca_file). ConfigErrors name the plugin.
 */
export function openTransport(options: NodeOptions, defaultHost: string, legacyCaFiles: string[], ctx: PluginContext): Transport {
  const urls = nodeUrls(options, defaultHost, ctx);
  const anyHttps = urls.some((u) => u.startsWith('https:'));
  const caFiles = [...(options.ssl_certificate_authorities ?? []), ...legacyCaFiles];
  const tls = anyHttps
    ? tlsOptions({ ...options, ssl_enabled: true, ssl_certificate_authorities: caFiles, ssl_verification_mode: options.ssl_certificate_verification === false ? 'none' : options.ssl_verification_mode }, ctx.location, ctx.name)
    : undefined;
  return new Transport({
    urls,
    headers: headers(options, ctx, anyHttps),
    tls,
    timeoutMs: options.timeout * 1000,
    resurrectMs: options.resurrect_delay * 1000,
    logger: ctx.logger,
  });
}

/** hosts, or the endpoint cloud_id names (Logstash refuses both together, and so do we). */
function nodeUrls(options: NodeOptions, defaultHost: string, ctx: PluginContext): string[] {
  if (options.cloud_id !== undefined) {
    if (options.hosts !== undefined) throw new ConfigError(`${ctx.name}: use either cloud_id or hosts, not both`, ctx.location);
    return [cloudIdUrl(options.cloud_id, ctx.location)];
  }
  const ssl = options.ssl_enabled ?? options.ssl;
  const urls = (options.hosts ?? [defaultHost]).map((h) => nodeUrl(h, { ssl, path: options.path }, ctx.location));
  if (urls.length === 0) throw new ConfigError(`${ctx.name}: hosts is empty`, ctx.location);
  return urls;
}
