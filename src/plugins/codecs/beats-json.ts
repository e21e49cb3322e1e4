/**
 * beats_json: Filebeat's event encoding for its file and console outputs — one JSON document per
 * event with `@timestamp` first and `@metadata` ({beat, type, version, …}) kept, which Logstash's
 * json codecs leave out. Encode only: it is how the agent writes, not a format to read.
 */
import { stringifyLimited } from '../../core/json-depth.js';
import { METADATA } from '../../core/fieldref.js';
import { defineCodec } from '../api.js';
import { eventsFromJson } from './json.js';

export const beatsJsonCodec = defineCodec({
  kind: 'codec',
  name: 'beats_json',
  description: "Filebeat's JSON event encoding (file and console outputs): @timestamp, @metadata, then the fields; one document per line, or indented with pretty. No @version, as Filebeat writes none.",
  options: {
    pretty: { type: 'boolean', default: false, description: 'Indent the JSON (Filebeat: pretty / codec.json.pretty); documents are then separated by a newline.' },
  },
  create(options) {
    const indent = options.pretty ? 2 : undefined;
    return {
      decode(text, emit) {
        for (const line of text.split('\n')) if (line.trim() !== '') eventsFromJson(line, emit, undefined);
      },
      encode(event) {
        // Filebeat's documents have no @version (Logstash adds it when it receives them).
        const { '@timestamp': timestamp, '@version': _version, ...rest } = event.data;
        const doc: Record<string, unknown> = {};
        if (timestamp !== undefined) doc['@timestamp'] = timestamp;
        if (event.metadata) doc[METADATA] = event.metadata;
        Object.assign(doc, rest);
        return (indent === undefined ? stringifyLimited(doc) : JSON.stringify(JSON.parse(stringifyLimited(doc)), null, indent)) + '\n';
      },
    };
  },
});
