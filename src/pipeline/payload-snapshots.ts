/**
 * Copies of the payloads a watched worker holds, so a batch can be re-run after the watchdog cuts
 * the worker off (watchdog.ts). The payload bytes themselves are still transferred to the worker;
 * the copy goes into a buffer from a small pool that is reused once the batch returns. Posting
 * copies instead would leave every payload as garbage on the main thread, whose small heap is
 * rarely collected: measured +175 MB peak RSS on 1 M Apache lines.
 */
import type { BatchItem } from './worker-core.js';

/** A payload as the dispatcher holds it: the input's data and what postMessage may transfer. */
export interface PayloadToSend {
  input: number;
  data: unknown;
  transfer?: ArrayBuffer[] | undefined;
}

interface Kept {
  input: number;
  /** Bytes copied into a pooled buffer (the original is transferred away)… */
  copy?: { pooled: ArrayBuffer; length: number };
  /** …or the data itself, when posting does not detach it (nothing to transfer, or a shape we cannot copy). */
  data?: unknown;
}

export interface Snapshot {
  /** What to post now, and what to transfer with it. */
  items: BatchItem[];
  transfer: ArrayBuffer[];
  kept: Kept[];
}

export class PayloadSnapshots {
  private readonly pool: ArrayBuffer[] = [];

  constructor(private readonly maxPooled = 16) {}

  take(payloads: PayloadToSend[]): Snapshot {
    const items: BatchItem[] = [];
    const transfer: ArrayBuffer[] = [];
    const kept: Kept[] = [];
    for (const p of payloads) {
      items.push({ input: p.input, data: p.data });
      const t = p.transfer;
      if (!t || t.length === 0) {
        kept.push({ input: p.input, data: p.data });
      } else if (p.data instanceof Uint8Array && t.length === 1 && t[0] === p.data.buffer) {
        const pooled = this.buffer(p.data.length);
        new Uint8Array(pooled, 0, p.data.length).set(p.data);
        kept.push({ input: p.input, copy: { pooled, length: p.data.length } });
        transfer.push(t[0]);
      } else {
        // Unknown shape: post a structured-clone copy and keep the original.
        kept.push({ input: p.input, data: p.data });
      }
    }
    return { items, transfer, kept };
  }

  /** The batch again, from the copies, for a re-run (the copies stay for another one). */
  restore(snapshot: Snapshot): Snapshot {
    const items: BatchItem[] = [];
    const transfer: ArrayBuffer[] = [];
    for (const k of snapshot.kept) {
      if (k.copy) {
        const bytes = new Uint8Array(k.copy.pooled.slice(0, k.copy.length));
        items.push({ input: k.input, data: bytes });
        transfer.push(bytes.buffer);
      } else {
        items.push({ input: k.input, data: k.data });
      }
    }
    return { items, transfer, kept: snapshot.kept };
  }

  /** The batch returned: its copies go back to the pool. */
  release(snapshot: Snapshot): void {
    for (const k of snapshot.kept) {
      if (k.copy && this.pool.length < this.maxPooled) this.pool.push(k.copy.pooled);
    }
    snapshot.kept.length = 0;
  }

  private buffer(length: number): ArrayBuffer {
    for (let i = this.pool.length - 1; i >= 0; i--) {
      const b = this.pool[i]!;
      if (b.byteLength >= length) {
        this.pool[i] = this.pool[this.pool.length - 1]!;
        this.pool.pop();
        return b;
      }
    }
    // Round up so payloads of slightly different sizes share buffers.
    return new ArrayBuffer(Math.max(64 * 1024, 2 ** Math.ceil(Math.log2(Math.max(1, length)))));
  }
}
