/**
 * The kafka input's offset commits. Each stream of records (one per consumer-group generation)
 * tracks, per partition, the highest CONTIGUOUS acknowledged offset (pipeline/ack.ts): a payload
 * acknowledged out of order never moves a partition past an earlier one still in flight. A
 * stream starts at the group's committed offset, so every position it reaches is safe to commit
 * (everything before it is delivered); the committer keeps the highest such position per
 * partition and commits it — on a timer (auto_commit_interval_ms) or at once — but only for
 * partitions this consumer owns now: acknowledgements of revoked partitions are dropped, the new
 * owner reads them again from the committed offset. Never a position ahead of the pipeline.
 */
import { ContiguousAckTracker } from '../../../pipeline/ack.js';

export interface CommitTarget {
  topic: string;
  partition: number;
  /** The next offset to read: the last acknowledged offset + 1. */
  offset: bigint;
}

export interface CommitterHooks {
  /** Whether this consumer owns the partition now. */
  owns(topic: string, partition: number): boolean;
  /** Sends the commit; rejects when the broker refused it (the offsets stay pending). */
  commit(targets: CommitTarget[]): Promise<void>;
  /** A commit failed (logged by the caller's hook). */
  failed(err: unknown): void;
}

/** Per-partition trackers of one stream (one generation of the group). */
export class StreamOffsets {
  private readonly partitions = new Map<string, { tracker: ContiguousAckTracker<bigint>; last: bigint; topic: string; partition: number }>();

  constructor(private readonly committer: Committer) {}

  /**
   * Registers a payload's records (the last offset of each partition in it, in fetch order) and
   * returns what acknowledges them. Returns undefined when an offset does not follow the previous
   * one of its partition: the stream went back (a rewind), and must be replaced.
   */
  track(lastOffsets: Map<string, { topic: string; partition: number; offset: bigint }>): (() => void) | undefined {
    for (const [key, { offset }] of lastOffsets) {
      const entry = this.partitions.get(key);
      if (entry && offset <= entry.last) return undefined;
    }
    const acks: (() => boolean)[] = [];
    const touched: { key: string; topic: string; partition: number; tracker: ContiguousAckTracker<bigint> }[] = [];
    for (const [key, { topic, partition, offset }] of lastOffsets) {
      let entry = this.partitions.get(key);
      if (!entry) this.partitions.set(key, (entry = { tracker: new ContiguousAckTracker<bigint>(-1n), last: -1n, topic, partition }));
      entry.last = offset;
      acks.push(entry.tracker.track(offset));
      touched.push({ key, topic, partition, tracker: entry.tracker });
    }
    return () => {
      for (let i = 0; i < acks.length; i++) {
        if (acks[i]!()) {
          const t = touched[i]!;
          this.committer.offer(t.key, t.topic, t.partition, t.tracker.position + 1n);
        }
      }
    };
  }
}

/** The highest safe offset per partition, committed for the partitions still owned. */
export class Committer {
  private readonly pending = new Map<string, CommitTarget>();
  private readonly committed = new Map<string, bigint>();
  private inFlight: Promise<void> | undefined;
  private again = false;

  constructor(private readonly hooks: CommitterHooks, private readonly immediate: boolean) {}

  offer(key: string, topic: string, partition: number, offset: bigint): void {
    const current = this.pending.get(key)?.offset ?? this.committed.get(key) ?? -1n;
    if (offset <= current) return;
    this.pending.set(key, { topic, partition, offset });
    if (this.immediate) void this.flush();
  }

  /** Offsets waiting to be committed. */
  get waiting(): number {
    return this.pending.size;
  }

  /** The last offset committed for a partition by this consumer. */
  committedOffset(topic: string, partition: number): bigint | undefined {
    return this.committed.get(`${topic}:${partition}`);
  }

  /** Forgets pending offsets of partitions no longer owned (after a rebalance). */
  dropRevoked(): void {
    for (const [key, t] of this.pending) if (!this.hooks.owns(t.topic, t.partition)) this.pending.delete(key);
  }

  /** Commits what is pending (owned partitions only); resolves when that commit is done. */
  flush(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.dropRevoked();
    if (this.pending.size === 0) return Promise.resolve();
    const targets = [...this.pending.values()];
    this.pending.clear();
    this.inFlight = this.hooks.commit(targets).then(
      () => {
        for (const t of targets) {
          const key = `${t.topic}:${t.partition}`;
          if ((this.committed.get(key) ?? -1n) < t.offset) this.committed.set(key, t.offset);
        }
      },
      (err: unknown) => {
        // Back to pending unless something newer came meanwhile; the next flush tries again.
        for (const t of targets) {
          const key = `${t.topic}:${t.partition}`;
          if ((this.pending.get(key)?.offset ?? -1n) < t.offset) this.pending.set(key, t);
        }
        this.hooks.failed(err);
      },
    ).finally(() => {
      this.inFlight = undefined;
      if (this.again) {
        this.again = false;
        void this.flush();
      }
    });
    return this.inFlight;
  }
}
