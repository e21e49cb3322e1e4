/**
 * Migration from Filebeat: reads an existing Filebeat registry and records, in logpipe's registry
 * under `registryDir`, the offset of every file that is still the file Filebeat read (same
 * device+inode, and for the `log` input the same path), so a host switched over neither re-ships
 * nor skips. Other entries are skipped with a reason. filestream states under the other
 * identities keep their key as Filebeat wrote it (`fingerprint::<sha256>`, `inode_marker::<inode>-
 * <marker>`, `path::<path>`), which is the key logpipe computes under the same file_identity:
 * a `fingerprint` state resumes whichever file has those bytes, wherever it is now (it is taken
 * over even when its last path is gone).
 *
 * Accepted `source`: the 5.x/6.x registry file (a JSON array of {source, offset, timestamp, ttl,
 * FileStateOS: {inode, device}}), a 7.0–7.8 `data.json` (same array), or the 7.9+ memlog directory
 * `registry/filebeat` (or its `log.json`, or the `registry` directory above it): the newest
 * checkpoint named by `active.dat` (or the highest `<txid>.json`) then the `log.json` operations
 * with larger ids, stopping at the first gap or bad line, as Filebeat loads it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fingerprintOf } from '../identity.js';
import { closeRegistry, openRegistry, REGISTRY_FILE, type RegistryEntry } from './store.js';

export interface ImportedFile {
  path: string;
  offset: number;
  key: string;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface ImportReport {
  /** Which layout was read. */
  format: 'array' | 'memlog';
  imported: ImportedFile[];
  skipped: SkippedFile[];
  /** The registry file written. */
  registryFile: string;
}

/** One file's state as Filebeat recorded it. */
interface FilebeatState {
  /** Registry scope for logpipe: `filebeat::logs` or `filestream::<input id>`. */
  scope: string;
  path: string;
  offset: number;
  inode?: number;
  device?: number;
  /** The identity part of a filestream key other than `native::` (`fingerprint::…`), kept as is. */
  identity?: string;
}

export async function importFilebeatRegistry(source: string, registryDir: string): Promise<ImportReport> {
  const { format, states } = readFilebeatStates(source);
  const registryFile = join(registryDir, REGISTRY_FILE);
  const store = openRegistry(registryFile);
  const report: ImportReport = { format, imported: [], skipped: [], registryFile };
  try {
    for (const s of states) {
      const verdict = await matchOnDisk(s);
      if (typeof verdict === 'string') {
        report.skipped.push({ path: s.path, reason: verdict });
        continue;
      }
      const key = `${s.scope}::${s.identity ?? `native::${verdict.ino}-${verdict.dev}`}`;
      const entry: RegistryEntry = { key, path: s.path, offset: s.offset, inode: verdict.ino, device: verdict.dev, fingerprint: verdict.fingerprint, updated: Date.now(), ttl: -1 };
      store.set(entry);
      report.imported.push({ path: s.path, offset: s.offset, key });
    }
  } finally {
    await closeRegistry(store);
  }
  return report;
}

async function matchOnDisk(s: FilebeatState): Promise<string | { ino: number; dev: number; fingerprint: RegistryEntry['fingerprint'] }> {
  if (!s.path) return 'the entry has no source path';
  const byInode = s.identity === undefined || s.identity.startsWith('inode_marker::');
  if (byInode && s.inode === undefined) return 'the entry has no inode/device';
  let handle;
  try {
    handle = await open(s.path, 'r');
  } catch {
    // A fingerprint state is found by its bytes wherever the file is now (a rotation renamed it).
    if (s.identity?.startsWith('fingerprint::')) return { ino: 0, dev: 0, fingerprint: undefined };
    return 'the file no longer exists';
  }
  try {
    const st = await handle.stat();
    if (s.identity === undefined && (st.ino !== s.inode || st.dev !== s.device)) return `another file now has this path (inode ${st.ino} device ${st.dev}, recorded ${s.inode}/${s.device})`;
    if (s.identity !== undefined && byInode && st.ino !== s.inode) return `another file now has this path (inode ${st.ino}, recorded ${s.inode})`;
    if (st.size < s.offset) return `the file is shorter (${st.size} bytes) than the recorded offset ${s.offset}`;
    return { ino: st.ino, dev: st.dev, fingerprint: await fingerprintOf(handle, st.size) };
  } finally {
    await handle.close();
  }
}

function readFilebeatStates(source: string): { format: ImportReport['format']; states: FilebeatState[] } {
  let path = source;
  if (statSync(path).isDirectory()) {
    if (existsSync(join(path, 'filebeat', 'log.json')) || existsSync(join(path, 'filebeat', 'meta.json'))) path = join(path, 'filebeat');
    if (existsSync(join(path, 'log.json')) || existsSync(join(path, 'active.dat'))) return { format: 'memlog', states: readMemlog(path) };
    if (existsSync(join(path, 'data.json'))) path = join(path, 'data.json');
    else throw new Error(`${source}: no Filebeat registry found (expected log.json, data.json or a registry file)`);
  } else if (basename(path) === 'log.json') return { format: 'memlog', states: readMemlog(dirname(path)) };
  const text = readFileSync(path, 'utf8');
  if (text.trim() === '') throw new Error(`${path}: the registry file is empty`);
  const doc = JSON.parse(text) as unknown;
  const list = Array.isArray(doc) ? doc : typeof doc === 'object' && doc !== null ? Object.values(doc) : [];
  return { format: 'array', states: list.map((v) => fromLegacy(v as Record<string, unknown>)) };
}

function fromLegacy(v: Record<string, unknown>): FilebeatState {
  const os = (v['FileStateOS'] ?? {}) as { inode?: number; device?: number };
  return { scope: 'filebeat::logs', path: String(v['source'] ?? ''), offset: Number(v['offset'] ?? 0), inode: os.inode, device: os.device };
}

function readMemlog(dir: string): FilebeatState[] {
  const table = new Map<string, Record<string, unknown>>();
  let txid = 0;
  const checkpoint = checkpointFile(dir);
  if (checkpoint) {
    txid = Number(basename(checkpoint, '.json')) || 0;
    const entries = JSON.parse(readFileSync(checkpoint, 'utf8')) as Record<string, unknown>[];
    for (const e of entries) {
      const { _key, ...value } = e;
      table.set(String(_key), value);
    }
  }
  const logFile = join(dir, 'log.json');
  if (existsSync(logFile)) {
    const lines = readFileSync(logFile, 'utf8').split('\n');
    let expected: number | undefined;
    for (let i = 0; i + 1 < lines.length; i += 2) {
      let op: Record<string, unknown>;
      let body: Record<string, unknown>;
      try {
        op = JSON.parse(lines[i]!) as Record<string, unknown>;
        body = JSON.parse(lines[i + 1]!) as Record<string, unknown>;
      } catch {
        break; // a torn last write: replay stops here, as Filebeat's does
      }
      const id = Number(op['id']);
      if (id <= txid) continue;
      if (expected !== undefined && id !== expected) break;
      expected = id + 1;
      const key = String(body['k'] ?? body['K']);
      if (op['op'] === 'set') table.set(key, (body['v'] ?? body['V']) as Record<string, unknown>);
      else if (op['op'] === 'remove') table.delete(key);
    }
  }
  const states: FilebeatState[] = [];
  for (const [key, v] of table) {
    if (key.startsWith('filebeat::logs::')) {
      // The log input's path and inode_marker identities keep their key; native ones are rebuilt from FileStateOS.
      const identity = key.slice('filebeat::logs::'.length);
      states.push(/^(path|inode_marker)::/.test(identity) ? { ...fromLegacy(v), identity } : fromLegacy(v));
    }
    else if (key.startsWith('filestream::')) {
      states.push(fromFilestream(key, v));
    }
  }
  return states;
}

/** `filestream::<input id>::<identity>::<id>` and its value {cursor: {offset}, meta: {source}}. */
function fromFilestream(key: string, v: Record<string, unknown>): FilebeatState {
  const [, input = '', ...rest] = key.split('::');
  const identity = rest.join('::');
  const meta = (v['meta'] ?? {}) as { source?: string };
  const cursor = (v['cursor'] ?? {}) as { offset?: number };
  const state: FilebeatState = { scope: `filestream::${input}`, path: String(meta.source ?? ''), offset: Number(cursor.offset ?? 0) };
  const native = /^native::(\d+)-(\d+)$/.exec(identity);
  if (native) return { ...state, inode: Number(native[1]), device: Number(native[2]) };
  // inode_marker::<inode>-<marker content>: the marker may itself contain dashes.
  const marker = /^inode_marker::(\d+)-/.exec(identity);
  return { ...state, identity, inode: marker ? Number(marker[1]) : undefined };
}

/** The checkpoint `active.dat` names, else the highest-numbered `<txid>.json`. */
function checkpointFile(dir: string): string | undefined {
  const active = join(dir, 'active.dat');
  if (existsSync(active)) {
    const name = readFileSync(active, 'utf8').trim();
    if (name) {
      const p = name.startsWith('/') ? name : join(dir, basename(name));
      if (existsSync(p)) return p;
    }
  }
  const numbered = readdirSync(dir).filter((f) => /^\d+\.json$/.test(f)).sort((a, b) => Number(a.slice(0, -5)) - Number(b.slice(0, -5)));
  return numbered.length ? join(dir, numbered[numbered.length - 1]!) : undefined;
}
