/**
 * Test-case files for `logpipe test`, read into one model:
 *
 * * logstash-filter-verifier (LFV) files, JSON or YAML: top-level `codec`, `fields`, `ignore`,
 *   `input_plugin`, `export_metadata`, `export_outputs`, `sort`, `testcases` (each with
 *   `input`, `event`/`fields`, `expected`, `expected_outputs`, `description`), and the older
 *   top-level `input`/`expected` pair. Field-reference keys (`[log][file][path]`) in `fields`,
 *   in expected events and in json_lines input become nested objects, as LFV does.
 * * logpipe's concise YAML form: `tests` (each with `name`, `input` lines or events,
 *   `expected`), optional `pipeline` (config path, relative to the file) and `plugin` (the id
 *   of the one filter to run); expected events list only the fields to check, unless `strict`.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseFieldPath } from '../core/fieldref.js';

export type Fields = Record<string, unknown>;

export interface TestCase {
  name: string;
  /** Raw lines, decoded by the input's codec. */
  lines: string[];
  /** Events given as objects (concise form), used as they are. */
  events: Fields[];
  /** Fields set on every input event of this case (file-level fields, then the case's own). */
  fields: Fields;
  expected: Fields[];
  /** LFV `expected_outputs`: the ids of the outputs each event must leave by (not checked when empty). */
  expectedOutputs: string[];
}

export interface TestSuite {
  file: string;
  format: 'lfv' | 'logpipe';
  /** LFV `codec`: a codec name or `name { options }`, as written in a Logstash config. */
  codec: string;
  inputPlugin: string | undefined;
  /** Fields removed from actual events before comparing (`@version` always). */
  ignore: string[];
  exportMetadata: boolean;
  exportOutputs: boolean;
  /** A field reference to order actual events by before comparing (LFV `sort`). */
  sortBy: string | undefined;
  /** Concise form: the pipeline to test, resolved against the file's directory by the caller. */
  pipeline: string | undefined;
  /** Concise form: run only the filter with this id. */
  plugin: string | undefined;
  /** Concise form compares only the fields an expected event lists, unless strict. */
  subset: boolean;
  cases: TestCase[];
}

export class TestFileError extends Error {
  override name = 'TestFileError';
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
  }
}

const DEFAULT_IGNORED = ['@version'];
/** LFV marks a test case without input lines with a dummy line; its event carries only the fields. */
const NO_INPUT = Symbol('no input');

export function isTestCaseFile(path: string): boolean {
  return ['.json', '.yaml', '.yml'].includes(extname(path).toLowerCase());
}

export function loadTestSuite(file: string, text = readFileSync(file, 'utf8')): TestSuite {
  let doc: unknown;
  try {
    doc = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new TestFileError(file, `not valid ${extname(file).slice(1).toUpperCase() || 'YAML'}: ${(err as Error).message}`);
  }
  if (!isObject(doc)) throw new TestFileError(file, 'a test-case file holds one object (LFV: "testcases", concise form: "tests")');
  return 'tests' in doc ? conciseSuite(file, doc) : lfvSuite(file, doc);
}

function lfvSuite(file: string, doc: Fields): TestSuite {
  const known = ['codec', 'fields', 'ignore', 'input', 'input_lines', 'expected', 'testcases', 'input_plugin', 'export_metadata', 'export_outputs', 'sort', 'description'];
  rejectUnknown(file, doc, known, 'test-case file');
  const codec = optionalString(file, doc, 'codec') ?? 'line';
  const fields = expandBrackets(objectOf(file, doc, 'fields'));
  const cases: TestCase[] = [];
  // The original format: input and expected at the top level, one case for all of them.
  const topLines = linesOf(file, doc, 'input') ?? linesOf(file, doc, 'input_lines');
  if (topLines || doc['expected'] !== undefined) {
    cases.push(makeCase(file, 'input', topLines ?? [], fields, {}, eventsOf(file, doc, 'expected'), [], codec));
  }
  const testcases = doc['testcases'] ?? [];
  if (!Array.isArray(testcases)) throw new TestFileError(file, '"testcases" must be a list');
  testcases.forEach((tc, i) => {
    const where = `testcases[${i}]`;
    if (!isObject(tc)) throw new TestFileError(file, `${where} must be an object`);
    rejectUnknown(file, tc, ['input', 'input_lines', 'event', 'fields', 'expected', 'expected_outputs', 'description'], where);
    const lines = linesOf(file, tc, 'input', where) ?? linesOf(file, tc, 'input_lines', where);
    const own = { ...objectOf(file, tc, 'fields', where), ...objectOf(file, tc, 'event', where) };
    const description = optionalString(file, tc, 'description', where);
    const outputs = linesOf(file, tc, 'expected_outputs', where) ?? [];
    cases.push(makeCase(file, description ?? `testcase ${i + 1}`, lines ?? [], fields, expandBrackets(own), eventsOf(file, tc, 'expected', where), outputs, codec));
  });
  return {
    file, format: 'lfv', codec,
    inputPlugin: optionalString(file, doc, 'input_plugin'),
    ignore: [...stringList(file, doc, 'ignore'), ...DEFAULT_IGNORED],
    exportMetadata: optionalBoolean(file, doc, 'export_metadata') ?? false,
    exportOutputs: optionalBoolean(file, doc, 'export_outputs') ?? false,
    sortBy: sortOf(file, doc),
    pipeline: undefined, plugin: undefined, subset: false,
    cases,
  };
}

function makeCase(file: string, name: string, lines: string[], global: Fields, own: Fields, expected: Fields[], outputs: string[], codec: string): TestCase {
  const input = lines.length === 0 ? [NO_INPUT] : lines;
  return {
    name,
    lines: input.filter((l): l is string => l !== NO_INPUT).map((l) => (codec.trim().startsWith('json_lines') ? jsonLineWithBrackets(file, l) : l)),
    events: input[0] === NO_INPUT ? [{}] : [],
    fields: { ...global, ...own },
    expected: expected.map(expandBrackets),
    expectedOutputs: outputs,
  };
}

function conciseSuite(file: string, doc: Fields): TestSuite {
  rejectUnknown(file, doc, ['pipeline', 'plugin', 'codec', 'fields', 'ignore', 'strict', 'export_metadata', 'sort', 'input_plugin', 'tests'], 'test file');
  const tests = doc['tests'];
  if (!Array.isArray(tests)) throw new TestFileError(file, '"tests" must be a list');
  const fields = expandBrackets(objectOf(file, doc, 'fields'));
  const codec = optionalString(file, doc, 'codec') ?? 'line';
  const cases = tests.map((t, i): TestCase => {
    const where = `tests[${i}]`;
    if (!isObject(t)) throw new TestFileError(file, `${where} must be an object`);
    rejectUnknown(file, t, ['name', 'input', 'fields', 'expected', 'expected_outputs'], where);
    const input = t['input'];
    if (!Array.isArray(input) || input.length === 0) throw new TestFileError(file, `${where}.input must be a non-empty list of lines or events`);
    const lines: string[] = [];
    const events: Fields[] = [];
    input.forEach((item, j) => {
      if (typeof item === 'string') lines.push(item);
      else if (isObject(item)) events.push(expandBrackets(item));
      else throw new TestFileError(file, `${where}.input[${j}] must be a line (string) or an event (object)`);
    });
    if (lines.length > 0 && events.length > 0) throw new TestFileError(file, `${where}.input mixes lines and events; give one kind per test`);
    return {
      name: optionalString(file, t, 'name', where) ?? `test ${i + 1}`,
      lines, events,
      fields: { ...fields, ...expandBrackets(objectOf(file, t, 'fields', where)) },
      expected: eventsOf(file, t, 'expected', where).map(expandBrackets),
      expectedOutputs: linesOf(file, t, 'expected_outputs', where) ?? [],
    };
  });
  return {
    file, format: 'logpipe', codec,
    inputPlugin: optionalString(file, doc, 'input_plugin'),
    ignore: [...stringList(file, doc, 'ignore'), ...DEFAULT_IGNORED],
    exportMetadata: optionalBoolean(file, doc, 'export_metadata') ?? false,
    exportOutputs: false,
    sortBy: sortOf(file, doc),
    pipeline: optionalString(file, doc, 'pipeline'),
    plugin: optionalString(file, doc, 'plugin'),
    subset: !(optionalBoolean(file, doc, 'strict') ?? false),
    cases,
  };
}

/** `sort: "[field]"`, or LFV's object form `sort: { json_path: "..." }` / `{ field: "..." }`. */
function sortOf(file: string, doc: Fields): string | undefined {
  const sort = doc['sort'];
  if (sort === undefined || sort === null) return undefined;
  if (typeof sort === 'string') return sort;
  if (isObject(sort)) {
    const path = sort['field'] ?? sort['json_path'];
    if (typeof path === 'string') return path.startsWith('$.') ? path.slice(2).split('.').map((p) => `[${p}]`).join('') : path;
  }
  throw new TestFileError(file, '"sort" must be a field reference ("[field]") or { field: "[field]" }');
}

/** `{"[log][file][path]": "x"}` → `{log: {file: {path: "x"}}}`, recursively. */
export function expandBrackets(fields: Fields): Fields {
  const out: Fields = {};
  for (const [key, raw] of Object.entries(fields)) {
    const value = isObject(raw) ? expandBrackets(raw) : raw;
    const path = key.startsWith('[') ? parseFieldPath(key) : [key];
    let target = out;
    for (const part of path.slice(0, -1)) {
      if (!isObject(target[part])) target[part] = {};
      target = target[part] as Fields;
    }
    const last = path[path.length - 1]!;
    target[last] = isObject(target[last]) && isObject(value) ? { ...(target[last] as Fields), ...value } : value;
  }
  return out;
}

function jsonLineWithBrackets(file: string, line: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return line; // the json_lines codec tags it _jsonparsefailure, as Logstash would
  }
  if (!isObject(parsed)) return line;
  void file;
  return JSON.stringify(expandBrackets(parsed));
}

export function isObject(v: unknown): v is Fields {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function rejectUnknown(file: string, obj: Fields, known: string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) throw new TestFileError(file, `unknown key "${key}" in ${where} (known: ${known.join(', ')})`);
  }
}

function optionalString(file: string, obj: Fields, key: string, where = ''): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new TestFileError(file, `${where ? where + '.' : ''}${key} must be a string`);
  return v;
}

function optionalBoolean(file: string, obj: Fields, key: string): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new TestFileError(file, `${key} must be true or false`);
  return v;
}

function objectOf(file: string, obj: Fields, key: string, where = ''): Fields {
  const v = obj[key];
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw new TestFileError(file, `${where ? where + '.' : ''}${key} must be an object of field → value`);
  return v;
}

function stringList(file: string, obj: Fields, key: string): string[] {
  return linesOf(file, obj, key) ?? [];
}

function linesOf(file: string, obj: Fields, key: string, where = ''): string[] | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new TestFileError(file, `${where ? where + '.' : ''}${key} must be a list of strings`);
  return v as string[];
}

function eventsOf(file: string, obj: Fields, key: string, where = ''): Fields[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every(isObject)) throw new TestFileError(file, `${where ? where + '.' : ''}${key} must be a list of events (objects)`);
  return v as Fields[];
}
