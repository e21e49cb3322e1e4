/**
 * `message_properties`: AMQP basic properties set on every message, each value a sprintf
 * template rendered per event (as Logstash does), plus how they become amqplib's publish options.
 */
import type { Options } from 'amqplib';
import { ConfigError, type SourceLocation } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { compileTemplate, hasInterpolation } from '../../../core/sprintf.js';
import type { MessageProperties } from './message-batch.js';

const STRING_PROPERTIES = ['content_type', 'content_encoding', 'correlation_id', 'reply_to', 'expiration', 'message_id', 'type', 'user_id', 'app_id'] as const;
const NUMBER_PROPERTIES = ['priority', 'timestamp'] as const;
const KNOWN: readonly string[] = [...STRING_PROPERTIES, ...NUMBER_PROPERTIES];

export interface CompiledProperties {
  /** True when some value depends on the event: each message then carries its own properties. */
  dynamic: boolean;
  /** The properties of one event; throws when a numeric property does not render as a number. */
  render(event: Event): MessageProperties;
}

export function compileProperties(hash: Record<string, unknown>, location?: SourceLocation): CompiledProperties {
  const renderers: ((event: Event, into: MessageProperties) => void)[] = [];
  let dynamic = false;
  for (const [name, raw] of Object.entries(hash)) {
    if (!KNOWN.includes(name)) throw new ConfigError(`rabbitmq: unknown message property "${name}"`, location, `known: ${KNOWN.join(', ')}`);
    const text = String(raw);
    dynamic ||= hasInterpolation(text);
    const template = compileTemplate(text);
    if ((NUMBER_PROPERTIES as readonly string[]).includes(name)) {
      const key = name as (typeof NUMBER_PROPERTIES)[number];
      renderers.push((event, into) => {
        const value = template(event);
        const n = Number(value);
        if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new Error(`message property ${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
        if (key === 'priority' && n > 255) throw new Error(`message property priority must be at most 255, got ${n}`);
        into[key] = n;
      });
    } else {
      const key = name as (typeof STRING_PROPERTIES)[number];
      renderers.push((event, into) => void (into[key] = template(event)));
    }
  }
  return {
    dynamic,
    render(event) {
      const out: MessageProperties = {};
      for (const r of renderers) r(event, out);
      return out;
    },
  };
}

/** amqplib's publish options for a message. */
export function publishOptions(props: MessageProperties, persistent: boolean): Options.Publish {
  const o: Options.Publish = { persistent };
  if (props.content_type !== undefined) o.contentType = props.content_type;
  if (props.content_encoding !== undefined) o.contentEncoding = props.content_encoding;
  if (props.priority !== undefined) o.priority = props.priority;
  if (props.correlation_id !== undefined) o.correlationId = props.correlation_id;
  if (props.reply_to !== undefined) o.replyTo = props.reply_to;
  if (props.expiration !== undefined) o.expiration = props.expiration;
  if (props.message_id !== undefined) o.messageId = props.message_id;
  if (props.timestamp !== undefined) o.timestamp = props.timestamp;
  if (props.type !== undefined) o.type = props.type;
  if (props.user_id !== undefined) o.userId = props.user_id;
  if (props.app_id !== undefined) o.appId = props.app_id;
  return o;
}
