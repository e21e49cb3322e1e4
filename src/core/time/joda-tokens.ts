/**
 * Tokenizer for Joda-Time style patterns (`yyyy-MM-dd'T'HH:mm:ss.SSSZ`).
 * Shared by the formatter (sprintf `%{+...}`) and the parser (date filter):
 * a pattern is split once into fields and literals, then compiled.
 */

export interface JodaField {
  kind: 'field';
  /** Pattern letter: y, Y, M, d, H, h, k, K, m, s, S, Z, z, a, E, e, D, w, x, G, C. */
  letter: string;
  /** How many times the letter repeats (`MMM` → 3). */
  width: number;
}

export interface JodaLiteral {
  kind: 'literal';
  text: string;
}

export type JodaToken = JodaField | JodaLiteral;

const LETTERS = new Set('GCYyxwedDEMaKhHkmsSzZ'.split(''));

export function tokenizeJoda(pattern: string): JodaToken[] {
  const tokens: JodaToken[] = [];
  const pushLiteral = (text: string): void => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'literal') last.text += text;
    else tokens.push({ kind: 'literal', text });
  };
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch === "'") {
      // '' is a literal quote; 'text' is quoted literal text ('' inside means a quote).
      if (pattern[i + 1] === "'") {
        pushLiteral("'");
        i += 2;
        continue;
      }
      let text = '';
      i++;
      while (i < pattern.length) {
        if (pattern[i] === "'") {
          if (pattern[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          break;
        }
        text += pattern[i++];
      }
      i++; // closing quote (or end)
      pushLiteral(text);
    } else if (LETTERS.has(ch)) {
      let width = 1;
      while (pattern[i + width] === ch) width++;
      tokens.push({ kind: 'field', letter: ch, width });
      i += width;
    } else if (/[A-Za-z]/.test(ch)) {
      throw new Error(`unsupported pattern letter "${ch}" in date pattern "${pattern}"`);
    } else {
      pushLiteral(ch);
      i++;
    }
  }
  return tokens;
}

export const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];
export const WEEKDAYS_EN = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
