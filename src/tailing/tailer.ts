/**
 * The tailing source: scans the globs every `scanIntervalMs`, starts one harvester per file
 * (identity-checked against the registry), and advances each file's registry offset only to the
 * highest contiguous acknowledged payload end (ContiguousAckTracker per file and generation).
 * Stopping waits until every payload handed over is acknowledged or nacked, then flushes the
 * registry, so a graceful stop followed by a restart re-reads nothing.
 */
import { lstat, open, stat, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename } from 'node:path';
import type { Logger } from '../core/logger.js';
import { ContiguousAckTracker } from '../pipeline/ack.js';
import type { InputSink, InputSource } from '../plugins/api.js';
import { fileEncoding, type FileEncoding } from './encoding.js';
import { expandGlob } from './glob.js';
import { Harvester, type CloseReason, type HarvesterHost } from './harvester.js';
import { contentHashOf, FINGERPRINT_BYTES, fingerprintMatches, fingerprintOf, identityKey, identityOfKey } from './identity.js';
import { isEventsPayload, payloadBuffers, type TailPayload } from './payload.js';
import { closeRegistry, openRegistry, type RegistryEntry, type RegistryStore } from './registry/store.js';
import type { TailSettings } from './settings.js';

/** One file being harvested. */
interface FileState {
  key: string;
  entry: RegistryEntry;
  tracker: ContiguousAckTracker<number>;
  /** Bumped at truncation: acknowledgements of an earlier generation no longer move the offset. */
  generation: number;
  harvester?: Harvester;
}

const TRUNCATION_WARN_MS = 10_000;

export class TailSource implements InputSource {
  private readonly open = new Map<string, FileState>();
  private readonly encoding: FileEncoding;
  private store: RegistryStore | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private wakeAll = new Set<() => void>();
  private inFlight = 0;
  private settled: (() => void) | undefined;
  private lastTruncationWarning = -Infinity;
  private harvesters = new Set<Promise<void>>();

  constructor(private readonly s: TailSettings, private readonly registryFile: string | undefined, private readonly logger: Logger) {
    this.encoding = fileEncoding(s.encoding);
  }

  get stopping(): boolean {
    return this.stopped;
  }

  async run(sink: InputSink): Promise<void> {
    this.store = this.registryFile ? openRegistry(this.registryFile, this.logger) : undefined;
    try {
      while (!this.stopped && !sink.stopping) {
        await this.scan(sink);
        if (this.s.readMode && this.open.size === 0 && this.harvesters.size === 0) {
          // read mode: rescans pick up new files; nothing to do until then.
        }
        this.clean();
        await this.sleep(this.s.scanIntervalMs, true);
      }
    } finally {
      this.stopped = true;
      for (const w of this.wakeAll) w();
      await Promise.all(this.harvesters);
      // Everything handed over is acknowledged or nacked before the registry is written for the last time.
      if (this.inFlight > 0) await new Promise<void>((resolve) => (this.settled = resolve));
      if (this.store) await closeRegistry(this.store);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.wakeAll) w();
  }

  /** Sleeps `ms` or until stopped. */
  sleep(ms: number, _scan = false): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeAll.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeAll.add(done);
    });
  }

  private async scan(sink: InputSink): Promise<void> {
    const seen = new Set<string>();
    for (const pattern of this.s.paths) {
      for (const path of await expandGlob(pattern)) {
        if (seen.has(path) || this.s.excluded(path)) continue;
        seen.add(path);
      }
    }
    // Which path claimed each identity in this scan: a second path with the same identity (a copy
    // under fingerprint, a hard link under native) is skipped, as Filebeat's scanner does.
    const claimed = new Map<string, string>();
    const marker = this.s.inodeMarker?.current();
    for (const path of await this.inOpenOrder([...seen])) {
      await this.consider(path, sink, claimed, marker).catch((err: unknown) => this.logger.warn('cannot open file', { path, error: err }));
    }
  }

  /**
   * Which files get the open slots first (harvester_limit, read mode): Logstash's file_sort_by /
   * file_sort_direction or Filebeat's scan.sort / scan.order. Unsorted with a harvester_limit, the
   * order is shuffled at each scan, as Filebeat's (Go map order): a fixed order would give the
   * freed slots to the same first files forever.
   */
  private async inOpenOrder(paths: string[]): Promise<string[]> {
    const order = this.s.openOrder;
    if (!order) return this.s.harvesterLimit > 0 ? shuffled(paths) : paths;
    const sign = order.descending ? -1 : 1;
    if (order.by !== 'last_modified') {
      const name = order.by === 'filename' ? basename : (p: string): string => p;
      return paths.sort((a, b) => sign * compareText(name(a), name(b)));
    }
    const mtimes = new Map<string, number>();
    await Promise.all(paths.map(async (p) => {
      mtimes.set(p, await stat(p).then((st) => st.mtimeMs, () => 0));
    }));
    return paths.sort((a, b) => sign * (mtimes.get(a)! - mtimes.get(b)!) || compareText(a, b));
  }

  private async consider(path: string, sink: InputSink, claimed: Map<string, string>, marker: string | undefined): Promise<void> {
    let st: Stats;
    try {
      st = await lstat(path);
      if (st.isSymbolicLink()) {
        if (!this.s.followSymlinks) return;
        st = await stat(path);
      }
    } catch {
      return; // gone between readdir and stat
    }
    if (!st.isFile()) return;
    const fp = this.s.scannerFingerprint;
    if (fp && st.size < fp.offset + fp.length) return this.tooSmall(path, st.size, fp.offset + fp.length);
    // The fingerprint identity needs the file's bytes before its key is known.
    let handle: FileHandle | undefined;
    let contentHash: string | undefined;
    if (this.s.identity === 'fingerprint') {
      const opened = await this.openChecked(path, st);
      if (!opened) return;
      handle = opened;
      contentHash = await contentHashOf(handle, fp!).catch(() => undefined);
      if (contentHash === undefined) return void (await handle.close());
    }
    try {
      const key = `${this.s.scope}::${identityKey(this.s.identity, path, st, { contentHash, marker })}`;
      const first = claimed.get(key);
      if (first !== undefined && first !== path) return this.duplicate(path, first);
      claimed.set(key, path);
      const running = this.open.get(key);
      if (running) {
        if (running.entry.path === path) return;
        // Renamed within the globs, unless the file is still where it was read (then `path` is a copy or a link).
        if (await this.stillAt(running.entry.path, running.entry)) return this.duplicate(path, running.entry.path);
        if (running.harvester) running.harvester.path = path;
        running.entry.path = path;
        return;
      }
      const opened = handle;
      handle = undefined; // start() owns it from here
      await this.start(key, path, st, opened, sink);
    } finally {
      await handle?.close();
    }
  }

  /** Starts harvesting `path` under `key`; `opened` (a handle on it, if any) is closed when it is not harvested. */
  private async start(key: string, path: string, st: Stats, opened: FileHandle | undefined, sink: InputSink): Promise<void> {
    const store = this.store;
    let entry = store?.get(key) ?? this.adoptFromOtherIdentity(key, path, st);
    const old = this.s.ignoreOlderMs > 0 && Date.now() - st.mtimeMs > this.s.ignoreOlderMs;
    if (old && !entry) {
      // Filebeat: a file never seen that is older than ignore_older is recorded at its end.
      store?.set(this.newEntry(key, path, st, st.size));
      return opened?.close();
    }
    if (old) return opened?.close();
    if (entry && entry.offset === st.size && entry.path === path && !this.s.readMode && this.s.identity !== 'native_fingerprint') return opened?.close(); // nothing new
    if (this.s.harvesterLimit > 0 && this.open.size >= this.s.harvesterLimit) return opened?.close(); // picked up at a later scan
    const handle = opened ?? (await this.openChecked(path, st));
    if (!handle) return;
    try {
      const fst = await handle.stat();
      const fingerprint = this.s.identity === 'native_fingerprint' ? await fingerprintOf(handle, fst.size) : undefined;
      if (entry && fingerprint && entry.fingerprint && !(await fingerprintMatches(handle, entry.fingerprint, fingerprint))) {
        this.logger.info('a file reuses a known inode with other content: reading it from the start', { path, previous: entry.path });
        entry = undefined;
      }
      if (entry && entry.offset > fst.size) {
        this.logger.info('file is shorter than its recorded offset (truncated): reading it from the start', { path, offset: entry.offset, size: fst.size });
        entry = { ...entry, offset: 0 };
      }
      if (entry && entry.offset === fst.size && this.s.readMode) return void (await handle.close());
      const start = entry?.offset ?? (this.s.startAtEnd && !this.s.readMode ? fst.size : 0);
      const state: FileState = {
        key,
        entry: entry ? { ...entry, path, inode: fst.ino, device: fst.dev, fingerprint: fingerprint ?? entry.fingerprint, ttl: this.ttl() } : this.newEntry(key, path, fst, start, fingerprint),
        tracker: new ContiguousAckTracker(start),
        generation: 0,
      };
      store?.set(state.entry);
      this.open.set(key, state);
      const harvester = new Harvester(handle, path, fst.ino, fst.dev, start, this.s, this.encoding, this.hostFor(state, sink));
      state.harvester = harvester;
      const running: Promise<void> = harvester.run().then(
        (reason) => this.closed(state, handle, reason),
        (err: unknown) => {
          this.logger.error('harvester failed', { path, error: err });
          return this.closed(state, handle, 'stopped');
        },
      ).finally(() => this.harvesters.delete(running));
      this.harvesters.add(running);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  private async stillAt(path: string, entry: RegistryEntry): Promise<boolean> {
    const st = await stat(path).catch(() => undefined);
    return st !== undefined && st.ino === entry.inode && st.dev === entry.device;
  }

  /** Opens `path` and checks it is still the file `st` describes; undefined (logged) when not. */
  private async openChecked(path: string, st: Stats): Promise<FileHandle | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      this.logger.warn('cannot open file', { path, error: err });
      return undefined;
    }
    const fst = await handle.stat().catch(() => undefined);
    if (fst && fst.ino === st.ino && fst.dev === st.dev) return handle;
    await handle.close();
    return undefined; // replaced while opening: the next scan sees the new file
  }

  /**
   * A state this scope recorded under another identity (the configuration changed, or the
   * default's `native::` key met `fingerprint`) for this very file — same path, device and inode,
   * and first bytes where it recorded them — is carried over to the new key, so switching
   * file_identity neither re-reads nor skips.
   */
  private adoptFromOtherIdentity(key: string, path: string, st: Stats): RegistryEntry | undefined {
    const store = this.store;
    const mine = identityOfKey(key);
    if (!store) return undefined;
    for (const e of store.scope(this.s.scope)) {
      if (e.path !== path || e.inode !== st.ino || e.device !== st.dev || identityOfKey(e.key) === mine || this.open.has(e.key)) continue;
      if (e.fingerprint && e.fingerprint.length > st.size) continue;
      store.remove(e.key);
      this.logger.info('file_identity changed: the recorded offset is carried over to the new identity', { path, from: e.key, to: key });
      return { ...e, key };
    }
    return undefined;
  }

  private readonly reported = new Set<string>();

  /** Logged once per path: Filebeat skips files shorter than the scanner fingerprint until they grow. */
  private tooSmall(path: string, size: number, needed: number): void {
    if (this.reported.has(`small:${path}`)) return;
    this.reported.add(`small:${path}`);
    this.logger.debug('file too small for its fingerprint: not read until it grows', { path, size, needed });
  }

  /** Logged once per pair. */
  private duplicate(path: string, first: string): void {
    if (this.reported.has(`dup:${path}\0${first}`)) return;
    this.reported.add(`dup:${path}\0${first}`);
    this.logger.warn('file has the identity of another file found in this scan (a copy or a link): skipped', { path, same_as: first, identity: this.s.identity });
  }

  private async closed(state: FileState, handle: FileHandle, reason: CloseReason): Promise<void> {
    if (this.s.identity === 'native_fingerprint' && (state.entry.fingerprint?.length ?? 0) < FINGERPRINT_BYTES) {
      const size = (await handle.stat().catch(() => undefined))?.size;
      if (size !== undefined) state.entry.fingerprint = await fingerprintOf(handle, size).catch(() => state.entry.fingerprint);
    }
    await handle.close().catch(() => {});
    this.open.delete(state.key);
    if (reason !== 'stopped') this.logger.debug('file closed', { path: state.entry.path, reason });
    if (reason === 'completed' && this.s.readMode) {
      // Completed once every payload of it is acknowledged.
      await this.whenAcknowledged(state);
      await this.s.readMode.complete(state.entry.path).catch((err: unknown) => this.logger.warn('file_completed_action failed', { path: state.entry.path, error: err }));
    }
  }

  private async whenAcknowledged(state: FileState): Promise<void> {
    while (state.tracker.outstanding > 0 && !this.stopped) await this.sleep(50);
  }

  private hostFor(state: FileState, sink: InputSink): HarvesterHost {
    const source = this;
    return {
      get stopping() {
        return source.stopped || sink.stopping;
      },
      deliver: async (payload: TailPayload, transfer, events, bytes, end) => {
        const generation = state.generation;
        const ack = state.tracker.track(end);
        this.inFlight++;
        let answered = false;
        const settle = (): void => {
          if (answered) return;
          answered = true;
          if (--this.inFlight === 0) this.settled?.();
        };
        await sink.push({ data: payload, transfer, events, bytes }, {
          ack: () => {
            settle();
            if (!isEventsPayload(payload)) payloadBuffers.give(payload.bytes);
            if (ack() && generation === state.generation) this.advance(state);
          },
          nack: () => settle(),
        });
      },
      truncated: () => {
        // Under the fingerprint identity the shrunk file is another file: its state (and a copy
        // bearing the old first bytes, copytruncate's) keeps the offset; the scan takes it from here.
        if (this.s.identity === 'fingerprint') return 'close';
        this.logger.info('file truncated: reading it again from the start', { path: state.entry.path });
        state.generation++;
        state.tracker = new ContiguousAckTracker(0);
        state.entry.offset = 0;
        state.entry.updated = Date.now();
        this.store?.set(state.entry);
        return 'restart';
      },
      sleep: (ms) => this.sleep(ms),
      warnTruncatedLine: (path, length) => {
        if (Date.now() - this.lastTruncationWarning < TRUNCATION_WARN_MS) return;
        this.lastTruncationWarning = Date.now();
        this.logger.warn('a line longer than max_bytes was cut and flagged', { path, line_bytes: length, max_bytes: this.s.maxBytes });
      },
    };
  }

  private advance(state: FileState): void {
    state.entry.offset = state.tracker.position;
    state.entry.updated = Date.now();
    this.store?.set(state.entry);
  }

  private newEntry(key: string, path: string, st: Stats, offset: number, fingerprint?: RegistryEntry['fingerprint']): RegistryEntry {
    return { key, path, offset, device: st.dev, inode: st.ino, fingerprint, updated: Date.now(), ttl: this.ttl() };
  }

  private ttl(): number {
    return this.s.cleanInactiveMs > 0 ? this.s.cleanInactiveMs : -1;
  }

  /** clean_inactive (TTL) and clean_removed, for entries of this scope whose file is not open. */
  private clean(): void {
    const store = this.store;
    if (!store) return;
    const openKeys = new Set(this.open.keys());
    const expired = store.expire();
    if (expired.length) this.logger.debug('registry entries expired (clean_inactive)', { count: expired.length });
    if (!this.s.cleanRemoved) return;
    for (const e of [...store.scope(this.s.scope)]) {
      if (openKeys.has(e.key)) continue;
      void stat(e.path).then(
        (st) => {
          // inode_marker exists because device ids change (a reboot): only the inode says "another file".
          const moved = st.ino !== e.inode || (this.s.identity !== 'inode_marker' && st.dev !== e.device);
          if (this.s.identity !== 'path' && moved && !this.open.has(e.key)) store.remove(e.key);
        },
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT' && !this.open.has(e.key)) store.remove(e.key);
        },
      );
    }
  }
}

/** Fisher–Yates, on a copy. */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
