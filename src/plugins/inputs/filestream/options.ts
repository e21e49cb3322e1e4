/** The `filestream` input's options: the `log` input's Filebeat keys plus filestream's parsers and prospector. */
import type { Schema } from '../../../config/schema.js';
import { FILEBEAT_FILE_OPTIONS } from '../log/options.js';

export const FILESTREAM_OPTIONS = {
  ...FILEBEAT_FILE_OPTIONS,
  parsers: { type: 'array', default: [], description: 'Parsers applied in order, each a one-key hash: {multiline: {…}} or {ndjson: {target, message_key, overwrite_keys, add_error_key, expand_keys}}.' },
  prospector: { type: 'hash', description: 'Prospector settings: {scanner: {symlinks, check_interval, exclude_files, include_files, fingerprint: {enabled (false), offset (0), length (1024, at least 64)}}}. With the scanner fingerprint enabled, files shorter than offset+length are not read until they grow.' },
} as const satisfies Schema;
