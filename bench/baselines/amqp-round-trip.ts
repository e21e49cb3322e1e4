/**
 * Baseline for the RabbitMQ round trip: the raw client (amqplib) publishes every stdin line as a
 * JSON message, in batches of 500 each awaited until confirmed, while a consumer on the same
 * queue (prefetch 1000, one `multiple` ack per 100 messages) takes them. No event model, no codec,
 * no threads: the floor for "how fast can Node move these messages through the broker".
 *
 *   node amqp-round-trip.js <queue> < access.log
 */
import amqplib from 'amqplib';
import { hostname } from 'node:os';

const queue = process.argv[2]!;
const PREFETCH = 1000;
const BATCH = 500;
const host = hostname();

let carry = '';
const lines: string[] = [];
for await (const chunk of process.stdin) {
  const parts = (carry + (chunk as Buffer).toString('utf8')).split('\n');
  carry = parts.pop()!;
  for (const line of parts) lines.push(line);
}
if (carry) lines.push(carry);

const consumerConnection = await amqplib.connect({ hostname: '127.0.0.1' });
const consumer = await consumerConnection.createChannel();
await consumer.assertQueue(queue, { durable: false });
await consumer.prefetch(PREFETCH);
let received = 0;
const allReceived = new Promise<void>((resolve) => {
  void consumer.consume(queue, (msg) => {
    if (!msg) return;
    received++;
    if (received % 100 === 0 || received === lines.length) consumer.ack(msg, true);
    if (received === lines.length) resolve();
  });
});

const publisherConnection = await amqplib.connect({ hostname: '127.0.0.1' });
const publisher = await publisherConnection.createConfirmChannel();
for (let i = 0; i < lines.length; i += BATCH) {
  const confirms: Promise<void>[] = [];
  for (const line of lines.slice(i, i + BATCH)) {
    // About the size of the event logpipe publishes for the line (json codec).
    const body = Buffer.from(JSON.stringify({ message: line, '@timestamp': new Date().toISOString(), '@version': '1', host }));
    confirms.push(new Promise((resolve, reject) => publisher.sendToQueue(queue, body, { persistent: true }, (err: unknown) => (err ? reject(err) : resolve()))));
  }
  await Promise.all(confirms);
}
await allReceived;
await consumer.deleteQueue(queue);
await publisherConnection.close();
await consumerConnection.close();
process.stderr.write(`messages=${received}\n`);
