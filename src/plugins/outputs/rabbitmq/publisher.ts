/**
 * The rabbitmq output's sink: publishes a batch on a confirm channel and resolves only once the
 * broker confirmed every message of it. Messages the broker refused (basic.nack) or whose
 * confirm was lost with the connection are handed back for a retry; a write that got no confirm
 * at all fails as a whole (retryable), and the pipeline retries it on the sink's policy, which is
 * also how a lost connection is reopened: each attempt reconnects first.
 */
import type { ChannelModel, ConfirmChannel, Options } from 'amqplib';
import type { Logger } from '../../../core/logger.js';
import { OutputError, type WriteResult } from '../../api.js';
import { AmqpConnector, describeAmqpError } from '../../amqp/connect.js';
import type { AmqpTarget } from '../../amqp/options.js';
import { messagesOf, subsetOf, type BatchMessage, type MessageBatch, type MessageProperties } from './message-batch.js';
import { publishOptions } from './properties.js';

export interface PublisherSettings {
  targets: AmqpTarget[];
  exchange: string;
  exchangeType: string;
  durable: boolean;
  arguments: Record<string, unknown>;
  passive: boolean;
  persistent: boolean;
  /** Properties of messages whose group carries none (they do not depend on the event). */
  staticProperties: MessageProperties;
  logger: Logger;
}

/** amqplib fails a confirm callback with this message on basic.nack; any other error means the channel closed. */
const NACKED = 'message nacked';

interface Session {
  model: ChannelModel;
  channel: ConfirmChannel;
  label: string;
  /** Set when the connection or the channel closed: the session is never used again. */
  closed: boolean;
}

export class RabbitPublisher {
  private readonly connector: AmqpConnector;
  private session: Session | undefined;
  private opening: Promise<Session> | undefined;
  private everConnected = false;
  private closing = false;
  private readonly staticOptions: Options.Publish;
  private readonly groupOptions = new WeakMap<MessageProperties, Options.Publish>();

  constructor(private readonly settings: PublisherSettings) {
    this.connector = new AmqpConnector(settings.targets);
    this.staticOptions = publishOptions(settings.staticProperties, settings.persistent);
  }

  async write(batch: MessageBatch): Promise<WriteResult | void> {
    const messages = messagesOf(batch);
    if (messages.length === 0) return;
    const session = await this.open();
    const { lost, nacked } = await this.publishAll(session, messages);
    if (lost.length === 0 && nacked.length === 0) return;
    if (lost.length === messages.length) {
      throw new OutputError(`the connection to RabbitMQ (${session.label}) closed before the broker confirmed the write`, 'retryable');
    }
    if (nacked.length > 0) this.settings.logger.warn('RabbitMQ refused some messages (basic.nack); they will be published again', { messages: nacked.length });
    const positions = [...lost, ...nacked].sort((a, b) => a - b);
    return { retry: { data: subsetOf(messages, positions), indexes: positions } };
  }

  async close(): Promise<void> {
    this.closing = true;
    const session = this.session ?? (await this.opening?.catch(() => undefined));
    if (!session || session.closed) return;
    session.closed = true;
    await session.model.close().catch(() => {});
  }

  /** The open session, connecting (or reconnecting) first; a failure is a retryable OutputError. */
  private open(): Promise<Session> {
    if (this.closing) return Promise.reject(new OutputError('the rabbitmq output is closed', 'closed'));
    if (this.session && !this.session.closed) return Promise.resolve(this.session);
    this.opening ??= this.connect().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async connect(): Promise<Session> {
    const { logger, exchange, exchangeType, durable, passive } = this.settings;
    let connection;
    try {
      connection = await this.connector.connect();
    } catch (err) {
      throw new OutputError(describeAmqpError(err), 'retryable', { cause: err });
    }
    const { model, target } = connection;
    // Errors also arrive as 'close'; a listener keeps an 'error' event from being thrown.
    model.on('error', (err: Error) => logger.debug('RabbitMQ connection error', { host: target.label, error: err.message }));
    let channel: ConfirmChannel;
    try {
      channel = await model.createConfirmChannel();
      channel.on('error', (err: Error) => logger.warn('RabbitMQ channel error', { host: target.label, error: err.message }));
      // The default exchange ("") cannot be declared; it routes by queue name.
      if (exchange !== '') {
        if (passive) await channel.checkExchange(exchange);
        else await channel.assertExchange(exchange, exchangeType, { durable, arguments: this.settings.arguments });
      }
    } catch (err) {
      await model.close().catch(() => {});
      throw new OutputError(`RabbitMQ ${target.label}: cannot set up exchange "${exchange}": ${describeAmqpError(err)}`, 'retryable', { cause: err });
    }
    const session: Session = { model, channel, label: target.label, closed: false };
    const lost = (why: string): void => {
      if (session.closed) return;
      session.closed = true;
      if (!this.closing) logger.warn(`RabbitMQ ${why}; the output reconnects on its next write`, { host: target.label });
      // A channel closed by the broker (a missing exchange) leaves the connection open: drop it too.
      model.close().catch(() => {});
    };
    model.on('close', () => lost('connection lost'));
    channel.on('close', () => lost('channel closed'));
    model.on('blocked', (reason: string) => logger.warn('RabbitMQ blocks publishing (resource alarm); writes wait', { host: target.label, reason }));
    model.on('unblocked', () => logger.info('RabbitMQ unblocked publishing', { host: target.label }));
    logger.info(this.everConnected ? 'reconnected to RabbitMQ' : 'connected to RabbitMQ', { host: target.label, exchange });
    this.everConnected = true;
    this.session = session;
    return session;
  }

  /** Publishes every message and waits for each confirm: which positions were lost or refused. */
  private publishAll(session: Session, messages: BatchMessage[]): Promise<{ lost: number[]; nacked: number[] }> {
    const { exchange } = this.settings;
    return new Promise((resolve) => {
      const lost: number[] = [];
      const nacked: number[] = [];
      let pending = messages.length;
      const settle = (i: number, err: unknown): void => {
        if (err) ((err as Error).message === NACKED ? nacked : lost).push(i);
        if (--pending === 0) resolve({ lost, nacked });
      };
      for (let i = 0; i < messages.length; i++) {
        const m = messages[i]!;
        try {
          session.channel.publish(exchange, m.key, m.body, this.optionsOf(m.properties), (err: unknown) => settle(i, err));
        } catch {
          // The channel closed under us: this message and the rest were never sent.
          for (let j = i; j < messages.length; j++) settle(j, new Error('channel closed'));
          return;
        }
      }
    });
  }

  private optionsOf(properties: MessageProperties | undefined): Options.Publish {
    if (!properties) return this.staticOptions;
    let options = this.groupOptions.get(properties);
    if (!options) {
      options = publishOptions({ ...this.settings.staticProperties, ...properties }, this.settings.persistent);
      this.groupOptions.set(properties, options);
    }
    return options;
  }
}
