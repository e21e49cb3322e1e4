/**
 * stdin: reads standard input. The main thread only cuts the stream at line
 * ends; decoding (UTF-8, codec) happens in the workers.
 */
import { hostname } from 'node:os';
import type { Readable } from 'node:stream';
import { LineChunker } from '../../../core/lines.js';
import { defineInput, type InputSource } from '../../api.js';

/** Where stdin comes from; tests may substitute a stream. */
export const stdinStream: { current: () => Readable } = { current: () => process.stdin };

export const stdinInput = defineInput({
  kind: 'input',
  name: 'stdin',
  description: 'Reads events from standard input, one per line by default. The pipeline stops at end of input.',
  reloadable: false,
  options: {
    codec: { type: 'codec', default: { name: 'line', settings: [] }, description: 'Codec; plain and json are read as line and json_lines, as in Logstash.' },
  },
  createSource(_options, ctx): InputSource {
    let stream: Readable | undefined;
    let stopped = false;
    return {
      async run(sink) {
        stream = stdinStream.current();
        const chunker = new LineChunker(ctx.batchSize);
        const pushChunk = async (bytes: Uint8Array, lines: number): Promise<void> => {
          await sink.push({ data: bytes, transfer: [bytes.buffer as ArrayBuffer], events: lines, bytes: bytes.length });
        };
        for await (const buf of stream) {
          const chunks: { bytes: Uint8Array; lines: number }[] = [];
          chunker.push(buf as Buffer, (c) => chunks.push(c));
          for (const c of chunks) await pushChunk(c.bytes, c.lines);
          if (stopped || sink.stopping) break;
        }
        const rest: { bytes: Uint8Array; lines: number }[] = [];
        chunker.end((c) => rest.push(c));
        for (const c of rest) await pushChunk(c.bytes, c.lines);
      },
      stop() {
        stopped = true;
        // Unblock the pending read so run() returns.
        stream?.destroy();
      },
    };
  },
  createDecoder(options, ctx) {
    const spec = options.codec;
    const streaming = spec.name === 'plain' ? 'line' : spec.name === 'json' ? 'json_lines' : spec.name;
    const codec = ctx.createCodec({ ...spec, name: streaming });
    const decoder = new TextDecoder('utf-8');
    const host = hostname();
    const ecs = ctx.ecs !== 'disabled';
    return {
      decode(data, emit) {
        // Invalid UTF-8 becomes U+FFFD; the line is kept.
        let text = decoder.decode(data as Uint8Array);
        if (text.endsWith('\n')) text = text.slice(0, -1);
        codec.decode(text, (event) => {
          if (ecs) event.set('[host][hostname]', host);
          else if (event.data['host'] === undefined) event.data['host'] = host;
          emit(event);
        });
      },
    };
  },
});
