/**
 * data_type => "reliable_list": a Redis list consumed at least once (the pattern the seed
 * sketches: a pending list plus an in-progress list per consumer, re-queued when it dies).
 *
 * Keys, beside the list `<key>` itself:
 *   <key>:consumers             set of the consumer ids that may hold messages
 *   <key>:processing:<id>       that consumer's in-progress list
 *   <key>:alive:<id>            its heartbeat, refreshed every consumer_timeout / 3, expiring after consumer_timeout
 *
 * - Reading moves messages atomically from `<key>` to the in-progress list (a Lua LRANGE + LTRIM
 *   + RPUSH of up to batch_count, or BLMOVE while the list is empty) and registers the consumer
 *   in the same step, so nothing is ever in an in-progress list nobody can find.
 * - A payload's Delivery.ack LREMs its messages from the in-progress list; a nack moves them back
 *   to the head of `<key>` (they are read again first).
 * - At start and on every heartbeat, each registered consumer whose heartbeat has expired is
 *   dead: its in-progress list goes back to the head of `<key>`, in order, atomically.
 * - After a lost connection, a move whose reply never arrived may have happened: on reconnect,
 *   what sits in our in-progress list and is not in the pipeline goes back to `<key>`.
 * - A clean stop, once every payload is answered, hands back what is left and unregisters.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Delivery, InputSink, InputSource, PluginContext } from '../../api.js';
import { LuaScript, RedisConnector, type ConnectorSettings } from '../../redis-connection.js';
import { fill } from './list.js';
import { PayloadBuilder } from './payload.js';
import { BLOCK_SECONDS, RECONNECT_MS, StopSwitch, readLoop } from './reader.js';

export interface ReliableListSettings {
  key: string;
  batchCount: number;
  threads: number;
  consumerTimeoutMs: number;
}

/** Lua's unpack() is bounded by its C stack (~8000 values); one move takes at most this many. */
const MAX_MOVE = 1000;

/** KEYS: list, in-progress list, consumer set. ARGV: count, consumer id. */
const MOVE = new LuaScript(`
redis.call('SADD', KEYS[3], ARGV[2])
local items = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #items > 0 then
  redis.call('LTRIM', KEYS[1], #items, -1)
  redis.call('RPUSH', KEYS[2], unpack(items))
end
return items`);

/** KEYS: in-progress list. ARGV: the messages. */
const ACK = new LuaScript(`
local n = 0
for i = 1, #ARGV do n = n + redis.call('LREM', KEYS[1], 1, ARGV[i]) end
return n`);

/** KEYS: in-progress list, list. ARGV: the messages. Those still in progress go back to the head, in order. */
const REQUEUE = new LuaScript(`
local back = {}
for i = 1, #ARGV do
  if redis.call('LREM', KEYS[1], 1, ARGV[i]) > 0 then back[#back + 1] = ARGV[i] end
end
for i = #back, 1, -1 do redis.call('LPUSH', KEYS[2], back[i]) end
return #back`);

/**
 * KEYS: heartbeat, in-progress list, list, consumer set. ARGV: consumer id, "force".
 * Unless forced, does nothing (-1) while the heartbeat lives; else moves the whole in-progress
 * list back to the head of the list, in order, and unregisters the consumer.
 */
const RECOVER = new LuaScript(`
if ARGV[2] ~= 'force' and redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
local n = 0
while redis.call('LMOVE', KEYS[2], KEYS[3], 'RIGHT', 'LEFT') do n = n + 1 end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[4], ARGV[1])
return n`);

export function reliableListSource(settings: ReliableListSettings, connection: ConnectorSettings, ctx: PluginContext): InputSource {
  const stop = new StopSwitch();
  const { key } = settings;
  const id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const consumers = `${key}:consumers`;
  const processingOf = (consumer: string): string => `${key}:processing:${consumer}`;
  const aliveOf = (consumer: string): string => `${key}:alive:${consumer}`;
  const processing = processingOf(id);
  const readers = Array.from({ length: settings.threads }, (_, t) => new RedisConnector({ ...connection, name: `${connection.name}:${t}` }, ctx.logger));
  const commands = new RedisConnector({ ...connection, name: `${connection.name}:acks` }, ctx.logger);
  /** The messages of each payload in the pipeline (kept: the payload's bytes went to a worker). */
  const inFlight = new Set<Buffer[]>();
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let registered: Promise<void> | undefined;
  let finished = false;

  /** Runs `what` on the command connection until it succeeds (a lost ack only means a duplicate, but we try hard). */
  const command = async <T>(what: (client: Redis) => Promise<T>, label: string): Promise<T | undefined> => {
    for (;;) {
      try {
        return await what(await commands.get());
      } catch (err) {
        commands.reset();
        ctx.logger.warn(`Redis ${label} failed; retrying`, { key, error: (err as Error).message, retry_in_ms: RECONNECT_MS });
        if (finished) return undefined;
        await new Promise((r) => setTimeout(r, RECONNECT_MS).unref());
      }
    }
  };

  const deliveryOf = (bodies: Buffer[]): Delivery => {
    inFlight.add(bodies);
    return {
      ack() {
        void command((c) => ACK.run(c, [processing], bodies), 'LREM of acknowledged messages').finally(() => inFlight.delete(bodies));
      },
      nack() {
        void command((c) => REQUEUE.run(c, [processing, key], bodies), 're-queue of abandoned messages').finally(() => inFlight.delete(bodies));
      },
    };
  };

  /** Our heartbeat, then the in-progress lists of dead consumers back to the list. */
  const heartbeat = async (client: Redis): Promise<void> => {
    await client.multi().sadd(consumers, id).set(aliveOf(id), '1', 'PX', settings.consumerTimeoutMs).exec();
    for (const other of await client.smembers(consumers)) {
      if (other === id) continue;
      const n = (await RECOVER.run(client, [aliveOf(other), processingOf(other), key, consumers], [other, 'check'])) as number;
      if (n >= 0) ctx.logger.warn('re-queued the in-progress messages of a dead consumer', { key, consumer: other, messages: n });
    }
  };

  const beat = async (): Promise<void> => {
    try {
      await heartbeat(await commands.get());
    } catch (err) {
      commands.reset();
      ctx.logger.warn('Redis heartbeat failed', { key, error: (err as Error).message });
    }
  };

  /** Resolves once our heartbeat is in Redis: no message is moved before that. */
  const register = (): Promise<void> =>
    (registered ??= (async () => {
      while (!stop.stopped) {
        try {
          await heartbeat(await commands.get());
          heartbeatTimer = setInterval(() => void beat(), Math.max(100, settings.consumerTimeoutMs / 3));
          heartbeatTimer.unref();
          return;
        } catch (err) {
          commands.reset();
          ctx.logger.warn('cannot register with Redis; retrying', { key, error: (err as Error).message, retry_in_ms: RECONNECT_MS });
          await stop.sleep(RECONNECT_MS);
        }
      }
    })());

  /** After a lost connection: what is in our in-progress list but in no payload goes back. */
  const requeueOrphans = async (client: Redis): Promise<void> => {
    const held = new Map<string, number>();
    for (const bodies of inFlight) for (const b of bodies) held.set(b.toString('latin1'), (held.get(b.toString('latin1')) ?? 0) + 1);
    const orphans: Buffer[] = [];
    for (const item of await client.lrangeBuffer(processing, 0, -1)) {
      const k = item.toString('latin1');
      const n = held.get(k) ?? 0;
      if (n > 0) held.set(k, n - 1);
      else orphans.push(item);
    }
    for (let i = 0; i < orphans.length; i += MAX_MOVE) await REQUEUE.run(client, [processing, key], orphans.slice(i, i + MAX_MOVE));
    if (orphans.length > 0) ctx.logger.warn('re-queued messages whose move reply was lost with the connection', { key, messages: orphans.length });
  };

  const read = async (client: Redis, sink: InputSink): Promise<void> => {
    await register();
    const builder = new PayloadBuilder(ctx.batchSize);
    const batchCount = Math.min(settings.batchCount, MAX_MOVE);
    const move = async (n: number): Promise<Buffer[]> => (await MOVE.runBuffer(client, [key, processing, consumers], [n, id])) as Buffer[];
    while (!stop.stopped) {
      if (sink.stopping) return stop.stop();
      await fill(builder, batchCount, move);
      if (builder.count === 0) {
        await client.sadd(consumers, id);
        const moved = await client.blmoveBuffer(key, processing, 'LEFT', 'RIGHT', BLOCK_SECONDS);
        if (moved === null) continue;
        builder.add(moved);
        await fill(builder, batchCount, move);
      }
      const { payload, bodies } = builder.take();
      if (stop.stopped) {
        // Moved while the pipeline was stopping: a push now may never be answered (a forced
        // stop halts the queue), so the messages go straight back.
        for (let i = 0; i < bodies.length; i += MAX_MOVE) await REQUEUE.run(client, [processing, key], bodies.slice(i, i + MAX_MOVE));
        return;
      }
      await sink.push(payload, deliveryOf(bodies));
    }
  };

  const finish = async (): Promise<void> => {
    while (inFlight.size > 0) await new Promise((r) => setTimeout(r, 50).unref());
    finished = true;
    clearInterval(heartbeatTimer);
    await command((c) => RECOVER.run(c, [aliveOf(id), processing, key, consumers], [id, 'force']), 'unregistering');
    await commands.close();
  };

  return {
    async run(sink) {
      await Promise.all(readers.map((connector, t) =>
        readLoop(`${ctx.id}:${t}`, connector, stop, ctx.logger, (client) => read(client, sink), requeueOrphans)));
      if (stop.stopped) {
        await Promise.all(readers.map((r) => r.close()));
        // Acks of the payloads still in the pipeline need the command connection; then we leave.
        void finish();
      }
    },
    stop() {
      stop.stop();
      for (const r of readers) void r.unblock();
    },
  };
}
