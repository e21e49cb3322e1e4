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
  private items: QueueItem[] = [];
  private head = 0;
  private waiters: (() => void)[] = [];
  events = 0;
  bytes = 0;

  constructor(
    readonly maxEvents: number,
    readonly maxBytes: number,
    /** Called whenever an item is added. */
    private readonly onAdded: () => void,
  ) {}

  get length(): number {
    return this.items.length - this.head;
  }

  get oldestEnqueuedAt(): number | undefined {
    return this.items[this.head]?.enqueuedAt;
  }

  async push(input: number, payload: InputPayload, delivery?: Delivery): Promise<void> {
    while (this.length > 0 && (this.events + payload.events > this.maxEvents || this.bytes + payload.bytes > this.maxBytes)) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.items.push({ input, payload, delivery, enqueuedAt: Date.now() });
    this.events += payload.events;
    this.bytes += payload.bytes;
    this.onAdded();
  }

  /** Takes everything still queued (a forced stop hands it back to the inputs) and releases blocked pushes. */
  takeAll(): QueueItem[] {
    const rest = this.items.slice(this.head);
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
      this.head++;
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
