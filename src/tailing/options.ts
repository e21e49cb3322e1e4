/** Option values shared by the plugin front ends: Filebeat's regexps, multiline hashes, identity. */
import { compileRubyRegex } from '../core/ruby-regex.js';
import { parseDuration } from '../config/schema.js';
import type { Logger } from '../core/logger.js';
import { FINGERPRINT_BYTES, FINGERPRINT_MIN_LENGTH, InodeMarker, type IdentityMode, type ScannerFingerprint } from './identity.js';
import type { TailSettings } from './settings.js';
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

/** What `file_identity` and `prospector.scanner.fingerprint` make of the tailing settings. */
export type IdentitySettings = Pick<TailSettings, 'identity' | 'scannerFingerprint' | 'inodeMarker'>;

const IDENTITY_NAMES: readonly IdentityMode[] = ['native_fingerprint', 'native', 'path', 'fingerprint', 'inode_marker'];

/**
 * `file_identity` (a name, or a one-key hash as Filebeat 8 writes it: `{native: ~}`,
 * `{inode_marker: {path: …}}`) and filestream's `prospector.scanner.fingerprint` hash; throws an
 * Error saying what is wrong. Filebeat 8's rules: the scanner fingerprint is off unless enabled
 * (offset 0, length 1024, at least 64); the `fingerprint` identity needs it enabled and exists
 * for filestream only; `inode_marker` needs `path`, a readable file.
 */
export function identitySettings(value: unknown, scanner: Record<string, unknown> | undefined, input: 'log' | 'filestream', logger?: Logger): IdentitySettings {
  const name = typeof value === 'string' ? value : value && typeof value === 'object' ? Object.keys(value)[0] : undefined;
  if (!IDENTITY_NAMES.includes(name as IdentityMode)) throw new Error(`file_identity must be one of ${IDENTITY_NAMES.join(', ')}, got ${JSON.stringify(value)}`);
  const identity = name as IdentityMode;
  const scannerFingerprint = scannerFingerprintOf(scanner);
  if (identity === 'fingerprint') {
    if (input === 'log') throw new Error('file_identity fingerprint belongs to the filestream input (the log input knows native, path and inode_marker; its default already checks the first bytes)');
    if (!scannerFingerprint) throw new Error('file_identity fingerprint needs prospector.scanner.fingerprint.enabled: true');
  }
  if (identity !== 'inode_marker') return { identity, scannerFingerprint };
  const inner = typeof value === 'object' ? (value as Record<string, unknown>)['inode_marker'] : undefined;
  const path = inner && typeof inner === 'object' ? (inner as Record<string, unknown>)['path'] : undefined;
  if (typeof path !== 'string' || path === '') throw new Error('file_identity inode_marker needs path: the marker file ({inode_marker: {path: /logs/.marker}})');
  return { identity, scannerFingerprint, inodeMarker: new InodeMarker(path, logger) };
}

function scannerFingerprintOf(scanner: Record<string, unknown> | undefined): ScannerFingerprint | undefined {
  const h = scanner?.['fingerprint'];
  if (!h || typeof h !== 'object') return undefined;
  const f = h as Record<string, unknown>;
  if (!bool(f['enabled'], false)) return undefined;
  const offset = num(f['offset'], 0);
  const length = num(f['length'], FINGERPRINT_BYTES);
  if (!(Number.isInteger(offset) && offset >= 0)) throw new Error(`prospector.scanner.fingerprint.offset must be a whole number of bytes >= 0, got ${JSON.stringify(f['offset'])}`);
  if (!(Number.isInteger(length) && length >= FINGERPRINT_MIN_LENGTH)) throw new Error(`prospector.scanner.fingerprint.length must be at least ${FINGERPRINT_MIN_LENGTH} bytes, got ${JSON.stringify(f['length'])}`);
  return { offset, length };
}
