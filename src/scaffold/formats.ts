/**
 * Format detection: each candidate proposes the filters a person would write for a log format
 * (grok with a library pattern, or json / csv / kv for structured lines) and where the time is.
 * Grok candidates are scored by matching the samples with the real grok compiler; the chosen
 * plan is then run through the real pipeline (verify.ts) to type its fields.
 */
import { compileGrok, standardPatterns } from '../plugins/filters/grok/index.js';
import type { MultilineSpec, ParsePlan, TimestampSpec } from './plan.js';
import { TIME_FIELD_NAMES, timeFormatOf } from './types.js';

interface GrokCandidate {
  format: string;
  pattern: string;
  /** Time field and formats; formats undefined = guess from the captured values. */
  time: { field: string; formats?: string[]; zoned?: boolean };
  multiline?: MultilineSpec;
}

const LOG4J_START = '^\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}';

const GROK_CANDIDATES: GrokCandidate[] = [
  { format: 'Apache/Nginx access log (combined)', pattern: '%{COMBINEDAPACHELOG}', time: { field: 'timestamp', formats: ['dd/MMM/yyyy:HH:mm:ss Z'], zoned: true } },
  { format: 'Apache/Nginx access log (common)', pattern: '%{COMMONAPACHELOG}', time: { field: 'timestamp', formats: ['dd/MMM/yyyy:HH:mm:ss Z'], zoned: true } },
  { format: 'Apache error log', pattern: '%{HTTPD_ERRORLOG}', time: { field: 'timestamp', formats: ['EEE MMM dd HH:mm:ss yyyy', 'EEE MMM dd HH:mm:ss.SSSSSS yyyy'], zoned: false } },
  {
    format: 'syslog (RFC 5424)',
    pattern: '<%{NONNEGINT:syslog_pri}>%{NONNEGINT:syslog_version} %{TIMESTAMP_ISO8601:timestamp} %{SYSLOGHOST:logsource} %{NOTSPACE:app_name} %{NOTSPACE:procid} %{NOTSPACE:msgid} (?:-|(?<structured_data>(?:\\[[^\\]]*\\])+)) ?%{GREEDYDATA:message}',
    time: { field: 'timestamp', formats: ['ISO8601'], zoned: true },
  },
  { format: 'syslog (RFC 3164)', pattern: '%{SYSLOGTIMESTAMP:timestamp} %{SYSLOGHOST:logsource} %{SYSLOGPROG}: %{GREEDYDATA:message}', time: { field: 'timestamp', formats: ['MMM  d HH:mm:ss', 'MMM dd HH:mm:ss'], zoned: false } },
  { format: 'HDFS', pattern: '(?<timestamp>\\d{6} \\d{6}) %{INT:pid} %{LOGLEVEL:level} %{JAVACLASS:component}: %{GREEDYDATA:log_message}', time: { field: 'timestamp', formats: ['yyMMdd HHmmss'], zoned: false } },
  {
    format: 'Zookeeper (log4j)',
    pattern: '(?m)%{TIMESTAMP_ISO8601:timestamp} - %{LOGLEVEL:level}\\s+\\[%{DATA:thread}\\] - %{GREEDYDATA:log_message}',
    time: { field: 'timestamp' }, multiline: { start: LOG4J_START },
  },
  {
    format: 'log4j/logback (timestamp level [thread] class - message)',
    pattern: '(?m)%{TIMESTAMP_ISO8601:timestamp}\\s+%{LOGLEVEL:level}\\s+\\[%{DATA:thread}\\]\\s+%{JAVACLASS:class}\\s+-\\s+%{GREEDYDATA:log_message}',
    time: { field: 'timestamp' }, multiline: { start: LOG4J_START },
  },
  { format: 'Windows CBS', pattern: '%{TIMESTAMP_ISO8601:timestamp}, %{WORD:level}\\s+%{WORD:component}\\s+%{GREEDYDATA:log_message}', time: { field: 'timestamp' } },
  {
    format: 'Android logcat (threadtime)',
    pattern: '(?<timestamp>\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3})\\s+%{INT:pid}\\s+%{INT:tid} %{WORD:level} %{DATA:tag}\\s*: %{GREEDYDATA:log_message}',
    time: { field: 'timestamp', formats: ['MM-dd HH:mm:ss.SSS'], zoned: false },
  },
  { format: 'ISO-timestamped text', pattern: '(?m)%{TIMESTAMP_ISO8601:timestamp}\\s+%{GREEDYDATA:log_message}', time: { field: 'timestamp' }, multiline: { start: LOG4J_START } },
];

export interface Detection {
  plan: ParsePlan;
  /** Records (events: lines, or lines joined by the multiline rule) the plan was scored on. */
  records: string[];
  /** Each record's first line number (1-based) in the samples. */
  firstLines: number[];
  score: number;
}

/** Groups lines into events: a line not matching `start` belongs to the event before it. */
export function groupLines(lines: readonly string[], multiline: MultilineSpec | undefined): { records: string[]; firstLines: number[] } {
  const records: string[] = [];
  const firstLines: number[] = [];
  const start = multiline ? new RegExp(multiline.start) : undefined;
  lines.forEach((line, i) => {
    if (start && records.length > 0 && !start.test(line)) records[records.length - 1] += '\n' + line;
    else {
      records.push(line);
      firstLines.push(i + 1);
    }
  });
  return { records, firstLines };
}

export function detectFormat(lines: readonly string[]): Detection {
  const structured = [detectJson(lines), detectCsv(lines), detectKv(lines)].filter((d): d is Detection => d !== undefined);
  const best = structured.sort((a, b) => b.score - a.score)[0];
  if (best && best.score >= 0.9) return best;
  let chosen: Detection | undefined;
  for (const c of GROK_CANDIDATES) {
    const d = grokDetection(c, lines);
    if (!chosen || d.score > chosen.score + 1e-9) chosen = d;
    if (d.score === 1) break;
  }
  if (best && best.score > chosen!.score) return best;
  return chosen!;
}

const patterns = standardPatterns('disabled');

function grokDetection(c: GrokCandidate, lines: readonly string[]): Detection {
  const grok = compileGrok(c.pattern, { patterns });
  const { records, firstLines } = groupLines(lines, c.multiline);
  const captured = records.map((r) => grok.match(r));
  const matched = captured.filter((m) => m !== null);
  // Score in lines, so joining lines into events does not inflate it.
  const lineCount = (i: number): number => records[i]!.split('\n').length;
  const matchedLines = captured.reduce((n, m, i) => n + (m ? lineCount(i) : 0), 0);
  const formats = c.time.formats ?? timeFormatOf(matched.map((m) => m![c.time.field]))?.formats ?? ['ISO8601'];
  const zoned = c.time.zoned ?? timeFormatOf(matched.map((m) => m![c.time.field]))?.zoned ?? false;
  let format = c.format;
  const programs = new Set(matched.map((m) => m!['program']));
  if (c.format.startsWith('syslog') && programs.size === 1 && programs.has('sshd')) format = `OpenSSH (${c.format})`;
  const overwrite = matched.some((m) => m!['message'] !== undefined) ? ' overwrite => ["message"]' : '';
  const plan: ParsePlan = {
    format,
    filters: [`grok {\n    match => { "message" => ${quote(c.pattern)} }${overwrite}\n  }`],
    fields: [],
    timestamp: timestamp(c.time.field, formats, zoned),
    ...(c.multiline ? { multiline: c.multiline } : {}),
    failureTags: ['_grokparsefailure'],
  };
  return { plan, records, firstLines, score: lines.length === 0 ? 0 : matchedLines / lines.length };
}

function timestamp(field: string, formats: string[], zoned: boolean): TimestampSpec {
  return zoned ? { field, formats } : { field, formats, timezone: 'UTC' };
}

function detectJson(lines: readonly string[]): Detection | undefined {
  const objects = lines.map((l) => {
    try {
      const v = JSON.parse(l) as unknown;
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  });
  const ok = objects.filter((o) => o !== undefined);
  if (ok.length === 0) return undefined;
  const time = findTimeField(ok);
  return {
    plan: {
      format: 'JSON lines',
      filters: ['json {\n    source => "message"\n  }'],
      fields: [],
      ...(time ? { timestamp: time } : {}),
      failureTags: ['_jsonparsefailure'],
    },
    ...groupLines(lines, undefined),
    score: ok.length / lines.length,
  };
}

const SEPARATORS = [',', ';', '\t', '|'];

/** Splits one CSV row (RFC 4180 quotes). */
export function splitCsv(line: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur === '') quoted = true;
    else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function detectCsv(lines: readonly string[]): Detection | undefined {
  if (lines.length < 2) return undefined;
  for (const sep of SEPARATORS) {
    const header = splitCsv(lines[0]!, sep);
    if (header.length < 2 || !header.every((h) => /^[A-Za-z_][\w .-]*$/.test(h.trim()))) continue;
    const rows = lines.slice(1).map((l) => splitCsv(l, sep));
    const fitting = rows.filter((r) => r.length === header.length);
    const score = (fitting.length + 1) / lines.length;
    if (score < 0.9) continue;
    const columns = header.map((h) => h.trim());
    const objects = fitting.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
    const time = findTimeField(objects);
    return {
      plan: {
        format: `CSV with a header (separator ${JSON.stringify(sep)})`,
        filters: [`csv {\n    separator => ${quote(sep)}\n    columns => [${columns.map(quote).join(', ')}]\n    skip_header => true\n  }`],
        fields: [],
        ...(time ? { timestamp: time } : {}),
        failureTags: ['_csvparsefailure'],
      },
      ...groupLines(lines, undefined),
      score,
    };
  }
  return undefined;
}

const KV_PAIR = /(?:^|\s)([A-Za-z_][\w.-]*)=("[^"]*"|'[^']*'|\S*)/g;

function detectKv(lines: readonly string[]): Detection | undefined {
  const parsed = lines.map((l) => {
    const pairs: Record<string, string> = {};
    for (const m of l.matchAll(KV_PAIR)) pairs[m[1]!] = m[2]!.replace(/^["']|["']$/g, '');
    return pairs;
  });
  const ok = parsed.filter((p) => Object.keys(p).length >= 3);
  if (ok.length === 0) return undefined;
  const filters = ['kv {\n    source => "message"\n  }'];
  let time = findTimeField(ok);
  // Linux audit: the time is inside msg=audit(<epoch>.<ms>:<serial>):
  if (!time && lines.filter((l) => /^type=\S+ msg=audit\(\d+\.\d+:\d+\):/.test(l)).length >= ok.length * 0.9) {
    filters.push(`grok {\n    match => { "message" => ${quote('^type=%{NOTSPACE:audit_type} msg=audit\\(%{NUMBER:audit_epoch}:%{INT:audit_serial}\\):')} }\n  }`);
    time = { field: 'audit_epoch', formats: ['UNIX'] };
  }
  return {
    plan: { format: time?.field === 'audit_epoch' ? 'Linux audit (key=value)' : 'key=value', filters, fields: [], ...(time ? { timestamp: time } : {}), failureTags: ['_grokparsefailure'] },
    ...groupLines(lines, undefined),
    score: ok.length / lines.length,
  };
}

/** The field holding the time in structured records: a usual name first, then any time-shaped field. */
function findTimeField(objects: Record<string, unknown>[]): TimestampSpec | undefined {
  const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  const ordered = [...TIME_FIELD_NAMES.filter((n) => keys.includes(n)), ...keys.filter((k) => !TIME_FIELD_NAMES.includes(k))];
  for (const key of ordered) {
    const f = timeFormatOf(objects.map((o) => o[key]));
    if (f) return timestamp(key.includes('[') || !/^[\w@]+$/.test(key) ? `[${key}]` : key, f.formats, f.zoned);
  }
  return undefined;
}

/** A Logstash double-quoted string: without config.support_escapes backslashes stay as written. */
export function quote(s: string): string {
  return `"${s.replace(/"/g, '\\"')}"`;
}
