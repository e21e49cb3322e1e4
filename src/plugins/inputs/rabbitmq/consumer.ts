/**
 * The rabbitmq input's main-thread half: subscribes to the queue, gathers message bodies into
 * payloads and acknowledges each message only when the pipeline acknowledged its payload
 * (channel-acks.ts). `prefetch_count` bounds the messages the broker hands over unacknowledged,
 * so a slow pipeline stops the flow at the broker: that is the backpressure.
 *
 * A lost connection or channel is reopened with backoff (connect_retry_interval doubling to
 * 30 s; a failed subscription waits subscription_retry_interval_seconds). Payloads of the dead
 * channel can no longer be acknowledged: the broker redelivers their messages (at least once).
 */
import type { Channel, ConsumeMessage, Message } from 'amqplib';
import type { Logger } from '../../../core/logger.js';
import { Sleeps } from '../../../core/sleeps.js';
import { PAYLOAD_TARGET_BYTES, type Delivery, type InputSink, type InputSource } from '../../api.js';
import { AmqpConnector, describeAmqpError, type AmqpConnection } from '../../amqp/connect.js';
import { MAX_RECONNECT_DELAY_MS, type AmqpTarget } from '../../amqp/options.js';
import { ChannelAcks, type AckChannel } from './channel-acks.js';
import { messageMetadata, type MetadataMode } from './metadata.js';
import { PayloadBuilder } from './payload.js';

/** How long the queue may be quiet before the messages gathered are handed over. */
export const QUIET_FLUSH_MS = 10;

export interface ConsumerSettings {
  targets: AmqpTarget[];
  queue: string;
  durable: boolean;
  autoDelete: boolean;
  exclusive: boolean;
  arguments: Record<string, unknown>;
  passive: boolean;
  /** Bind the queue to this exchange, declaring it first when `exchangeType` is set. */
  exchange: string | undefined;
  exchangeType: string | undefined;
  key: string;
  prefetch: number;
  ack: boolean;
  metadata: MetadataMode;
  retryMs: number;
  subscriptionRetryMs: number;
  /** Most messages in one payload. */
  maxMessages: number;
  logger: Logger;
}

type Ended = { stopped: true } | { stopped: false; reason: string };

export class RabbitConsumer implements InputSource {
  private stopped = false;
  private readonly sleeps = new Sleeps();
  private readonly connector: AmqpConnector;
  private current: Subscription | undefined;
  private everConnected = false;

  constructor(private readonly settings: ConsumerSettings) {
    this.connector = new AmqpConnector(settings.targets);
  }

  async run(sink: InputSink): Promise<void> {
    const { logger, retryMs, subscriptionRetryMs } = this.settings;
    let delay = retryMs;
    while (!this.stopped && !sink.stopping) {
      let connection: AmqpConnection;
      try {
        connection = await this.connector.connect();
      } catch (err) {
        logger.warn('cannot connect to RabbitMQ; retrying', { error: describeAmqpError(err), retry_in_ms: delay });
        await this.sleeps.sleep(delay);
        delay = Math.min(delay * 2, Math.max(retryMs, MAX_RECONNECT_DELAY_MS));
        continue;
      }
      const subscription = new Subscription(connection, this.settings);
      try {
        await subscription.open();
      } catch (err) {
        subscription.retire();
        logger.error('cannot subscribe to the RabbitMQ queue; retrying', { host: connection.target.label, queue: this.settings.queue, error: describeAmqpError(err), retry_in_ms: subscriptionRetryMs });
        await this.sleeps.sleep(subscriptionRetryMs);
        continue;
      }
      if (this.stopped) {
        subscription.retire();
        break;
      }
      logger.info(this.everConnected ? 'reconnected to RabbitMQ' : 'connected to RabbitMQ', { host: connection.target.label, queue: subscription.queueName });
      this.everConnected = true;
      this.current = subscription;
      const ended = await subscription.consume(sink);
      this.current = undefined;
      subscription.retire();
      if (ended.stopped) break;
      // Only the first attempt after a loss is quick; failing ones back off above.
      delay = retryMs;
      logger.warn('lost the RabbitMQ subscription; unacknowledged messages will be redelivered; reconnecting', { host: connection.target.label, reason: ended.reason, retry_in_ms: delay });
      await this.sleeps.sleep(delay);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.sleeps.interruptAll();
    await this.current?.stop();
  }
}

/** One connection and channel consuming the queue, from open to close. */
class Subscription {
  queueName: string;
  private channel: Channel | undefined;
  private acks: ChannelAcks;
  private readonly builder = new PayloadBuilder();
  private readonly limit: number;
  private sink: InputSink | undefined;
  private consumerTag: string | undefined;
  private quiet: NodeJS.Timeout | undefined;
  private lastArrival = 0;
  private chain: Promise<void> = Promise.resolve();
  private endWith!: (ended: Ended) => void;
  private readonly ended = new Promise<Ended>((resolve) => (this.endWith = resolve));
  private finished = false;
  private retired = false;
  private closed = false;

  constructor(private readonly connection: AmqpConnection, private readonly s: ConsumerSettings) {
    this.queueName = s.queue;
    // Replaced once the channel exists; until then nothing is tracked.
    this.acks = new ChannelAcks({ ack() {}, nack() {} });
    // When the broker holds back once prefetch_count messages are unacknowledged, waiting
    // for more would only add the quiet delay.
    this.limit = s.ack && s.prefetch > 0 ? Math.min(s.maxMessages, s.prefetch) : s.maxMessages;
  }

  async open(): Promise<void> {
    const { model, target } = this.connection;
    const { logger } = this.s;
    // Errors also arrive as 'close'; a listener keeps an 'error' event from being thrown.
    model.on('error', (err: Error) => logger.debug('RabbitMQ connection error', { host: target.label, error: err.message }));
    model.on('close', (err?: Error) => this.lose(err ? `connection closed: ${err.message}` : 'connection closed'));
    const ch = await model.createChannel();
    this.channel = ch;
    ch.on('error', (err: Error) => logger.warn('RabbitMQ channel error', { host: target.label, error: err.message }));
    ch.on('close', () => this.lose('channel closed'));
    this.acks = new ChannelAcks(byTag(ch), () => this.closeIfDone());
    if (this.s.ack && this.s.prefetch > 0) await ch.prefetch(this.s.prefetch);
    const q = this.s.passive
      ? await ch.checkQueue(this.s.queue)
      : await ch.assertQueue(this.s.queue, { durable: this.s.durable, autoDelete: this.s.autoDelete, exclusive: this.s.exclusive, arguments: this.s.arguments });
    this.queueName = q.queue;
    if (this.s.exchange !== undefined) {
      if (this.s.exchangeType !== undefined) await ch.assertExchange(this.s.exchange, this.s.exchangeType, { durable: this.s.durable });
      await ch.bindQueue(q.queue, this.s.exchange, this.s.key);
    }
  }

  /** Consumes until stopped or the channel is lost. */
  async consume(sink: InputSink): Promise<Ended> {
    this.sink = sink;
    try {
      const reply = await this.channel!.consume(this.queueName, (msg) => this.onMessage(msg), { noAck: !this.s.ack });
      this.consumerTag = reply.consumerTag;
    } catch (err) {
      this.lose(`cannot consume: ${describeAmqpError(err)}`);
    }
    const ended = await this.ended;
    // Payloads already cut are handed over (or, once the channel is gone, dropped) in order.
    await this.chain;
    return ended;
  }

  /** Stops consuming: unhanded messages go back to the queue; payloads in flight may still be acknowledged. */
  async stop(): Promise<void> {
    if (this.finished) return;
    this.end({ stopped: true });
    if (this.s.ack) this.acks.requeue(this.builder.drop());
    else this.flush(); // already removed from the queue: hand them over rather than lose them
    if (this.consumerTag !== undefined) await this.channel?.cancel(this.consumerTag).catch(() => {});
  }

  /** The subscription is over: close the connection once no payload of it awaits an acknowledgement. */
  retire(): void {
    this.retired = true;
    this.closeIfDone();
  }

  private onMessage(msg: ConsumeMessage | null): void {
    if (msg === null) {
      this.lose('the broker cancelled the consumer (was the queue deleted?)');
      return;
    }
    if (this.finished) {
      // Arrived after the stop: back to the queue at once.
      if (this.s.ack) this.acks.requeue([msg.fields.deliveryTag]);
      return;
    }
    this.builder.add(msg, this.s.metadata === 'none' ? undefined : messageMetadata(msg));
    if (this.builder.count >= this.limit || this.builder.bytes >= PAYLOAD_TARGET_BYTES) {
      this.flush();
      return;
    }
    this.lastArrival = Date.now();
    // One timer per payload, not per message: when it fires early it waits for the rest of the quiet time.
    this.quiet ??= setTimeout(() => this.onQuiet(), QUIET_FLUSH_MS);
  }

  private onQuiet(): void {
    this.quiet = undefined;
    const wait = this.lastArrival + QUIET_FLUSH_MS - Date.now();
    if (wait > 0 && !this.finished) this.quiet = setTimeout(() => this.onQuiet(), wait);
    else this.flush();
  }

  /** Cuts a payload of the messages gathered and queues its hand-over behind the previous ones. */
  private flush(): void {
    clearTimeout(this.quiet);
    this.quiet = undefined;
    if (this.builder.count === 0) return;
    const { payload, tags } = this.builder.take();
    const delivery: Delivery | undefined = this.s.ack ? this.acks.track(tags) : undefined;
    const sink = this.sink!;
    this.chain = this.chain.then(async () => {
      // With acknowledgements, a payload not handed over before the end goes back to the queue
      // (a no-op on a dead channel: the broker redelivers it anyway).
      if (delivery && this.finished) return delivery.nack?.('the rabbitmq input stopped');
      try {
        await sink.push(payload, delivery);
      } catch (err) {
        this.s.logger.error('could not hand a payload to the pipeline', { error: describeAmqpError(err) });
        delivery?.nack?.('not handed over');
      }
    });
  }

  private lose(reason: string): void {
    this.acks.close();
    if (!this.finished) this.end({ stopped: false, reason });
    // With acknowledgements the broker redelivers these; without, they left the queue already.
    if (this.s.ack) this.builder.drop();
    else this.flush();
    this.closeIfDone();
  }

  private end(ended: Ended): void {
    this.finished = true;
    clearTimeout(this.quiet);
    this.quiet = undefined;
    this.endWith(ended);
  }

  private closeIfDone(): void {
    if (this.closed || !this.retired) return;
    if (this.s.ack && this.acks.outstanding > 0 && !this.acks.isClosed) return;
    this.closed = true;
    void this.shutdown();
  }

  /**
   * Closes the channel before the connection: amqplib writes each channel's frames through its
   * own buffer, so a Connection.Close could reach the broker ahead of the last acks, which would
   * then requeue messages already written. Channel.Close travels behind them and is confirmed.
   */
  private async shutdown(): Promise<void> {
    if (this.channel && !this.acks.isClosed) await this.channel.close().catch(() => {});
    await this.connection.model.close().catch(() => {});
  }
}

/** amqplib acknowledges a message object but reads only its delivery tag. */
function byTag(ch: Channel): AckChannel {
  const message = (deliveryTag: number): Message => ({ fields: { deliveryTag } }) as unknown as Message;
  return {
    ack: (tag, multiple) => ch.ack(message(tag), multiple),
    nack: (tag, multiple, requeue) => ch.nack(message(tag), multiple, requeue),
  };
}
