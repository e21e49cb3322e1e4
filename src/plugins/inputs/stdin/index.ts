/**
 * stdin: reads standard input. The main thread only cuts the stream at line
 * ends; decoding (UTF-8, codec) happens in the workers.
 */
import { hostname } from 'node:os';
import type { Readable } from 'node:stream';
import { LineChunker, type LineChunk } from '../../../core/lines.js';
import { defineInput, PAYLOAD_TARGET_BYTES, type InputSource } from '../../api.js';

/** How long a source may be quiet before the lines it sent are handed over. */
const QUIET_FLUSH_MS = 10;

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
  createSource(): InputSource {
    let stream: Readable | undefined;
    let stopped = false;
    return {
      async run(sink) {
        stream = stdinStream.current();
        const chunker = new LineChunker(PAYLOAD_TARGET_BYTES);
        const ready: LineChunk[] = [];
        const collect = (c: LineChunk): void => void ready.push(c);
        const pushReady = async (): Promise<void> => {
          for (const c of ready.splice(0)) {
            await sink.push({ data: c.bytes, transfer: [c.bytes.buffer as ArrayBuffer], events: c.lines, bytes: c.bytes.length });
          }
        };
        // Lines gather into large payloads while data streams in; when the
        // source goes quiet, what has arrived is handed over after a short delay.
        let quiet: NodeJS.Timeout | undefined;
        let flushing = Promise.resolve();
        const flushSoon = (): void => {
          clearTimeout(quiet);
          quiet = setTimeout(() => {
            chunker.flush(collect);
            flushing = flushing.then(pushReady);
          }, QUIET_FLUSH_MS);
        };
        try {
          for await (const buf of stream) {
            clearTimeout(quiet);
            await flushing;
            chunker.push(buf as Buffer, collect);
            await pushReady();
            if (stopped || sink.stopping) break;
            if (chunker.hasCompleteLines) flushSoon();
          }
        } catch (err) {
          // stop() destroys the stream to end a pending read: not an error.
          if (!stopped) throw err;
        }
        clearTimeout(quiet);
        await flushing;
        chunker.end(collect);
        await pushReady();
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
