/**
 * data_type => "list", as Logstash: pop and forget. LPOP with a count takes up to `batch_count`
 * messages per round trip; an empty list is waited on with BLPOP (1 s). What is popped is gone
 * from Redis: a crash loses the payloads in flight (at most once past the pop).
 */
import type { Redis } from 'ioredis';
import type { InputSink, InputSource, PluginContext } from '../../api.js';
import { RedisConnector, type ConnectorSettings } from '../../redis-connection.js';
import { PayloadBuilder } from './payload.js';
import { BLOCK_SECONDS, StopSwitch, readLoop } from './reader.js';

export interface ListSettings {
  key: string;
  batchCount: number;
  threads: number;
}

/** Fills `builder` from `pop(n)` until it is full or a pop returns fewer than asked. */
export async function fill(builder: PayloadBuilder, batchCount: number, pop: (n: number) => Promise<Buffer[]>): Promise<void> {
  while (builder.room > 0) {
    const n = Math.min(batchCount, builder.room);
    const items = await pop(n);
    for (const item of items) builder.add(item);
    if (items.length < n) return;
  }
}

export function listSource(settings: ListSettings, connection: ConnectorSettings, ctx: PluginContext): InputSource {
  const stop = new StopSwitch();
  const readers = Array.from({ length: settings.threads }, (_, t) => new RedisConnector({ ...connection, name: `${connection.name}:${t}` }, ctx.logger));

  const read = async (client: Redis, sink: InputSink): Promise<void> => {
    const builder = new PayloadBuilder(ctx.batchSize);
    const pop = async (n: number): Promise<Buffer[]> => (await client.lpopBuffer(settings.key, n)) ?? [];
    while (!stop.stopped) {
      if (sink.stopping) return stop.stop();
      await fill(builder, settings.batchCount, pop);
      if (builder.count === 0) {
        const popped = await client.blpopBuffer(settings.key, BLOCK_SECONDS);
        if (popped === null) continue;
        builder.add(popped[1]);
        await fill(builder, settings.batchCount, pop);
      }
      const { payload, bodies } = builder.take();
      if (stop.stopped) {
        // Popped while the pipeline was stopping, when a push may never be processed (a forced
        // stop halts the queue): back to the head of the list, in order.
        await client.lpush(settings.key, ...bodies.reverse());
        return;
      }
      // Nothing to acknowledge: what was popped is no longer in Redis.
      await sink.push(payload);
    }
  };

  return {
    async run(sink) {
      await Promise.all(readers.map((connector, t) => readLoop(`${ctx.id}:${t}`, connector, stop, ctx.logger, (client) => read(client, sink))));
      // Closed only once the reads ended: closing under a BLPOP could lose what it popped.
      if (stop.stopped) await Promise.all(readers.map((r) => r.close()));
    },
    stop() {
      stop.stop();
      for (const r of readers) void r.unblock();
    },
  };
}
