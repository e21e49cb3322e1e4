/**
 * In-memory seen-keys store: an exact LRU (hash map + doubly linked list)
 * whose entries expire `ttlMs` after the key was first seen. Like Redis
 * `SET NX EX`, a repeat does not extend the window. One store per filter
 * instance, so per pipeline worker.
 *
 * A linked list rather than Map insertion order: evicting from the front of a
 * Map means iterating it from the start, which in V8 walks over every deleted
 * slot not yet compacted, and made a full store ~50x slower.
 */
interface Entry {
  key: string;
  expires: number;
  prev: Entry | undefined;
  next: Entry | undefined;
}

export class MemoryDedupStore {
  private readonly entries = new Map<string, Entry>();
  /** Least recently seen. */
  private head: Entry | undefined;
  /** Most recently seen. */
  private tail: Entry | undefined;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** True if `key` was recorded within the window (touching it for LRU order); records nothing. */
  has(key: string): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    if (entry.expires <= this.now()) return false;
    this.unlink(entry);
    this.append(entry);
    return true;
  }

  /** True if `key` was seen within the window; otherwise records it and returns false. */
  seen(key: string): boolean {
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.unlink(entry);
      if (entry.expires > now) {
        this.append(entry); // touch for LRU order, keeping the original expiry
        return true;
      }
      entry.expires = now + this.ttlMs;
      this.append(entry);
      this.evict(now);
      return false;
    }
    this.evict(now, 1);
    const fresh: Entry = { key, expires: now + this.ttlMs, prev: undefined, next: undefined };
    this.entries.set(key, fresh);
    this.append(fresh);
    return false;
  }

  /**
   * Drops expired entries at the LRU end, then least recently seen ones until
   * `room` more fit. The sweep stops at the first live entry, so it is cheap.
   */
  private evict(now: number, room = 0): void {
    let e = this.head;
    while (e !== undefined && (e.expires <= now || this.entries.size + room > this.maxEntries)) {
      const next = e.next;
      this.unlink(e);
      this.entries.delete(e.key);
      e = next;
    }
  }

  private unlink(e: Entry): void {
    if (e.prev) e.prev.next = e.next;
    else this.head = e.next;
    if (e.next) e.next.prev = e.prev;
    else this.tail = e.prev;
    e.prev = e.next = undefined;
  }

  private append(e: Entry): void {
    e.prev = this.tail;
    e.next = undefined;
    if (this.tail) this.tail.next = e;
    else this.head = e;
    this.tail = e;
  }

  clear(): void {
    this.entries.clear();
    this.head = this.tail = undefined;
  }
}
