/**
 * What the rabbitmq output's encoder hands its sink: the bodies of one batch in one transferable
 * buffer, grouped by routing key (and by message properties when those are per event), so the
 * main thread publishes without looking at an event.
 */

/** AMQP basic properties an event may set, by their `message_properties` names. */
export interface MessageProperties {
  content_type?: string;
  content_encoding?: string;
  priority?: number;
  correlation_id?: string;
  reply_to?: string;
  expiration?: string;
  message_id?: string;
  timestamp?: number;
  type?: string;
  user_id?: string;
  app_id?: string;
}

export interface MessageGroup {
  key: string;
  /** Rendered per-event properties; absent when they are the same for every message. */
  properties?: MessageProperties;
  /** Messages in this group; they follow the previous group's in `ends`. */
  count: number;
}

export interface MessageBatch {
  bytes: Uint8Array;
  /** End offset in `bytes` of each message, in group order. */
  ends: Uint32Array;
  groups: MessageGroup[];
}

/** One message of a batch, as the sink publishes it. */
export interface BatchMessage {
  key: string;
  properties: MessageProperties | undefined;
  body: Buffer;
}

/** The messages of a batch in order (their position is their index in the write). */
export function messagesOf(batch: MessageBatch): BatchMessage[] {
  const out: BatchMessage[] = [];
  // A view, not a copy: the buffer was transferred to this thread and stays alive with the batch.
  const whole = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  let i = 0;
  let start = 0;
  for (const group of batch.groups) {
    for (let n = 0; n < group.count; n++, i++) {
      const end = batch.ends[i]!;
      out.push({ key: group.key, properties: group.properties, body: whole.subarray(start, end) });
      start = end;
    }
  }
  return out;
}

/** A batch holding only the given messages (positions in `batch`), for a retry. */
export function subsetOf(messages: BatchMessage[], positions: number[]): MessageBatch {
  let total = 0;
  for (const p of positions) total += messages[p]!.body.length;
  const bytes = new Uint8Array(total);
  const ends = new Uint32Array(positions.length);
  const groups: MessageGroup[] = [];
  let offset = 0;
  positions.forEach((p, i) => {
    const m = messages[p]!;
    bytes.set(m.body, offset);
    offset += m.body.length;
    ends[i] = offset;
    const last = groups[groups.length - 1];
    if (last && last.key === m.key && last.properties === m.properties) last.count++;
    else groups.push(m.properties ? { key: m.key, properties: m.properties, count: 1 } : { key: m.key, count: 1 });
  });
  return { bytes, ends, groups };
}
