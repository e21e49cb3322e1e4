/**
 * The ACKs one server connection owes its client. A client may have several windows in flight
 * (pipelining); ACKs must come in window order, each cumulative within its window: `A(seq)` covers
 * the window's events up to the one numbered `seq`. Parts of a window may be acknowledged by the
 * pipeline in any order; only the highest *contiguous* acknowledged event is ever announced.
 */
export class PendingWindow {
  /** Events acknowledged, one flag per event (windows are at most a few thousand events). */
  private readonly done: Uint8Array;
  /** Events 0..prefix-1 are all acknowledged. */
  prefix = 0;
  /** The seq last sent for this window (0 = nothing yet). */
  sentSeq = 0;

  constructor(readonly seqs: Uint32Array, private readonly onProgress: () => void) {
    this.done = new Uint8Array(seqs.length);
  }

  get count(): number {
    return this.seqs.length;
  }

  get complete(): boolean {
    return this.prefix === this.seqs.length;
  }

  /** The seq to announce for the contiguous prefix (0 when none). */
  get ackSeq(): number {
    return this.prefix === 0 ? 0 : this.seqs[this.prefix - 1]!;
  }

  /** Events [from, to) are done. */
  acknowledge(from: number, to: number): void {
    const start = Math.max(0, from);
    const end = Math.min(this.seqs.length, to);
    if (start >= end) return;
    this.done.fill(1, start, end);
    const before = this.prefix;
    while (this.prefix < this.seqs.length && this.done[this.prefix] === 1) this.prefix++;
    if (this.prefix !== before) this.onProgress();
  }
}

/** The queue of windows of one connection whose final ACK has not been sent yet. */
export class ConnectionAcks {
  private readonly windows: PendingWindow[] = [];

  /** `send(seq)` writes one ACK frame. */
  constructor(private readonly send: (seq: number) => void) {}

  /** Registers the next window (in arrival order). */
  open(seqs: Uint32Array): PendingWindow {
    const window = new PendingWindow(seqs, () => this.flush());
    this.windows.push(window);
    // A window of no events is answered at once (in its turn), as Logstash answers W(0) with A(0).
    if (seqs.length === 0) this.flush();
    return window;
  }

  /** Whether some window still waits for acknowledgements. */
  get pending(): boolean {
    return this.windows.length > 0;
  }

  /** Sends what the head windows' progress allows, in order. */
  flush(): void {
    while (this.windows.length > 0) {
      const head = this.windows[0]!;
      if (head.count === 0) {
        this.send(0);
        this.windows.shift();
        continue;
      }
      const seq = head.ackSeq;
      if (seq !== head.sentSeq) {
        head.sentSeq = seq;
        this.send(seq);
      }
      if (!head.complete) return;
      this.windows.shift();
    }
  }

  /** The keepalive: the head window's last announced seq again (0 if none), while a window is pending. */
  keepalive(): boolean {
    const head = this.windows[0];
    if (head === undefined) return false;
    this.send(head.sentSeq);
    return true;
  }
}
