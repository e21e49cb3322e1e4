/**
 * The real RabbitMQ the integration tests use (127.0.0.1:5672, guest/guest): a raw amqplib
 * connection to set up and inspect queues, and names unique per test. No broker, no pass: a
 * test that cannot connect fails.
 */
import amqplib, { type Channel, type ChannelModel, type ConsumeMessage, type Options } from 'amqplib';

export const RABBIT_HOST = '127.0.0.1';
export const RABBIT_PORT = 5672;

let counter = 0;

/** A queue or exchange name no other test (or run) uses. */
export function uniqueName(prefix: string): string {
  return `logpipe_test_${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
}

export class RabbitAdmin {
  private constructor(readonly model: ChannelModel, readonly channel: Channel) {}
  private readonly queues = new Set<string>();
  private readonly exchanges = new Set<string>();

  static async open(): Promise<RabbitAdmin> {
    const model = await amqplib.connect({ hostname: RABBIT_HOST, port: RABBIT_PORT, username: 'guest', password: 'guest' });
    const channel = await model.createChannel();
    return new RabbitAdmin(model, channel);
  }

  /** Declares a queue, deleted again at close(). */
  async queue(name: string, options: Options.AssertQueue = { durable: false }): Promise<string> {
    this.queues.add(name);
    await this.channel.assertQueue(name, options);
    return name;
  }

  /** Records an exchange a test's pipeline declares, so close() deletes it. */
  exchange(name: string): string {
    this.exchanges.add(name);
    return name;
  }

  /** Publishes bodies straight to a queue and waits for the broker's confirms. */
  async publish(queue: string, bodies: (string | Buffer)[], options: Options.Publish = {}): Promise<void> {
    const ch = await this.model.createConfirmChannel();
    for (const body of bodies) ch.sendToQueue(queue, typeof body === 'string' ? Buffer.from(body) : body, options);
    await ch.waitForConfirms();
    await ch.close();
  }

  /** Ready (not delivered, or requeued) messages in a queue. */
  async ready(queue: string): Promise<number> {
    return (await this.channel.checkQueue(queue)).messageCount;
  }

  /** Consumes (and acks) messages from a queue until `count` arrived or `ms` passed. */
  async take(queue: string, count: number, ms = 10_000): Promise<ConsumeMessage[]> {
    const ch = await this.model.createChannel();
    const got: ConsumeMessage[] = [];
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      void ch.consume(queue, (msg) => {
        if (!msg) return;
        got.push(msg);
        ch.ack(msg);
        if (got.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await ch.close();
    return got;
  }

  async close(): Promise<void> {
    for (const q of this.queues) await this.channel.deleteQueue(q).catch(() => {});
    for (const x of this.exchanges) await this.channel.deleteExchange(x).catch(() => {});
    await this.model.close();
  }
}

