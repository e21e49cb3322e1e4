/**
 * udp output: one datagram per event. A write resolves once every datagram was handed to the
 * kernel; UDP says nothing of delivery, so datagrams can be lost on the way without anyone
 * knowing. An event whose datagram cannot be sent (larger than the 65,507 bytes UDP allows, a
 * send error after `retry_count` retries) goes to the failure path with the reason.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { ConfigError } from '../../../core/errors.js';
import { defineOutput, type WriteResult } from '../../api.js';
import { encodeEach } from '../encoding.js';
import { packBodies, transferOf, type PackedBodies } from '../../message-bodies.js';
import { bytesEncoder } from '../../codec-bytes.js';

/** The datagrams of one write: their bytes end to end and where each ends. */
type Datagrams = PackedBodies;

const MAX_UDP_PAYLOAD = 65_507;

export const udpOutput = defineOutput({
  kind: 'output',
  name: 'udp',
  binaryCodecs: true,
  description: 'Sends one UDP datagram per event. UDP can lose data unnoticed: a write counts as delivered once handed to the kernel.',
  options: {
    host: { type: 'string', required: true, description: 'Address to send to.' },
    port: { type: 'number', required: true, description: 'Port to send to.' },
    codec: { type: 'codec', default: { name: 'json', settings: [] }, description: 'Codec of each datagram.' },
    retry_count: { type: 'number', default: 0, description: 'Times a datagram whose send failed is sent again before its event goes to the failure path.' },
    retry_backoff_ms: { type: 'number', default: 10, description: 'Milliseconds between those attempts.' },
  },
  createEncoder(options, ctx) {
    const encodeOne = bytesEncoder(ctx.createCodec(options.codec));
    return {
      encode(events) {
        const parts: Uint8Array[] = [];
        const rejected = encodeEach(events, (event) => void parts.push(encodeOne(event)));
        if (parts.length === 0) return rejected ? { data: undefined, rejected } : undefined;
        let size = 0;
        for (const p of parts) size += p.length;
        const { bytes, ends } = packBodies(parts, size);
        const data: Datagrams = { bytes, ends };
        return { data, transfer: transferOf(data), ...(rejected ? { rejected } : {}) };
      },
    };
  },
  createSink(options, ctx) {
    if (!(Number.isInteger(options.port) && options.port >= 1 && options.port <= 65535)) throw new ConfigError(`udp: port must be 1–65535, got ${options.port}`, ctx.location);
    let socket: Socket | undefined;
    const open = (): Socket => {
      if (socket) return socket;
      const s = createSocket(isIPv6(options.host) ? 'udp6' : 'udp4');
      s.on('error', (err) => ctx.logger.warn(`udp: socket error: ${err.message}`));
      socket = s;
      return s;
    };
    const sendOnce = (s: Socket, datagram: Uint8Array): Promise<void> =>
      new Promise((resolve, reject) => s.send(datagram, options.port, options.host, (err) => (err ? reject(err) : resolve())));
    const send = async (s: Socket, datagram: Uint8Array): Promise<void> => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await sendOnce(s, datagram);
        } catch (err) {
          if (attempt >= options.retry_count) throw err;
          await new Promise((r) => setTimeout(r, options.retry_backoff_ms));
        }
      }
    };
    return {
      async write(data): Promise<WriteResult | void> {
        if (data === undefined) return;
        const { bytes, ends } = data as Datagrams;
        const s = open();
        const failed: NonNullable<WriteResult['failed']> = [];
        let start = 0;
        const sends: Promise<void>[] = [];
        for (let i = 0; i < ends.length; i++) {
          const datagram = bytes.subarray(start, ends[i]!);
          start = ends[i]!;
          if (datagram.length > MAX_UDP_PAYLOAD) {
            failed.push({ index: i, reason: `udp: the encoded event is ${datagram.length} bytes, more than a datagram can carry (${MAX_UDP_PAYLOAD})` });
            continue;
          }
          const index = i;
          sends.push(send(s, datagram).catch((err: Error) => void failed.push({ index, reason: `udp: send to ${options.host}:${options.port} failed: ${err.message}` })));
        }
        await Promise.all(sends);
        if (failed.length > 0) return { failed: failed.sort((a, b) => a.index - b.index) };
      },
      async close() {
        const s = socket;
        socket = undefined;
        if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
      },
    };
  },
});
