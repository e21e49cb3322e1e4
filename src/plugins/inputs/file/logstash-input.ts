/** The `file` input: Logstash options → the tailing core's settings, and the decoder. */
import type { OptionsOf } from '../../../config/schema.js';
import { ConfigError } from '../../../core/errors.js';
import type { InputDecoder, InputSource, PluginContext } from '../../api.js';
import type { FILE_INPUT_OPTIONS } from './options.js';

export type FileInputOptions = OptionsOf<typeof FILE_INPUT_OPTIONS>;

export function fileTailSource(_options: FileInputOptions, ctx: PluginContext): InputSource {
  throw new ConfigError('file: the tailing engine is not wired yet', ctx.location);
}

export function fileTailDecoder(_options: FileInputOptions, ctx: PluginContext): InputDecoder {
  throw new ConfigError('file: the tailing engine is not wired yet', ctx.location);
}
