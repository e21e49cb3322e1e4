/**
 * Filebeat's vocabulary for the `log` and `filestream` inputs. Option names are exactly Filebeat's
 * keys, so the Filebeat YAML front end passes an input's settings through unchanged; nested groups
 * (`multiline`, `json`, `prospector`) are hash options with Filebeat's sub-keys.
 */
import type { Schema } from '../../../config/schema.js';

export const FILEBEAT_FILE_OPTIONS = {
  paths: { type: 'string_list', required: true, description: 'Glob patterns of the files to read ("/var/log/*.log"; "**" matches any depth).' },
  exclude_files: { type: 'string_list', default: [], description: 'Regular expressions matched against each path found; matching files are not read.' },
  include_lines: { type: 'string_list', default: [], description: 'Regular expressions: when set, only lines matching one of them are shipped (after multiline).' },
  exclude_lines: { type: 'string_list', default: [], description: 'Regular expressions: lines matching one of them are dropped (after include_lines).' },
  scan_frequency: { type: 'duration', default: 10_000, description: 'How often the globs are expanded again for new files.' },
  close_inactive: { type: 'duration', default: 300_000, description: 'A harvester that read nothing for this long closes its file (reopened when it grows); counted from the last line read.' },
  close_renamed: { type: 'boolean', default: false, description: 'Close a file once it is renamed (rotation); what was not read yet is lost.' },
  close_removed: { type: 'boolean', default: true, description: 'Close a file once it is removed.' },
  close_eof: { type: 'boolean', default: false, description: 'Close a file once its end is reached; a last line without newline is shipped then.' },
  close_timeout: { type: 'duration', default: 0, description: 'Most time a harvester keeps a file open (0 = no limit); it is picked up again at the next scan.' },
  ignore_older: { type: 'duration', default: 0, description: 'Files modified longer ago than this are not read; a new one is recorded at its end (0 = off).' },
  clean_inactive: { type: 'duration', default: 0, description: 'Forget the state of a file not updated for this long (0 = never); must exceed ignore_older + scan_frequency.' },
  clean_removed: { type: 'boolean', default: true, description: 'Forget the state of a file that is gone under its last known name.' },
  tail_files: { type: 'boolean', default: false, description: 'Files never seen before start at their end.' },
  symlinks: { type: 'boolean', default: false, description: 'Follow symbolic links found by the globs (the target\'s identity is recorded).' },
  harvester_limit: { type: 'number', default: 0, description: 'Most files this input reads at once (0 = no limit). Which files get the slots: scan.sort, else a new random order at each scan (as Filebeat).' },
  scan: { type: 'hash', description: 'Order in which a scan opens files (matters with harvester_limit): {sort: modtime|filename, order: asc|desc}. Unset: no order (shuffled at each scan with harvester_limit).' },
  backoff: { type: 'duration', default: 1000, description: 'Wait after reaching a file\'s end before checking it again.' },
  backoff_factor: { type: 'number', default: 2, description: 'The wait is multiplied by this while a file stays idle, up to max_backoff.' },
  max_backoff: { type: 'duration', default: 10_000, description: 'Longest wait between checks of an idle file.' },
  max_bytes: { type: 'bytes', default: 10 * 1024 * 1024, description: 'Longest message kept; the rest is dropped unread into memory and the event flagged (log.flags: truncated).' },
  encoding: { type: 'string', default: 'plain', description: 'Character encoding of the files: plain, utf-8, gbk, gb18030, big5, utf-16le, utf-16be, latin1, … (any iconv-lite encoding).' },
  fields: { type: 'hash', default: {}, description: 'Fields added to every event, under `fields` unless fields_under_root.' },
  fields_under_root: { type: 'boolean', default: false, description: 'Put `fields` at the top level of the event, overwriting clashes.' },
  tags: { type: 'string_list', default: [], description: 'Tags appended to every event.' },
  file_identity: { type: 'any', default: 'native_fingerprint', description: 'How a file is recognised across renames and restarts: native_fingerprint (device+inode, checked against a hash of the first bytes; the default), native (device+inode), path, inode_marker ({inode_marker: {path: MARKER}}: inode + the marker file\'s content) or, filestream only, fingerprint (a hash of prospector.scanner.fingerprint\'s bytes, which must be enabled). A one-key hash as Filebeat 8 writes it is accepted ({native: {}}).' },
  multiline: { type: 'hash', description: 'Joins lines into one event: {type: pattern|while_pattern|count, pattern, negate, match: after|before, max_lines, timeout, count_lines, flush_pattern}.' },
  json: { type: 'hash', description: 'Decodes each line as JSON: {keys_under_root, overwrite_keys, add_error_key, message_key, expand_keys}.' },
  registry_path: { type: 'path', description: 'Directory of the registry (default <plugin data dir>/registry); inputs of one process naming the same directory share one store.' },
  field_layout: { type: 'string', values: ['ecs', 'legacy'], default: 'ecs', description: 'Event fields: ecs (7.x/8.x: log.file.path, log.offset, input.type, host.name, agent.*, ecs.version) or legacy (5.x/6.x: source, offset, beat.*, type, input_type).' },
} as const satisfies Schema;
