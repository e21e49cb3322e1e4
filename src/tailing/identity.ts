/**
 * File identity: how a file is recognised across renames, restarts and inode reuse.
 *
 * * `native_fingerprint` (our default): device + inode *and* a SHA-256 of the file's first bytes
 *   (up to FINGERPRINT_BYTES). A state only matches a file whose first `fingerprint.length` bytes
 *   hash to the recorded value, so a recycled inode with other content starts from 0 instead of
 *   resuming at a stale offset. The recorded prefix grows with a young file until FINGERPRINT_BYTES.
 *   Key: `native::<inode>-<device>`.
 * * `native`: device + inode (Filebeat's default up to 8.x). Key: `native::<inode>-<device>`.
 * * `path`: the path alone; a renamed file is read again. Key: `path::<path>`.
 * * `fingerprint` (Filebeat filestream's): the SHA-256 of `length` bytes from `offset` and nothing
 *   else — no device, no inode. Files shorter than offset+length are not read until they grow.
 *   Key: `fingerprint::<hex sha256>`.
 * * `inode_marker` (Filebeat's): the inode and the content of a marker file on the same device, for
 *   devices whose ids change across reboots. Key: `inode_marker::<inode>-<marker content>`.
 *
 * Key shapes are Filebeat's, so registries imported from Filebeat map 1:1.
 */
import { createHash } from 'node:crypto';
import { openSync, closeSync, fstatSync, readFileSync, statSync, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { Logger } from '../core/logger.js';

export type IdentityMode = 'native_fingerprint' | 'native' | 'path' | 'fingerprint' | 'inode_marker';

/** Bytes hashed at most by `native_fingerprint`; also Filebeat's scanner fingerprint default length. */
export const FINGERPRINT_BYTES = 1024;
/** Filebeat refuses a scanner fingerprint shorter than one SHA-256 block. */
export const FINGERPRINT_MIN_LENGTH = 64;

export interface Fingerprint {
  /** Hex SHA-256 of the first `length` bytes. */
  hash: string;
  length: number;
}

/** Filebeat's `prospector.scanner.fingerprint` when enabled: which bytes identify a file. */
export interface ScannerFingerprint {
  offset: number;
  length: number;
}

export function identityKey(mode: IdentityMode, path: string, stat: Pick<Stats, 'ino' | 'dev'>, extra: { contentHash?: string; marker?: string } = {}): string {
  switch (mode) {
    case 'path':
      return `path::${path}`;
    case 'fingerprint':
      return `fingerprint::${extra.contentHash ?? ''}`;
    case 'inode_marker':
      return `inode_marker::${stat.ino}-${extra.marker ?? ''}`;
    default:
      return `native::${stat.ino}-${stat.dev}`;
  }
}

/** The identity part of a registry key (`native`, `fingerprint`, …) after the scope. */
export function identityOfKey(key: string): string | undefined {
  return /::(native|path|fingerprint|inode_marker)::/.exec(key)?.[1];
}

export const hashBytes = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const { bytesRead } = await handle.read(buf, read, length - read, position + read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return buf.subarray(0, read);
}

/** The fingerprint of the first min(size, FINGERPRINT_BYTES) bytes of an open file. */
export async function fingerprintOf(handle: FileHandle, size: number): Promise<Fingerprint> {
  const bytes = await readAt(handle, 0, Math.min(size, FINGERPRINT_BYTES));
  return { hash: hashBytes(bytes), length: bytes.length };
}

/**
 * Filebeat's scanner fingerprint: hex SHA-256 of exactly `length` bytes from `offset`, or
 * undefined when the file has fewer (it is not read until it grows).
 */
export async function contentHashOf(handle: FileHandle, fp: ScannerFingerprint): Promise<string | undefined> {
  const bytes = await readAt(handle, fp.offset, fp.length);
  return bytes.length === fp.length ? hashBytes(bytes) : undefined;
}

/**
 * Whether a recorded fingerprint still describes a file: the file's first `recorded.length` bytes
 * hash the same. `current` is the file's own fingerprint, at least as long as the recorded one.
 */
export async function fingerprintMatches(handle: FileHandle, recorded: Fingerprint, current: Fingerprint): Promise<boolean> {
  if (current.length < recorded.length) return false; // shrank below what was seen: another file (or truncated)
  if (current.length === recorded.length) return current.hash === recorded.hash;
  const prefix = await fingerprintOf(handle, recorded.length);
  return prefix.length === recorded.length && prefix.hash === recorded.hash;
}

/**
 * The marker file of `inode_marker`. It must exist when the input starts (Filebeat refuses to start
 * the input otherwise); its content is taken verbatim (a trailing newline included, as Filebeat
 * does). It is read again when its modification time moves past the one seen at start; if it
 * cannot be read later, an error is logged and the empty string used, as Filebeat does.
 */
export class InodeMarker {
  private readonly startMtimeMs: number;
  private content: string;

  /** Throws an Error naming the path when the marker cannot be read. */
  constructor(readonly path: string, private readonly logger?: Logger) {
    try {
      const fd = openSync(path, 'r');
      try {
        this.startMtimeMs = fstatSync(fd).mtimeMs;
        this.content = readFileSync(fd, 'utf8');
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      throw new Error(`file_identity inode_marker: cannot read the marker file ${path}: ${(err as Error).message}`);
    }
  }

  /** The marker's content now. */
  current(): string {
    try {
      if (statSync(this.path).mtimeMs > this.startMtimeMs) this.content = readFileSync(this.path, 'utf8');
      return this.content;
    } catch (err) {
      this.logger?.error('inode_marker: cannot read the marker file; identifying files by inode and an empty marker', { path: this.path, error: err });
      return '';
    }
  }
}
