/**
 * Opens a connection to the first broker of a list that answers, starting with the one that
 * answered last time (failover without hammering a dead first host on every reconnect).
 */
import type { ChannelModel } from 'amqplib';
import type { AmqpTarget } from './options.js';

export interface AmqpConnection {
  model: ChannelModel;
  target: AmqpTarget;
}

export class AmqpConnector {
  private next = 0;

  constructor(private readonly targets: readonly AmqpTarget[]) {}

  /** Tries every target once; rejects with every target's error when none answers. */
  async connect(): Promise<AmqpConnection> {
    // Loaded on first use: every worker thread registers the plugins, none of them connects.
    const { default: amqplib } = await import('amqplib');
    const errors: string[] = [];
    for (let i = 0; i < this.targets.length; i++) {
      const index = (this.next + i) % this.targets.length;
      const target = this.targets[index]!;
      try {
        const model = await amqplib.connect(target.connect, target.socket);
        this.next = index;
        return { model, target };
      } catch (err) {
        errors.push(`${target.label}: ${describeAmqpError(err)}`);
      }
    }
    throw new Error(`cannot connect to RabbitMQ (${errors.join('; ')})`);
  }
}

/** A client or broker error as one line (amqplib's connection errors carry the reply text). */
export function describeAmqpError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return err.errors.map(describeAmqpError).join(', ');
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
