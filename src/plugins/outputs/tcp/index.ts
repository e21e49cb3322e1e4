/**
 * tcp output: writes each batch's encoded events over TCP or TLS, as a client (to host:port) or
 * a server (to every connected reader). A batch is acknowledged once written to the socket (see
 * sink.ts: a socket write is not an end-to-end acknowledgement).
 */
import { ConfigError } from '../../../core/errors.js';
import { defineOutput } from '../../api.js';
import { CLIENT_TLS_OPTIONS, clientTlsOf, serverTlsOf } from '../../net/tls-options.js';
import { codecTextEncoder } from '../encoding.js';
import { tcpClientSink, tcpServerSink } from './sink.js';

export const tcpOutput = defineOutput({
  kind: 'output',
  name: 'tcp',
  binaryCodecs: true,
  description: 'Writes events over TCP or TLS, as a client or a server; a batch counts as delivered once handed to the socket, and is retried after reconnecting when the write fails.',
  options: {
    host: { type: 'string', required: true, description: 'client mode: the server to connect to; server mode: the address to listen on.' },
    port: { type: 'number', required: true, description: 'client mode: the port to connect to; server mode: the port to listen on.' },
    mode: { type: 'string', default: 'client', values: ['client', 'server'], description: 'client: connect to host:port; server: accept readers and write to each.' },
    reconnect_interval: { type: 'duration', default: 10_000, description: 'Wait this long before connecting again and retrying a write that failed (seconds, or with units).' },
    codec: { type: 'codec', default: { name: 'json', settings: [] }, description: 'Codec of each event; json writes no separator between events, as Logstash does: use json_lines for one per line.' },
    ...CLIENT_TLS_OPTIONS,
  },
  createEncoder(options, ctx) {
    return codecTextEncoder(ctx.createCodec(options.codec));
  },
  createSink(options, ctx) {
    if (!(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)) throw new ConfigError(`tcp: port must be 0–65535, got ${options.port}`, ctx.location);
    const interval = Math.max(1, options.reconnect_interval);
    const retry = { initialMs: interval, maxMs: interval, maxAttempts: 0 };
    if (options.mode === 'server') {
      return tcpServerSink({ host: options.host, port: options.port, tls: serverTlsOf('tcp', options, ctx.location, 'none'), retry, logger: ctx.logger });
    }
    if (options.port === 0) throw new ConfigError('tcp: client mode needs the port to connect to', ctx.location);
    return tcpClientSink({ host: options.host, port: options.port, tls: clientTlsOf('tcp', options, options.host, ctx.location), retry, logger: ctx.logger });
  },
});
