/**
 * Ack routing: tells each payload's input what became of it (Delivery.ack / nack), exactly once,
 * and keeps a callback that throws from taking the process down: it is logged with the input's id
 * and the pipeline goes on.
 */
import type { Logger } from '../core/logger.js';
import type { QueueItem } from '../queue/memory.js';

export interface DeliveryFigures {
  /** Events whose payloads were acknowledged. */
  acked: number;
  /** Events whose payloads were handed back (nack). */
  nacked: number;
  /** Ack or nack callbacks that threw. */
  callbackErrors: number;
}

export class Deliveries {
  readonly figures: DeliveryFigures = { acked: 0, nacked: 0, callbackErrors: 0 };

  constructor(private readonly inputIds: readonly string[], private readonly logger: Logger) {}

  /** Every event of these payloads is done. */
  ack(items: readonly QueueItem[]): void {
    for (const item of items) {
      this.figures.acked += item.payload.events;
      const delivery = item.delivery;
      if (delivery) this.call(item, () => delivery.ack(), 'ack');
    }
  }

  /** This process will not deliver these payloads. */
  nack(items: readonly QueueItem[], reason: string): void {
    for (const item of items) {
      this.figures.nacked += item.payload.events;
      const nack = item.delivery?.nack;
      if (nack) this.call(item, () => nack.call(item.delivery, reason), 'nack');
    }
  }

  private call(item: QueueItem, callback: () => void, what: 'ack' | 'nack'): void {
    try {
      callback();
    } catch (err) {
      this.figures.callbackErrors++;
      this.logger.error(`an input's ${what} callback threw; the pipeline goes on`, { input: this.inputIds[item.input], error: err });
    }
  }
}
