/**
 * rabbitmq output. Workers encode each event with the codec and render its routing key (and any
 * per-event message properties); the main thread publishes the bytes on a confirm channel and
 * acknowledges a batch only once the broker confirmed every message of it (publisher.ts).
 */
import { defineOutput } from '../../api.js';
import { ConfigError } from '../../../core/errors.js';
import { Event } from '../../../core/event.js';
import { compileTemplate } from '../../../core/sprintf.js';
import { AMQP_CONNECTION_OPTIONS, amqpTargets, MAX_RECONNECT_DELAY_MS } from '../../amqp/options.js';
import { encodeEach } from '../encoding.js';
import type { MessageBatch, MessageGroup, MessageProperties } from './message-batch.js';
import { compileProperties } from './properties.js';
import { RabbitPublisher } from './publisher.js';
import { bytesEncoder } from '../../codec-bytes.js';


/** Writes waiting for publisher confirms at once. */
const WRITES_IN_FLIGHT = 4;

export const rabbitmqOutput = defineOutput({
  kind: 'output',
  name: 'rabbitmq',
  binaryCodecs: true,
  description: 'Publishes events to a RabbitMQ exchange; a batch is acknowledged once the broker confirmed every message (publisher confirms).',
  options: {
    ...AMQP_CONNECTION_OPTIONS,
    exchange: { type: 'string', required: true, description: 'Exchange to publish to ("" is the default exchange, which routes by queue name).' },
    exchange_type: { type: 'string', required: true, description: 'Type of the exchange, declared if missing: direct, fanout, topic, headers or a plugin type.' },
    key: { type: 'string', default: 'logstash', description: 'Routing key; sprintf per event (%{field}).' },
    persistent: { type: 'boolean', default: true, description: 'Publish messages as persistent (delivery mode 2): they survive a broker restart in a durable queue.' },
    durable: { type: 'boolean', default: true, description: 'Declare the exchange durable.' },
    arguments: { type: 'hash', default: {}, description: 'Arguments of the exchange declaration (e.g. { "alternate-exchange" => "unrouted" }).' },
    message_properties: {
      type: 'hash',
      default: {},
      description: 'AMQP properties of every message (content_type, content_encoding, priority, correlation_id, reply_to, expiration, message_id, timestamp, type, user_id, app_id); values are sprintf templates.',
    },
    codec: { type: 'codec', default: { name: 'json', settings: [] }, description: 'Codec of each message body.' },
  },
  createEncoder(options, ctx) {
    const encodeBody = bytesEncoder(ctx.createCodec(options.codec));
    const key = compileTemplate(options.key);
    const keyIsStatic = !options.key.includes('%{');
    const properties = compileProperties(options.message_properties, ctx.location);
    return {
      encode(events: Event[]) {
        // Bodies gather per group (routing key, and properties when they vary per event); the
        // groups are then laid end to end in one buffer the sink receives without a copy.
        const groups = new Map<string, { group: MessageGroup; bodies: Uint8Array[] }>();
        let total = 0;
        const rejected = encodeEach(events, (event) => {
          const routingKey = keyIsStatic ? options.key : key(event);
          let props: MessageProperties | undefined;
          let groupId = routingKey;
          if (properties.dynamic) {
            props = properties.render(event);
            groupId += '\u0000' + JSON.stringify(props);
          }
          const body = encodeBody(event);
          let entry = groups.get(groupId);
          if (!entry) {
            entry = { group: props ? { key: routingKey, properties: props, count: 0 } : { key: routingKey, count: 0 }, bodies: [] };
            groups.set(groupId, entry);
          }
          entry.group.count++;
          entry.bodies.push(body);
          total += body.length;
        });
        const count = events.length - (rejected?.length ?? 0);
        if (count === 0) return rejected ? { data: undefined, rejected } : undefined;
        const bytes = new Uint8Array(total);
        const ends = new Uint32Array(count);
        let offset = 0;
        let i = 0;
        for (const { bodies } of groups.values()) {
          for (const body of bodies) {
            bytes.set(body, offset);
            offset += body.length;
            ends[i++] = offset;
          }
        }
        const data: MessageBatch = { bytes, ends, groups: [...groups.values()].map((g) => g.group) };
        const transfer = [bytes.buffer as ArrayBuffer, ends.buffer as ArrayBuffer];
        return rejected ? { data, transfer, rejected } : { data, transfer };
      },
    };
  },
  createSink(options, ctx) {
    const targets = amqpTargets(options, `logpipe ${ctx.pipelineId}/${ctx.id}`, ctx.location);
    if (options.exchange === '' && options.exchange_type !== 'direct') {
      throw new ConfigError('rabbitmq: the default exchange ("") is a direct exchange; set exchange_type => "direct"', ctx.location);
    }
    // Messages of events that render no property carry the static ones. A json body says so.
    const staticProperties = compileProperties(options.message_properties, ctx.location);
    let fixed: MessageProperties = {};
    try {
      // Constant templates: rendering them reads no field, so any event will do.
      if (!staticProperties.dynamic) fixed = staticProperties.render(new Event({}));
    } catch (err) {
      throw new ConfigError(`rabbitmq: ${(err as Error).message}`, ctx.location);
    }
    if (fixed.content_type === undefined && options.codec.name === 'json') fixed.content_type = 'application/json';
    const publisher = new RabbitPublisher({
      targets,
      exchange: options.exchange,
      exchangeType: options.exchange_type,
      durable: options.durable,
      arguments: options.arguments,
      passive: options.passive,
      persistent: options.persistent,
      staticProperties: fixed,
      logger: ctx.logger,
    });
    const initialMs = options.connect_retry_interval * 1000;
    return {
      write: (data) => publisher.write(data as MessageBatch),
      close: () => publisher.close(),
      // Each write waits for its own confirms; several in flight on the one confirm channel hide
      // that round trip, and the broker still takes the messages in the order they were published.
      concurrency: WRITES_IN_FLIGHT,
      // A failed write (the broker away) is retried from connect_retry_interval, doubling.
      retry: { initialMs, maxMs: Math.max(initialMs, MAX_RECONNECT_DELAY_MS), maxAttempts: 0 },
    };
  },
});
