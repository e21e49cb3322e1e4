/**
 * beats_file output: Filebeat's `output.file` — one file, rotated by size as Filebeat rotates it
 * (`rotate_every_kb`, `number_of_files`, `rotate_on_startup`, `permissions`). The Filebeat YAML
 * front end translates `output.file` to it; Logstash's file output has no rotation. A batch is
 * acknowledged once its bytes are written to the OS.
 */
import { ConfigError } from '../../../core/errors.js';
import { defineOutput } from '../../api.js';
import { encodeEach } from '../encoding.js';
import { RotatingFile } from './rotator.js';

const textEncoder = new TextEncoder();

/**
 * Files this process has written: "startup" is the process's, so a sink opened again (an agent
 * reload restarts the pipeline) does not rotate the file once more.
 */
const started = new Set<string>();

export const beatsFileOutput = defineOutput({
  kind: 'output',
  name: 'beats_file',
  description: "Filebeat's file output: appends events to path/filename, rotating by size into filename.1 … filename.<number_of_files - 1>.",
  options: {
    path: { type: 'path', required: true, description: 'Directory of the file.' },
    filename: { type: 'string', default: 'filebeat', description: 'Name of the file.' },
    rotate_every_kb: { type: 'number', default: 10240, description: 'Size in KiB after which the file is rotated (Filebeat: 10240).' },
    number_of_files: { type: 'number', default: 7, description: 'Files kept, the current one included (2 to 1024; Filebeat: 7).' },
    rotate_on_startup: { type: 'boolean', default: true, description: 'Rotate a non-empty file left by an earlier run before the first write.' },
    permissions: { type: 'number', default: 0o600, description: 'Mode of created files (Filebeat: 0600).' },
    codec: { type: 'codec', default: { name: 'beats_json', settings: [] }, description: 'Codec for each event.' },
  },
  createEncoder(options, ctx) {
    const codec = ctx.createCodec(options.codec);
    return {
      encode(events) {
        const records: Uint8Array[] = [];
        const rejected = encodeEach(events, (e) => {
          records.push(textEncoder.encode(codec.encode(e)));
        });
        return { data: records, transfer: records.map((r) => r.buffer as ArrayBuffer), ...(rejected ? { rejected } : {}) };
      },
    };
  },
  createSink(options, ctx) {
    if (!(options.rotate_every_kb >= 1)) throw new ConfigError('beats_file: rotate_every_kb must be at least 1', ctx.location);
    if (!(Number.isInteger(options.number_of_files) && options.number_of_files >= 2 && options.number_of_files <= 1024)) {
      throw new ConfigError('beats_file: number_of_files must be an integer from 2 to 1024', ctx.location);
    }
    const key = `${options.path}\0${options.filename}`;
    const firstStart = !started.has(key);
    started.add(key);
    const file = new RotatingFile({
      dir: options.path,
      name: options.filename,
      maxBytes: options.rotate_every_kb * 1024,
      keep: options.number_of_files,
      mode: options.permissions,
      rotateOnStartup: options.rotate_on_startup && firstStart,
    });
    ctx.logger.debug('beats_file: writing', { path: options.path, filename: options.filename });
    return {
      write: async (data) => file.write(data as Uint8Array[]),
      close: async () => file.close(),
      concurrency: 1,
    };
  },
});
