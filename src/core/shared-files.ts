/**
 * Large read-only files (GeoIP databases) shared by every thread of the
 * process. The main thread reads a file once into a SharedArrayBuffer and
 * hands it to the workers, which read it in place: one copy per process
 * instead of one per worker (the GeoLite2 City database is ~60 MB).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const files = new Map<string, SharedArrayBuffer>();

/** Reads `path` into shared memory (once) so workers started afterwards can use it. */
export function shareFile(path: string): void {
  const absolute = resolve(path);
  if (files.has(absolute)) return;
  const content = readFileSync(absolute);
  const shared = new SharedArrayBuffer(content.length);
  new Uint8Array(shared).set(content);
  files.set(absolute, shared);
}

/** What to hand to a worker (SharedArrayBuffers are shared, not copied, by postMessage). */
export function sharedFiles(): Record<string, SharedArrayBuffer> {
  return Object.fromEntries(files);
}

/** In a worker: use the files the main thread shared. */
export function adoptSharedFiles(shared: Record<string, SharedArrayBuffer> | undefined): void {
  for (const [path, buffer] of Object.entries(shared ?? {})) files.set(path, buffer);
}

/** The file's content: the shared copy when there is one, otherwise read from disk. */
export function readSharedFile(path: string): Buffer {
  const shared = files.get(resolve(path));
  return shared ? Buffer.from(shared) : readFileSync(path);
}
