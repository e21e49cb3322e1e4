/** The `file` input's options: Logstash's file input vocabulary, read by the shared tailing core. */
import type { Schema } from '../../../config/schema.js';

export const FILE_INPUT_OPTIONS = {
  path: { type: 'string_list', required: true, description: 'Glob patterns of the files to read ("/var/log/*.log", "/var/log/**/*.log"); absolute paths.' },
  exclude: { type: 'string_list', default: [], description: 'Glob patterns matched against a file\'s name (not its path); matching files are not read.' },
  start_position: { type: 'string', values: ['beginning', 'end'], default: 'end', description: 'Where a file never seen before starts being read (tail mode); a known file resumes at its recorded offset.' },
  sincedb_path: { type: 'path', description: 'Where read positions are recorded (default: a registry under the plugin\'s data directory). An existing Logstash sincedb there is read; "/dev/null" keeps no positions.' },
  sincedb_clean_after: { type: 'any', default: 14, description: 'A position not updated for this long is forgotten: a number of days (as Logstash) or a duration string ("2 weeks", "12h").' },
  mode: { type: 'string', values: ['tail', 'read'], default: 'tail', description: 'tail: follow files as they grow; read: read each file once from the beginning, then apply file_completed_action.' },
  stat_interval: { type: 'duration', default: 1000, description: 'How often an open file is checked for new data (a number is seconds).' },
  discover_interval: { type: 'number', default: 15, description: 'How often the path globs are expanded again, in multiples of stat_interval.' },
  close_older: { type: 'duration', default: 3_600_000, description: 'A file not read from for this long is closed (reopened when it grows).' },
  ignore_older: { type: 'duration', description: 'A file modified longer ago than this is not read (a new one is recorded at its end).' },
  delimiter: { type: 'string', default: '\n', description: 'The line separator.' },
  max_open_files: { type: 'number', default: 4095, description: 'Most files read at once; the others wait their turn.' },
  file_sort_by: { type: 'string', values: ['last_modified', 'path'], default: 'last_modified', description: 'Which files a scan opens first (with more files than max_open_files, and in read mode): oldest modification time first, or by path.' },
  file_sort_direction: { type: 'string', values: ['asc', 'desc'], default: 'asc', description: 'Direction of file_sort_by: asc (oldest or first path first) or desc.' },
  file_completed_action: { type: 'string', values: ['delete', 'log', 'log_and_delete'], default: 'delete', description: 'read mode: what to do with a file read to its end.' },
  file_completed_log_path: { type: 'path', description: 'read mode: the file to which paths of completed files are appended (actions log, log_and_delete).' },
  file_chunk_size: { type: 'bytes', default: 32768, description: 'Bytes read from a file per read call.' },
  max_bytes: { type: 'bytes', default: 10 * 1024 * 1024, description: 'Longest line kept ("10 MiB"); a longer line is cut there, tagged _line_truncated, the rest discarded unread into memory.' },
  codec: { type: 'codec', default: { name: 'line', settings: [] }, description: 'Codec of each line; plain and json are read as line and json_lines, as in Logstash.' },
} as const satisfies Schema;
