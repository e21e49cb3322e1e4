/**
 * From sample lines to a starting pipeline: detect the format (formats.ts), run its parsing
 * filters through the real pipeline, type the fields from what came out, add the conversions and
 * the date filter, and run the result again to report which sample lines it parses.
 */
import type { Fields } from '../testing/cases.js';
import { isObject } from '../testing/cases.js';
import { detectFormat, groupLines } from './formats.js';
import type { FieldSpec, ParsePlan } from './plan.js';
import { inferType } from './types.js';
import { runFilters, VERIFY_NOW } from './verify.js';

export interface ScaffoldResult {
  plan: ParsePlan;
  /** The filter section's body. */
  filterSection: string;
  records: string[];
  firstLines: number[];
  /** Per record: the events the final filters made. */
  events: Fields[][];
  /** Records parsed with their time in @timestamp; and the others, with why. */
  matched: number[];
  unmatched: { record: number; line: number; why: string }[];
  totalLines: number;
  matchedLines: number;
}

/** Fields that are not the log's own content. */
const NOT_CONTENT = new Set(['@timestamp', '@version', 'host', 'tags']);

export async function scaffold(sampleLines: readonly string[]): Promise<ScaffoldResult> {
  const lines = sampleLines.filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new Error('no sample lines: give a file with a few lines of the log, or pipe them in');
  const detection = detectFormat(lines);
  const plan = detection.plan;
  const { records, firstLines } = groupLines(lines, plan.multiline);

  // First pass: the parsing filters alone, to see the fields they make.
  const parsed = await runFilters(plan.filters.join('\n'), records);
  const values = new Map<string, unknown[]>();
  for (const events of parsed) {
    for (const e of events) {
      if (plan.failureTags.some((t) => Array.isArray(e['tags']) && (e['tags'] as unknown[]).includes(t))) continue;
      for (const [ref, v] of flatten(e)) {
        if (!values.has(ref)) values.set(ref, []);
        values.get(ref)!.push(v);
      }
    }
  }
  const timeField = plan.timestamp?.field;
  plan.fields = [...values.entries()]
    .filter(([ref]) => !NOT_CONTENT.has(topKey(ref)) && ref !== timeField && ref !== `[${timeField}]`)
    .map(([ref, vs]): FieldSpec => ({ name: ref, type: ref === 'message' || ref === 'log_message' ? 'text' : /version/i.test(ref) ? 'keyword' : inferType(vs) }));

  const filters = [...plan.filters];
  const convert = plan.fields.filter((f) => (f.type === 'long' || f.type === 'double') && values.get(f.name)!.some((v) => typeof v === 'string'));
  if (convert.length > 0) {
    filters.push(`mutate {\n    convert => {\n${convert.map((f) => `      ${q(f.name)} => ${q(f.type === 'long' ? 'integer' : 'float')}`).join('\n')}\n    }\n  }`);
  }
  if (plan.timestamp) {
    const t = plan.timestamp;
    const zone = t.timezone ? `\n    # The samples carry no time zone: set the zone they are written in.\n    timezone => ${q(t.timezone)}` : '';
    filters.push(`date {\n    match => [${[t.field, ...t.formats].map(q).join(', ')}]${zone}\n    remove_field => [${q(t.field)}]\n  }`);
  }
  const filterSection = filters.map((f) => `  ${f}`).join('\n');

  // Second pass: the whole section, judged record by record.
  const events = await runFilters(filterSection, records);
  const matched: number[] = [];
  const unmatched: ScaffoldResult['unmatched'] = [];
  events.forEach((out, i) => {
    const why = judge(out, plan);
    if (why === undefined) matched.push(i);
    else unmatched.push({ record: i, line: firstLines[i]!, why });
  });
  const lineCount = (i: number): number => records[i]!.split('\n').length;
  return {
    plan, filterSection, records, firstLines, events, matched, unmatched,
    totalLines: lines.length,
    matchedLines: matched.reduce((n, i) => n + lineCount(i), 0),
  };
}

function judge(out: Fields[], plan: ParsePlan): string | undefined {
  // A CSV header row is dropped by skip_header: that is its expected fate.
  if (out.length === 0) return plan.format.startsWith('CSV') ? undefined : 'dropped';
  const e = out[0]!;
  const tags = Array.isArray(e['tags']) ? (e['tags'] as string[]) : [];
  const failed = tags.filter((t) => t.startsWith('_'));
  if (failed.length > 0) return `tagged ${failed.join(', ')}`;
  if (plan.timestamp && e['@timestamp'] === new Date(VERIFY_NOW).toISOString()) return `no time found in ${plan.timestamp.field}`;
  return undefined;
}

/** Leaf fields of an event as [field reference, value]; arrays are leaves. */
export function flatten(e: Fields, prefix: string[] = []): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(e)) {
    const path = [...prefix, k];
    if (isObject(v) && Object.keys(v).length > 0) out.push(...flatten(v, path));
    else out.push([path.length === 1 ? k : path.map((p) => `[${p}]`).join(''), v]);
  }
  return out;
}

function topKey(ref: string): string {
  return ref.startsWith('[') ? ref.slice(1, ref.indexOf(']')) : ref;
}

function q(s: string): string {
  return `"${s.replace(/"/g, '\\"')}"`;
}
