/**
 * A least-recently-used cache: a Map from key to slot, and the slots in a
 * doubly linked list (index arrays) from most to least recently used. A hit
 * only relinks a slot; the Map changes on misses alone. (Re-inserting into
 * the Map on every hit, the usual Map-order trick, cost ~0.3 µs per call in
 * the geoip benchmark: the deletions leave holes the Map must skip and
 * rehash.) Used by geoip, its database decoder, and useragent.
 */
const NONE = -1;

export class LruCache<K, V> {
  private readonly slots = new Map<K, number>();
  private readonly keys: K[] = [];
  private readonly values: V[] = [];
  /** Neighbours of each slot: towards the most recent (prev) and the least recent (next). */
  private readonly prev: number[] = [];
  private readonly next: number[] = [];
  private head = NONE;
  private tail = NONE;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.slots.size;
  }

  /** The cached value (now the most recently used), or undefined. */
  get(key: K): V | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    if (slot !== this.head) this.toFront(slot);
    return this.values[slot];
  }

  set(key: K, value: V): void {
    if (this.capacity <= 0) return;
    let slot = this.slots.get(key);
    if (slot !== undefined) {
      this.values[slot] = value;
      if (slot !== this.head) this.toFront(slot);
      return;
    }
    if (this.keys.length < this.capacity) {
      slot = this.keys.length;
      this.keys.push(key);
      this.values.push(value);
      this.prev.push(NONE);
      this.next.push(NONE);
    } else {
      // Reuse the least recently used slot.
      slot = this.tail;
      this.slots.delete(this.keys[slot]!);
      this.unlink(slot);
      this.keys[slot] = key;
      this.values[slot] = value;
    }
    this.slots.set(key, slot);
    this.linkFront(slot);
  }

  clear(): void {
    this.slots.clear();
    this.keys.length = 0;
    this.values.length = 0;
    this.prev.length = 0;
    this.next.length = 0;
    this.head = this.tail = NONE;
  }

  private toFront(slot: number): void {
    this.unlink(slot);
    this.linkFront(slot);
  }

  private unlink(slot: number): void {
    const p = this.prev[slot]!;
    const n = this.next[slot]!;
    if (p === NONE) this.head = n;
    else this.next[p] = n;
    if (n === NONE) this.tail = p;
    else this.prev[n] = p;
  }

  private linkFront(slot: number): void {
    this.prev[slot] = NONE;
    this.next[slot] = this.head;
    if (this.head !== NONE) this.prev[this.head] = slot;
    this.head = slot;
    if (this.tail === NONE) this.tail = slot;
  }
}
