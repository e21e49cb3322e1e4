/**
 * What the kafka output's encoder hands its sink: the values of one batch in one transferable
 * buffer, grouped by topic, with each record's key (or none). The main thread chooses partitions
 * and produces without looking at an event.
 */
import { bodiesWithGroups, regroup, type GroupedBodies } from '../../message-bodies.js';

export interface TopicGroup {
  topic: string;
  /** Records in this group; they follow the previous group's in `ends`. */
  count: number;
}

/** Values back to back (`bytes`, `ends` in group order), grouped by topic. */
export interface RecordBatch extends GroupedBodies<TopicGroup> {
  /** The key of each record, in the same order; null: no key. Absent when no record has one. */
  keys?: (string | null)[];
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
  return bodiesWithGroups(batch).map(({ group, body }, i) => {
    const key = batch.keys?.[i];
    return { topic: group.topic, key: key === null || key === undefined ? undefined : Buffer.from(key), value: body };
  });
}

/** A batch of only the given records (positions in `records`), for a retry. */
export function subsetOf(records: BatchRecord[], positions: number[]): RecordBatch {
  const batch: RecordBatch = regroup<BatchRecord, TopicGroup>(records, positions, (r) => r.value,
    (group, r) => group.topic === r.topic, (r) => ({ topic: r.topic, count: 1 }));
  const keys = positions.map((p) => records[p]!.key?.toString('utf8') ?? null);
  if (keys.some((k) => k !== null)) batch.keys = keys;
  return batch;
}
