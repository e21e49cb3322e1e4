/**
 * Acknowledgements of one AMQP channel, payload by payload. Delivery tags are per channel and
 * handed out in order, and payloads take messages in arrival order, so each payload is a run of
 * tags after the previous payload's. The pipeline acknowledges payloads in any order; one
 * `basic.ack multiple` covers every tag up to its own, so it is sent only for the contiguous run
 * of acknowledged payloads at the head (a later payload acknowledged early waits for the ones
 * before it), and always names a tag the broker still holds unsettled. A nack requeues its
 * payload's tags one by one at once: a `multiple` nack would hand back earlier payloads still in
 * the pipeline.
 *
 * Once the channel is gone its tags mean nothing (the broker redelivers its unacknowledged
 * messages, at least once): settling a payload of a closed channel does nothing.
 */
import type { Delivery } from '../../api.js';

/** The two channel operations used, by delivery tag (amqplib takes a message; see consumer.ts). */
export interface AckChannel {
  ack(tag: number, multiple: boolean): void;
  nack(tag: number, multiple: boolean, requeue: boolean): void;
}

type State = 'open' | 'acked' | 'nacked';

interface Entry {
  tags: number[];
  state: State;
}

export class ChannelAcks {
  private entries: Entry[] = [];
  private head = 0;
  private closed = false;
  private unsettled = 0;

  constructor(
    private readonly channel: AckChannel,
    /** Called whenever the last outstanding payload is settled. */
    private readonly onIdle: () => void = () => {},
  ) {}

  /** Payloads handed over and not yet settled. */
  get outstanding(): number {
    return this.unsettled;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The channel closed: nothing is sent on it any more. */
  close(): void {
    this.closed = true;
  }

  /** Registers the next payload (its tags ascending, after every earlier payload's). */
  track(tags: number[]): Delivery {
    const entry: Entry = { tags, state: 'open' };
    this.entries.push(entry);
    this.unsettled++;
    return {
      ack: () => this.settle(entry, 'acked'),
      nack: () => this.settle(entry, 'nacked'),
    };
  }

  /** Hands messages that never reached a payload back to the broker at once. */
  requeue(tags: number[]): void {
    if (this.closed) return;
    for (const tag of tags) this.send(() => this.channel.nack(tag, false, true));
  }

  private settle(entry: Entry, state: Exclude<State, 'open'>): void {
    if (entry.state !== 'open') return;
    entry.state = state;
    this.unsettled--;
    try {
      if (this.closed) return;
      if (state === 'nacked') this.requeue(entry.tags);
      this.ackHead();
    } finally {
      if (this.unsettled === 0) this.onIdle();
    }
  }

  /** Acks the run of settled payloads at the head with as few `multiple` acks as is correct. */
  private ackHead(): void {
    let upTo: number | undefined;
    while (this.head < this.entries.length && this.entries[this.head]!.state !== 'open') {
      const e = this.entries[this.head++]!;
      if (e.state === 'acked') {
        upTo = e.tags[e.tags.length - 1];
      } else if (upTo !== undefined) {
        // A nacked payload's tags are settled already; ack the acked run before it on its own.
        const tag = upTo;
        this.send(() => this.channel.ack(tag, true));
        upTo = undefined;
      }
    }
    if (upTo !== undefined) {
      const tag = upTo;
      this.send(() => this.channel.ack(tag, true));
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  private send(op: () => void): void {
    if (this.closed) return;
    try {
      op();
    } catch {
      // The client refuses once the channel closed (its close event may not have arrived yet).
      this.closed = true;
    }
  }
}
