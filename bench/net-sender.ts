/**
 * The client side of the tcp/udp benchmarks (not measured): streams a file's lines to a port.
 *   node net-sender.js tcp <port> <file>          — the whole file over one connection, then close
 *   node net-sender.js udp <port> <file> <rate>   — one datagram per line, <rate> per second (0 = as fast as possible)
 * Prints the number of lines (datagrams) sent on stdout.
 */
import { connect } from 'node:net';
import { createSocket } from 'node:dgram';
import { createReadStream, readFileSync } from 'node:fs';

const [mode, portText, file, rateText] = process.argv.slice(2);
const port = Number(portText);
if (mode === 'tcp') {
  const socket = connect(port, '127.0.0.1', () => {
    const input = createReadStream(file!, { highWaterMark: 256 * 1024 });
    input.pipe(socket);
    input.on('end', () => socket.end());
  });
  socket.on('close', () => process.exit(0));
} else {
  const lines = readFileSync(file!, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => Buffer.from(l));
  const rate = Number(rateText ?? 0);
  const socket = createSocket('udp4');
  socket.connect(port, '127.0.0.1', () => {
    const start = process.hrtime.bigint();
    let i = 0;
    const burst = (): void => {
      const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
      const due = rate > 0 ? Math.min(lines.length, Math.floor(elapsed * rate) + 64) : lines.length;
      // At most 256 sends per turn, so the callbacks and the socket keep up.
      for (let n = 0; i < due && n < 256; n++) socket.send(lines[i++]!);
      if (i < lines.length) setImmediate(burst);
      else setTimeout(() => {
        process.stdout.write(`${i}\n`);
        socket.close();
      }, 200);
    };
    burst();
  });
}
