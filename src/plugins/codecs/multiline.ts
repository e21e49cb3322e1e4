/**
 * Logstash's multiline codec: joins lines into events. A line "continues" when it matches
 * `pattern` (grok patterns allowed), inverted by `negate`; with `what => previous` it joins the
 * event before it, with `what => next` the event after it. An event holding `max_lines` lines or
 * `max_bytes` bytes is cut there and tagged `multiline_codec_max_lines_reached` /
 * `multiline_codec_max_bytes_reached`; a joined event is tagged `multiline_tag`.
 *
 * The codec joins the lines of one decode() call: the text a datagram or message carries. On a
 * stream (tcp, stdin) the input cuts its payloads only between events (multiline-boundary.ts),
 * per connection, so each call holds whole events.
 */
import { ConfigError } from '../../core/errors.js';
import { Event } from '../../core/event.js';
import { compileGrok, GrokCompileError, loadPatternDir, standardPatterns } from '../filters/grok/index.js';
import { defineCodec, type PluginContext } from '../api.js';
import { charsetMember, CHARSET_OPTION } from './text.js';

export const MAX_LINES_TAG = 'multiline_codec_max_lines_reached';
export const MAX_BYTES_TAG = 'multiline_codec_max_bytes_reached';

export interface MultilineRule {
  /** Whether a line continues an event (pattern match, negate applied). */
  continues(line: string): boolean;
  what: 'previous' | 'next';
  maxLines: number;
}

const MULTILINE_OPTIONS = {
  pattern: { type: 'string', required: true, description: 'Regular expression (grok patterns allowed) a line is matched against.' },
  negate: { type: 'boolean', default: false, description: 'A line continues when it does NOT match pattern.' },
  what: { type: 'string', required: true, values: ['previous', 'next'], description: 'A continuing line belongs to the previous event, or to the next.' },
  patterns_dir: { type: 'string_list', default: [], description: 'Directories of grok pattern files for pattern.' },
  max_lines: { type: 'number', default: 500, description: 'Most lines in one event; the event is cut there and tagged multiline_codec_max_lines_reached.' },
  max_bytes: { type: 'bytes', default: 10 * 1024 * 1024, description: 'Most bytes in one event ("10 MiB"); the event is cut there and tagged multiline_codec_max_bytes_reached.' },
  multiline_tag: { type: 'string', default: 'multiline', description: 'Tag of an event joined from several lines.' },
  auto_flush_interval: { type: 'number', description: 'Seconds: on a stream, an event whose next line has not come within this time is handed over (else it waits for the next line or the end of the connection).' },
  charset: CHARSET_OPTION,
} as const;

/** The continuation test of a multiline codec's options (used by the codec and by stream inputs). */
export function multilineRule(options: { pattern: string; negate: boolean; what: string; patterns_dir: string[]; max_lines: number }, ctx: PluginContext): MultilineRule {
  const patterns = new Map(standardPatterns(ctx.ecs));
  const where = { location: ctx.location, warn: (m: string) => ctx.logger.warn(`multiline: ${m}`) };
  for (const dir of options.patterns_dir) loadPatternDir(dir, '*', patterns, where);
  let regex: RegExp;
  try {
    regex = compileGrok(options.pattern, { patterns }).regex;
  } catch (err) {
    throw new ConfigError(`multiline: invalid pattern "${options.pattern}": ${(err as Error).message}`, ctx.location);
  }
  const negate = options.negate;
  return {
    continues: (line) => regex.test(line) !== negate,
    what: options.what === 'next' ? 'next' : 'previous',
    maxLines: options.max_lines,
  };
}

export const multilineCodec = defineCodec({
  kind: 'codec',
  name: 'multiline',
  description: 'Joins lines into events by a pattern (Java stack traces, indented continuations). On tcp and stdin the joining is per connection.',
  options: MULTILINE_OPTIONS,
  create(options, ctx) {
    if (!(options.max_lines >= 1)) throw new ConfigError(`multiline: max_lines must be at least 1, got ${options.max_lines}`, ctx.location);
    let rule: MultilineRule;
    try {
      rule = multilineRule(options, ctx);
    } catch (err) {
      if (err instanceof GrokCompileError) throw new ConfigError(`multiline: ${err.message}`, ctx.location);
      throw err;
    }
    const tag = options.multiline_tag;
    const maxBytes = options.max_bytes;
    const stream: MultilineStreamSettings = {
      rule, maxBytes, autoFlushMs: options.auto_flush_interval !== undefined && options.auto_flush_interval > 0 ? options.auto_flush_interval * 1000 : undefined,
    };
    return {
      ...charsetMember(options.charset, ctx),
      [STREAM_SETTINGS]: stream,
      decode(text, emit) {
        if (text.length === 0) return;
        let lines: string[] = [];
        let bytes = 0;
        let cutTag: string | undefined;
        const flush = (): void => {
          if (lines.length === 0) return;
          const event = new Event({ message: lines.join('\n') });
          if (lines.length > 1 && tag !== '') event.tag(tag);
          if (cutTag) event.tag(cutTag);
          emit(event);
          lines = [];
          bytes = 0;
          cutTag = undefined;
        };
        const add = (line: string): void => {
          const size = Buffer.byteLength(line) + (lines.length > 0 ? 1 : 0);
          if (lines.length >= rule.maxLines || (lines.length > 0 && bytes + size > maxBytes)) {
            cutTag = lines.length >= rule.maxLines ? MAX_LINES_TAG : MAX_BYTES_TAG;
            flush();
          }
          lines.push(line);
          bytes += Buffer.byteLength(line) + (lines.length > 1 ? 1 : 0);
        };
        for (const line of text.split('\n')) {
          const continues = rule.continues(line);
          if (rule.what === 'previous') {
            if (!continues) flush();
            add(line);
          } else {
            add(line);
            if (!continues) flush();
          }
        }
        flush();
      },
      encode(event) {
        // Logstash's multiline encodes as plain: the message as is.
        const message = event.get('message');
        return typeof message === 'string' ? message : JSON.stringify(message ?? '');
      },
    };
  },
});

/** What a stream input needs from a multiline codec to cut its payloads between events. */
export interface MultilineStreamSettings {
  rule: MultilineRule;
  maxBytes: number;
  /** auto_flush_interval in ms; undefined = wait for the next line or the end of the stream. */
  autoFlushMs: number | undefined;
}

const STREAM_SETTINGS = Symbol('multiline stream settings');

/** The stream settings of a codec made by the multiline codec, or undefined for any other codec. */
export function multilineStreamSettings(codec: object): MultilineStreamSettings | undefined {
  return (codec as { [STREAM_SETTINGS]?: MultilineStreamSettings })[STREAM_SETTINGS];
}
