/**
 * tcp input: reads lines over TCP or TLS, as a server (many concurrent connections) or as a
 * client. The source (main thread) cuts each connection's bytes into payloads of whole lines;
 * the decoder (worker) applies the codec line by line and adds the connection's metadata.
 * See source.ts for what it guarantees (TCP has no acknowledgement: the loss window).
 */
import { ConfigError } from '../../../core/errors.js';
import { defineInput, PAYLOAD_MAX_BATCHES } from '../../api.js';
import { clientTlsOf, serverTlsOf } from '../../net/tls-options.js';
import { tcpDecoder } from './decoder.js';
import { TCP_INPUT_OPTIONS } from './options.js';
import { tcpSource } from './source.js';
import { multilineStreamSettings } from '../../codecs/multiline.js';
import { linePieceBytes } from '../../line-payloads.js';

/** Codecs that frame a stream by themselves and cannot be applied to one line at a time. */
const WHOLE_STREAM_CODECS = new Set(['rubydebug', 'dots']);

export const tcpInput = defineInput({
  kind: 'input',
  name: 'tcp',
  binaryCodecs: true,
  description: 'Reads lines over TCP or TLS, as a server (many connections) or a client; a full pipeline stops the reads (TCP flow control). Events carry the peer address.',
  options: TCP_INPUT_OPTIONS,
  createSource(options, ctx) {
    if (!(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)) throw new ConfigError(`tcp: port must be 0–65535, got ${options.port}`, ctx.location);
    if (options.mode === 'client' && options.port === 0) throw new ConfigError('tcp: client mode needs the port to connect to', ctx.location);
    if (!(options.max_bytes >= 1)) throw new ConfigError(`tcp: max_bytes must be at least 1 byte, got ${options.max_bytes}`, ctx.location);
    if (WHOLE_STREAM_CODECS.has(options.codec.name)) {
      throw new ConfigError(`tcp: the ${options.codec.name} codec is not supported on the tcp input yet`, ctx.location,
        'use codec => line (or json_lines), and join lines with a filter or at the sender');
    }
    const server = options.mode === 'server';
    // A binary codec (msgpack) frames the stream itself: values back to back, each at most max_bytes.
    const codec = ctx.createCodec(options.codec);
    const binary = codec.binary;
    return tcpSource({
      mode: server ? 'server' : 'client',
      host: options.host,
      port: options.port,
      serverTls: server ? serverTlsOf('tcp', options, ctx.location, 'required') : undefined,
      clientTls: server ? undefined : clientTlsOf('tcp', options, options.host, ctx.location),
      keepAlive: options.tcp_keep_alive,
      reverseLookup: options.dns_reverse_lookup_enabled,
      proxyProtocol: options.proxy_protocol,
      maxLines: ctx.batchSize * PAYLOAD_MAX_BATCHES,
      maxLineBytes: options.max_bytes,
      reconnectIntervalMs: options.reconnect_interval,
      // The multiline codec's rule, built here too: the source cuts payloads between its events.
      multiline: options.codec.name === 'multiline' ? multilineStreamSettings(ctx.createCodec(options.codec)) : undefined,
      framer: binary ? () => binary.streamFramer(options.max_bytes) : undefined,
      // Not UTF-8: the source cuts lines on the text, so the decoder reads UTF-8 as always.
      charset: codec.charset,
    }, ctx.logger);
  },
  createDecoder(options, ctx) {
    const spec = options.codec;
    const streaming = spec.name === 'plain' ? 'line' : spec.name === 'json' ? 'json_lines' : spec.name;
    return tcpDecoder(ctx.createCodec({ ...spec, name: streaming }), ctx.ecs, linePieceBytes(spec.name));
  },
});
