/**
 * What the kafka output's encoder hands its sink: the values of one batch in one transferable
 * buffer, grouped by topic, with each record's key (or none). The main thread chooses partitions
 * and produces without looking at an event.
 */

export interface TopicGroup {
  topic: string;
  /** Records in this group; they follow the previous group's in `ends`. */
  count: number;
}

export interface RecordBatch {
  /** Values back to back. */
  bytes: Uint8Array;
  /** End offset in `bytes` of each value, in group order. */
  ends: Uint32Array;
  /** The key of each record, in the same order; null: no key. Absent when no record has one. */
  keys?: (string | null)[];
  groups: TopicGroup[];
}

/** One record of a batch, as the sink produces it; its position is its index in the write. */
export interface BatchRecord {
  topic: string;
  key: Buffer | undefined;
  value: Buffer;
}

/** Kafka's legal topic names: 1 to 249 of [a-zA-Z0-9._-], not "." or "..". */
export function topicNameProblem(topic: string): string | undefined {
  if (topic.length === 0) return 'the topic name is empty';
  if (topic.length > 249) return `the topic name is ${topic.length} characters long (at most 249)`;
  if (topic === '.' || topic === '..') return `"${topic}" is not a legal topic name`;
  if (!/^[a-zA-Z0-9._-]+$/.test(topic)) return `topic "${topic}" has characters other than a-z A-Z 0-9 . _ -`;
  return undefined;
}

export function recordsOf(batch: RecordBatch): BatchRecord[] {
  const out: BatchRecord[] = [];
  // Views, not copies: the buffer was transferred to this thread and lives as long as the batch.
  const whole = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  let i = 0;
  let start = 0;
  for (const group of batch.groups) {
    for (let n = 0; n < group.count; n++, i++) {
      const end = batch.ends[i]!;
      const key = batch.keys?.[i];
      out.push({ topic: group.topic, key: key === null || key === undefined ? undefined : Buffer.from(key), value: whole.subarray(start, end) });
      start = end;
    }
  }
  return out;
}

/** A batch of only the given records (positions in `records`), for a retry. */
export function subsetOf(records: BatchRecord[], positions: number[]): RecordBatch {
  let total = 0;
  for (const p of positions) total += records[p]!.value.length;
  const bytes = new Uint8Array(total);
  const ends = new Uint32Array(positions.length);
  const keys: (string | null)[] = [];
  const groups: TopicGroup[] = [];
  let offset = 0;
  positions.forEach((p, i) => {
    const r = records[p]!;
    bytes.set(r.value, offset);
    offset += r.value.length;
    ends[i] = offset;
    keys.push(r.key === undefined ? null : r.key.toString('utf8'));
    const last = groups[groups.length - 1];
    if (last && last.topic === r.topic) last.count++;
    else groups.push({ topic: r.topic, count: 1 });
  });
  return keys.some((k) => k !== null) ? { bytes, ends, keys, groups } : { bytes, ends, groups };
}
