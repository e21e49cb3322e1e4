/** The `log` and `filestream` inputs: Filebeat options → the tailing core's settings, and the decoder. */
import type { OptionsOf } from '../../../config/schema.js';
import { ConfigError } from '../../../core/errors.js';
import type { InputDecoder, InputSource, PluginContext } from '../../api.js';
import type { FILEBEAT_FILE_OPTIONS } from './options.js';

export type BeatsInputKind = 'log' | 'filestream';
export type BeatsFileOptions = OptionsOf<typeof FILEBEAT_FILE_OPTIONS> & { parsers?: unknown[]; prospector?: Record<string, unknown> };

export function beatsTailSource(kind: BeatsInputKind, _options: BeatsFileOptions, ctx: PluginContext): InputSource {
  throw new ConfigError(`${kind}: the tailing engine is not wired yet`, ctx.location);
}

export function beatsTailDecoder(kind: BeatsInputKind, _options: BeatsFileOptions, ctx: PluginContext): InputDecoder {
  throw new ConfigError(`${kind}: the tailing engine is not wired yet`, ctx.location);
}
