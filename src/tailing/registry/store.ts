/**
 * The registry: per file, where reading may resume. One JSON document per store, replaced
 * atomically: written to `<file>.tmp`, fsynced, the current file kept as `<file>.bak`, the temp file
 * renamed over it, the directory fsynced. A crash at any point leaves either the old or the new
 * document under the name, or (between the two renames) only the `.bak`, which the loader falls
 * back to; a zero-byte or unparsable file (a power loss on a filesystem that lied about fsync) is
 * reported and the `.bak` used.
 *
 * Entries change in memory as acknowledgements arrive and reach the disk at most every
 * `flushIntervalMs` (and at close): a crash re-reads at most that much, never skips.
 * Stores are shared per file within a process (`openRegistry`), so every input naming the same
 * directory writes one document.
 */
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { open, rename, mkdir, unlink } from 'node:fs/promises';
import { dirname, basename } from 'node:path';
import type { Fingerprint } from '../identity.js';
import type { Logger } from '../../core/logger.js';
import { parseSincedb } from './sincedb.js';

export const REGISTRY_FILE = 'logpipe-registry.json';
export const REGISTRY_VERSION = 1;
export const DEFAULT_FLUSH_MS = 1000;

export interface RegistryEntry {
  /** `<scope>::<identity key>` (scope: `filebeat::logs`, `filestream::<input id>`, `file`). */
  key: string;
  path: string;
  /** Byte offset just after the last acknowledged line (or event). */
  offset: number;
  device?: number;
  inode?: number;
  fingerprint?: Fingerprint;
  /** Last change, ms since the epoch. */
  updated: number;
  /** Forget the entry this long after `updated` (ms); -1 never. */
  ttl: number;
}

interface RegistryDocument {
  version: number;
  entries: RegistryEntry[];
}

export interface LoadReport {
  /** What was read: the file, its backup, a Logstash sincedb, or nothing. */
  source: 'file' | 'backup' | 'sincedb' | 'empty';
  problems: string[];
}

export class RegistryStore {
  private readonly entries = new Map<string, RegistryEntry>();
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private users = 0;
  readonly loadReport: LoadReport;

  /** `file` undefined: a store that keeps nothing on disk (sincedb_path => "/dev/null"). */
  constructor(readonly file: string | undefined, readonly flushIntervalMs = DEFAULT_FLUSH_MS, private readonly logger?: Logger) {
    this.loadReport = file ? this.load(file) : { source: 'empty', problems: [] };
    for (const p of this.loadReport.problems) logger?.error(`registry ${file}: ${p}`);
  }

  get(key: string): RegistryEntry | undefined {
    return this.entries.get(key);
  }

  /** Entries whose key starts with `scope::`. */
  *scope(scope: string): IterableIterator<RegistryEntry> {
    const prefix = `${scope}::`;
    for (const e of this.entries.values()) if (e.key.startsWith(prefix)) yield e;
  }

  all(): RegistryEntry[] {
    return [...this.entries.values()];
  }

  set(entry: RegistryEntry): void {
    this.entries.set(entry.key, entry);
    this.changed();
  }

  remove(key: string): void {
    if (this.entries.delete(key)) this.changed();
  }

  /** Entries past their TTL are dropped (clean_inactive); returns their keys. */
  expire(now = Date.now()): string[] {
    const gone: string[] = [];
    for (const e of this.entries.values()) if (e.ttl >= 0 && e.updated + e.ttl < now) gone.push(e.key);
    for (const k of gone) this.entries.delete(k);
    if (gone.length) this.changed();
    return gone;
  }

  /** Marks the in-memory state as changed; it reaches the disk within flushIntervalMs. */
  changed(): void {
    this.dirty = true;
    if (this.timer || !this.file) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushIntervalMs);
    this.timer.unref();
  }

  /** Writes the state now if it changed; resolves once it is durable. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(async () => {
      if (!this.dirty || !this.file) return;
      this.dirty = false;
      try {
        await writeAtomically(this.file, JSON.stringify({ version: REGISTRY_VERSION, entries: this.all() } satisfies RegistryDocument));
      } catch (err) {
        this.dirty = true;
        this.logger?.error(`registry ${this.file}: write failed; retrying at the next flush`, { error: err });
        this.changed();
      }
    });
    return this.writing;
  }

  acquire(): this {
    this.users++;
    return this;
  }

  /** Releases one user; the last one flushes. Returns true when the store is no longer used. */
  async release(): Promise<boolean> {
    this.users--;
    await this.flush();
    return this.users <= 0;
  }

  private load(file: string): LoadReport {
    const problems: string[] = [];
    mkdirSync(dirname(file), { recursive: true });
    const main = readDocument(file);
    if (main.ok) return this.take(main.doc, 'file', problems);
    if (main.sincedb) {
      for (const e of main.sincedb) this.entries.set(e.key, e);
      this.dirty = true;
      return { source: 'sincedb', problems };
    }
    if (main.problem) problems.push(main.problem);
    const backup = readDocument(`${file}.bak`);
    if (backup.ok) {
      if (main.problem) problems.push(`recovered from the previous copy ${basename(file)}.bak`);
      this.dirty = true;
      return this.take(backup.doc, 'backup', problems);
    }
    if (backup.problem && existsSync(`${file}.bak`)) problems.push(`the previous copy is unusable too (${backup.problem}); starting with an empty registry`);
    return { source: 'empty', problems };
  }

  private take(doc: RegistryDocument, source: LoadReport['source'], problems: string[]): LoadReport {
    for (const e of doc.entries) this.entries.set(e.key, e);
    return { source, problems };
  }
}

type ReadResult = { ok: true; doc: RegistryDocument } | { ok: false; problem?: string; sincedb?: RegistryEntry[] };

function readDocument(file: string): ReadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false };
    return { ok: false, problem: `cannot be read: ${(err as Error).message}` };
  }
  if (text.length === 0) return { ok: false, problem: 'the file is empty (zero bytes: a write lost in a power failure?)' };
  if (!text.trimStart().startsWith('{')) {
    const sincedb = parseSincedb(text);
    if (sincedb.length > 0) return { ok: false, sincedb };
  }
  try {
    const doc = JSON.parse(text) as RegistryDocument;
    if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.entries)) return { ok: false, problem: 'not a logpipe registry document' };
    if (doc.version !== REGISTRY_VERSION) return { ok: false, problem: `unknown registry version ${String(doc.version)}` };
    return { ok: true, doc };
  } catch (err) {
    return { ok: false, problem: `corrupt (${(err as Error).message})` };
  }
}

/** temp file + fsync + keep the old copy + rename + fsync the directory. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(file, `${file}.bak`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await rename(tmp, file);
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

const shared = new Map<string, RegistryStore>();

/** The process's store for `file`, shared by every input naming it. Pair with closeRegistry. */
export function openRegistry(file: string, logger?: Logger, flushIntervalMs = DEFAULT_FLUSH_MS): RegistryStore {
  let store = shared.get(file);
  if (!store) {
    store = new RegistryStore(file, flushIntervalMs, logger);
    shared.set(file, store);
  }
  return store.acquire();
}

export async function closeRegistry(store: RegistryStore): Promise<void> {
  if ((await store.release()) && store.file && shared.get(store.file) === store) shared.delete(store.file);
}

/** Removes a store's files (tests, a reset). */
export async function removeRegistryFiles(file: string): Promise<void> {
  for (const f of [file, `${file}.bak`, `${file}.tmp`]) await unlink(f).catch(() => {});
}
