/**
 * `logpipe grok --explain`: why a line does not match a composite grok pattern. The pattern is
 * cut into its top-level pieces (each %{NAME}, each group with its quantifier, literal text);
 * the longest run of leading pieces that still matches the line is found, and the next piece is
 * the one that failed. When that piece is itself a composite %{NAME}, its definition is cut the
 * same way and the search goes on inside it, down to the smallest part to fix.
 */
import { compileGrok, GrokCompileError } from '../plugins/filters/grok/index.js';

export interface PieceResult {
  piece: string;
  /** What the piece matched, for the pieces that did. */
  text: string;
}

export interface Explanation {
  matched: boolean;
  /** Leading pieces that matched, with their text, at the finest level reached. */
  good: PieceResult[];
  /** The piece that failed, and the %{NAME}s it sits in (outermost first). */
  failed?: { piece: string; within: string[]; at: number };
  /** For a top-level alternation: the explanation of the alternative that got furthest. */
  alternative?: { index: number; of: number };
}

const REF = /^%\{(\w+)(?::[^}]*)?\}$/;

/** Top-level pieces of a grok expression; undefined when it is an alternation at top level. */
export function splitPieces(pattern: string): string[] | undefined {
  const pieces: string[] = [];
  let literal = '';
  let i = 0;
  const flush = (): void => {
    if (literal) pieces.push(literal);
    literal = '';
  };
  const quantifier = (from: number): number => {
    const m = /^(?:[?*+]|\{\d+(?:,\d*)?\})[?+]?/.exec(pattern.slice(from));
    return m ? from + m[0].length : from;
  };
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '|') return undefined;
    if (c === '%' && pattern[i + 1] === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) return [pattern];
      flush();
      const q = quantifier(end + 1);
      pieces.push(pattern.slice(i, q));
      i = q;
    } else if (c === '(') {
      const end = closingParen(pattern, i);
      if (end < 0) return [pattern];
      flush();
      const q = quantifier(end + 1);
      pieces.push(pattern.slice(i, q));
      i = q;
    } else if (c === '[') {
      const end = closingBracket(pattern, i);
      const q = quantifier(end + 1);
      literal += pattern.slice(i, q);
      i = q;
    } else if (c === '\\') {
      const q = quantifier(i + 2);
      literal += pattern.slice(i, q);
      i = q;
    } else {
      // A quantifier binds to the atom before it: keep a quantified atom as a piece of its own.
      const q = quantifier(i + 1);
      if (q > i + 1) {
        flush();
        pieces.push(pattern.slice(i, q));
      } else {
        literal += c;
      }
      i = q;
    }
  }
  flush();
  return pieces;
}

/** Top-level alternatives of a pattern (split on | outside groups and classes). */
export function splitAlternatives(pattern: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '(') i = closingParen(pattern, i);
    else if (c === '[') i = closingBracket(pattern, i);
    else if (c === '%' && pattern[i + 1] === '{') i = pattern.indexOf('}', i);
    else if (c === '|') {
      out.push(pattern.slice(start, i));
      start = i + 1;
    }
    if (i < 0) return [pattern];
  }
  out.push(pattern.slice(start));
  return out;
}

function closingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '[') i = closingBracket(s, i);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

function closingBracket(s: string, open: number): number {
  let i = open + 1;
  if (s[i] === '^') i++;
  if (s[i] === ']') i++;
  for (; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '[') i = closingBracket(s, i);
    else if (s[i] === ']') return i;
  }
  return s.length - 1;
}

type Matcher = (pattern: string, line: string) => Record<string, unknown> | null;

export function explainGrok(pattern: string, line: string, patterns: ReadonlyMap<string, string>): Explanation {
  const match: Matcher = (p, l) => compileGrok(p, { patterns }).match(l);
  if (match(pattern, line)) return { matched: true, good: [] };
  const alternatives = splitAlternatives(pattern);
  if (alternatives.length > 1) {
    // Explain each alternative; the one that got furthest is the one the user meant.
    const all = alternatives.map((alt) => explainPieces(alt, line, patterns, match));
    let best = 0;
    all.forEach((e, i) => {
      if ((e.failed?.at ?? 0) > (all[best]!.failed?.at ?? 0)) best = i;
    });
    return { ...all[best]!, alternative: { index: best, of: alternatives.length } };
  }
  return explainPieces(pattern, line, patterns, match);
}

function explainPieces(pattern: string, line: string, patterns: ReadonlyMap<string, string>, match: Matcher): Explanation {
  // `prefix` holds pieces known to match in sequence; `rest` the pieces still to try.
  let prefix: string[] = [];
  let rest = splitPieces(pattern) ?? [pattern];
  const within: string[] = [];
  for (;;) {
    let k = 0;
    for (; k < rest.length; k++) {
      if (!safeMatch(match, [...prefix, ...rest.slice(0, k + 1)].join(''), line)) break;
    }
    if (k === rest.length) {
      // Every piece matched one after the other, yet the whole did not: the pieces after the
      // last composite step were fine, so the failure is in how they combine (anchors, lengths).
      const good = describe([...prefix, ...rest], line, match);
      return { matched: false, good, failed: { piece: '(the pieces match one by one but not together)', within, at: line.length } };
    }
    prefix = [...prefix, ...rest.slice(0, k)];
    const failing = rest[k]!;
    const ref = REF.exec(failing);
    const definition = ref ? patterns.get(ref[1]!) : undefined;
    const inner = definition !== undefined ? splitPieces(definition) : undefined;
    // Go inside a composite %{NAME}, or through an alias (%{COMBINEDAPACHELOG} is %{HTTPD_COMBINEDLOG}).
    const composite = inner !== undefined && (inner.length > 1 || (inner.length === 1 && REF.test(inner[0]!)));
    if (definition === undefined || inner === undefined || !composite || within.length > 20) {
      const good = describe(prefix, line, match);
      const at = good.reduce((n, p) => n + p.text.length, startOf(prefix, line, match));
      return { matched: false, good, failed: { piece: failing, within, at } };
    }
    within.push(failing);
    rest = inner;
  }
}

function safeMatch(match: Matcher, pattern: string, line: string): boolean {
  try {
    return match(pattern, line) !== null;
  } catch (err) {
    if (err instanceof GrokCompileError) return false;
    throw err;
  }
}

/** Where the prefix's match starts in the line (grok is unanchored). */
function startOf(prefix: string[], line: string, match: Matcher): number {
  if (prefix.length === 0) return 0;
  const fields = match(`(?<__explain_pre>)${prefix.map((p, i) => `(?<__explain_${i}>${p})`).join('')}`, line);
  if (!fields) return 0;
  const body = prefix.map((_p, i) => String(fields[`__explain_${i}`] ?? '')).join('');
  return Math.max(0, line.indexOf(body));
}

function describe(pieces: string[], line: string, match: Matcher): PieceResult[] {
  if (pieces.length === 0) return [];
  let fields: Record<string, unknown> | null = null;
  try {
    fields = match(pieces.map((p, i) => `(?<__explain_${i}>${p})`).join(''), line);
  } catch {
    fields = null;
  }
  return pieces.map((piece, i) => {
    const v = fields?.[`__explain_${i}`];
    return { piece, text: typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : '' };
  });
}

/** The explanation as lines for a terminal. */
export function explanationText(line: string, e: Explanation): string {
  if (e.matched) return 'matches';
  const out: string[] = [];
  if (e.alternative) out.push(`none of the ${e.alternative.of} alternatives matches; alternative ${e.alternative.index + 1} gets furthest:`);
  const show = (piece: string): string => (piece.startsWith('%{') || piece.startsWith('(') ? piece : `'${piece}'`);
  for (const g of e.good) out.push(`  ok    ${show(g.piece)}  →  ${JSON.stringify(g.text)}`);
  if (e.failed) {
    const inside = e.failed.within.length > 0 ? ` (inside ${e.failed.within.join(' → ')})` : '';
    out.push(`  FAIL  ${show(e.failed.piece)}${inside}`);
    out.push(`        does not match at column ${e.failed.at + 1}: ${JSON.stringify(line.slice(e.failed.at, e.failed.at + 60))}`);
  }
  return out.join('\n');
}
