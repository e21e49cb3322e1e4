/**
 * A readable, Ruby-hash-like dump of each event (Logstash's rubydebug):
 * keys right-aligned, nested hashes indented, `@metadata` shown only when
 * `metadata => true`.
 */
import { Timestamp } from '../../core/timestamp.js';
import { defineCodec } from '../api.js';

function render(value: unknown, indent: number): string {
  if (value instanceof Timestamp) return value.toISOString();
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'nil';
  if (typeof value !== 'object') return String(value);
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v, i) => `${pad}    [${i}] ${render(v, indent + 4)}`);
    return `[\n${items.join(',\n')}\n${pad}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const width = Math.max(...entries.map(([k]) => JSON.stringify(k).length));
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
