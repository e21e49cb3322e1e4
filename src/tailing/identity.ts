/**
 * File identity: how a file is recognised across renames, restarts and inode reuse.
 *
 * * `native`: device + inode (Filebeat's default up to 8.x). Tracks renames; a deleted file's inode
 *   reused by a new file makes the new file look like the old one.
 * * `fingerprint` (our default): device + inode *and* a SHA-256 of the file's first bytes (up to
 *   FINGERPRINT_BYTES). A state only matches a file whose first `fingerprintLength` bytes hash to the
 *   recorded value, so a recycled inode with other content starts from 0 instead of resuming at a
 *   stale offset. The fingerprint grows with a young file until it covers FINGERPRINT_BYTES.
 * * `path`: the path alone; a renamed file is read again.
 *
 * The registry key is `native::<inode>-<device>` in the first two modes (Filebeat's key shape) and
 * `path::<path>` in the third.
 */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

export type IdentityMode = 'fingerprint' | 'native' | 'path';

/** Bytes hashed at most for a fingerprint (Filebeat's filestream fingerprint default length). */
export const FINGERPRINT_BYTES = 1024;

export interface Fingerprint {
  /** Hex SHA-256 of the first `length` bytes. */
  hash: string;
  length: number;
}

export function identityKey(mode: IdentityMode, path: string, stat: Pick<Stats, 'ino' | 'dev'>): string {
  return mode === 'path' ? `path::${path}` : `native::${stat.ino}-${stat.dev}`;
}

export const hashBytes = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The fingerprint of the first min(size, FINGERPRINT_BYTES) bytes of an open file. */
export async function fingerprintOf(handle: FileHandle, size: number): Promise<Fingerprint> {
  const length = Math.min(size, FINGERPRINT_BYTES);
  const buf = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const { bytesRead } = await handle.read(buf, read, length - read, read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return { hash: hashBytes(buf.subarray(0, read)), length: read };
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
