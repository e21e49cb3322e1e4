/**
 * The client of the http scenario: posts `count` events as JSON arrays of `perRequest` events
 * (what an http output's json_batch sends), over `connections` keep-alive connections, and
 * exits non-zero unless every request was answered 2xx; says what it sent on stderr. The bodies are made once and reused, so
 * the client costs the same against any server.
 *   node http-send.js <port> <count> [perRequest=500] [connections=8]
 */
import { Agent, request } from 'node:http';

const [port, count, perRequest = 500, connections = 8] = process.argv.slice(2).map(Number) as [number, number, number?, number?];
const line = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"';
const bodies = Array.from({ length: 16 }, (_, b) => Buffer.from(JSON.stringify(Array.from({ length: perRequest }, (_, i) => ({ message: line, sequence: b * perRequest + i, '@timestamp': '2000-10-10T20:55:36.000Z' })))));
const agent = new Agent({ keepAlive: true, maxSockets: connections });
let bytes = 0;
let failures = 0;

function post(body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': body.length } }, (res) => {
      if (res.statusCode! < 200 || res.statusCode! >= 300) failures++;
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const requests = Math.ceil(count / perRequest);
let next = 0;
await Promise.all(Array.from({ length: connections }, async () => {
  while (next < requests) {
    const body = bodies[next++ % bodies.length]!;
    bytes += body.length;
    await post(body);
  }
}));
agent.destroy();
process.stderr.write(`sent ${requests} requests, ${bytes} bytes, ${failures} not 2xx\n`);
process.exit(failures === 0 ? 0 : 1);
