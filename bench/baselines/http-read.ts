/**
 * Baseline for the http scenario: a bare node:http server that reads each request body whole
 * and answers 200 — no parsing, no pipeline. "listening <port>" goes to stderr once ready.
 *   node http-read.js
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

let bytes = 0;
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    bytes += Buffer.concat(chunks).length;
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok');
  });
});
process.on('SIGTERM', () => {
  process.stderr.write(`read ${bytes} bytes\n`);
  process.exit(0);
});
server.listen(0, '127.0.0.1', () => process.stderr.write(`listening ${(server.address() as AddressInfo).port}\n`));
