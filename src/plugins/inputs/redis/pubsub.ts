/**
 * data_type => "channel" (SUBSCRIBE) and "pattern_channel" (PSUBSCRIBE): fire and forget, as in
 * Redis itself. A message published while no subscriber is connected is lost, and so is what a
 * crash catches in flight. Messages gather into payloads (handed over when full or 10 ms after
 * the first of them); while the pipeline's queue is full the socket is paused, so memory stays
 * bounded and the backlog waits in Redis (which drops a subscriber whose backlog passes its
 * client-output-buffer-limit for pubsub; we then subscribe again and say so).
 */
import type { Redis } from 'ioredis';
import type { InputPayload, InputSink, InputSource, PluginContext } from '../../api.js';
import { RedisConnector, type ConnectorSettings } from '../../redis-connection.js';
import { PayloadBuilder } from './payload.js';
import { StopSwitch, readLoop } from './reader.js';

/** How long the first message of a payload waits for others. */
const GATHER_MS = 10;
/** Payloads waiting for the queue before the socket is paused. */
const MAX_WAITING = 2;

export function pubsubSource(pattern: boolean, key: string, connection: ConnectorSettings, ctx: PluginContext): InputSource {
  const stop = new StopSwitch();
  const connector = new RedisConnector(connection, ctx.logger);
  let wakeStop: (() => void) | undefined;

  const subscribe = async (client: Redis, sink: InputSink): Promise<void> => {
    const builder = new PayloadBuilder(ctx.batchSize);
    let timer: NodeJS.Timeout | undefined;
    let waiting = 0;
    let pushing = Promise.resolve();
    let failure: Error | undefined;
    const handOver = (): void => {
      clearTimeout(timer);
      timer = undefined;
      if (builder.count === 0) return;
      const { payload } = builder.take();
      waiting++;
      if (waiting > MAX_WAITING) client.stream.pause();
      pushing = pushing.then(() => push(payload));
    };
    const push = async (payload: InputPayload): Promise<void> => {
      try {
        await sink.push(payload);
      } finally {
        waiting--;
        if (waiting <= MAX_WAITING) client.stream.resume();
      }
    };
    const onMessage = (channel: Buffer, message: Buffer): void => {
      builder.add(message, channel.toString());
      if (builder.room === 0) handOver();
      else timer ??= setTimeout(handOver, GATHER_MS);
    };
    if (pattern) client.on('pmessageBuffer', (_pattern: Buffer, channel: Buffer, message: Buffer) => onMessage(channel, message));
    else client.on('messageBuffer', onMessage);
    const closed = new Promise<void>((resolve) => {
      client.once('close', () => {
        failure = new Error('connection to Redis lost');
        resolve();
      });
      wakeStop = resolve;
    });
    if (pattern) await client.psubscribe(key);
    else await client.subscribe(key);
    ctx.logger.info(pattern ? 'subscribed to Redis pattern' : 'subscribed to Redis channel', { key });
    await closed;
    handOver();
    await pushing;
    if (!stop.stopped && failure) throw failure;
  };

  return {
    async run(sink) {
      await readLoop(ctx.id, connector, stop, ctx.logger, (client) => subscribe(client, sink));
      if (stop.stopped) await connector.close();
    },
    stop() {
      stop.stop();
      wakeStop?.();
    },
  };
}
