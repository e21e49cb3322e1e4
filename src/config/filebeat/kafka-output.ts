/**
 * Filebeat's `output.kafka` → our kafka output: hosts, topic / topics rules with Filebeat's format
 * strings, key, partition.round_robin / partition.hash (Filebeat's FNV-1a, so keys keep their
 * partitions) / partition.random, required_acks, compression, max_message_bytes, client_id,
 * codec.format / codec.json, timeout, username/password (SASL), ssl. Events are JSON as Filebeat
 * writes them (beats_json) unless codec.format says otherwise.
 */
import type { SourceLocation } from '../../core/errors.js';
import type { PluginNode } from '../logstash/ast.js';
import { parseDuration } from '../schema.js';
import type { ConfigValue, Setting } from '../values.js';
import type { Diagnostics } from './diagnostics.js';
import type { OutputContext } from './outputs.js';
import { addDefaultRules, formatString, keyRules, mainFormat, type DefaultRules } from './redis-output.js';
import { booleanOf, configValue, pluginNode, scalarText, setting, settingFrom } from './values.js';
import type { YEntry, YMap } from './yaml.js';

const KAFKA_IGNORED: Readonly<Record<string, string>> = {
  version: 'the client negotiates each request\'s version with the brokers; ignored',
  worker: 'one producer per output; several writes are in flight at once',
  max_retries: 'a failed write is retried until delivered, as the agent promises no loss',
  backoff: 'a failed write is retried from 1 s, doubling to 30 s',
  keep_alive: 'connections stay open while the agent runs',
  broker_timeout: 'the broker waits for the required acks as long as its own settings say',
  bulk_max_size: 'a producer request is one pipeline batch',
  bulk_flush_frequency: 'events gather for pipeline.batch.delay',
  channel_buffer_size: 'the pipeline queue bounds what waits',
  metadata: 'the cluster metadata is refreshed every 5 minutes and on errors',
  compression_level: 'each codec\'s default level',
  headers: 'records carry no headers',
  loadbalance: 'records go to each partition\'s leader',
  proxy_url: 'no proxy; brokers are reached directly',
};

const KAFKA_KEYS = ['hosts', 'topic', 'topics', 'key', 'partition', 'required_acks', 'compression', 'max_message_bytes', 'client_id', 'codec', 'timeout', 'username', 'password', 'sasl', 'ssl', 'enabled'];

export function kafkaOutput(config: YMap, path: string, location: SourceLocation, ctx: OutputContext): PluginNode | undefined {
  const { diag } = ctx;
  const settings: Setting[] = [];
  let topic: string | undefined;
  let topicDefaults: DefaultRules | undefined;
  let codec: ConfigValue = { kind: 'plugin', name: 'beats_json', settings: [], location };
  let username: string | undefined;
  let password: string | undefined;
  let mechanism = 'PLAIN';
  let tls = false;
  for (const e of config.entries) {
    const keyPath = `${path}.${e.key}`;
    const text = scalarText(e.value);
    switch (e.key) {
      case 'enabled':
        break;
      case 'hosts': {
        const s = settingFrom(e, 'bootstrap_servers');
        if (s) settings.push(s);
        break;
      }
      case 'topic':
        if (text !== undefined) ({ template: topic, defaults: topicDefaults } = mainFormat(text, e.location, keyPath, diag));
        break;
      case 'topics': {
        const rules = keyRules(e, keyPath, diag, 'topic');
        if (rules) settings.push(setting('topics', rules, e.location));
        break;
      }
      case 'key':
        if (text !== undefined) settings.push(setting('message_key', formatString(text, e.location, keyPath, diag), e.location));
        break;
      case 'partition':
        partitioner(e, keyPath, settings, diag);
        break;
      case 'required_acks': {
        const acks = { '0': '0', '1': '1', '-1': 'all' }[text ?? ''];
        if (acks === undefined) diag.error(`${keyPath} must be 0, 1 or -1, got ${JSON.stringify(text)}`, e.location);
        else settings.push(setting('acks', acks, e.location));
        break;
      }
      case 'compression':
        if (!['none', 'gzip', 'snappy', 'lz4', 'zstd'].includes(text ?? '')) diag.error(`${keyPath} must be none, gzip, snappy, lz4 or zstd, got ${JSON.stringify(text)}`, e.location);
        else settings.push(setting('compression_type', text!, e.location));
        break;
      case 'max_message_bytes': {
        const n = Number(text);
        if (!Number.isInteger(n) || n < 1) diag.error(`${keyPath} must be a positive integer`, e.location);
        else settings.push(setting('max_request_size', n, e.location));
        break;
      }
      case 'client_id': {
        const s = settingFrom(e);
        if (s) settings.push(s);
        break;
      }
      case 'timeout': {
        try {
          // Filebeat reads a bare number as seconds.
          const raw = configValue(e.value);
          const ms = typeof raw === 'number' ? raw * 1000 : parseDuration(raw);
          settings.push(setting('request_timeout_ms', ms, e.location));
        } catch (err) {
          diag.error(`${keyPath}: ${(err as Error).message}`, e.location);
        }
        break;
      }
      case 'codec':
        codec = codecOf(e, keyPath, diag) ?? codec;
        break;
      case 'username':
        username = text;
        break;
      case 'password':
        password = text;
        break;
      case 'sasl':
        if (e.value.kind === 'map') {
          for (const s of e.value.entries) {
            if (s.key === 'mechanism') mechanism = scalarText(s.value) ?? mechanism;
            else diag.unknown(`${keyPath}.${s.key}`, s.key, s.location, ['mechanism']);
          }
        }
        break;
      case 'ssl':
        tls = sslSettings(e, keyPath, settings, diag);
        break;
      default:
        if (e.key in KAFKA_IGNORED) diag.unsupported(keyPath, e.location, KAFKA_IGNORED[e.key]!);
        else diag.unknown(keyPath, e.key, e.location, [...KAFKA_KEYS, ...Object.keys(KAFKA_IGNORED)]);
    }
  }
  if (topic === undefined && !settings.some((s) => s.name === 'topics')) {
    diag.error(`${path}.topic (or topics) is required`, location, 'output.kafka: {hosts: ["broker:9092"], topic: "%{[fields.log_topic]}"}');
    return undefined;
  }
  if (topicDefaults) addDefaultRules(settings, 'topics', topicDefaults.rules, topicDefaults.location);
  settings.push(setting('topic_id', topic ?? 'filebeat', location));
  settings.push(setting('codec', codec, location));
  if (username !== undefined || password !== undefined) {
    if (username === undefined || password === undefined) diag.error(`${path}: username and password go together`, location);
    else {
      const quote = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
      settings.push(setting('security_protocol', tls ? 'SASL_SSL' : 'SASL_PLAINTEXT', location));
      settings.push(setting('sasl_mechanism', mechanism, location));
      settings.push(setting('sasl_jaas_config', `org.apache.kafka.common.security.plain.PlainLoginModule required username="${quote(username)}" password="${quote(password)}";`, location));
    }
  } else if (tls) settings.push(setting('security_protocol', 'SSL', location));
  return pluginNode('kafka', settings, location);
}

/** partition.round_robin / partition.hash / partition.random → partitioner. */
function partitioner(e: YEntry, path: string, settings: Setting[], diag: Diagnostics): void {
  if (e.value.kind !== 'map' || e.value.entries.length !== 1) {
    diag.error(`${path} takes one of round_robin, hash or random`, e.location);
    return;
  }
  const choice = e.value.entries[0]!;
  const options = choice.value.kind === 'map' ? choice.value.entries : [];
  const choicePath = `${path}.${choice.key}`;
  for (const o of options) {
    const optionPath = `${choicePath}.${o.key}`;
    if (o.key === 'reachable_only') {
      if (booleanOf(o.value) === true) diag.unsupported(optionPath, o.location, 'every partition is used; a record for an unreachable leader waits for it');
    } else if (o.key === 'group_events') {
      if (Number(scalarText(o.value)) !== 1) diag.unsupported(optionPath, o.location, 'keyless records of one batch go to one partition, the next batch to the next');
    } else if (o.key === 'hash' && choice.key === 'hash') {
      if (o.value.kind === 'seq' && o.value.items.length > 0) diag.error(`${optionPath}: hashing event fields is not supported`, o.location, 'set output.kafka.key to the fields instead (key: "%{[a]}%{[b]}"): the key is hashed');
    } else if (o.key === 'random' && choice.key === 'hash') {
      // Filebeat: keyless events go to a random partition, which fnv1a does.
    } else diag.unknown(optionPath, o.key, o.location, choice.key === 'hash' ? ['hash', 'random', 'reachable_only'] : ['reachable_only', 'group_events']);
  }
  const name = { round_robin: 'round_robin', hash: 'fnv1a', random: 'uniform_sticky' }[choice.key];
  if (name === undefined) diag.unknown(choicePath, choice.key, choice.location, ['round_robin', 'hash', 'random']);
  else settings.push(setting('partitioner', name, choice.location));
}

/** codec.format.string → plain codec with that format; codec.json → Filebeat's JSON. */
function codecOf(e: YEntry, path: string, diag: Diagnostics): ConfigValue | undefined {
  if (e.value.kind !== 'map') return undefined;
  for (const c of e.value.entries) {
    if (c.key === 'format' && c.value.kind === 'map') {
      for (const f of c.value.entries) {
        const format = scalarText(f.value);
        if (f.key === 'string' && format !== undefined) {
          return { kind: 'plugin', name: 'plain', settings: [setting('format', formatString(format, f.location, `${path}.format.string`, diag), f.location)], location: c.location };
        }
        diag.unknown(`${path}.format.${f.key}`, f.key, f.location, ['string']);
      }
    } else if (c.key === 'json' && c.value.kind === 'map') {
      let pretty = false;
      for (const j of c.value.entries) {
        if (j.key === 'pretty') pretty = booleanOf(j.value) ?? pretty;
        else diag.unsupported(`${path}.json.${j.key}`, j.location, 'ignored');
      }
      return { kind: 'plugin', name: 'beats_json', settings: pretty ? [setting('pretty', true, c.location)] : [], location: c.location };
    } else diag.unknown(`${path}.${c.key}`, c.key, c.location, ['json', 'format']);
  }
  return undefined;
}

/** ssl.* → the TLS settings; returns whether TLS is on. */
function sslSettings(e: YEntry, path: string, settings: Setting[], diag: Diagnostics): boolean {
  if (e.value.kind !== 'map') {
    diag.error(`${path} must be a map`, e.location);
    return false;
  }
  let enabled = true; // Filebeat: an ssl section enables TLS unless enabled: false
  for (const s of e.value.entries) {
    const keyPath = `${path}.${s.key}`;
    if (s.key === 'enabled') enabled = booleanOf(s.value) !== false;
    else if (s.key === 'certificate_authorities') {
      const list = configValue(s.value);
      const files = Array.isArray(list) ? list : [list];
      if (files.length !== 1 || typeof files[0] !== 'string') diag.error(`${keyPath}: give one PEM file (concatenate several CAs into it)`, s.location);
      else settings.push(setting('ssl_truststore_location', files[0], s.location));
    } else if (s.key === 'verification_mode') {
      const mode = scalarText(s.value);
      if (mode === 'certificate') settings.push(setting('ssl_endpoint_identification_algorithm', '', s.location));
      else if (mode !== 'full' && mode !== 'strict') diag.error(`${keyPath}: ${JSON.stringify(mode)} is not supported`, s.location, 'use full, or certificate (no host name check) with certificate_authorities');
    } else diag.unsupported(keyPath, s.location, 'ignored');
  }
  return enabled;
}
