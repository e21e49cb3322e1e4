/**
 * SQL text work for the sql/jdbc outputs: finding the `?` placeholders (outside quotes and
 * comments), recognising a plain single-row `INSERT … VALUES (?, …)` that may be repeated into
 * one multi-row INSERT, and rewriting placeholders for drivers that number them ($1, $2 …).
 * No driver, no I/O: the encoder (worker) and the sink (main thread) both use it.
 */

/** Offsets of the `?` placeholders in `sql`, skipping string literals, quoted identifiers and comments. */
export function placeholderOffsets(sql: string): number[] {
  const out: number[] = [];
  scanSqlCode(sql, (i) => {
    if (sql[i] === '?') out.push(i);
    return i + 1;
  });
  return out;
}

/**
 * Walks the SQL text outside string literals, quoted identifiers and comments: `visit` gets the
 * offset of each such character and returns where to go on (so it may consume a token).
 */
export function scanSqlCode(sql: string, visit: (at: number) => number): void {
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`') {
      // A doubled quote inside a literal is an escaped quote; a backslash escapes in MySQL strings.
      i++;
      while (i < n) {
        if (sql[i] === '\\' && c !== '`') i += 2;
        else if (sql[i] === c) {
          if (sql[i + 1] === c) i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else {
      i = Math.max(i + 1, visit(i));
    }
  }
}

/** Replaces each placeholder with `$1`, `$2`, … (PostgreSQL), starting at `first`. */
export function numberPlaceholders(sql: string, first = 1): string {
  const offsets = placeholderOffsets(sql);
  if (offsets.length === 0) return sql;
  let out = '';
  let prev = 0;
  offsets.forEach((at, k) => {
    out += sql.slice(prev, at) + '$' + (first + k);
    prev = at + 1;
  });
  return out + sql.slice(prev);
}

/**
 * A single-row INSERT split around its VALUES tuple: `head` up to and including VALUES,
 * the tuple (only placeholders), and `tail` (ON CONFLICT / ON DUPLICATE KEY UPDATE …, no
 * placeholders). Repeating the tuple makes a multi-row INSERT with the same meaning.
 */
export interface InsertShape {
  head: string;
  /** Placeholders per row. */
  width: number;
  tail: string;
}

const INSERT_SHAPE = /^\s*(INSERT\s+(?:IGNORE\s+)?INTO\s[\s\S]*?\bVALUES)\s*\(\s*\?(?:\s*,\s*\?)*\s*\)([\s\S]*?);?\s*$/i;

/** The statement's shape when it is a plain single-row INSERT … VALUES (?, …); otherwise undefined. */
export function insertShape(sql: string): InsertShape | undefined {
  const m = INSERT_SHAPE.exec(sql);
  if (!m) return undefined;
  const head = m[1]!;
  const tail = m[2]!;
  // Placeholders elsewhere, a second tuple already there, or a SELECT: not the simple form.
  if (placeholderOffsets(head).length > 0 || placeholderOffsets(tail).length > 0 || /^\s*,/.test(tail) || /\bselect\b/i.test(tail)) return undefined;
  const width = placeholderOffsets(sql).length;
  return { head, width, tail };
}

/** `head (?,?),(?,?)… tail` for `rows` rows. */
export function multiRowSql(shape: InsertShape, rows: number): string {
  const tuple = '(' + new Array<string>(shape.width).fill('?').join(',') + ')';
  return `${shape.head} ${new Array<string>(rows).fill(tuple).join(',')}${shape.tail}`;
}
