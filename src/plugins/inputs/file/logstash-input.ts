/**
 * The `file` input: Logstash's options → the tailing core's settings, and the decoder (codec per
 * line, `path`/`host` or ECS `[log][file][path]`/`[host][name]`). Positions live in the sincedb
 * file (`sincedb_path`, default `<plugin data dir>/sincedb`) in logpipe's registry format; a
 * Logstash sincedb found there is read once and then rewritten in that format.
 */
import { appendFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { OptionsOf } from '../../../config/schema.js';
import { parseDuration } from '../../../config/schema.js';
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { PAYLOAD_MAX_BATCHES, PAYLOAD_TARGET_BYTES, type InputDecoder, type InputSource, type PluginContext } from '../../api.js';
import { PayloadReader } from '../../../tailing/decode.js';
import { fileEncoding } from '../../../tailing/encoding.js';
import { globNameMatcher } from '../../../tailing/glob.js';
import { FLAG_TRUNCATED, type TailPayload } from '../../../tailing/payload.js';
import type { TailSettings } from '../../../tailing/settings.js';
import { TailSource } from '../../../tailing/tailer.js';
import type { FILE_INPUT_OPTIONS } from './options.js';

export type FileInputOptions = OptionsOf<typeof FILE_INPUT_OPTIONS>;

/** Tag of an event whose line was longer than `max_bytes` and cut (as stdin). */
export const TRUNCATED_TAG = '_line_truncated';

const UNITS: Record<string, number> = { s: 1000, sec: 1000, second: 1000, m: 60_000, min: 60_000, minute: 60_000, h: 3_600_000, hour: 3_600_000, d: 86_400_000, day: 86_400_000, w: 604_800_000, week: 604_800_000 };

/** sincedb_clean_after: a number of days, "2 weeks", "12 hours", or a Go-style duration. */
export function cleanAfterMs(value: unknown): number {
  if (typeof value === 'number') return value * 86_400_000;
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 86_400_000;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]+?)s?$/i.exec(text);
  if (m && UNITS[m[2]!.toLowerCase()]) return Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
  return parseDuration(text);
}

/** Where positions are kept; undefined: nowhere ("/dev/null", as Logstash users write to disable it). */
export function sincedbFileOf(options: Pick<FileInputOptions, 'sincedb_path'>, ctx: PluginContext): string | undefined {
  const p = options.sincedb_path;
  if (p === '/dev/null' || p?.toUpperCase() === 'NUL') return undefined;
  return resolve(p ?? join(ctx.dataDir, 'sincedb'));
}

/** The encoding the file is read in: the codec's charset, or UTF-8. */
function fileCharsetOf(o: FileInputOptions, ctx: PluginContext): string {
  return ctx.createCodec(o.codec).charset?.name ?? 'utf-8';
}

function settingsOf(o: FileInputOptions, ctx: PluginContext): TailSettings {
  const excludes = o.exclude.map(globNameMatcher);
  if (!(o.max_bytes >= 1)) throw new Error('max_bytes must be at least 1 byte');
  if (!(o.file_chunk_size >= 1)) throw new Error('file_chunk_size must be at least 1 byte');
  if (o.delimiter.length === 0) throw new Error('delimiter must not be empty');
  for (const p of o.path) if (!p.startsWith('/')) throw new Error(`path "${p}" must be absolute`);
  const read = o.mode === 'read';
  if (read && o.file_completed_action !== 'delete' && !o.file_completed_log_path) throw new Error(`file_completed_action ${o.file_completed_action} needs file_completed_log_path`);
  return {
    scope: 'file',
    paths: o.path,
    excluded: (path) => excludes.some((m) => m(basename(path))),
    identity: 'native_fingerprint',
    followSymlinks: true,
    scanIntervalMs: o.stat_interval * Math.max(1, o.discover_interval),
    backoffMs: o.stat_interval,
    backoffFactor: 1,
    maxBackoffMs: o.stat_interval,
    closeInactiveMs: o.close_older,
    closeRenamed: false,
    closeRemoved: true,
    closeEof: false,
    closeTimeoutMs: 0,
    ignoreOlderMs: o.ignore_older ?? 0,
    cleanInactiveMs: cleanAfterMs(o.sincedb_clean_after),
    cleanRemoved: false,
    startAtEnd: o.start_position === 'end',
    harvesterLimit: o.max_open_files,
    openOrder: { by: o.file_sort_by === 'path' ? 'path' : 'last_modified', descending: o.file_sort_direction === 'desc' },
    maxBytes: o.max_bytes,
    chunkSize: o.file_chunk_size,
    delimiter: o.delimiter,
    // The codec's charset: the tailing core cuts lines in it (UTF-16's two-byte "\n" at even offsets).
    encoding: fileCharsetOf(o, ctx),
    readMode: read ? { complete: (path) => completeFile(o, path) } : undefined,
    maxLinesPerPayload: ctx.batchSize * PAYLOAD_MAX_BATCHES,
    targetPayloadBytes: PAYLOAD_TARGET_BYTES,
  };
}

async function completeFile(o: FileInputOptions, path: string): Promise<void> {
  const action = o.file_completed_action;
  if (action !== 'delete' && o.file_completed_log_path) await appendFile(o.file_completed_log_path, `${path}\n`);
  if (action !== 'log') await unlink(path);
}

export function fileTailSource(options: FileInputOptions, ctx: PluginContext): InputSource {
  let settings: TailSettings;
  try {
    settings = settingsOf(options, ctx);
  } catch (err) {
    throw new ConfigError(`file: ${(err as Error).message}`, ctx.location);
  }
  return new TailSource(settings, sincedbFileOf(options, ctx), ctx.logger);
}

export function fileTailDecoder(options: FileInputOptions, ctx: PluginContext): InputDecoder {
  const spec = options.codec;
  const streaming = spec.name === 'plain' ? 'line' : spec.name === 'json' ? 'json_lines' : spec.name;
  const codec = ctx.createCodec({ ...spec, name: streaming });
  const reader = new PayloadReader(fileEncoding(fileCharsetOf(options, ctx)), options.delimiter, false);
  const host = hostname();
  const ecs = ctx.ecs !== 'disabled';
  return {
    decode(data, emit) {
      const payload = data as TailPayload;
      reader.forEach(payload, (text, _offset, flags) => {
        codec.decode(text, (event: Event) => {
          if (ecs) {
            event.set('[log][file][path]', payload.path);
            event.set('[host][name]', host);
          } else {
            event.data['path'] = payload.path;
            if (event.data['host'] === undefined) event.data['host'] = host;
          }
          if (flags & FLAG_TRUNCATED) event.tag(TRUNCATED_TAG);
          emit(event);
        });
      });
    },
  };
}
