/**
 * Baseline for the network inputs: a raw Node server reading the same bytes logpipe's tcp/udp
 * input reads, counting lines (tcp) or datagrams (udp), nothing else. Prints "listening <port>"
 * on stderr; tcp: exits once the first connection ends; udp: exits on SIGTERM. Prints the count
 * on stdout.
 *
 *   node socket-read.js tcp|udp
 */
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';

const mode = process.argv[2];
if (mode === 'tcp') {
  let lines = 0;
  const server = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    });
    socket.on('close', () => {
      process.stdout.write(`${lines}\n`);
      process.exit(0);
    });
  });
  server.listen(0, '127.0.0.1', () => process.stderr.write(`listening ${(server.address() as { port: number }).port}\n`));
} else {
  let datagrams = 0;
  // The same receive buffer as the logpipe run (receive_buffer_bytes => 8388608).
  const socket = createSocket({ type: 'udp4', recvBufferSize: 8 * 1024 * 1024 });
  socket.on('message', () => void datagrams++);
  socket.bind(0, '127.0.0.1', () => process.stderr.write(`listening ${socket.address().port}\n`));
  process.on('SIGTERM', () => {
    process.stdout.write(`${datagrams}\n`);
    process.exit(0);
  });
}
