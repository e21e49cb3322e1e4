/**
 * Out-of-order acknowledgements → the highest contiguous position. A source
 * that hands out positions 1, 2, 3… (byte offsets, sequence numbers) may only
 * forget up to the highest position whose predecessors are all acknowledged;
 * it never advances past a hole.
 */
export class ContiguousAckTracker<P = number> {
  private readonly pending: { position: P; acked: boolean }[] = [];
  private head = 0;
  private committed: P;

  constructor(initial: P) {
    this.committed = initial;
  }

  /** The highest position such that it and everything before it are acknowledged. */
  get position(): P {
    return this.committed;
  }

  /** Number of handed-out positions not yet covered by `position`. */
  get outstanding(): number {
    return this.pending.length - this.head;
  }

  /** Registers the next position, in order; returns the function that acknowledges it. */
  track(position: P): () => boolean {
    const entry = { position, acked: false };
    this.pending.push(entry);
    return () => {
      if (entry.acked) return false;
      entry.acked = true;
      return this.advance();
    };
  }

  /** Returns true when `position` moved. */
  private advance(): boolean {
    let moved = false;
    while (this.head < this.pending.length && this.pending[this.head]!.acked) {
      this.committed = this.pending[this.head]!.position;
      this.head++;
      moved = true;
    }
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending.splice(0, this.head);
      this.head = 0;
    }
    return moved;
  }
}
