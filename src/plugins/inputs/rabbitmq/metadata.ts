/**
 * A message's AMQP properties and headers as Logstash's rabbitmq input exposes them under
 * `[@metadata][rabbitmq_properties]` (hyphenated names) and `[@metadata][rabbitmq_headers]`,
 * made of plain JSON values so they cross to the worker and into events as they are.
 */
import type { ConsumeMessage } from 'amqplib';

export type MetadataMode = 'none' | 'basic' | 'extended';

export interface MessageMetadata {
  properties: Record<string, string | number | boolean>;
  headers?: Record<string, unknown>;
}

/** `metadata_enabled` accepts Logstash's booleans of older versions. */
export function metadataMode(value: string): MetadataMode {
  if (value === 'true') return 'extended';
  if (value === 'false') return 'none';
  return value as MetadataMode;
}

export function messageMetadata(msg: ConsumeMessage): MessageMetadata {
  const p = msg.properties;
  const f = msg.fields;
  const properties: Record<string, string | number | boolean> = {};
  const put = (name: string, value: unknown): void => {
    if (value !== undefined && value !== null) properties[name] = typeof value === 'number' || typeof value === 'boolean' ? value : String(value);
  };
  put('app-id', p.appId);
  put('cluster-id', p.clusterId);
  put('consumer-tag', f.consumerTag);
  put('content-encoding', p.contentEncoding);
  put('content-type', p.contentType);
  put('correlation-id', p.correlationId);
  put('delivery-mode', p.deliveryMode);
  put('exchange', f.exchange);
  put('expiration', p.expiration);
  put('message-id', p.messageId);
  put('priority', p.priority);
  put('redeliver', f.redelivered);
  put('reply-to', p.replyTo);
  put('routing-key', f.routingKey);
  put('timestamp', p.timestamp);
  put('type', p.type);
  put('user-id', p.userId);
  const headers = p.headers && Object.keys(p.headers).length > 0 ? (plain(p.headers) as Record<string, unknown>) : undefined;
  return headers ? { properties, headers } : { properties };
}

/**
 * amqplib decodes byte strings to Buffers and tags timestamps and decimals; events hold text,
 * numbers, booleans, arrays and objects.
 */
function plain(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'bigint') return Number(value);
  if (value !== null && typeof value === 'object') {
    const tagged = value as { '!'?: string; value?: unknown };
    if (tagged['!'] === 'timestamp') return tagged.value;
    if (tagged['!'] === 'decimal') {
      const { places, digits } = tagged.value as { places: number; digits: number };
      return digits / 10 ** places;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}
