/**
 * data_type => "stream": a consumer group, at least once.
 *
 * - At start: XGROUP CREATE <key> <group> <group_start_id> MKSTREAM (an existing group is kept).
 * - Each thread reads with XREADGROUP as its own consumer, `<consumer>-<thread>`, where the
 *   consumer name is unique per process. Read entries stay in the group's pending list.
 * - A payload's Delivery.ack XACKs its entries (and XDELs them with `delete_acknowledged`).
 *   Nothing else does: an entry a crash caught in flight stays pending.
 * - Every `claim_interval`, XAUTOCLAIM hands this consumer the entries pending longer than
 *   `claim_idle_time` (a dead consumer's, or ours whose read reply was lost); they are delivered
 *   again. Entries of ours still in the pipeline are skipped (the claim only refreshed them).
 * - A nack leaves the entries pending: they are claimed again after `claim_idle_time`.
 */
import type { Redis } from 'ioredis';
import type { Delivery, InputSink, InputSource, PluginContext } from '../../api.js';
import { LuaScript, RedisConnector, type ConnectorSettings } from '../../redis-connection.js';
import { PayloadBuilder } from './payload.js';
import { BLOCK_SECONDS, RECONNECT_MS, StopSwitch, readLoop } from './reader.js';

export interface StreamSettings {
  key: string;
  group: string;
  consumer: string;
  groupStartId: string;
  batchCount: number;
  threads: number;
  field: string;
  claimIdleMs: number;
  claimIntervalMs: number;
  deleteAcknowledged: boolean;
}

/** [id, [field, value, ...] | null] as Redis sends it (RESP2). */
type RawEntry = [Buffer, Buffer[] | null];

/** The body of an entry: its `field`, or (an entry written by someone else) all its fields as a JSON object. */
export function entryBody(fields: Buffer[], field: string): Buffer {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i]!.toString() === field) return fields[i + 1]!;
  const object: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) object[fields[i]!.toString()] = fields[i + 1]!.toString();
  return Buffer.from(JSON.stringify(object));
}

/** KEYS: stream. ARGV: group, consumer. Deletes the consumer only when nothing is pending for it. */
const DELETE_IDLE_CONSUMER = new LuaScript(`
if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) > 0 then return 0 end
return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])`);

export function streamSource(settings: StreamSettings, connection: ConnectorSettings, ctx: PluginContext): InputSource {
  const stop = new StopSwitch();
  const readers = Array.from({ length: settings.threads }, (_, t) => new RedisConnector({ ...connection, name: `${connection.name}:${t}` }, ctx.logger));
  /** Acks and claims go on their own connection: the readers' are blocked in XREADGROUP. */
  const commands = new RedisConnector({ ...connection, name: `${connection.name}:acks` }, ctx.logger);
  /** Entries handed to the pipeline and not yet acknowledged or nacked. */
  const inFlight = new Set<string>();
  let toAck: string[] = [];
  let acking: Promise<void> | undefined;
  let groupReady: Promise<void> | undefined;
  const { key, group } = settings;

  const ensureGroup = async (client: Redis): Promise<void> => {
    try {
      await client.xgroup('CREATE', key, group, settings.groupStartId, 'MKSTREAM');
      ctx.logger.info('created Redis consumer group', { key, group, start_id: settings.groupStartId });
    } catch (err) {
      if (!String((err as Error).message).startsWith('BUSYGROUP')) throw err;
    }
  };

  const flushAcks = (): Promise<void> => {
    if (acking) return acking;
    acking = (async () => {
      while (toAck.length > 0) {
        const ids = toAck;
        toAck = [];
        try {
          const client = await commands.get();
          if (settings.deleteAcknowledged) await client.multi().xack(key, group, ...ids).xdel(key, ...ids).exec();
          else await client.xack(key, group, ...ids);
        } catch (err) {
          // Not lost: they stay pending and are acknowledged on the next try (or claimed again: a duplicate).
          toAck.push(...ids);
          commands.reset();
          ctx.logger.warn('could not XACK acknowledged entries; retrying', { key, entries: ids.length, error: (err as Error).message, retry_in_ms: RECONNECT_MS });
          await new Promise((r) => setTimeout(r, RECONNECT_MS).unref());
        }
      }
    })().finally(() => (acking = undefined));
    return acking;
  };

  const deliveryOf = (ids: string[]): Delivery => ({
    ack() {
      for (const id of ids) inFlight.delete(id);
      toAck.push(...ids);
      void flushAcks();
    },
    // Left pending: claimed again after claim_idle_time, by this consumer or another.
    nack() {
      for (const id of ids) inFlight.delete(id);
    },
  });

  /** Adds entries to the payload being built; returns their ids. Entries deleted meanwhile (null) are acknowledged at once. */
  const addEntries = (builder: PayloadBuilder, entries: RawEntry[], ids: string[]): void => {
    for (const [rawId, fields] of entries) {
      const id = rawId.toString();
      if (fields === null) {
        toAck.push(id);
        continue;
      }
      if (inFlight.has(id)) continue;
      inFlight.add(id);
      ids.push(id);
      builder.add(entryBody(fields, settings.field));
    }
  };

  const push = async (sink: InputSink, builder: PayloadBuilder, ids: string[]): Promise<void> => {
    if (builder.count > 0 && stop.stopped) {
      // Read while the pipeline was stopping: a push now may never be answered (a forced stop
      // halts the queue). Left pending, the entries are claimed again.
      builder.take();
      for (const id of ids.splice(0)) inFlight.delete(id);
    }
    if (builder.count > 0) await sink.push(builder.take().payload, deliveryOf(ids.splice(0)));
    if (toAck.length > 0) void flushAcks();
  };

  const read = async (client: Redis, consumer: string, sink: InputSink): Promise<void> => {
    await (groupReady ??= ensureGroup(client).catch((err) => {
      groupReady = undefined;
      throw err;
    }));
    const builder = new PayloadBuilder(ctx.batchSize);
    const ids: string[] = [];
    while (!stop.stopped) {
      if (sink.stopping) return stop.stop();
      let block = true;
      while (builder.room > 0) {
        const n = Math.min(settings.batchCount, builder.room);
        const args: (string | number)[] = ['GROUP', group, consumer, 'COUNT', n];
        if (block) args.push('BLOCK', BLOCK_SECONDS * 1000);
        args.push('STREAMS', key, '>');
        let reply: [Buffer, RawEntry[]][] | null;
        try {
          reply = (await client.callBuffer('XREADGROUP', args)) as [Buffer, RawEntry[]][] | null;
        } catch (err) {
          // The stream or group vanished (deleted, or a server restarted without its data): create it again.
          if (!String((err as Error).message).startsWith('NOGROUP')) throw err;
          groupReady = undefined;
          await (groupReady ??= ensureGroup(client));
          continue;
        }
        const entries = reply?.[0]?.[1] ?? [];
        addEntries(builder, entries, ids);
        if (entries.length < n) break;
        block = false;
      }
      await push(sink, builder, ids);
    }
  };

  /** Takes over entries pending longer than claim_idle_time, and delivers them. */
  const claim = async (client: Redis, sink: InputSink): Promise<void> => {
    const consumer = `${settings.consumer}-0`;
    const builder = new PayloadBuilder(ctx.batchSize);
    const ids: string[] = [];
    let cursor = '0-0';
    let claimed = 0;
    do {
      const reply = (await client.callBuffer('XAUTOCLAIM', [key, group, consumer, settings.claimIdleMs, cursor, 'COUNT', builder.room])) as [Buffer, RawEntry[], Buffer[]?];
      cursor = reply[0].toString();
      const before = ids.length;
      addEntries(builder, reply[1], ids);
      claimed += ids.length - before;
      // Entries deleted from the stream while pending: nothing to deliver, only to acknowledge.
      for (const id of reply[2] ?? []) toAck.push(id.toString());
      if (builder.room === 0) await push(sink, builder, ids);
    } while (cursor !== '0-0' && !stop.stopped && !sink.stopping);
    await push(sink, builder, ids);
    if (claimed > 0) ctx.logger.warn('claimed entries left pending by a consumer; delivering them again', { key, group, entries: claimed, idle_ms: settings.claimIdleMs });
  };

  const claimLoop = async (sink: InputSink): Promise<void> => {
    while (!stop.stopped && !sink.stopping) {
      try {
        const client = await commands.get();
        await (groupReady ??= ensureGroup(client));
        await claim(client, sink);
      } catch (err) {
        groupReady = undefined;
        commands.reset();
        if (!stop.stopped) ctx.logger.warn('could not claim pending Redis stream entries; trying again later', { key, group, error: (err as Error).message });
      }
      await stop.sleep(settings.claimIntervalMs);
    }
  };

  return {
    async run(sink) {
      await Promise.all([
        claimLoop(sink),
        ...readers.map((connector, t) => readLoop(`${ctx.id}:${t}`, connector, stop, ctx.logger, (client) => read(client, `${settings.consumer}-${t}`, sink))),
      ]);
      if (stop.stopped) {
        await Promise.all(readers.map((r) => r.close()));
        // The ack connection stays open for the payloads still in the pipeline; it is closed
        // once they are all answered (or with the process).
        void closeWhenAnswered();
      }
    },
    stop() {
      stop.stop();
      for (const r of readers) void r.unblock();
    },
  };

  async function closeWhenAnswered(): Promise<void> {
    while (inFlight.size > 0) await new Promise((r) => setTimeout(r, 50).unref());
    await flushAcks();
    // Our consumers leave the group if nothing is pending for them (checked in the same script:
    // deleting a consumer drops its pending entries, which would then never be delivered again).
    try {
      const client = await commands.get();
      for (let t = 0; t < settings.threads; t++) await DELETE_IDLE_CONSUMER.run(client, [key], [group, `${settings.consumer}-${t}`]);
    } catch {
      // They stay listed in XINFO CONSUMERS; harmless.
    }
    await commands.close();
  }
}
