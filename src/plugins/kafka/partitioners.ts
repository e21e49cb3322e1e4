/**
 * Which partition a record goes to. A keyed record must land where the Java client would put it
 * (murmur2 of the key bytes, sign bit cleared, modulo the partition count): consumers that rely
 * on per-key ordering or co-partitioning see the same layout whichever producer wrote.
 * test/plugins/outputs/kafka/partitioners.test.ts checks vectors the real Java client computed.
 * The agent's `partition.hash` is Filebeat's FNV-1a instead, so an agent replacing Filebeat keeps
 * its keys on their partitions.
 */

export type PartitionerName = 'default' | 'round_robin' | 'uniform_sticky' | 'murmur2' | 'fnv1a';

export const PARTITIONERS: readonly PartitionerName[] = ['default', 'round_robin', 'uniform_sticky', 'murmur2', 'fnv1a'];

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2) as a signed 32-bit integer. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // The tail bytes, as Java's switch with fall-through does.
  const tail = length & 3;
  if (tail > 0) {
    if (tail === 3) h ^= data[whole + 2]! << 16;
    if (tail >= 2) h ^= data[whole + 1]! << 8;
    h ^= data[whole]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition the Java client's default partitioner picks for a keyed record. */
export function murmur2Partition(key: Uint8Array, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}

/** FNV-1a, 32 bits, unsigned. */
export function fnv1a(data: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) {
    h ^= data[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The partition Filebeat's `partition.hash` picks for a keyed record. */
export function fnv1aPartition(key: Uint8Array, partitions: number): number {
  return (fnv1a(key) & 0x7fffffff) % partitions;
}

/**
 * Chooses partitions for one write (a pipeline batch). Keyed records hash (murmur2, or FNV-1a for
 * `fnv1a`) unless the partitioner is round_robin, which ignores keys as Java's RoundRobinPartitioner
 * does. Keyless records: round_robin cycles per topic; default and uniform_sticky stick to one
 * partition per topic for the whole write and move on for the next, which is what Java's sticky
 * partitioner does per producer batch (a batch here is the pipeline's batch).
 */
export class PartitionChooser {
  private readonly counters = new Map<string, number>();
  private sticky = new Map<string, number>();

  constructor(private readonly name: PartitionerName) {}

  /** Starts a new write: sticky partitions move on. */
  nextWrite(): void {
    this.sticky = new Map();
  }

  choose(topic: string, key: Uint8Array | undefined, partitions: number): number {
    if (this.name === 'round_robin') return this.roundRobin(topic, partitions);
    if (key !== undefined) return this.name === 'fnv1a' ? fnv1aPartition(key, partitions) : murmur2Partition(key, partitions);
    if (this.name === 'fnv1a') return Math.floor(Math.random() * partitions);
    let p = this.sticky.get(topic);
    if (p === undefined || p >= partitions) {
      // Start where the previous write's sticky choice ended, so writes spread evenly.
      p = this.roundRobin(topic, partitions);
      this.sticky.set(topic, p);
    }
    return p;
  }

  private roundRobin(topic: string, partitions: number): number {
    const n = this.counters.get(topic) ?? Math.floor(Math.random() * partitions);
    this.counters.set(topic, (n + 1) % 0x40000000);
    return n % partitions;
  }
}
