/**
 * Translates a ruby filter snippet written in a small subset of Ruby into JavaScript that
 * computes exactly what CRuby computes (docs/plugins/filters/ruby.md, "Fast path", lists the
 * subset). The output is the body of `function (event, R)`: `event` has the js filter's verbs
 * and `R` is helpers.ts. Anything outside the subset is refused with its line
 * (OutsideSubset); values the helpers cannot handle exactly are refused at run time
 * (RubyFallback), and that event runs in the interpreter.
 */
import { METADATA, parseFieldPath } from '../../../../core/fieldref.js';
import { KEYWORDS, OutsideSubset, tokenize, type Token } from './lexer.js';

interface Js {
  js: string;
  /** The expression yields a JS boolean (also the Ruby value true/false). */
  bool?: boolean;
  /** An assignment, in parentheses that a statement does not need. */
  assignment?: boolean;
}

/** Methods of values: the helper that implements each, and how many arguments it takes. */
const METHODS: Record<string, [helper: string, arity: number]> = {
  upcase: ['upcase', 0],
  downcase: ['downcase', 0],
  capitalize: ['capitalize', 0],
  strip: ['strip', 0],
  to_s: ['toS', 0],
  to_i: ['toI', 0],
  length: ['size', 0],
  size: ['size', 0],
  'empty?': ['isEmpty', 0],
  abs: ['abs', 0],
  'include?': ['includes', 1],
  'start_with?': ['startsWith', 1],
  'end_with?': ['endsWith', 1],
  split: ['split', 1],
};

const JS_RESERVED = new Set(['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'finally', 'for', 'function', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'await', 'arguments', 'eval', 'undefined', 'NaN', 'Infinity', 'async', 'of', 'globalThis']);

export interface Translation {
  /** Body of `function (event, R)`. */
  body: string;
  /** Names of the helpers the body calls. */
  helpers: string[];
}

export interface TranslationFailure {
  /** One entry per line that is outside the subset. */
  problems: Array<{ line: number; reason: string }>;
}

/** Translates a snippet, or says per line why not. */
export function translateRuby(code: string): Translation | TranslationFailure {
  const t = new Translator(tokenize(code), new Set());
  const statements = t.program();
  if (t.problems.length > 0) return { problems: t.problems };
  if (t.usesTag && t.readsTags) return { problems: [{ line: t.tagLine, reason: 'tag together with the tags field (the translation keeps them apart)' }] };
  const decls: string[] = [];
  if (t.locals.size > 0) decls.push(`let ${[...t.locals].map((n) => `${jsName(n)} = null`).join(', ')};`);
  if (t.temps > 0) decls.push(`let ${Array.from({ length: t.temps }, (_, i) => `$${i + 1}`).join(', ')};`);
  const body = [...decls, ...statements].join('\n');
  return { body, helpers: [...new Set([...body.matchAll(/\bR\.([a-zA-Z]+)\(/g)].map((m) => m[1]!))] };
}

export function isTranslation(r: Translation | TranslationFailure): r is Translation {
  return (r as Translation).body !== undefined;
}

function jsName(name: string): string {
  return JS_RESERVED.has(name) ? `${name}$` : name;
}

class Translator {
  private pos = 0;
  problems: Array<{ line: number; reason: string }> = [];
  temps = 0;
  usesTag = false;
  readsTags = false;
  tagLine = 0;

  constructor(
    private readonly tokens: Token[],
    readonly locals: Set<string>,
  ) {}

  private get tok(): Token {
    return this.tokens[this.pos]!;
  }
  private peek(n = 1): Token {
    return this.tokens[Math.min(this.pos + n, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.tok;
    if (t.t !== 'eof') this.pos++;
    return t;
  }
  private fail(reason: string, token: Token = this.tok): never {
    throw new OutsideSubset(token.line, reason);
  }
  private isOp(v: string, t: Token = this.tok): boolean {
    return t.t === 'op' && t.v === v;
  }
  private isKw(v: string, t: Token = this.tok): boolean {
    return t.t === 'id' && t.v === v;
  }
  private expectOp(v: string): void {
    if (!this.isOp(v)) this.fail(`expected \`${v}\` here, found ${describe(this.tok)}`);
    this.next();
  }
  private atLineEnd(): boolean {
    const t: Token = this.tokens[this.pos]!;
    return t.t === 'nl' || t.t === 'eof';
  }
  private skipNewlines(): void {
    while (this.tok.t === 'nl') this.next();
  }
  private temp(): string {
    return `$${++this.temps}`;
  }

  program(): string[] {
    const out = this.statements(new Set());
    while (this.tok.t !== 'eof') {
      // An `end` or `else` without its `if`: report it and go on.
      this.problems.push({ line: this.tok.line, reason: `unexpected ${describe(this.tok)}` });
      this.next();
      out.push(...this.statements(new Set()));
    }
    return out;
  }

  /** Statements up to one of the `until` keywords (or the end); a refused statement is recorded and skipped to its line's end. */
  private statements(until: Set<string>): string[] {
    const out: string[] = [];
    for (;;) {
      this.skipNewlines();
      if (this.tok.t === 'eof' || (this.tok.t === 'id' && until.has(this.tok.v))) return out;
      if (this.tok.t === 'id' && (this.tok.v === 'end' || this.tok.v === 'else' || this.tok.v === 'elsif')) return out;
      const start = this.pos;
      try {
        out.push(this.statement());
        const t: Token = this.tokens[this.pos]!;
        if (!(t.t === 'nl' || t.t === 'eof' || (t.t === 'id' && (t.v === 'end' || t.v === 'else' || t.v === 'elsif')))) {
          this.fail(`expected the end of the statement, found ${describe(t)}`);
        }
      } catch (e) {
        if (!(e instanceof OutsideSubset)) throw e;
        if (!this.problems.some((p) => p.line === e.line)) this.problems.push({ line: e.line, reason: e.reason });
        // Skip the rest of the line, or the whole block of a refused `if` (its `end` would mislead).
        const block = this.isKw('if', this.tokens[start]!) || this.isKw('unless', this.tokens[start]!);
        if (this.pos === start) this.next();
        if (block) this.skipBlock(start);
        else while (!this.atLineEnd()) this.next();
      }
    }
  }

  /** Moves past the `end` of the block that starts at token `start` (the parser may be inside it). */
  private skipBlock(start: number): void {
    let depth = 0;
    for (let i = start; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      const before = this.tokens[i - 1];
      const opens = (this.isKw('if', t) || this.isKw('unless', t)) && (i === start || before?.t === 'nl' || this.isKw('else', before!) || this.isKw('then', before!));
      if (opens) depth++;
      else if (this.isKw('end', t) && --depth === 0) {
        this.pos = i + 1;
        return;
      }
    }
    this.pos = this.tokens.length - 1;
  }

  private statement(): string {
    if (this.isKw('if') || this.isKw('unless')) return this.blockIf();
    const e = this.exprStatement();
    let js = `${e.assignment ? e.js.slice(1, -1) : e.js};`;
    while (this.isKw('if') || this.isKw('unless')) {
      const negate = (this.next() as { v: string }).v === 'unless';
      const cond = this.truthy(this.exprStatement());
      js = `if (${negate ? `!(${cond})` : cond}) {\n${indent(js)}\n}`;
    }
    return js;
  }

  private blockIf(): string {
    const unless = (this.next() as { v: string }).v === 'unless';
    const cond = this.truthy(this.exprStatement());
    if (this.isKw('then')) this.next();
    const body = this.statements(new Set(['elsif', 'else', 'end']));
    let js = `if (${unless ? `!(${cond})` : cond}) {\n${indent(body.join('\n'))}\n}`;
    if (!unless && this.isKw('elsif')) {
      js += ` else ${this.blockIf()}`;
      return js;
    }
    if (this.isKw('else')) {
      this.next();
      js += ` else {\n${indent(this.statements(new Set(['end'])).join('\n'))}\n}`;
    }
    if (!this.isKw('end')) this.fail(`expected \`end\`, found ${describe(this.tok)}`);
    this.next();
    return js;
  }

  private truthy(e: Js): string {
    return e.bool ? e.js : `R.truthy(${e.js})`;
  }

  /** `a and b`, `a or b` (lowest precedence, left to right, as Ruby). */
  private exprStatement(): Js {
    let left = this.notExpr();
    while (this.isKw('and') || this.isKw('or')) {
      const op = (this.next() as { v: string }).v;
      this.skipNewlines();
      left = this.logical(op === 'and', left, this.notExpr());
    }
    return left;
  }

  /** Ruby's `&&`/`and` and `||`/`or` return an operand, not a boolean. */
  private logical(isAnd: boolean, left: Js, right: Js): Js {
    if (left.bool && right.bool) return { js: `(${left.js} ${isAnd ? '&&' : '||'} ${right.js})`, bool: true };
    const t = this.temp();
    return isAnd
      ? { js: `(R.truthy(${t} = ${left.js}) ? ${right.js} : ${t})` }
      : { js: `(R.truthy(${t} = ${left.js}) ? ${t} : ${right.js})` };
  }

  private notExpr(): Js {
    if (this.isKw('not')) {
      this.next();
      return { js: `!${this.truthy(this.notExpr())}`, bool: true };
    }
    return this.expr();
  }

  private expr(): Js {
    const t = this.tok;
    const op = this.peek();
    if (t.t === 'id' && op.t === 'op' && ['=', '+=', '-=', '*='].includes(op.v)) {
      if (KEYWORDS.has(t.v) || t.v === 'event') this.fail(`assigning to \`${t.v}\``);
      this.next();
      this.next();
      this.skipNewlines();
      const declared = this.locals.has(t.v);
      // Ruby declares the variable when it sees the assignment: it is nil on the right.
      this.locals.add(t.v);
      const right = this.expr();
      if (op.v === '=') return { js: `(${jsName(t.v)} = ${right.js})`, bool: right.bool, assignment: true };
      if (!declared) this.fail(`\`${t.v} ${op.v}\` before \`${t.v}\` has a value`, t);
      const helper = op.v === '+=' ? 'add' : op.v === '-=' ? 'sub' : 'mul';
      return { js: `(${jsName(t.v)} = R.${helper}(${jsName(t.v)}, ${right.js}))`, assignment: true };
    }
    return this.ternary();
  }

  private ternary(): Js {
    const cond = this.or();
    if (!this.isOp('?')) return cond;
    this.next();
    this.skipNewlines();
    const a = this.ternary();
    this.skipNewlines();
    this.expectOp(':');
    this.skipNewlines();
    const b = this.ternary();
    return { js: `(${this.truthy(cond)} ? ${a.js} : ${b.js})`, bool: a.bool && b.bool };
  }

  private or(): Js {
    return this.chain('||', () => this.and());
  }

  private and(): Js {
    return this.chain('&&', () => this.equality());
  }

  /** Operands joined by `&&` or `||`, left to right. */
  private chain(op: '&&' | '||', operand: () => Js): Js {
    let left = operand();
    while (this.isOp(op)) {
      this.next();
      this.skipNewlines();
      left = this.logical(op === '&&', left, operand());
    }
    return left;
  }

  private binaryOp(ops: string[]): string | undefined {
    const t = this.tok;
    if (t.t !== 'op' || !ops.includes(t.v)) return undefined;
    // `x -1` after a method name is an argument in Ruby (`x.size -1` is size(-1)): refuse the ambiguity.
    if (t.space && !this.peek().space && this.peek().t !== 'nl') this.fail(`\`${t.v}\` with a space before but not after (ambiguous in Ruby)`);
    this.next();
    this.skipNewlines();
    return t.v;
  }

  private equality(): Js {
    const left = this.relational();
    const op = this.binaryOp(['==', '!=']);
    if (op === undefined) return left;
    const right = this.relational();
    if (this.isOp('==') || this.isOp('!=')) this.fail('chained equality');
    return { js: `${op === '!=' ? '!' : ''}R.eq(${left.js}, ${right.js})`, bool: true };
  }

  private relational(): Js {
    const left = this.additive();
    const op = this.binaryOp(['<', '<=', '>', '>=']);
    if (op === undefined) return left;
    const right = this.additive();
    if (['<', '<=', '>', '>='].some((o) => this.isOp(o))) this.fail('chained comparison');
    return { js: `(R.cmp(${left.js}, ${right.js}) ${op} 0)`, bool: true };
  }

  private additive(): Js {
    let left = this.multiplicative();
    for (let op = this.binaryOp(['+', '-']); op !== undefined; op = this.binaryOp(['+', '-'])) {
      left = { js: `R.${op === '+' ? 'add' : 'sub'}(${left.js}, ${this.multiplicative().js})` };
    }
    return left;
  }

  private multiplicative(): Js {
    let left = this.unary();
    for (let op = this.binaryOp(['*', '/', '%']); op !== undefined; op = this.binaryOp(['*', '/', '%'])) {
      left = { js: `R.${op === '*' ? 'mul' : op === '/' ? 'div' : 'mod'}(${left.js}, ${this.unary().js})` };
    }
    return left;
  }

  private unary(): Js {
    if (this.isOp('!')) {
      this.next();
      return { js: `!${this.truthy(this.unary())}`, bool: true };
    }
    if (this.isOp('-')) {
      this.next();
      const n = this.tok;
      // -2.abs is (-2).abs: a negative literal, not -(2.abs).
      if (n.t === 'num' && !n.space) {
        this.next();
        return this.postfix({ js: literalNumber(-n.v) });
      }
      return { js: `R.neg(${this.unary().js})` };
    }
    return this.postfix(this.primary());
  }

  private primary(): Js {
    const t = this.next();
    switch (t.t) {
      case 'num':
        return { js: literalNumber(t.v) };
      case 'str':
        return this.stringLiteral(t);
      case 'op':
        if (t.v === '(') {
          this.skipNewlines();
          const inner = this.exprStatement();
          this.skipNewlines();
          this.expectOp(')');
          return { js: `(${inner.js})`, bool: inner.bool };
        }
        return this.fail(`unexpected \`${t.v}\``, t);
      case 'id':
        if (t.v === 'nil') return { js: 'null' };
        if (t.v === 'true' || t.v === 'false') return { js: t.v, bool: true };
        if (t.v === 'event') return this.eventCall();
        if (KEYWORDS.has(t.v)) return this.fail(`\`${t.v}\` here`, t);
        if (!this.locals.has(t.v)) return this.fail(`\`${t.v}\` (a method call, or a variable not set before)`, t);
        if (this.isOp('(') && !this.tok.space) return this.fail(`\`${t.v}(\` (a method call)`);
        return { js: jsName(t.v) };
      case 'bad':
        return this.fail(t.reason, t);
      default:
        return this.fail(`unexpected ${describe(t)}`, t);
    }
  }

  private stringLiteral(t: Extract<Token, { t: 'str' }>): Js {
    const pieces = t.parts.map((p) => {
      if (typeof p === 'string') return jsString(p);
      const inner = new Translator(tokenize(p.code, p.line), this.locals);
      inner.temps = this.temps;
      const e = inner.exprStatement();
      if (inner.tok.t !== 'eof') inner.fail(`unexpected ${describe(inner.tok)} in an interpolation`);
      this.temps = inner.temps;
      this.usesTag ||= inner.usesTag;
      this.readsTags ||= inner.readsTags;
      return `R.toS(${e.js})`;
    });
    return { js: pieces.length === 1 ? pieces[0]! : `(${pieces.join(' + ')})` };
  }

  private fieldRef(): string {
    const t = this.next();
    if (t.t !== 'str' || t.parts.length !== 1 || typeof t.parts[0] !== 'string') return this.fail('a field reference that is not a literal string', t);
    const ref = t.parts[0];
    let path: string[];
    try {
      path = parseFieldPath(ref);
    } catch {
      return this.fail(`the field reference ${JSON.stringify(ref)} (Ruby raises)`, t);
    }
    const below = path[0] === METADATA ? path.slice(1) : path;
    if (below.length === 0) this.fail('the whole [@metadata] hash', t);
    if (path[0] === '@timestamp') this.fail('@timestamp (a LogStash::Timestamp in Ruby)', t);
    if (below[0] === 'tags' && path[0] !== METADATA) this.readsTags = true;
    return jsString(ref);
  }

  private eventCall(): Js {
    if (!this.isOp('.')) this.fail('`event` other than event.get/set/remove/include?/tag/cancel');
    this.next();
    const m = this.next();
    if (m.t !== 'id') return this.fail(`unexpected ${describe(m)}`, m);
    const noArgs = (): void => {
      if (this.isOp('(') && !this.tok.space) {
        this.next();
        this.expectOp(')');
      }
    };
    const open = (): void => {
      if (!this.isOp('(') || this.tok.space) this.fail(`event.${m.v} without parentheses`);
      this.next();
    };
    switch (m.v) {
      case 'get':
      case 'remove':
      case 'include?': {
        open();
        const ref = this.fieldRef();
        this.expectOp(')');
        if (m.v === 'include?') return { js: `R.has(event, ${ref})`, bool: true };
        return { js: `R.${m.v}(event, ${ref})` };
      }
      case 'set': {
        open();
        const ref = this.fieldRef();
        this.expectOp(',');
        this.skipNewlines();
        const v = this.expr();
        this.expectOp(')');
        return { js: `R.set(event, ${ref}, ${v.js})`, bool: v.bool };
      }
      case 'tag': {
        open();
        this.usesTag = true;
        this.tagLine = m.line;
        const v = this.expr();
        this.expectOp(')');
        return { js: `R.tag(event, ${v.js})` };
      }
      case 'cancel':
        noArgs();
        return { js: 'R.cancel(event)', bool: true };
      case 'cancelled?':
        noArgs();
        return { js: 'event.cancelled()', bool: true };
      default:
        return this.fail(`event.${m.v}`, m);
    }
  }

  private postfix(recv: Js): Js {
    for (;;) {
      const t = this.tok;
      if ((this.isOp('.') || this.isOp('&.')) || (t.t === 'nl' && (this.isOp('.', this.peek()) || this.isOp('&.', this.peek())))) {
        // A line starting with `.` continues the previous one.
        if (t.t === 'nl') this.next();
        const safe = (this.next() as { v: string }).v === '&.';
        const m = this.next();
        if (m.t !== 'id') return this.fail(`unexpected ${describe(m)} after a dot`, m);
        recv = safe ? this.safeCall(recv, m) : this.method(recv.js, m);
        continue;
      }
      if (this.isOp('[') && !t.space) {
        this.next();
        const k = this.next();
        let key: string;
        if (k.t === 'num' && !k.float) key = String(k.v);
        else if (this.isOp('-', k) && this.tok.t === 'num' && !(this.tok as { float: boolean }).float) key = String(-(this.next() as { v: number }).v);
        else if (k.t === 'str' && k.parts.length === 1 && typeof k.parts[0] === 'string') key = jsString(k.parts[0]);
        else return this.fail('an index that is not a literal integer or string', k);
        this.expectOp(']');
        recv = { js: `R.index(${recv.js}, ${key})` };
        continue;
      }
      return recv;
    }
  }

  private safeCall(recv: Js, m: Extract<Token, { t: 'id' }>): Js {
    const t = this.temp();
    const call = this.method(t, m);
    return { js: `((${t} = ${recv.js}) === null ? null : ${call.js})` };
  }

  private method(recv: string, m: Extract<Token, { t: 'id' }>): Js {
    if (m.v === 'nil?') {
      if (this.isOp('(') && !this.tok.space) {
        this.next();
        this.expectOp(')');
      }
      return { js: `(${recv} === null)`, bool: true };
    }
    const known = METHODS[m.v];
    if (known === undefined) return this.fail(`the method \`${m.v}\``, m);
    const [helper, arity] = known;
    const args: string[] = [];
    if (this.isOp('(') && !this.tok.space) {
      this.next();
      this.skipNewlines();
      while (!this.isOp(')')) {
        if (args.length > 0) this.expectOp(',');
        this.skipNewlines();
        if (helper === 'split') {
          const s = this.next();
          if (s.t !== 'str' || s.parts.length !== 1 || typeof s.parts[0] !== 'string' || s.parts[0] === '' || s.parts[0] === ' ') {
            return this.fail('split with other than a literal separator (not " ", which splits on blanks)', s);
          }
          args.push(jsString(s.parts[0]));
        } else {
          args.push(this.expr().js);
        }
        this.skipNewlines();
      }
      this.next();
    }
    if (args.length !== arity) this.fail(`\`${m.v}\` with ${args.length} argument(s)`, m);
    const bool = helper === 'isEmpty' || helper === 'includes' || helper === 'startsWith' || helper === 'endsWith';
    return { js: `R.${helper}(${[recv, ...args].join(', ')})`, bool };
  }
}

/** A JS string literal without `'` or `$` (ruby2js prints the code in a single-quoted config string, where `${X}` is a variable). */
function jsString(text: string): string {
  return JSON.stringify(text).replace(/'/g, '\\u0027').replace(/\$/g, '\\u0024');
}

function literalNumber(v: number): string {
  return v < 0 ? `(${v})` : String(v);
}

function describe(t: Token): string {
  switch (t.t) {
    case 'nl':
      return 'the end of the line';
    case 'eof':
      return 'the end of the code';
    case 'num':
      return `the number ${t.v}`;
    case 'str':
      return 'a string';
    case 'id':
      return `\`${t.v}\``;
    case 'op':
      return `\`${t.v}\``;
    case 'bad':
      return t.reason;
  }
}

function indent(text: string): string {
  return text.split('\n').map((l) => (l ? `  ${l}` : l)).join('\n');
}
