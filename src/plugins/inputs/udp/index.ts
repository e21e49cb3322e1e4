/**
 * udp input: one event per datagram (codec default plain). The source (main thread) receives
 * datagrams into a bounded queue (protocols/net/udp-receiver.ts) that `workers` loops drain into
 * payloads of up to a few batches of datagrams; the decoder (worker) applies the codec to each
 * datagram and records the sender's address in `source_ip_fieldname`.
 *
 * The loss model: UDP has no acknowledgement nor flow control. A datagram is lost when the
 * kernel's receive buffer overflows (receive_buffer_bytes; counted by the kernel only), when the
 * queue holds queue_size datagrams (dropped, counted in the input's `dropped` figure and logged),
 * and, like TCP, while in memory when the process dies.
 */
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { fieldRef } from '../../../core/fieldref.js';
import { UdpReceiver } from '../../../protocols/net/udp-receiver.js';
import { defineInput, PAYLOAD_MAX_BATCHES, PAYLOAD_TARGET_BYTES, type InputSource } from '../../api.js';
import { packBodies } from '../../message-bodies.js';
import { bytesDecoder } from '../../codec-bytes.js';

/** Datagrams of one payload: their bytes end to end, where each ends, and who sent each. */
export interface UdpPayload {
  bytes: Uint8Array;
  ends: Uint32Array;
  /** Distinct sender addresses; `senders[i]` indexes it for datagram i. */
  hosts: string[];
  senders: Uint32Array;
}

/** How long a drain loop lets datagrams gather before handing over fewer than a full payload. */
const GATHER_MS = 5;

export const udpInput = defineInput({
  kind: 'input',
  name: 'udp',
  binaryCodecs: true,
  description: 'Receives one event per UDP datagram. UDP can lose data: datagrams that find the queue full are dropped and counted (the input\'s `dropped` figure).',
  options: {
    host: { type: 'string', default: '0.0.0.0', description: 'Address to listen on.' },
    port: { type: 'number', required: true, description: 'Port to listen on.' },
    codec: { type: 'codec', default: { name: 'plain', settings: [] }, description: 'Codec applied to each datagram.' },
    buffer_size: { type: 'number', default: 65536, description: 'Longest datagram read, in bytes; a longer one is cut to this length (counted in the `truncated` figure).' },
    receive_buffer_bytes: { type: 'number', description: 'Socket receive buffer (SO_RCVBUF), in bytes; default 4 MiB (4194304), or as much as the system allows. Linux caps it at net.core.rmem_max.' },
    workers: { type: 'number', default: 2, description: 'Loops handing datagrams to the pipeline concurrently (decoding itself runs in the pipeline workers).' },
    queue_size: { type: 'number', default: 2000, description: 'Datagrams held while the pipeline is busy; a datagram that finds the queue full is dropped and counted.' },
    source_ip_fieldname: { type: 'field_reference', description: 'Field for the sender\'s IP address; default host (ecs disabled) or [host][ip] (ECS).' },
  },
  createSource(options, ctx): InputSource {
    if (!(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)) throw new ConfigError(`udp: port must be 0–65535, got ${options.port}`, ctx.location);
    for (const name of ['buffer_size', 'workers', 'queue_size'] as const) {
      if (!(Number.isInteger(options[name]) && options[name] >= 1)) throw new ConfigError(`udp: ${name} must be a positive integer, got ${options[name]}`, ctx.location);
    }
    const maxEvents = ctx.batchSize * PAYLOAD_MAX_BATCHES;
    let receiver: UdpReceiver | undefined;
    let stopped = false;
    const drain = async (r: UdpReceiver, sink: Parameters<InputSource['run']>[0]): Promise<void> => {
      for (;;) {
        const datagrams = await r.take(maxEvents, GATHER_MS);
        if (datagrams.length === 0) return;
        let size = 0;
        for (const d of datagrams) size += d.data.length;
        const { bytes, ends } = packBodies(datagrams.map((d) => d.data), size);
        const senders = new Uint32Array(datagrams.length);
        const hosts: string[] = [];
        const hostIndex = new Map<string, number>();
        for (let i = 0; i < datagrams.length; i++) {
          const address = datagrams[i]!.address;
          let h = hostIndex.get(address);
          if (h === undefined) {
            h = hosts.push(address) - 1;
            hostIndex.set(address, h);
          }
          senders[i] = h;
        }
        const data: UdpPayload = { bytes, ends, hosts, senders };
        await sink.push({ data, transfer: [bytes.buffer as ArrayBuffer, ends.buffer as ArrayBuffer, senders.buffer], events: datagrams.length, bytes: size });
      }
    };
    return {
      async run(sink) {
        if (stopped) return;
        const r = new UdpReceiver({
          host: options.host, port: options.port, queueSize: options.queue_size, maxDatagramBytes: Math.min(options.buffer_size, PAYLOAD_TARGET_BYTES * 8),
          ...(options.receive_buffer_bytes !== undefined ? { receiveBufferBytes: options.receive_buffer_bytes } : {}),
          label: 'udp', logger: ctx.logger,
        });
        receiver = r;
        const address = await r.bind();
        ctx.logger.info(`udp: listening on ${address.address}:${address.port}`);
        if (stopped) await r.close();
        // After close(), the loops hand over what is held, then end.
        await Promise.all(Array.from({ length: options.workers }, () => drain(r, sink)));
      },
      async stop() {
        stopped = true;
        const r = receiver;
        await r?.close();
        if (r) ctx.logger.info('udp: stopped', { ...r.figures });
      },
      figures() {
        const f = receiver?.figures;
        return { received: f?.received ?? 0, dropped: f?.dropped ?? 0, truncated: f?.truncated ?? 0, queued: receiver?.queued ?? 0 };
      },
    };
  },
  createDecoder(options, ctx) {
    const decodeMessage = bytesDecoder(ctx.createCodec(options.codec));
    // Compiled once: per event one walk (as get-then-set would do), not two lookups of the reference by its text.
    const field = fieldRef(options.source_ip_fieldname ?? (ctx.ecs === 'disabled' ? 'host' : '[host][ip]'));
    return {
      decode(data, emit) {
        const { bytes, ends, hosts, senders } = data as UdpPayload;
        let start = 0;
        for (let i = 0; i < ends.length; i++) {
          const host = hosts[senders[i]!]!;
          const end = ends[i]!;
          decodeMessage(bytes.subarray(start, end), (event: Event) => {
            field.setIfMissing(event, host);
            emit(event);
          });
          start = end;
        }
      },
    };
  },
});
