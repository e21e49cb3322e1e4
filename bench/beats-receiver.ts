/**
 * A minimal Lumberjack v2 receiver for benchmarks: accepts connections, reads frame headers,
 * inflates compressed frames, counts events and JSON bytes, and ACKs each window as soon as its
 * last event arrived — it never parses the JSON. What an agent is measured against.
 *
 *   node dist/bench/beats-receiver.js [port=5044] [host=127.0.0.1] [expect]
 *
 * Prints one JSON line {events, bytes, windows, connections, seconds, at} to stdout on SIGUSR1
 * (then starts counting afresh), on SIGTERM/SIGINT (then exits), and, given `expect`, as soon as it
 * acknowledged that many events (then starts afresh too): `at` (epoch ms) is when the last of them
 * was acknowledged, the moment they were all delivered. "listening <port>" goes to stderr once ready.
 */
import { createServer, type AddressInfo } from 'node:net';
import { FrameParser, LumberjackProtocolError, encodeAck } from '../src/protocols/lumberjack/frames.js';

const port = Number(process.argv[2] ?? 5044);
const host = process.argv[3] ?? '127.0.0.1';
const expect = Number(process.argv[4] ?? 0);

let events = 0;
let bytes = 0;
let windows = 0;
let connections = 0;
let since = process.hrtime.bigint();

const server = createServer((socket) => {
  connections++;
  socket.setNoDelay(true);
  const parser = new FrameParser({ maxFrameBytes: 256 * 1024 * 1024, accept: 'client-frames' });
  let expected = -1;
  let received = 0;
  let lastSeq = 0;
  socket.on('data', (chunk: Buffer) => {
    try {
      parser.push(chunk, (frame) => {
        if (frame.type === 'window') {
          expected = frame.count;
          received = 0;
          if (expected === 0) socket.write(encodeAck(0));
          return;
        }
        if (frame.type === 'json') bytes += frame.payload.length;
        else if (frame.type !== 'data') return;
        lastSeq = frame.seq;
        events++;
        if (++received === expected) {
          windows++;
          socket.write(encodeAck(lastSeq));
          expected = -1;
          if (expect > 0 && events >= expect) report();
        }
      });
    } catch (err) {
      process.stderr.write(`closing a connection: ${err instanceof LumberjackProtocolError ? err.message : String(err)}\n`);
      socket.destroy();
    }
  });
  socket.on('error', () => undefined);
});

function report(): void {
  const seconds = Number(process.hrtime.bigint() - since) / 1e9;
  process.stdout.write(JSON.stringify({ events, bytes, windows, connections, seconds, at: Date.now() }) + '\n');
  events = bytes = windows = connections = 0;
  since = process.hrtime.bigint();
}

process.on('SIGUSR1', report);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    report();
    process.exit(0);
  });
}
server.listen(port, host, () => process.stderr.write(`listening ${(server.address() as AddressInfo).port}\n`));
