/**
 * One compiled dissection (`%{a} %{b}->%{+a/2}...`). Matching walks the text
 * left to right with indexOf for each literal delimiter — no regex per event.
 *
 * Field forms (the key is the text between `%{` and `}` minus prefix/suffix):
 *   %{name} / %{[a][b]}  normal: value stored under the key
 *   %{} / %{?name}       skip: value kept only for indirect lookups
 *   %{+name} %{+name/N}  append: values joined (with the delimiter that preceded
 *                        each appended field, or a space), ordered by N
 *   %{&name}             indirect: stored under the key found in field `name`
 *   %{name->}            right padding: repeats of the following delimiter are skipped
 * Matching is strict (plugin 1.2): every delimiter must be found, in order; a
 * trailing delimiter after the last field must be found too, and the text after
 * it is ignored.
 */

export type FieldKind = 'normal' | 'skip' | 'append' | 'indirect';

export interface DissectField {
  kind: FieldKind;
  key: string;
  /** Append order (/N); declared position when not given. */
  ordinal: number;
  padded: boolean;
  /** Literal text between the previous field and this one ("" for the first). */
  previous: string;
  /** Literal text after this field ("" = up to the end for the last field). */
  next: string;
}

export class DissectPatternError extends Error {
  override name = 'DissectPatternError';
}

export class Dissector {
  readonly fields: DissectField[];
  readonly prefix: string;
  /** Per appended key, the indexes of its fields in append order. */
  private readonly appendGroups: Array<{ key: string; indexes: number[] }>;
  private readonly normalIndexByKey: Map<string, number>;
  private readonly hasIndirect: boolean;

  constructor(readonly pattern: string) {
    if (pattern === '') throw new DissectPatternError('the mapping string cannot be empty');
    const { prefix, fields } = parsePattern(pattern);
    this.prefix = prefix;
    this.fields = fields;
    const groups = new Map<string, number[]>();
    fields.forEach((f, i) => {
      if (f.kind !== 'append') return;
      const list = groups.get(f.key) ?? [];
      list.push(i);
      groups.set(f.key, list);
    });
    this.appendGroups = [...groups].map(([key, indexes]) => ({
      key,
      indexes: indexes.sort((a, b) => fields[a]!.ordinal - fields[b]!.ordinal || a - b),
    }));
    this.hasIndirect = fields.some((f) => f.kind === 'indirect');
    this.normalIndexByKey = new Map();
    fields.forEach((f, i) => {
      if (f.kind === 'normal' || f.kind === 'skip') this.normalIndexByKey.set(f.key, i);
    });
  }

  /**
   * Splits `text` and hands each saved key/value to `emit` (normal fields, then
   * indirect, then append ones); returns false — emitting nothing — when a
   * delimiter is missing. `existing` reads a field already in the event, which
   * indirect and append fields may refer to. `ctx` is passed through so callers
   * need no per-event closures.
   */
  dissect<C>(text: string, ctx: C, existing: (ctx: C, key: string) => unknown, emit: (ctx: C, key: string, value: string) => void): boolean {
    const fields = this.fields;
    const n = fields.length;
    if (text.length === 0 || n === 0) return false;
    let pos = 0;
    if (this.prefix !== '') {
      if (!text.startsWith(this.prefix)) return false;
      pos = this.prefix.length;
    }
    const values: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const f = fields[i]!;
      const delim = f.next;
      if (delim === '') {
        if (i === n - 1) {
          values[i] = text.slice(pos);
          pos = text.length;
        } else {
          values[i] = ''; // two fields with nothing between them: the first one is empty
        }
        continue;
      }
      const at = text.indexOf(delim, pos);
      if (at === -1) return false;
      values[i] = text.slice(pos, at);
      pos = at + delim.length;
      if (f.padded) while (text.startsWith(delim, pos)) pos += delim.length;
    }
    for (let i = 0; i < n; i++) {
      const f = fields[i]!;
      if (f.kind === 'normal') emit(ctx, f.key, values[i]!);
    }
    if (this.hasIndirect) {
      for (let i = 0; i < n; i++) {
        const f = fields[i]!;
        if (f.kind !== 'indirect') continue;
        const src = this.normalIndexByKey.get(f.key);
        const name = src !== undefined ? values[src]! : existing(ctx, f.key);
        if (typeof name === 'string' && name !== '') emit(ctx, name, values[i]!);
      }
    }
    for (const { key, indexes } of this.appendGroups) {
      const base = this.normalIndexByKey.get(key);
      let acc: string | undefined = base !== undefined && fields[base]!.kind === 'normal' ? values[base] : undefined;
      if (acc === undefined) {
        const prior = existing(ctx, key);
        if (typeof prior === 'string') acc = prior;
      }
      for (const i of indexes) {
        const f = fields[i]!;
        acc = acc === undefined ? values[i]! : acc + (f.previous === '' ? ' ' : f.previous) + values[i]!;
      }
      if (acc !== undefined) emit(ctx, key, acc);
    }
    return true;
  }
}

function parsePattern(pattern: string): { prefix: string; fields: DissectField[] } {
  const fields: DissectField[] = [];
  let pos = 0;
  let prefix = '';
  let literal = '';
  while (pos < pattern.length) {
    const open = pattern.indexOf('%{', pos);
    const close = open === -1 ? -1 : pattern.indexOf('}', open + 2);
    if (open === -1 || close === -1) {
      literal += pattern.slice(pos);
      break;
    }
    literal += pattern.slice(pos, open);
    if (fields.length === 0) prefix = literal;
    else fields[fields.length - 1]!.next = literal;
    fields.push(parseField(pattern.slice(open + 2, close), fields.length, fields.length === 0 ? '' : literal));
    literal = '';
    pos = close + 1;
  }
  if (fields.length === 0) throw new DissectPatternError(`no %{field} in dissect pattern ${JSON.stringify(pattern)}`);
  // A trailing delimiter becomes the last field's `next`: it must be found, the rest is skipped.
  fields[fields.length - 1]!.next = literal;
  return { prefix, fields };
}

function parseField(raw: string, index: number, previous: string): DissectField {
  let text = raw;
  let padded = false;
  if (text.endsWith('->')) {
    padded = true;
    text = text.slice(0, -2);
  }
  let kind: FieldKind = 'normal';
  const c = text[0];
  if (text === '') kind = 'skip';
  else if (c === '?') kind = 'skip';
  else if (c === '+') kind = 'append';
  else if (c === '&') kind = 'indirect';
  if (kind !== 'normal' && text !== '') text = text.slice(1);
  if ((kind === 'append' && text.startsWith('&')) || (kind === 'indirect' && text.startsWith('+'))) {
    throw new DissectPatternError(`field cannot prefix with both Append and Indirect Prefix: ${raw}`);
  }
  let ordinal = index;
  if (kind === 'append') {
    const slash = /\/(\d+)$/.exec(text);
    if (slash) {
      ordinal = Number(slash[1]);
      text = text.slice(0, slash.index);
    }
  }
  return { kind, key: text, ordinal, padded, previous, next: '' };
}
