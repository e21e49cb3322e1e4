/**
 * Parser for the Logstash configuration language (LSCL). A hand-written
 * recursive-descent parser over characters, following the treetop grammar of
 * Logstash (lscl_grammar.treetop) closely, so that what Logstash accepts we
 * accept, and what it rejects we reject with a precise location and a reason
 * saying what was expected. Deliberate differences are listed in
 * docs/config-language.md.
 */
import { caretExcerpt, ConfigError, type SourceLocation } from '../../core/errors.js';
import { parseFieldPath } from '../../core/fieldref.js';
import type { ConfigValue, PluginValue, Setting } from '../values.js';
import type {
  BooleanOperator,
  CompareOperator,
  ConditionNode,
  ConfigAst,
  ConfigSource,
  IfNode,
  NotLogstashFinding,
  PluginNode,
  RegexNode,
  RValueNode,
  SectionNode,
  SectionType,
  StatementNode,
} from './ast.js';
import { compileRubyRegex } from '../../core/ruby-regex.js';

export interface ParseOptions {
  /** `config.support_escapes`: unescape \\ \" \' \n \r \t \0 in quoted strings. */
  supportEscapes?: boolean;
}

/** Parses every source separately; sections are kept in source order, files in the given order. */
export function parseConfig(sources: ConfigSource[], options: ParseOptions = {}): ConfigAst {
  const sections: SectionNode[] = [];
  const notLogstash: NotLogstashFinding[] = [];
  for (const source of sources) {
    const parser = new Parser(source, options.supportEscapes === true, notLogstash);
    for (const section of parser.parseFile()) sections.push(section);
  }
  return { sections, sources, notLogstash };
}

// Character classes, as in the treetop grammar.
const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
const isNameChar = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c === '-');
const isWordStart = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
const isWordChar = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_');
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

const SECTION_TYPES: readonly string[] = ['input', 'filter', 'output'];
const COMPARE_OPS: readonly CompareOperator[] = ['==', '!=', '<=', '>=', '<', '>'];

/** Binding strength of boolean operators: `and` binds tighter than the rest. */
const PRECEDENCE: Record<BooleanOperator, number> = { and: 2, or: 1, xor: 1, nand: 1 };

class Parser {
  private pos = 0;
  private readonly text: string;
  private readonly file: string;
  /** Offsets where each line starts, for turning offsets into line:column lazily. */
  private readonly lineStarts: number[];
  private readonly refusedAt = new Set<number>();

  constructor(
    source: ConfigSource,
    private readonly escapes: boolean,
    /** Where Logstash's grammar would refuse what we accept (for `check --strict`). */
    private readonly notLogstash: NotLogstashFinding[],
  ) {
    this.file = source.name;
    // A UTF-8 BOM is invisible in editors; do not make it a syntax error.
    this.text = source.text.charCodeAt(0) === 0xfeff ? source.text.slice(1) : source.text;
    this.lineStarts = [0];
    const t = this.text;
    for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  // ---------------------------------------------------------------- helpers

  private loc(pos: number = this.pos): SourceLocation {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: pos - starts[lo]! + 1 };
  }

  private fmt(pos: number): string {
    const l = this.loc(pos);
    return `${l.line}:${l.column}`;
  }

  private fail(pos: number, reason: string, hint?: string): never {
    const location = this.loc(pos);
    throw new ConfigError(reason, location, hint, caretExcerpt(this.text, location.line, location.column));
  }

  /** Describes what stands at `pos`, for "unexpected ..." messages. */
  private found(pos: number = this.pos): string {
    if (pos >= this.text.length) return 'end of file';
    const c = this.text[pos]!;
    if (isNameChar(c)) {
      let end = pos;
      while (end < this.text.length && isNameChar(this.text[end])) end++;
      return `"${this.text.slice(pos, Math.min(end, pos + 40))}"`;
    }
    if (c === '\n' || c === '\r') return 'end of line';
    return `"${c}"`;
  }

  /** Records a construct we accept that Logstash's grammar (lscl_grammar.treetop) refuses. */
  private refusedByLogstash(pos: number, reason: string): void {
    // Look-ahead skips the same whitespace more than once: record each place once.
    if (this.refusedAt.has(pos)) return;
    this.refusedAt.add(pos);
    this.notLogstash.push({ location: this.loc(pos), reason });
  }

  private peek(offset = 0): string | undefined {
    return this.text[this.pos + offset];
  }

  private eof(): boolean {
    return this.pos >= this.text.length;
  }

  /** Skips whitespace and `#` comments; returns true when anything was skipped. */
  private cs(): boolean {
    const t = this.text;
    const start = this.pos;
    let p = this.pos;
    while (p < t.length) {
      const c = t[p];
      if (isWs(c)) {
        if (c === '\f') this.refusedByLogstash(p, 'a form feed counts as whitespace here; Logstash\'s whitespace is space, tab, CR and LF only');
        p++;
      } else if (c === '#') {
        const nl = t.indexOf('\n', p);
        if (nl === -1) this.refusedByLogstash(p, 'a comment on the last line needs a line end after it in Logstash\'s grammar');
        p = nl === -1 ? t.length : nl + 1;
      } else break;
    }
    this.pos = p;
    return p > start;
  }

  /** True when `word` stands at the cursor as a whole word (not a prefix of a longer name). */
  private atKeyword(word: string, pos: number = this.pos): boolean {
    return this.text.startsWith(word, pos) && !isNameChar(this.text[pos + word.length]);
  }

  private expect(ch: string, what: string): void {
    if (this.text[this.pos] !== ch) this.fail(this.pos, `expected "${ch}" ${what}, found ${this.found()}`);
    this.pos++;
  }

  // --------------------------------------------------------------- sections

  parseFile(): SectionNode[] {
    const sections: SectionNode[] = [];
    this.cs();
    while (!this.eof()) {
      const start = this.pos;
      const type = SECTION_TYPES.find((s) => this.atKeyword(s));
      if (!type) {
        if (this.peek() === '}') this.fail(start, 'unexpected "}": no open section or block to close');
        this.fail(start, `expected "input", "filter" or "output", found ${this.found()}`);
      }
      this.pos += type.length;
      this.cs();
      this.expect('{', `after section name "${type}"`);
      const body = this.parseBody(type as SectionType, start, `"${type}" section`);
      sections.push({ kind: 'section', type: type as SectionType, body, location: this.loc(start) });
      this.cs();
    }
    return sections;
  }

  /** Statements up to and including the closing "}" of a section or branch opened at `openPos`. */
  private parseBody(section: SectionType, openPos: number, what: string): StatementNode[] {
    const body: StatementNode[] = [];
    for (;;) {
      this.cs();
      const c = this.peek();
      if (c === undefined) {
        this.fail(this.pos, `unexpected end of file: missing "}" to close the ${what} opened at ${this.fmt(openPos)}`);
      }
      if (c === '}') {
        this.pos++;
        return body;
      }
      if (this.atKeyword('if')) {
        if (section === 'input') {
          this.fail(this.pos, 'conditionals are not allowed in the "input" section',
            'move the condition to the filter or output section, or use separate pipelines');
        }
        body.push(this.parseIf(section));
        continue;
      }
      if (this.atKeyword('else')) {
        this.fail(this.pos, '"else" without a preceding "if"');
      }
      body.push(this.parsePlugin());
    }
  }

  // ---------------------------------------------------------------- plugins

  private parseName(what: string): string {
    const start = this.pos;
    const c = this.peek();
    if (c === '"' || c === "'") return this.parseString();
    while (isNameChar(this.peek())) this.pos++;
    if (this.pos === start) this.fail(start, `expected ${what}, found ${this.found()}`);
    return this.text.slice(start, this.pos);
  }

  private parsePlugin(): PluginNode {
    const start = this.pos;
    const name = this.parseName('a plugin name, "if" or "}"');
    this.cs();
    if (this.peek() !== '{') {
      if (this.peek() === '=' && this.peek(1) === '>') {
        this.fail(start, `unexpected setting "${name}" outside a plugin block`);
      }
      const hint = name === 'elseif' ? '"elseif" must follow the "}" of an "if" block'
        : name === 'elsif' || name === 'elif' ? 'write "else if"' : undefined;
      this.fail(this.pos, `expected "{" after plugin name "${name}", found ${this.found()}`, hint);
    }
    const open = this.pos;
    this.pos++;
    const settings = this.parseSettings(name, open);
    return { kind: 'plugin', name, settings, location: this.loc(start) };
  }

  /** Settings of a plugin up to and including its closing "}". */
  private parseSettings(plugin: string, openPos: number): Setting[] {
    const settings: Setting[] = [];
    let separated = true;
    for (;;) {
      const gapStart = this.pos;
      if (this.cs()) separated = true;
      const c = this.peek();
      if (settings.length > 0 && c !== '}' && c !== undefined && this.text[gapStart] === '#') {
        this.refusedByLogstash(gapStart, 'a comment right after a setting\'s value: Logstash needs whitespace before it');
      }
      if (c === undefined) {
        this.fail(this.pos, `unexpected end of file: missing "}" to close plugin "${plugin}" opened at ${this.fmt(openPos)}`);
      }
      if (c === '}') {
        this.pos++;
        return settings;
      }
      if (!separated) {
        // Logstash needs whitespace between settings; anything else glued to a value is a typo.
        this.fail(this.pos, `unexpected ${this.found()} after the value of setting "${settings[settings.length - 1]!.name}"`,
          'separate settings with whitespace; quote values that contain special characters');
      }
      const start = this.pos;
      if (c !== '"' && c !== "'" && !isNameChar(c)) {
        this.fail(start, `expected a setting name or "}" in plugin "${plugin}", found ${this.found()}`);
      }
      const name = this.parseName('a setting name');
      this.cs();
      if (!(this.peek() === '=' && this.peek(1) === '>')) {
        if (this.peek() === '{') {
          this.fail(start, `unexpected plugin "${name}" inside plugin "${plugin}" (missing "}"?)`);
        }
        this.fail(this.pos, `expected "=>" after setting name "${name}", found ${this.found()}`);
      }
      this.pos += 2;
      this.cs();
      let value = this.parseValue(`setting "${name}"`);
      // Extension: `hosts => "a", "b"` (seen in the wild) is read as an array.
      if (this.lookPastCs() === ',') {
        this.refusedByLogstash(start, `comma-separated values for setting "${name}" are a logpipe extension: write an array [a, b]`);
        const items: ConfigValue[] = [value];
        while (this.lookPastCs() === ',') {
          this.cs();
          this.pos++;
          this.cs();
          items.push(this.parseValue(`setting "${name}"`));
        }
        value = items;
      }
      settings.push({ name, value, location: this.loc(start) });
      separated = false;
    }
  }

  /** The character after any whitespace/comments, without moving. */
  private lookPastCs(): string | undefined {
    const save = this.pos;
    this.cs();
    const c = this.peek();
    this.pos = save;
    return c;
  }

  // ----------------------------------------------------------------- values

  private parseValue(what: string): ConfigValue {
    const start = this.pos;
    const c = this.peek();
    if (c === '"' || c === "'") {
      const s = this.parseString();
      if (this.pluginBraceFollows()) return this.parsePluginValue(s, start);
      return s;
    }
    if (c === '[') return this.parseArray();
    if (c === '{') return this.parseHash();
    if (isNameChar(c)) {
      while (isNameChar(this.peek())) this.pos++;
      const word = this.text.slice(start, this.pos);
      if (this.pluginBraceFollows()) return this.parsePluginValue(word, start);
      this.pos = start;
      if (c === '-' || isDigit(c)) {
        const n = this.tryNumber();
        if (n !== undefined) return n;
      }
      if (isWordStart(c)) return this.parseBareword();
      this.fail(start, `expected a value for ${what}, found ${this.found()}`);
    }
    this.fail(start, `expected a value for ${what}, found ${this.found()}`);
  }

  private pluginBraceFollows(): boolean {
    return this.lookPastCs() === '{';
  }

  private parsePluginValue(name: string, start: number): PluginValue {
    this.cs();
    const open = this.pos;
    this.pos++;
    const settings = this.parseSettings(name, open);
    return { kind: 'plugin', name, settings, location: this.loc(start) };
  }

  private parseBareword(): string {
    const start = this.pos;
    while (isWordChar(this.peek())) this.pos++;
    if (this.pos - start < 2) {
      this.fail(start, `bareword "${this.text.slice(start, this.pos)}" is too short (barewords need at least 2 characters)`,
        'quote the value');
    }
    return this.text.slice(start, this.pos);
  }

  /** `-?[0-9]+(\.[0-9]*)?`; undefined (cursor unmoved) when no number stands here. */
  private tryNumber(): number | undefined {
    const start = this.pos;
    let p = start;
    if (this.text[p] === '-') p++;
    if (!isDigit(this.text[p])) return undefined;
    while (isDigit(this.text[p])) p++;
    if (this.text[p] === '.') {
      p++;
      while (isDigit(this.text[p])) p++;
    }
    this.pos = p;
    return Number(this.text.slice(start, p));
  }

  /** A quoted string; `\"` (or `\'`) does not end it. Returns the content, unescaped if enabled. */
  private parseString(): string {
    const start = this.pos;
    const q = this.text[start]!;
    const t = this.text;
    let p = start + 1;
    for (;;) {
      if (p >= t.length) this.fail(start, `unterminated string started at ${this.fmt(start)}`);
      const c = t[p];
      if (c === '\\' && t[p + 1] === q) p += 2;
      else if (c === q) break;
      else p++;
    }
    this.pos = p + 1;
    const raw = t.slice(start + 1, p);
    return this.escapes ? unescape(raw) : raw;
  }

  private parseArray(): ConfigValue[] {
    return this.parseBracketList(() => this.parseValue('array element'));
  }

  /** `[item, ...]`, possibly empty; the cursor is on "[" and ends after "]". */
  private parseBracketList<T>(item: () => T): T[] {
    const open = this.pos;
    return this.parseList(']', item, {
      unterminated: () => `unexpected end of file: missing "]" to close the array opened at ${this.fmt(open)}`,
      badSeparator: () => `expected "," or "]" in array, found ${this.found()}`,
    });
  }

  /**
   * A comma-separated list from the opening bracket under the cursor to
   * `close`, with items parsed by `item`; errors worded by the caller.
   */
  private parseList<T>(close: ']' | ')', item: () => T, errors: { unterminated(): string; badSeparator(): string }): T[] {
    this.pos++;
    const items: T[] = [];
    this.cs();
    if (this.peek() === close) {
      this.pos++;
      return items;
    }
    for (;;) {
      if (this.eof()) this.fail(this.pos, errors.unterminated());
      items.push(item());
      this.cs();
      const c = this.peek();
      if (c === ',') {
        this.pos++;
        this.cs();
        continue;
      }
      if (c === close) {
        this.pos++;
        return items;
      }
      this.fail(this.pos, c === undefined ? errors.unterminated() : errors.badSeparator());
    }
  }

  private parseHash(): { [key: string]: ConfigValue } {
    const open = this.pos;
    this.pos++;
    const hash: { [key: string]: ConfigValue } = {};
    const seen = new Map<string, number>();
    let gapStart = -1;
    for (;;) {
      this.cs();
      const c = this.peek();
      if (c === undefined) this.fail(this.pos, `unexpected end of file: missing "}" to close the hash opened at ${this.fmt(open)}`);
      if (gapStart >= 0 && c !== '}' && (this.text[gapStart] !== ',' && this.text.slice(gapStart, this.pos).includes('#'))) {
        // hashentries := hashentry (whitespace hashentry)*: only plain whitespace between entries.
        this.refusedByLogstash(gapStart, 'a comment between hash entries: Logstash\'s grammar allows only whitespace there (move the comment above the setting)');
      }
      if (c === '}') {
        this.pos++;
        return hash;
      }
      const start = this.pos;
      let key: string;
      if (c === '"' || c === "'") key = this.parseString();
      else if (c === '-' || isDigit(c)) {
        const n = this.tryNumber();
        if (n === undefined) this.fail(start, `expected a hash key or "}", found ${this.found()}`);
        key = this.text.slice(start, this.pos);
      } else if (isWordStart(c)) key = this.parseBareword();
      else this.fail(start, `expected a hash key or "}", found ${this.found()}`);
      const first = seen.get(key);
      if (first !== undefined) {
        this.fail(start, `duplicate key "${key}" in hash (first defined at ${this.fmt(first)})`);
      }
      seen.set(key, start);
      this.cs();
      if (!(this.peek() === '=' && this.peek(1) === '>')) {
        this.fail(this.pos, `expected "=>" after hash key "${key}", found ${this.found()}`);
      }
      this.pos += 2;
      this.cs();
      const value = this.parseValue(`hash key "${key}"`);
      // A plain assignment of "__proto__" would replace the prototype instead of adding a key.
      if (key === '__proto__') Object.defineProperty(hash, key, { value, enumerable: true, writable: true, configurable: true });
      else hash[key] = value;
      gapStart = this.pos;
      const sep = this.cs();
      const n = this.peek();
      if (n === ',') {
        // Extension kept from older Logstash grammars: commas between entries.
        this.refusedByLogstash(this.pos, 'a comma between hash entries is a logpipe extension: Logstash separates entries with whitespace only');
        this.pos++;
        gapStart = -1;
      } else if (!sep && n !== '}' && n !== undefined) {
        this.fail(this.pos, `expected whitespace, "," or "}" after the value of hash key "${key}", found ${this.found()}`);
      }
    }
  }

  // ----------------------------------------------------------- conditionals

  private parseIf(section: SectionType): IfNode {
    const start = this.pos;
    const branches: IfNode['branches'] = [];
    let elseBody: StatementNode[] | undefined;
    let branchStart = start;
    this.pos += 2;
    for (;;) {
      this.cs();
      const condition = this.parseCondition();
      this.cs();
      if (this.peek() !== '{') {
        this.fail(this.pos, `expected "{" after the condition, found ${this.found()}`,
          this.conditionHint());
      }
      const open = this.pos;
      this.pos++;
      const body = this.parseBody(section, open, 'conditional block');
      branches.push({ condition, body, location: this.loc(branchStart) });
      // else / else if
      const save = this.pos;
      this.cs();
      // else_if := "else" cs "if" ...: `elseif` (no space) is an else-if too, as in Logstash.
      const glued = this.text.startsWith('elseif', this.pos) && !isNameChar(this.text[this.pos + 6]);
      if (!glued && !this.atKeyword('else')) {
        this.pos = save;
        break;
      }
      branchStart = this.pos;
      this.pos += 4;
      this.cs();
      if (this.atKeyword('if')) {
        this.pos += 2;
        continue;
      }
      if (this.peek() !== '{') this.fail(this.pos, `expected "{" or "if" after "else", found ${this.found()}`);
      const elseOpen = this.pos;
      this.pos++;
      elseBody = this.parseBody(section, elseOpen, '"else" block');
      break;
    }
    const node: IfNode = { kind: 'if', branches, location: this.loc(start) };
    if (elseBody) node.elseBody = elseBody;
    return node;
  }

  private conditionHint(): string | undefined {
    const c = this.peek();
    if (c === '=' || c === '!' || c === '<' || c === '>') {
      return '"!" applies to a field reference or a parenthesised condition only; write !([field] == "x") or [field] != "x"';
    }
    if (isNameChar(c)) return 'combine conditions with "and", "or", "xor" or "nand"';
    return undefined;
  }

  /** expression (boolop expression)*, with `and` binding tighter than `or`/`xor`/`nand` (left-assoc). */
  private parseCondition(minPrec = 1): ConditionNode {
    let left = this.parseExpression();
    for (;;) {
      const save = this.pos;
      this.cs();
      const opPos = this.pos;
      const op = (['and', 'or', 'xor', 'nand'] as const).find((o) => this.text.startsWith(o, opPos) && !isWordChar(this.text[opPos + o.length]));
      if (!op || PRECEDENCE[op] < minPrec) {
        this.pos = save;
        return left;
      }
      this.pos += op.length;
      this.cs();
      const right = this.parseCondition(PRECEDENCE[op] + 1);
      left = { kind: 'boolean', op, left, right, location: this.loc(opPos) };
    }
  }

  private parseExpression(): ConditionNode {
    const start = this.pos;
    const c = this.peek();
    if (c === '(') {
      this.pos++;
      this.cs();
      const inner = this.parseCondition();
      this.cs();
      this.expect(')', `to close the "(" at ${this.fmt(start)}`);
      return inner;
    }
    if (c === '!' && this.peek(1) !== '=' && this.peek(1) !== '~') {
      this.pos++;
      this.cs();
      if (this.peek() === '(') {
        const inner = this.parseExpression();
        return { kind: 'not', operand: inner, location: this.loc(start) };
      }
      if (this.peek() === '[') {
        const selector = this.trySelector();
        if (selector) {
          return { kind: 'not', operand: { kind: 'truthy', value: selector, location: selector.location }, location: this.loc(start) };
        }
      }
      this.fail(this.pos, `expected "(" or a field reference after "!", found ${this.found()}`);
    }
    const left = this.parseRValue();
    const save = this.pos;
    this.cs();
    const opPos = this.pos;
    const t = this.text;
    if (t.startsWith('=~', opPos) || t.startsWith('!~', opPos)) {
      const negate = t[opPos] === '!';
      this.pos += 2;
      this.cs();
      const pattern = this.parseRegexOperand(negate ? '!~' : '=~');
      return { kind: 'match', negate, left, pattern, location: this.loc(start) };
    }
    const cmp = COMPARE_OPS.find((o) => t.startsWith(o, opPos));
    if (cmp) {
      this.pos += cmp.length;
      this.cs();
      const right = this.parseRValue();
      return { kind: 'compare', op: cmp, left, right, location: this.loc(start) };
    }
    if (t.startsWith('in', opPos) && !isWordChar(t[opPos + 2])) {
      this.pos += 2;
      this.cs();
      const right = this.parseRValue();
      return { kind: 'in', negate: false, left, right, location: this.loc(start) };
    }
    if (t.startsWith('not', opPos) && !isWordChar(t[opPos + 3])) {
      if (t[opPos + 3] !== ' ') this.refusedByLogstash(opPos, 'Logstash\'s grammar needs a space right after "not" in "not in"');
      this.pos += 3;
      this.cs();
      if (!(t.startsWith('in', this.pos) && !isWordChar(t[this.pos + 2]))) {
        this.fail(this.pos, `expected "in" after "not", found ${this.found()}`);
      }
      this.pos += 2;
      this.cs();
      const right = this.parseRValue();
      return { kind: 'in', negate: true, left, right, location: this.loc(start) };
    }
    this.pos = save;
    return { kind: 'truthy', value: left, location: this.loc(start) };
  }

  private parseRegexOperand(op: string): RegexNode {
    const start = this.pos;
    const c = this.peek();
    let source: string;
    if (c === '/') source = this.scanRegex();
    else if (c === '"' || c === "'") source = this.parseString();
    else this.fail(start, `expected a regular expression (/.../) or a string after "${op}", found ${this.found()}`);
    return this.regexNode(source, start);
  }

  private regexNode(source: string, start: number): RegexNode {
    try {
      compileRubyRegex(source);
    } catch (err) {
      this.fail(start, `invalid regular expression /${source}/: ${(err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')}`,
        'Logstash regexes are Ruby regexes run on JavaScript: partial case-insensitivity ((?i:...), (?i) after the start), \\p{...}, \\G, \\K and capture groups after an atomic group are not supported here');
    }
    return { kind: 'regex', source, location: this.loc(start) };
  }

  /** `/.../` with `\/` allowed inside; returns the source between the slashes. */
  private scanRegex(): string {
    const start = this.pos;
    const t = this.text;
    let p = start + 1;
    for (;;) {
      if (p >= t.length || t[p] === '\n') this.fail(start, `unterminated regular expression started at ${this.fmt(start)}`);
      const c = t[p];
      if (c === '\\' && p + 1 < t.length && t[p + 1] !== '\n') p += 2;
      else if (c === '/') break;
      else p++;
    }
    this.pos = p + 1;
    return t.slice(start + 1, p);
  }

  private parseRValue(): RValueNode {
    const start = this.pos;
    const c = this.peek();
    if (c === '"' || c === "'") return { kind: 'string', value: this.parseString(), location: this.loc(start) };
    if (c === '-' || isDigit(c)) {
      const n = this.tryNumber();
      if (n !== undefined) return { kind: 'number', value: n, location: this.loc(start) };
    }
    if (c === '[') {
      const selector = this.trySelector();
      if (selector) return selector;
      return this.parseRArray();
    }
    if (c === '/') return this.regexNode(this.scanRegex(), start);
    if (isWordStart(c)) {
      let p = this.pos;
      while (isWordChar(this.text[p])) p++;
      const name = this.text.slice(start, p);
      this.pos = p;
      this.cs();
      if (this.peek() === '(' && name.length >= 2) return this.parseCall(name, start);
      this.pos = start;
      if (['and', 'or', 'xor', 'nand', 'in', 'not'].includes(name)) {
        this.fail(start, `expected a value or field reference before "${name}"`);
      }
      this.fail(start, `unexpected bare word "${name}" in condition: field references must be written in brackets`, `write [${name}]`);
    }
    if (c === undefined) this.fail(start, 'unexpected end of file in condition');
    this.fail(start, `expected a field reference, string, number, array, regex or method call in condition, found ${this.found()}`);
  }

  /**
   * `([name])+` where a name has no brackets or commas. `["x"]` would be a
   * field named `"x"` (quotes included) in Logstash; we read a lone quoted
   * element as a one-element array instead, which is what its author meant.
   */
  private trySelector(): RValueNode | undefined {
    const start = this.pos;
    const t = this.text;
    let p = start;
    while (t[p] === '[') {
      let q = p + 1;
      while (q < t.length && t[q] !== ']' && t[q] !== '[' && t[q] !== ',') q++;
      if (t[q] !== ']' || q === p + 1) break;
      p = q + 1;
    }
    if (p === start) return undefined;
    const reference = t.slice(start, p);
    if (/^\[\s*(?:"[^"]*"|'[^']*')\s*\]$/.test(reference)) {
      this.refusedByLogstash(start, `${reference} is read as a one-element array here; Logstash reads it as a field whose name includes the quotes`);
      return undefined;
    }
    try {
      parseFieldPath(reference);
    } catch (err) {
      this.fail(start, `invalid field reference ${reference}: ${(err as Error).message}`);
    }
    this.pos = p;
    return { kind: 'field', reference, location: this.loc(start) };
  }

  /** An array literal in a condition: strings, numbers, barewords (as strings) and nested arrays. */
  private parseRArray(): RValueNode {
    const open = this.pos;
    const items = this.parseBracketList((): RValueNode => {
      const start = this.pos;
      const c = this.peek();
      if (c === '"' || c === "'") return { kind: 'string', value: this.parseString(), location: this.loc(start) };
      if (c === '[') return this.parseRArray();
      if ((c === '-' || isDigit(c)) && this.tryNumber() !== undefined) {
        return { kind: 'number', value: Number(this.text.slice(start, this.pos)), location: this.loc(start) };
      }
      if (isWordStart(c)) return { kind: 'string', value: this.parseBareword(), location: this.loc(start) };
      return this.fail(start, `expected a string, number or array in array literal, found ${this.found()}`);
    });
    return { kind: 'array', items, location: this.loc(open) };
  }

  private parseCall(name: string, start: number): RValueNode {
    const open = this.pos;
    const args = this.parseList(')', () => this.parseRValue(), {
      unterminated: () => `unexpected end of file: missing ")" to close the arguments of ${name}() opened at ${this.fmt(open)}`,
      badSeparator: () => `expected "," or ")" in the arguments of ${name}() opened at ${this.fmt(open)}, found ${this.found()}`,
    });
    return { kind: 'call', name, args, location: this.loc(start) };
  }
}

/**
 * `config.support_escapes`: \\ \" \' \n \r \t as Logstash, plus \0 (NUL).
 * Any other backslash pair yields the character without the backslash, as the
 * current Logstash (StringEscapeHelper) does.
 */
export function unescape(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    i++;
    if (i >= raw.length) {
      out += '\\';
      break;
    }
    const n = raw[i]!;
    switch (n) {
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case '0': out += '\0'; break;
      default: out += n;
    }
  }
  return out;
}
