/**
 * The bodies of many messages back to back in one fresh, transferable byte array, with where each
 * one ends: how queue inputs (redis, rabbitmq, kafka, udp) hand messages to a worker — the main
 * thread never decodes a body; the worker applies the codec per message — and how queue outputs
 * (rabbitmq, kafka) hand their encoded messages, in groups sharing a destination, to the sink.
 */

export interface PackedBodies {
  bytes: Uint8Array;
  /** End offset in `bytes` of each message (message i is bytes[ends[i-1] ?? 0, ends[i])). */
  ends: Uint32Array;
}

/**
 * Copies `bodies` (totalling `totalBytes`) into one fresh array. Never Buffer.concat or the
 * bodies themselves: a small Buffer may sit in Node's shared pool, and a client's body may be a
 * view of its socket buffer; transferring either to a worker would detach it under its owner.
 */
export function packBodies(bodies: readonly Uint8Array[], totalBytes: number): PackedBodies {
  const bytes = new Uint8Array(totalBytes);
  const ends = new Uint32Array(bodies.length);
  let at = 0;
  for (let i = 0; i < bodies.length; i++) {
    bytes.set(bodies[i]!, at);
    at += bodies[i]!.length;
    ends[i] = at;
  }
  return { bytes, ends };
}

/** The buffers to transfer with a packed payload. */
export function transferOf(packed: PackedBodies): ArrayBuffer[] {
  return [packed.bytes.buffer as ArrayBuffer, packed.ends.buffer as ArrayBuffer];
}

/** Outputs' batches: packed bodies in groups of `count` consecutive bodies sharing a destination. */
export interface GroupedBodies<G extends { count: number }> extends PackedBodies {
  groups: G[];
}

/**
 * Each body of a batch as a view (no copy: the buffer was transferred to this thread and lives
 * as long as the batch), with its group; position i is the body's index in the write.
 */
export function bodiesWithGroups<G extends { count: number }>(batch: GroupedBodies<G>): { group: G; body: Buffer }[] {
  const out: { group: G; body: Buffer }[] = [];
  const whole = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  let i = 0;
  let start = 0;
  for (const group of batch.groups) {
    for (let n = 0; n < group.count; n++, i++) {
      const end = batch.ends[i]!;
      out.push({ group, body: whole.subarray(start, end) });
      start = end;
    }
  }
  return out;
}

/**
 * A batch of only the items at `positions` (for a retry): their bodies packed again, and
 * consecutive items that `sameGroup` says belong together counted in one group.
 */
export function regroup<T, G extends { count: number }>(items: readonly T[], positions: readonly number[], bodyOf: (item: T) => Uint8Array,
  sameGroup: (group: G, item: T) => boolean, newGroup: (item: T) => G): GroupedBodies<G> {
  let total = 0;
  for (const p of positions) total += bodyOf(items[p]!).length;
  const { bytes, ends } = packBodies(positions.map((p) => bodyOf(items[p]!)), total);
  const groups: G[] = [];
  for (const p of positions) {
    const item = items[p]!;
    const last = groups[groups.length - 1];
    if (last && sameGroup(last, item)) last.count++;
    else groups.push(newGroup(item));
  }
  return { bytes, ends, groups };
}
