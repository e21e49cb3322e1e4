/** Option values shared by the plugin front ends: Filebeat's regexps, multiline hashes, identity. */
import { compileRubyRegex } from '../core/ruby-regex.js';
import { parseDuration } from '../config/schema.js';
import type { IdentityMode } from './identity.js';
import type { MultilineSettings } from './multiline.js';

/** Filebeat's regexps are Go RE2 syntax; POSIX classes ([[:space:]]) and the common subset read as Ruby's do. */
export const compileBeatsRegex = (pattern: string): RegExp => compileRubyRegex(pattern);

const num = (v: unknown, fallback: number): number => (v === undefined ? fallback : Number(v));
const bool = (v: unknown, fallback: boolean): boolean => (v === undefined ? fallback : v === true || v === 'true');

/** Filebeat's `multiline` hash → settings; throws an Error naming the bad key. */
export function multilineSettings(h: Record<string, unknown> | undefined): MultilineSettings | undefined {
  if (!h || Object.keys(h).length === 0) return undefined;
  const type = String(h['type'] ?? 'pattern');
  if (type !== 'pattern' && type !== 'while_pattern' && type !== 'count') throw new Error(`multiline.type "${type}" is not supported (pattern, while_pattern, count)`);
  const match = String(h['match'] ?? 'after');
  if (match !== 'after' && match !== 'before') throw new Error(`multiline.match must be after or before, got "${match}"`);
  if (type !== 'count' && typeof h['pattern'] !== 'string') throw new Error(`multiline.pattern is required for type ${type}`);
  const countLines = num(h['count_lines'], 0);
  if (type === 'count' && !(countLines >= 1)) throw new Error('multiline.count_lines must be at least 1 for type count');
  return {
    type,
    pattern: typeof h['pattern'] === 'string' ? compileBeatsRegex(h['pattern']) : undefined,
    negate: bool(h['negate'], false),
    match,
    maxLines: num(h['max_lines'], 500),
    timeoutMs: h['timeout'] === undefined ? 5000 : parseDuration(h['timeout']),
    countLines,
    flushPattern: typeof h['flush_pattern'] === 'string' ? compileBeatsRegex(h['flush_pattern']) : undefined,
  };
}

/** `file_identity`: a name, or a one-key hash as Filebeat 8 writes it (`{native: ~}`). */
export function identityMode(value: unknown): IdentityMode {
  const name = typeof value === 'string' ? value : value && typeof value === 'object' ? Object.keys(value)[0] : undefined;
  if (name === 'native' || name === 'path' || name === 'fingerprint') return name;
  if (name === 'inode_marker') throw new Error('file_identity inode_marker is not supported; use fingerprint (device+inode and first bytes) or native');
  throw new Error(`file_identity must be fingerprint, native or path, got ${JSON.stringify(value)}`);
}
