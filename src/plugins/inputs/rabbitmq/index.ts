/**
 * rabbitmq input. The main thread consumes the queue and hands the workers message bodies in
 * bulk (consumer.ts); workers decode them with the codec. A message is acknowledged to the
 * broker only once the pipeline acknowledged its payload (`ack => true`, the default).
 */
import { Event } from '../../../core/event.js';
import { ConfigError } from '../../../core/errors.js';
import { defineInput, PAYLOAD_MAX_BATCHES, type InputSource } from '../../api.js';
import { queueBodyText } from '../../codec-bytes.js';
import { AMQP_CONNECTION_OPTIONS, amqpTargets } from '../../amqp/options.js';
import { RabbitConsumer } from './consumer.js';
import { metadataMode } from './metadata.js';
import type { MessagesPayload } from './payload.js';

/** Tag of an event made from a body that is not UTF-8 text; its `message` is the body in base64. */
export const BINARY_BODY_TAG = '_rabbitmq_binary_body';

export const rabbitmqInput = defineInput({
  kind: 'input',
  name: 'rabbitmq',
  binaryCodecs: true,
  description: 'Consumes a RabbitMQ queue; each message is acknowledged only after the pipeline delivered its events (at least once).',
  options: {
    ...AMQP_CONNECTION_OPTIONS,
    queue: { type: 'string', default: '', description: 'Queue to consume; "" lets the broker name a new one.' },
    durable: { type: 'boolean', default: false, description: 'Declare the queue (and the exchange, when exchange_type is set) durable.' },
    auto_delete: { type: 'boolean', default: false, description: 'Declare the queue to be deleted when its last consumer leaves.' },
    exclusive: { type: 'boolean', default: false, description: 'Declare the queue exclusive to this connection (deleted when it closes).' },
    arguments: { type: 'hash', default: {}, description: 'Queue arguments, e.g. { "x-max-length" => 100000 "x-queue-type" => "quorum" }.' },
    exchange: { type: 'string', description: 'Exchange to bind the queue to.' },
    exchange_type: { type: 'string', description: 'Type of `exchange`; when set the exchange is declared if missing.' },
    key: { type: 'string', default: 'logstash', description: 'Routing key of the binding to `exchange`.' },
    prefetch_count: { type: 'number', default: 256, description: 'Most messages the broker hands over unacknowledged: the backpressure window.' },
    ack: { type: 'boolean', default: true, description: 'Acknowledge messages once the pipeline delivered them (at least once); false: the broker forgets them on delivery (at most once).' },
    metadata_enabled: {
      type: 'string',
      default: 'none',
      values: ['none', 'basic', 'extended', 'true', 'false'],
      description: 'basic: properties under [@metadata][rabbitmq_properties] and headers under [@metadata][rabbitmq_headers]; extended: also the raw body under [@metadata][rabbitmq_payload]; true = extended, false = none.',
    },
    subscription_retry_interval_seconds: { type: 'number', default: 5, description: 'Seconds to wait before subscribing again after a failed subscription (queue declaration, binding).' },
    threads: { type: 'number', default: 1, ignored: 'one consumer per input; decoding is spread over pipeline.workers', description: 'Ignored.' },
    codec: { type: 'codec', default: { name: 'json', settings: [] }, description: 'Codec of each message body.' },
  },
  createSource(options, ctx): InputSource {
    const targets = amqpTargets(options, `logpipe ${ctx.pipelineId}/${ctx.id}`, ctx.location);
    if (!(options.prefetch_count >= 0 && Number.isInteger(options.prefetch_count) && options.prefetch_count <= 65535)) {
      throw new ConfigError(`rabbitmq: prefetch_count must be an integer from 0 to 65535, got ${options.prefetch_count}`, ctx.location);
    }
    if (options.exchange_type !== undefined && options.exchange === undefined) {
      throw new ConfigError('rabbitmq: exchange_type needs exchange', ctx.location);
    }
    return new RabbitConsumer({
      targets,
      queue: options.queue,
      durable: options.durable,
      autoDelete: options.auto_delete,
      exclusive: options.exclusive,
      arguments: options.arguments,
      passive: options.passive,
      exchange: options.exchange,
      exchangeType: options.exchange_type,
      key: options.key,
      prefetch: options.prefetch_count,
      ack: options.ack,
      metadata: metadataMode(options.metadata_enabled),
      retryMs: options.connect_retry_interval * 1000,
      subscriptionRetryMs: options.subscription_retry_interval_seconds * 1000,
      maxMessages: ctx.batchSize * PAYLOAD_MAX_BATCHES,
      logger: ctx.logger,
    });
  },
  createDecoder(options, ctx) {
    const codec = ctx.createCodec(options.codec);
    const binary = codec.binary;
    const textOf = queueBodyText(codec);
    const extended = metadataMode(options.metadata_enabled) === 'extended';
    return {
      decode(data, emit) {
        const { bytes, ends, redelivered, metadata } = data as MessagesPayload;
        let nextRedelivered = 0;
        let start = 0;
        for (let i = 0; i < ends.length; i++) {
          const body = bytes.subarray(start, ends[i]);
          start = ends[i]!;
          const wasRedelivered = redelivered !== undefined && redelivered[nextRedelivered] === i;
          if (wasRedelivered) nextRedelivered++;
          const meta = metadata?.[i];
          // A binary codec's body is not text: rabbitmq_payload holds it base64.
          const text = binary ? undefined : textOf(body);
          const decorate = (event: Event): void => {
            if (meta) {
              event.set('[@metadata][rabbitmq_properties]', { ...meta.properties });
              if (meta.headers) event.set('[@metadata][rabbitmq_headers]', structuredClone(meta.headers));
              if (extended) event.set('[@metadata][rabbitmq_payload]', text ?? Buffer.from(body).toString('base64'));
            }
            if (wasRedelivered) event.set('[@metadata][rabbitmq_properties][redelivered]', true);
            emit(event);
          };
          if (binary) {
            binary.decodeBytes(body, decorate);
          } else if (text === undefined) {
            const event = new Event({ message: Buffer.from(body).toString('base64') });
            event.tag(BINARY_BODY_TAG);
            decorate(event);
          } else {
            codec.decode(text, decorate);
          }
        }
      },
    };
  },
});
