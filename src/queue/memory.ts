/**
 * The in-memory queue between inputs and workers, bounded in events and in
 * bytes. A full queue makes push() wait: that is the backpressure that stops
 * inputs when outputs are slow. One payload larger than the whole bound is
 * still admitted when the queue is empty, so a huge line cannot deadlock.
 */
import type { Delivery, InputPayload } from '../plugins/api.js';

export interface QueueItem {
  input: number;
  payload: InputPayload;
  delivery: Delivery | undefined;
  enqueuedAt: number;
}

export class BoundedQueue {
  /** Slots before `head` were taken and are cleared, so a taken payload's bytes are not kept alive here. */
  private items: (QueueItem | undefined)[] = [];
  private head = 0;
  private waiters: (() => void)[] = [];
  /** Set by close(): why nothing is taken any more. */
  private closedReason: string | undefined;
  events = 0;
  bytes = 0;

  constructor(
    readonly maxEvents: number,
    readonly maxBytes: number,
    /** Called whenever an item is added. */
    private readonly onAdded: () => void,
    /** Called with what is pushed after close(): nothing will take it, so its input must hear so. */
    private readonly onRefused: (item: QueueItem, reason: string) => void = () => {},
  ) {}

  get length(): number {
    return this.items.length - this.head;
  }

  get oldestEnqueuedAt(): number | undefined {
    return this.items[this.head]?.enqueuedAt;
  }

  /** Whether the newest queued payload ends a burst (InputPayload.endOfBurst): no more is coming soon. */
  get endsBurst(): boolean {
    return this.length > 0 && this.items[this.items.length - 1]!.payload.endOfBurst === true;
  }

  async push(input: number, payload: InputPayload, delivery?: Delivery): Promise<void> {
    while (this.closedReason === undefined && this.length > 0 && (this.events + payload.events > this.maxEvents || this.bytes + payload.bytes > this.maxBytes)) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    const item: QueueItem = { input, payload, delivery, enqueuedAt: Date.now() };
    if (this.closedReason !== undefined) {
      this.onRefused(item, this.closedReason);
      return;
    }
    this.items.push(item);
    this.events += payload.events;
    this.bytes += payload.bytes;
    this.onAdded();
  }

  /**
   * Nothing will be taken any more (a forced stop, a failed pipeline): returns what is queued, and
   * hands every later push (blocked ones included) to `onRefused` instead of keeping it unanswered.
   */
  close(reason: string): QueueItem[] {
    this.closedReason ??= reason;
    return this.takeAll();
  }

  /** Takes everything still queued and releases blocked pushes. */
  takeAll(): QueueItem[] {
    const rest = this.items.slice(this.head) as QueueItem[];
    this.items = [];
    this.head = 0;
    this.events = 0;
    this.bytes = 0;
    this.wake();
    return rest;
  }

  /** Takes items totalling at most `maxEvents` events (always at least one item). */
  take(maxEvents: number): QueueItem[] {
    const taken: QueueItem[] = [];
    let events = 0;
    while (this.head < this.items.length) {
      const item = this.items[this.head]!;
      if (taken.length > 0 && events + item.payload.events > maxEvents) break;
      taken.push(item);
      events += item.payload.events;
      this.items[this.head++] = undefined;
      this.events -= item.payload.events;
      this.bytes -= item.payload.bytes;
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.wake();
    return taken;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
