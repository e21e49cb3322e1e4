/**
 * Baseline for the redis round trip: the raw ioredis client doing what the pipeline does, with
 * no event model and no threads.
 *   push <key>: stdin lines → the JSON document logpipe's json codec writes for each (message,
 *               @timestamp, @version, host) → RPUSH 500 values at a time, 8 commands in flight.
 *   pop <key>:  LPOP 500 at a time until the list is empty, JSON.parse of each value.
 */
import { hostname } from 'node:os';
import { Redis } from 'ioredis';

const [mode, key] = process.argv.slice(2) as [string, string];
const redis = new Redis({ host: '127.0.0.1', port: 6379, protocol: 2 });
const BATCH = 500;
const IN_FLIGHT = 8;
let count = 0;

if (mode === 'push') {
  const host = hostname();
  const pending: Promise<unknown>[] = [];
  let values: string[] = [];
  const flush = async (): Promise<void> => {
    if (values.length === 0) return;
    pending.push(redis.rpush(key, ...values));
    values = [];
    if (pending.length >= IN_FLIGHT) await pending.shift();
  };
  let carry = '';
  for await (const chunk of process.stdin) {
    const parts = (carry + (chunk as Buffer).toString('utf8')).split('\n');
    carry = parts.pop()!;
    for (const message of parts) {
      values.push(JSON.stringify({ message, '@timestamp': new Date().toISOString(), '@version': '1', host }));
      count++;
      if (values.length === BATCH) await flush();
    }
  }
  if (carry) {
    values.push(JSON.stringify({ message: carry, '@timestamp': new Date().toISOString(), '@version': '1', host }));
    count++;
  }
  await flush();
  await Promise.all(pending);
} else {
  for (;;) {
    const values = await redis.lpop(key, BATCH);
    if (!values) break;
    for (const v of values) if ((JSON.parse(v) as { message?: string }).message !== undefined) count++;
  }
}
process.stderr.write(`${mode}=${count}\n`);
redis.disconnect();
