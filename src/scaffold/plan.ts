/** What `logpipe scaffold` infers from sample lines: the parse plan the renderers turn into text. */

export type FieldType = 'keyword' | 'text' | 'long' | 'double' | 'ip' | 'date';

export interface FieldSpec {
  /** Field reference as the filters produce it (`clientip`, `[audit][pid]`). */
  name: string;
  type: FieldType;
}

export interface TimestampSpec {
  /** The field holding the time text. */
  field: string;
  /** Joda patterns (or ISO8601 / UNIX / UNIX_MS), as the date filter takes them. */
  formats: string[];
  /** Set when the samples carry no zone. */
  timezone?: string;
}

/** Lines of one event: a line not matching `start` continues the event before it. */
export interface MultilineSpec {
  /** Regular expression (JavaScript and Filebeat syntax) a first line matches. */
  start: string;
}

export interface ParsePlan {
  /** Human name of the format found. */
  format: string;
  /** The filter section's body, in Logstash syntax, without the date filter. */
  filters: string[];
  fields: FieldSpec[];
  timestamp?: TimestampSpec;
  multiline?: MultilineSpec;
  /** Tags the filters put on an event they could not parse. */
  failureTags: string[];
}
