/**
 * Tokens of the Ruby subset the translator accepts. Anything outside it (constants, symbols,
 * instance variables, regular expressions, blocks, heredocs, %-literals, unusual escapes) is
 * refused with its line, never guessed at: refusing costs speed, a wrong guess costs results.
 */

export class OutsideSubset extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

export type Token =
  | { t: 'nl'; line: number; space: boolean }
  | { t: 'num'; v: number; float: boolean; line: number; space: boolean }
  | { t: 'str'; parts: Array<string | { code: string; line: number }>; line: number; space: boolean }
  | { t: 'id'; v: string; line: number; space: boolean }
  | { t: 'op'; v: string; line: number; space: boolean }
  | { t: 'eof'; line: number; space: boolean }
  /** Text outside the subset: the parser refuses the statement it is in. */
  | { t: 'bad'; reason: string; line: number; space: boolean };

export const KEYWORDS = new Set(['if', 'unless', 'elsif', 'else', 'end', 'then', 'and', 'or', 'not', 'nil', 'true', 'false']);

// Longest first.
const OPERATORS = ['&&', '||', '&.', '==', '!=', '<=', '>=', '+=', '-=', '*=', '.', '(', ')', '[', ']', ',', '=', '<', '>', '+', '-', '*', '/', '%', '!', '?', ':'];

const SINGLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", '#': '#', s: ' ', a: '\x07', b: '\b', v: '\v', f: '\f', e: '\x1b', '0': '\0' };

function operandEnds(prev: Token | undefined): boolean {
  if (prev === undefined) return false;
  if (prev.t === 'num' || prev.t === 'str') return true;
  if (prev.t === 'id') return !KEYWORDS.has(prev.v) || prev.v === 'nil' || prev.v === 'true' || prev.v === 'false' || prev.v === 'end';
  return prev.t === 'op' && (prev.v === ')' || prev.v === ']');
}

/** The tokens; text outside the subset becomes a `bad` token and the rest of its line is skipped. */
export function tokenize(source: string, firstLine = 1): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = firstLine;
  let space = true;
  const fail = (reason: string): never => {
    throw new OutsideSubset(line, reason);
  };
  while (i < source.length) {
    try {
      ({ i, line, space } = next(source, i, line, space, out, fail));
    } catch (e) {
      if (!(e instanceof OutsideSubset)) throw e;
      out.push({ t: 'bad', reason: e.reason, line: e.line, space });
      while (i < source.length && source[i] !== '\n') i++;
    }
  }
  out.push({ t: 'eof', line, space: true });
  return out;
}

/** Reads one token (or blank, comment) at `i`. */
function next(source: string, i: number, line: number, space: boolean, out: Token[], fail: (reason: string) => never): { i: number; line: number; space: boolean } {
  {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      return { i: i + 1, line, space: true };
    }
    if (c === '\\' && source[i + 1] === '\n') fail('a line continuation (\\)');
    if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      return { i, line, space };
    }
    if (c === '\n' || c === ';') {
      out.push({ t: 'nl', line, space });
      if (c === '\n') line++;
      i++;
      space = true;
      return { i, line, space };
    }
    const prev = out[out.length - 1];
    const startLine = line;
    if (/[0-9]/.test(c)) {
      const m = /^[0-9][0-9_]*(?:\.[0-9][0-9_]*)?/.exec(source.slice(i))!;
      const text = m[0];
      if (/^0[0-9_]/.test(text)) fail(`the number ${text} (octal)`);
      if (/__|_$|_\./.test(text)) fail(`the number ${text}`);
      if (/^[eExXbBoO_a-zA-Z]/.test(source[i + text.length] ?? '')) fail(`the number ${text}${source[i + text.length]}…`);
      const float = text.includes('.');
      const v = Number(text.replace(/_/g, ''));
      if (!float && !Number.isSafeInteger(v)) fail(`the integer ${text}, beyond exact JavaScript integers`);
      if (float && Number.isInteger(v)) fail(`the Float ${text}, which JavaScript cannot tell from an Integer`);
      out.push({ t: 'num', v, float, line, space });
      i += text.length;
      space = false;
      return { i, line, space };
    }
    if (/[a-z_]/.test(c)) {
      const m = /^[a-z_][a-zA-Z0-9_]*/.exec(source.slice(i))!;
      let v = m[0];
      i += v.length;
      // A method name may end in ? or ! (include?, nil?); only after a dot, where a method is named.
      const afterDot = prev?.t === 'op' && (prev.v === '.' || prev.v === '&.');
      if ((source[i] === '?' || source[i] === '!') && source[i + 1] !== '=') {
        if (!afterDot) fail(`\`${v}${source[i]}\` (a method call)`);
        v += source[i];
        i++;
      }
      if (source[i] === ':' && source[i + 1] !== ':') fail(`\`${v}:\` (a keyword argument or hash key)`);
      out.push({ t: 'id', v, line, space });
      space = false;
      return { i, line, space };
    }
    if (c === "'") {
      let text = '';
      i++;
      while (i < source.length && source[i] !== "'") {
        if (source[i] === '\\' && (source[i + 1] === "'" || source[i + 1] === '\\')) {
          text += source[i + 1];
          i += 2;
        } else {
          if (source[i] === '\n') line++;
          text += source[i++];
        }
      }
      if (i >= source.length) fail('an unterminated string');
      i++;
      out.push({ t: 'str', parts: [text], line: startLine, space });
      space = false;
      return { i, line, space };
    }
    if (c === '"') {
      const parts: Array<string | { code: string; line: number }> = [];
      let text = '';
      i++;
      while (i < source.length && source[i] !== '"') {
        const d = source[i]!;
        if (d === '\\') {
          const e = source[i + 1] ?? '';
          const mapped = SINGLE_ESCAPES[e];
          if (mapped === undefined || (e === '0' && /[0-7]/.test(source[i + 2] ?? ''))) fail(`the escape \\${e} in a string`);
          text += mapped;
          i += 2;
        } else if (d === '#' && (source[i + 1] === '@' || source[i + 1] === '$')) {
          fail(`\`#${source[i + 1]}\` interpolation`);
        } else if (d === '#' && source[i + 1] === '{') {
          if (text) parts.push(text);
          text = '';
          const codeLine = line;
          let depth = 1;
          let j = i + 2;
          let quote = '';
          while (j < source.length && depth > 0) {
            const x = source[j]!;
            if (quote) {
              if (x === '\\') j++;
              else if (x === quote) quote = '';
            } else if (x === "'" || x === '"') quote = x;
            else if (x === '{') depth++;
            else if (x === '}') depth--;
            if (x === '\n') line++;
            j++;
          }
          if (depth > 0) fail('an unterminated interpolation');
          parts.push({ code: source.slice(i + 2, j - 1), line: codeLine });
          i = j;
        } else {
          if (d === '\n') line++;
          text += d;
          i++;
        }
      }
      if (i >= source.length) fail('an unterminated string');
      i++;
      if (text || parts.length === 0) parts.push(text);
      out.push({ t: 'str', parts, line: startLine, space });
      space = false;
      return { i, line, space };
    }
    const word = /^[@$]{0,2}[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))?.[0];
    if (word !== undefined && /^[A-Z]/.test(word)) fail(`the constant \`${word}\``);
    if (word !== undefined && word.startsWith('@')) fail(`the instance variable \`${word}\``);
    if (word !== undefined && word.startsWith('$')) fail(`the global variable \`${word}\``);
    if (c === '{' || (c === '|' && source[i + 1] !== '|')) fail('a block or a hash literal');
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op === undefined) fail(`\`${c}\``);
    // `/` and `%` start a regular expression or a %-literal where an operand is expected.
    if ((op === '/' || op === '%') && !operandEnds(prev)) fail(op === '/' ? 'a regular expression' : 'a %-literal');
    if (op === '?' && !(space && /\s/.test(source[i + 1] ?? ''))) fail('`?` (a character literal?)');
    if (op === ':' && !(space && /\s/.test(source[i + 1] ?? ''))) fail('`:` (a symbol?)');
    out.push({ t: 'op', v: op!, line, space });
    i += op!.length;
    return { i, line, space: false };
  }
}
