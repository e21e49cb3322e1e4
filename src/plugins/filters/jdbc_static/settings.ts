/**
 * jdbc_static's three list options read into checked shapes: `loaders` (remote query → local
 * table), `local_db_objects` (the local tables) and `local_lookups` (the per-event queries). The
 * rules and defaults are logstash-integration-jdbc's: a loader's id defaults to its table and
 * max_rows to 1 000 000; a lookup's id to `lookup-<n>` and its target to its id; ids and targets
 * must differ across lookups; `parameters` and `prepared_parameters` exclude each other.
 * Every problem is collected, so one ConfigError names them all.
 */

export interface LoaderSettings {
  id: string;
  query: string;
  table: string;
  maxRows: number;
}

export interface Column {
  name: string;
  /** Written into DDL as is; checked to be a plain type expression. */
  type: string;
}

export interface DbObjectSettings {
  name: string;
  columns: Column[];
  indexColumns: string[];
  preserveExisting: boolean;
}

export interface LookupSettings {
  id: string;
  query: string;
  /** `:name` → where its value comes from (a field reference, or a sprintf template when it holds `%{`). */
  parameters: Record<string, string> | undefined;
  /** Values of the `?` placeholders, in order (field references or sprintf templates). */
  preparedParameters: string[] | undefined;
  target: string;
  /** Whether the target is the id because none was given (Logstash then skips the target check). */
  idAsTarget: boolean;
  defaultHash: Record<string, unknown> | undefined;
  tagOnFailure: string[];
  tagOnDefaultUse: string[];
}

type Entry = Record<string, unknown>;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A column type as DDL takes it: words, digits, parentheses and commas (VARCHAR(64), DECIMAL(10,2)). */
const TYPE_EXPRESSION = /^[A-Za-z][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?$/;

function entries(value: unknown, what: string, problems: string[]): Entry[] {
  if (!Array.isArray(value)) {
    problems.push(`${what} must be a list of hashes`);
    return [];
  }
  return value.filter((v, i) => {
    const ok = typeof v === 'object' && v !== null && !Array.isArray(v);
    if (!ok) problems.push(`${what}[${i}] must be a hash`);
    return ok;
  }) as Entry[];
}

function stringList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function readLoaders(value: unknown, problems: string[]): LoaderSettings[] {
  return entries(value, 'loaders', problems).map((entry, i) => {
    const table = entry['local_table'];
    const query = entry['query'];
    if (typeof table !== 'string' || !IDENTIFIER.test(table)) problems.push(`loaders[${i}] needs local_table, a table name`);
    if (typeof query !== 'string' || query.trim() === '') problems.push(`loaders[${i}] needs a query string`);
    const maxRows = entry['max_rows'] === undefined ? 1_000_000 : Number(entry['max_rows']);
    if (!Number.isInteger(maxRows) || maxRows < 1) problems.push(`loaders[${i}]: max_rows must be a positive whole number`);
    return { id: String(entry['id'] ?? table), query: String(query), table: String(table), maxRows };
  });
}

export function readDbObjects(value: unknown, problems: string[]): DbObjectSettings[] {
  return entries(value, 'local_db_objects', problems).map((entry, i) => {
    const name = entry['name'];
    const label = typeof name === 'string' ? `local_db_objects "${name}"` : `local_db_objects[${i}]`;
    if (typeof name !== 'string' || !IDENTIFIER.test(name)) problems.push(`${label} needs name, a table name`);
    const columns: Column[] = [];
    const rawColumns = entry['columns'];
    if (!Array.isArray(rawColumns) || rawColumns.length === 0) {
      problems.push(`${label} needs columns, a list of [name, type] pairs`);
    } else {
      for (const column of rawColumns) {
        if (!Array.isArray(column) || column.length !== 2 || typeof column[0] !== 'string' || typeof column[1] !== 'string') {
          problems.push(`${label}: every column must be a pair of two strings [name, type], got ${JSON.stringify(column)}`);
          continue;
        }
        const [columnName, type] = column as [string, string];
        if (!IDENTIFIER.test(columnName)) problems.push(`${label}: column name "${columnName}" must be a plain identifier`);
        if (!TYPE_EXPRESSION.test(type.trim())) problems.push(`${label}: column type "${type}" is not a plain type (e.g. varchar(64), INTEGER, DECIMAL(10,2))`);
        columns.push({ name: columnName, type: type.trim() });
      }
    }
    const known = new Set(columns.map((c) => c.name));
    const indexColumns = stringList(entry['index_columns']) ?? [];
    for (const column of indexColumns) if (!known.has(column)) problems.push(`${label}: index column "${column}" is not one of its columns`);
    const preserve = entry['preserve_existing'];
    return { name: String(name), columns, indexColumns, preserveExisting: preserve === true || preserve === 'true' };
  });
}

export function readLookups(value: unknown, globals: { tagOnFailure: string[]; tagOnDefaultUse: string[] }, problems: string[]): LookupSettings[] {
  const lookups = entries(value, 'local_lookups', problems).map((entry, i): LookupSettings => {
    const id = String(entry['id'] ?? `lookup-${i + 1}`);
    const query = entry['query'];
    if (typeof query !== 'string' || query.trim() === '') problems.push(`local_lookups "${id}" needs a query string`);
    const rawParameters = entry['parameters'];
    const rawPrepared = entry['prepared_parameters'];
    let parameters: Record<string, string> | undefined;
    let preparedParameters: string[] | undefined;
    if (rawParameters !== undefined && rawPrepared !== undefined) {
      problems.push(`local_lookups "${id}": parameters and prepared_parameters exclude each other`);
    } else if (rawParameters !== undefined) {
      if (typeof rawParameters !== 'object' || rawParameters === null || Array.isArray(rawParameters)) problems.push(`local_lookups "${id}": parameters must be a hash`);
      else parameters = Object.fromEntries(Object.entries(rawParameters).map(([k, v]) => [k, String(v)]));
    } else if (rawPrepared !== undefined) {
      if (!Array.isArray(rawPrepared)) problems.push(`local_lookups "${id}": prepared_parameters must be a list`);
      else {
        preparedParameters = rawPrepared.map(String);
        const placeholders = (String(query).match(/\?/g) ?? []).length;
        if (placeholders !== preparedParameters.length) problems.push(`local_lookups "${id}": the query has ${placeholders} "?" but prepared_parameters gives ${preparedParameters.length}`);
      }
    }
    const defaultHash = entry['default_hash'];
    if (defaultHash !== undefined && (typeof defaultHash !== 'object' || defaultHash === null || Array.isArray(defaultHash))) problems.push(`local_lookups "${id}": default_hash must be a hash`);
    const hasDefault = typeof defaultHash === 'object' && defaultHash !== null && Object.keys(defaultHash).length > 0;
    const target = entry['target'];
    return {
      id,
      query: String(query),
      parameters,
      preparedParameters,
      target: target === undefined ? id : String(target),
      idAsTarget: target === undefined,
      defaultHash: hasDefault ? (defaultHash as Record<string, unknown>) : undefined,
      tagOnFailure: stringList(entry['tag_on_failure']) ?? globals.tagOnFailure,
      tagOnDefaultUse: stringList(entry['tag_on_default_use']) ?? globals.tagOnDefaultUse,
    };
  });
  const ids = new Map<string, number>();
  for (const l of lookups) ids.set(l.id, (ids.get(l.id) ?? 0) + 1);
  for (const [id, count] of ids) if (count > 1) problems.push(`local_lookups: id "${id}" is used ${count} times; ids must differ`);
  const targets = new Map<string, string[]>();
  for (const l of lookups.filter((x) => !x.idAsTarget)) targets.set(l.target, [...(targets.get(l.target) ?? []), l.id]);
  for (const [target, owners] of targets) if (owners.length > 1) problems.push(`local_lookups ${owners.map((o) => `"${o}"`).join(', ')} have the same target "${target}"; targets must differ`);
  return lookups;
}
