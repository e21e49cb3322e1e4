/**
 * stdin: reads standard input. The main thread only cuts the stream at line
 * ends; decoding (UTF-8, codec) happens in the workers.
 *
 * A payload is the chunk's bytes alone (a Uint8Array), or, when a line in it
 * was cut at `max_bytes`, the bytes with the indexes of the cut lines: the
 * common case crosses to the worker exactly as before.
 */
import { hostname } from 'node:os';
import type { Readable } from 'node:stream';
import { LineChunker, type LineChunk } from '../../../core/lines.js';
import { defineInput, PAYLOAD_MAX_BATCHES, PAYLOAD_TARGET_BYTES, type InputSource } from '../../api.js';
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { decodeLineChunk, linePieceBytes, TRUNCATED_TAG } from '../../line-payloads.js';
import { multilineStreamSettings } from '../../codecs/multiline.js';
import { MultilineBoundary } from '../../multiline-stream.js';

/** How long a source may be quiet before the lines it sent are handed over. */
const QUIET_FLUSH_MS = 10;

/** Where stdin comes from; tests may substitute a stream. */
export const stdinStream: { current: () => Readable } = { current: () => process.stdin };

export { TRUNCATED_TAG } from '../../line-payloads.js';

/** At most one warning about cut lines per this many milliseconds. */
const TRUNCATION_WARN_MS = 10_000;

/** A payload holding at least one cut line. */
interface TruncatedPayload {
  bytes: Uint8Array;
  /** Indexes of the lines cut at max_bytes, ascending. */
  truncated: number[];
}

export const stdinInput = defineInput({
  kind: 'input',
  name: 'stdin',
  description: 'Reads events from standard input, one per line by default. The pipeline stops at end of input.',
  reloadable: false,
  options: {
    codec: { type: 'codec', default: { name: 'line', settings: [] }, description: 'Codec; plain and json are read as line and json_lines, as in Logstash.' },
    max_bytes: {
      type: 'bytes',
      default: 10 * 1024 * 1024,
      description: 'Longest line kept, in bytes ("10 MiB"); a longer line is cut there, tagged _line_truncated, and the rest of it discarded.',
    },
  },
  createSource(options, ctx): InputSource {
    if (!(options.max_bytes >= 1)) throw new ConfigError(`stdin: max_bytes must be at least 1 byte, got ${options.max_bytes}`, ctx.location);
    let stream: Readable | undefined;
    let stopped = false;
    // With the multiline codec, payloads are cut only between its events (the codec joins each payload's lines).
    const multiline = options.codec.name === 'multiline' ? multilineStreamSettings(ctx.createCodec(options.codec)) : undefined;
    // Not UTF-8: the bytes become UTF-8 before lines are cut (a UTF-16 "\n" is two bytes), so the decoder reads UTF-8 as always.
    const charset = ctx.createCodec(options.codec).charset;
    return {
      async run(sink) {
        stream = stdinStream.current();
        // A payload of a few batches of lines at most: its events are written and
        // acknowledged soon after they arrive, and a re-run costs a few batches.
        // Stream reads are fresh buffers, never reused: the chunker holds views of them, not copies.
        const toUtf8 = charset?.streamToUtf8();
        const chunker = new LineChunker(PAYLOAD_TARGET_BYTES, { maxLines: ctx.batchSize * PAYLOAD_MAX_BATCHES, maxLineBytes: options.max_bytes, borrowInput: true });
        const ready: LineChunk[] = [];
        const collect = (c: LineChunk): void => void ready.push(c);
        let reportedTruncations = 0;
        let lastWarning = -Infinity;
        const reportTruncations = (force: boolean): void => {
          const cut = chunker.truncatedLines - reportedTruncations;
          if (cut === 0 || (!force && Date.now() - lastWarning < TRUNCATION_WARN_MS)) return;
          lastWarning = Date.now();
          reportedTruncations = chunker.truncatedLines;
          ctx.logger.warn(`${cut} line(s) longer than max_bytes were cut and tagged ${TRUNCATED_TAG}`, {
            max_bytes: options.max_bytes, truncated_total: chunker.truncatedLines, discarded_bytes_total: chunker.discardedBytes,
          });
        };
        const boundary = multiline ? new MultilineBoundary(multiline) : undefined;
        let autoFlush: NodeJS.Timeout | undefined;
        const pushChunk = async (c: LineChunk): Promise<void> => {
          const data: Uint8Array | TruncatedPayload = c.truncated ? { bytes: c.bytes, truncated: c.truncated } : c.bytes;
          await sink.push({ data, transfer: [c.bytes.buffer as ArrayBuffer], events: c.lines, bytes: c.bytes.length });
        };
        const pushReady = async (): Promise<void> => {
          for (const c of ready.splice(0)) {
            const whole = boundary ? boundary.take(c) : c;
            if (whole) await pushChunk(whole);
          }
          if (multiline?.autoFlushMs !== undefined && boundary?.holding) {
            clearTimeout(autoFlush);
            autoFlush = setTimeout(() => {
              flushing = flushing.then(async () => {
                const held = boundary.release();
                if (held) await pushChunk(held);
              });
            }, multiline.autoFlushMs);
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
            clearTimeout(autoFlush);
            await flushing;
            chunker.push(toUtf8 ? toUtf8.push(buf as Buffer) : (buf as Buffer), collect);
            reportTruncations(false);
            await pushReady();
            if (stopped || sink.stopping) break;
            if (chunker.hasCompleteLines) flushSoon();
          }
        } catch (err) {
          // stop() destroys the stream to end a pending read: not an error.
          if (!stopped) throw err;
        }
        clearTimeout(quiet);
        clearTimeout(autoFlush);
        await flushing;
        if (toUtf8) chunker.push(toUtf8.end(), collect);
        chunker.end(collect);
        reportTruncations(true);
        await pushReady();
        clearTimeout(autoFlush);
        const held = boundary?.release();
        if (held) await pushChunk(held);
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
    const host = hostname();
    const pieceBytes = linePieceBytes(spec.name);
    const ecs = ctx.ecs !== 'disabled';
    const decodeLines = (text: string, truncated: boolean, emit: (event: Event) => void): void => {
      if (text.endsWith('\n')) text = text.slice(0, -1);
      codec.decode(text, (event) => {
        if (ecs) event.set('[host][hostname]', host);
        else if (event.data['host'] === undefined) event.data['host'] = host;
        if (truncated) event.tag(TRUNCATED_TAG);
        emit(event);
      });
    };
    return {
      decode(data, emit) {
        // Invalid UTF-8 becomes U+FFFD; the line is kept.
        const decodePiece = (text: string, cut: boolean): void => decodeLines(text, cut, emit);
        if (data instanceof Uint8Array) return decodeLineChunk(data, undefined, decodePiece, pieceBytes);
        // Rare: some lines were cut; exactly the events of a cut line get the tag.
        const { bytes, truncated } = data as TruncatedPayload;
        decodeLineChunk(bytes, truncated, decodePiece, pieceBytes);
      },
    };
  },
});
