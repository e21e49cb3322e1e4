/**
 * file output. Workers render each event's path and encode it with the codec;
 * the main thread appends the bytes to the files. A batch is acknowledged once
 * its bytes are written to the OS (they survive a crash of logpipe); with
 * `flush_interval => 0` they are also fsynced first (they survive a power loss).
 * A write that fails part-way is rolled back in every file it touched before
 * the error reaches the pipeline, so its retry writes each line exactly once.
 */
import { gzipSync } from 'node:zlib';
import { defineOutput, type BinaryCodec, type OutputEncoder } from '../../api.js';
import { concatBytes } from '../../../core/bytes.js';
import { Utf8Builder } from '../../../core/utf8-builder.js';
import { encodeEach } from '../encoding.js';
import { compilePathRouter, type PathRouter } from './path.js';
import { FileWriterPool, type FileChunk } from './writer.js';
import type { Event } from '../../../core/event.js';
import { rateLimitedWarn } from '../../../core/rate-limit.js';

export type { FileChunk } from './writer.js';

/**
 * Modes are written like `dir_mode => 0750`; the config language reads that
 * as the number 750, so three or four octal digits are taken as octal.
 */
export function fileMode(n: number): number {
  return n >= 0 && /^[0-7]{3,4}$/.test(String(n)) ? parseInt(String(n), 8) : n;
}

export const fileOutput = defineOutput({
  kind: 'output',
  name: 'file',
  binaryCodecs: true,
  description: 'Appends events to files; the path may use %{field} and %{+date} below a fixed directory.',
  options: {
    path: { type: 'string', required: true, description: 'File to write; sprintf allowed after a fixed leading directory.' },
    codec: { type: 'codec', default: { name: 'json_lines', settings: [] }, description: 'Codec for each event.' },
    flush_interval: { type: 'number', default: 2, description: 'Seconds between fsyncs; 0 fsyncs every batch before acknowledging it.' },
    gzip: { type: 'boolean', default: false, description: 'Compress: each batch is appended as a gzip member.' },
    create_if_deleted: { type: 'boolean', default: true, description: 'Re-create a file that was deleted while open.' },
    dir_mode: { type: 'number', default: -1, description: 'Mode of created directories, in octal digits (0750); -1 uses the umask.' },
    file_mode: { type: 'number', default: -1, description: 'Mode of created files, in octal digits (0640); -1 uses the umask.' },
    filename_failure: { type: 'string', default: '_filepath_failures', description: 'File (under the fixed root) for events whose path would escape it.' },
    write_behavior: { type: 'string', default: 'append', values: ['append', 'overwrite'], description: 'append, or overwrite: each batch replaces the file content.' },
    stale_cleanup_interval: { type: 'number', default: 10, description: 'Seconds after which an idle file is closed.' },
  },
  createEncoder(options, ctx) {
    const warn = rateLimitedWarn(ctx.logger);
    const router = compilePathRouter(options.path, options.filename_failure, (rendered, failurePath) =>
      warn('outside-root', 'the event tried to write outside the files root, writing the event to the failure file',
        { path: rendered.replaceAll('\0', '\\0').slice(0, 1024), filename: failurePath }));
    const codec = ctx.createCodec(options.codec);
    const pack = (text: Utf8Builder): Uint8Array => (options.gzip ? new Uint8Array(gzipSync(text.take())) : text.take());
    if (codec.binary) return binaryFileEncoder(codec.binary, router, options.gzip);
    return {
      encode(events: Event[]) {
        // An event whose path or text cannot be made is left out and reported as rejected.
        let chunks: FileChunk[];
        let rejected;
        if (!router.dynamic) {
          const text = new Utf8Builder();
          rejected = encodeEach(events, (e) => {
            text.append(codec.encode(e));
          });
          chunks = rejected && text.empty ? [] : [{ path: router.root, bytes: pack(text) }];
        } else {
          const byPath = new Map<string, Utf8Builder>();
          rejected = encodeEach(events, (e) => {
            const path = router.route(e);
            const text = codec.encode(e);
            let builder = byPath.get(path);
            if (!builder) byPath.set(path, (builder = new Utf8Builder()));
            builder.append(text);
          });
          chunks = [...byPath].map(([path, text]) => ({ path, bytes: pack(text) }));
        }
        if (!rejected) return { data: chunks, transfer: chunks.map((c) => c.bytes.buffer as ArrayBuffer) };
        if (chunks.length === 0) return { data: undefined, rejected };
        return { data: chunks, transfer: chunks.map((c) => c.bytes.buffer as ArrayBuffer), rejected };
      },
    };
  },
  createSink(options, ctx) {
    const pool = new FileWriterPool({
      fsyncEachWrite: options.flush_interval <= 0,
      fsyncIntervalMs: Math.max(0, options.flush_interval) * 1000,
      createIfDeleted: options.create_if_deleted,
      dirMode: fileMode(options.dir_mode),
      fileMode: fileMode(options.file_mode),
      overwrite: options.write_behavior === 'overwrite',
      idleCloseMs: options.stale_cleanup_interval * 1000,
      logger: ctx.logger,
    });
    return {
      write: (data) => pool.write(data as FileChunk[]),
      close: () => pool.close(),
      // A failed write is rolled back by truncating the files it touched: a second write in
      // flight would be cut off with it. (The pool serialises writes anyway.)
      concurrency: 1,
    };
  },
});

/**
 * A binary codec's values laid end to end per file (a msgpack stream, readable back with the
 * tcp input's framing or any msgpack stream reader).
 */
function binaryFileEncoder(binary: BinaryCodec, router: PathRouter, gzip: boolean): OutputEncoder {
  return {
    encode(events: Event[]) {
      const byPath = new Map<string, { parts: Uint8Array[]; size: number }>();
      const rejected = encodeEach(events, (e) => {
        const path = router.dynamic ? router.route(e) : router.root;
        const bytes = binary.encodeBytes(e);
        let file = byPath.get(path);
        if (!file) byPath.set(path, (file = { parts: [], size: 0 }));
        file.parts.push(bytes);
        file.size += bytes.length;
      });
      const chunks: FileChunk[] = [...byPath].map(([path, { parts, size }]) => {
        const bytes = concatBytes(parts, size);
        return { path, bytes: gzip ? new Uint8Array(gzipSync(bytes)) : bytes };
      });
      if (chunks.length === 0) return rejected ? { data: undefined, rejected } : undefined;
      const payload = { data: chunks, transfer: chunks.map((c) => c.bytes.buffer as ArrayBuffer) };
      return rejected ? { ...payload, rejected } : payload;
    },
  };
}
