/**
 * The client side of the tcp/udp benchmarks (not measured): streams a file's lines to a port.
 *   node net-sender.js tcp <port> <file>                   — the whole file over one connection, then close
 *   node net-sender.js udp <port> <file> <rate> [senders]  — one datagram per line, <rate> per second in all
 *                                                           (0 = as fast as possible), from [senders] processes
 * Prints the number of lines (datagrams) sent on stdout; udp: then the seconds spent sending
 * (from the first datagram to the last, of the slowest sender).
 *
 * Why several UDP sender processes: on loopback the kernel delivers a datagram to the receiving
 * socket inside the sender's sendmsg() call, so one sender spends ~3–5 µs of system time per
 * datagram and a single Node process tops out well below 250k/s; Node's dgram has no sendmmsg
 * (an array given to send() is one datagram gathered from pieces). Each sender process takes
 * every n-th line and its share of the rate.
 */
import { connect } from 'node:net';
import { createSocket } from 'node:dgram';
import { createReadStream, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [mode, portText, file, rateText, sendersText, partText] = process.argv.slice(2);
const port = Number(portText);
if (mode === 'tcp') {
  const socket = connect(port, '127.0.0.1', () => {
    const input = createReadStream(file!, { highWaterMark: 256 * 1024 });
    input.pipe(socket);
    input.on('end', () => socket.end());
  });
  socket.on('close', () => process.exit(0));
} else if (Number(sendersText ?? 1) > 1 && partText === undefined) {
  // The parent: starts the senders, each with its part, and prints the sum of what they sent.
  const senders = Number(sendersText);
  const results = await Promise.all(Array.from({ length: senders }, (_, part) => new Promise<number[]>((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), mode!, portText!, file!, String(Number(rateText ?? 0) / senders), String(senders), String(part)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', () => resolve(out.trim().split(' ').map(Number)));
  })));
  process.stdout.write(`${results.reduce((a, r) => a + (r[0] ?? 0), 0)} ${Math.max(...results.map((r) => r[1] ?? 0))}\n`);
} else {
  const senders = Number(sendersText ?? 1);
  const part = Number(partText ?? 0);
  const lines = readFileSync(file!, 'utf8').split('\n').filter((l, i) => l.length > 0 && i % senders === part).map((l) => Buffer.from(l));
  const rate = Number(rateText ?? 0);
  const socket = createSocket('udp4');
  socket.connect(port, '127.0.0.1', () => {
    const start = process.hrtime.bigint();
    let i = 0;
    let seconds = 0;
    const burst = (): void => {
      const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
      const due = rate > 0 ? Math.min(lines.length, Math.floor(elapsed * rate) + 64) : lines.length;
      // At most 256 sends per turn, so the callbacks and the socket keep up.
      for (let n = 0; i < due && n < 256; n++) socket.send(lines[i++]!);
      if (i === lines.length) seconds = Number(process.hrtime.bigint() - start) / 1e9;
      // Paced and caught up: sleep until more is due. Spinning on setImmediate instead kept each
      // sender busy (2 senders at 100k/s took 1.6 of the 2 cores), starving the receiver measured.
      if (i < lines.length) {
        if (i >= due) setTimeout(burst, 1);
        else setImmediate(burst);
      } else setTimeout(() => {
        process.stdout.write(`${i} ${seconds}\n`);
        socket.close();
      }, 200);
    };
    burst();
  });
}
