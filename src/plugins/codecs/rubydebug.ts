/**
 * A readable, Ruby-hash-like dump of each event (Logstash's rubydebug):
 * keys right-aligned, nested hashes indented, `@metadata` shown only when
 * `metadata => true`.
 */
import { MAX_JSON_DEPTH, NestingTooDeepError } from '../../core/json-depth.js';
import { Timestamp } from '../../core/timestamp.js';
import { defineCodec } from '../api.js';

/**
 * Each level indents by four more spaces, so depth is indent / 4. Past MAX_JSON_DEPTH it
 * throws NestingTooDeepError (the output's encoder reports the event as rejected) rather
 * than overflowing the stack or writing megabytes of indentation; a cycle ends there too.
 */
function render(value: unknown, indent: number): string {
  if (value instanceof Timestamp) return value.toISOString();
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'nil';
  if (typeof value !== 'object') return String(value);
  if (indent >= MAX_JSON_DEPTH * 4) throw new NestingTooDeepError(MAX_JSON_DEPTH);
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v, i) => `${pad}    [${i}] ${render(v, indent + 4)}`);
    return `[\n${items.join(',\n')}\n${pad}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  // A loop, not Math.max(...): spreading a huge object's keys as arguments overflows the stack.
  let width = 0;
  for (const [k] of entries) width = Math.max(width, JSON.stringify(k).length);
  const lines = entries.map(([k, v]) => `${pad}    ${JSON.stringify(k).padStart(width)} => ${render(v, indent + 4)}`);
  return `{\n${lines.join(',\n')}\n${pad}}`;
}

export const rubydebugCodec = defineCodec({
  kind: 'codec',
  name: 'rubydebug',
  description: 'Pretty-prints events for people (the stdout default). Encoding only.',
  options: {
    metadata: { type: 'boolean', default: false, description: 'Also show @metadata.' },
  },
  create(options, ctx) {
    return {
      decode() {
        ctx.logger.warn('the rubydebug codec cannot decode; input ignored');
      },
      encode: (event) => render(options.metadata ? event.toObjectWithMetadata() : event.data, 0) + '\n',
    };
  },
});
