/**
 * What the rabbitmq output's encoder hands its sink: the bodies of one batch in one transferable
 * buffer, grouped by routing key (and by message properties when those are per event), so the
 * main thread publishes without looking at an event.
 */
import { bodiesWithGroups, regroup, type GroupedBodies } from '../../message-bodies.js';

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

/** Bodies back to back (`bytes`, `ends` in group order), grouped by routing key and properties. */
export type MessageBatch = GroupedBodies<MessageGroup>;

/** One message of a batch, as the sink publishes it. */
export interface BatchMessage {
  key: string;
  properties: MessageProperties | undefined;
  body: Buffer;
}

/** The messages of a batch in order (their position is their index in the write). */
export function messagesOf(batch: MessageBatch): BatchMessage[] {
  return bodiesWithGroups(batch).map(({ group, body }) => ({ key: group.key, properties: group.properties, body }));
}

/** A batch holding only the given messages (positions in `batch`), for a retry. */
export function subsetOf(messages: BatchMessage[], positions: number[]): MessageBatch {
  return regroup<BatchMessage, MessageGroup>(messages, positions, (m) => m.body,
    (group, m) => group.key === m.key && group.properties === m.properties,
    (m) => (m.properties ? { key: m.key, properties: m.properties, count: 1 } : { key: m.key, count: 1 }));
}
