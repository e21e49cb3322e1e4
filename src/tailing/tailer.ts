/**
 * The tailing source: scans the globs every `scanIntervalMs`, starts one harvester per file
 * (identity-checked against the registry), and advances each file's registry offset only to the
 * highest contiguous acknowledged payload end (ContiguousAckTracker per file and generation).
 * Stopping waits until every payload handed over is acknowledged or nacked, then flushes the
 * registry, so a graceful stop followed by a restart re-reads nothing.
 */
import { lstat, open, stat, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { Logger } from '../core/logger.js';
import { ContiguousAckTracker } from '../pipeline/ack.js';
import type { InputSink, InputSource } from '../plugins/api.js';
import { fileEncoding, type FileEncoding } from './encoding.js';
import { expandGlob } from './glob.js';
import { Harvester, type CloseReason, type HarvesterHost } from './harvester.js';
import { fingerprintMatches, fingerprintOf, identityKey } from './identity.js';
import type { TailPayload } from './payload.js';
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
    for (const path of await this.inOpenOrder([...seen])) {
      await this.consider(path, sink).catch((err: unknown) => this.logger.warn('cannot open file', { path, error: err }));
    }
  }

  /** Logstash's file_sort_by / file_sort_direction: which files get the open slots first. */
  private async inOpenOrder(paths: string[]): Promise<string[]> {
    const order = this.s.openOrder;
    if (!order) return paths;
    const sign = order.descending ? -1 : 1;
    if (order.by === 'path') return paths.sort((a, b) => sign * (a < b ? -1 : a > b ? 1 : 0));
    const mtimes = new Map<string, number>();
    await Promise.all(paths.map(async (p) => {
      mtimes.set(p, await stat(p).then((st) => st.mtimeMs, () => 0));
    }));
    return paths.sort((a, b) => sign * (mtimes.get(a)! - mtimes.get(b)!) || (a < b ? -1 : a > b ? 1 : 0));
  }

  private async consider(path: string, sink: InputSink): Promise<void> {
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
    const key = `${this.s.scope}::${identityKey(this.s.identity, path, st)}`;
    const running = this.open.get(key);
    if (running) {
      if (running.harvester && running.harvester.path !== path) running.harvester.path = path; // renamed within the globs
      running.entry.path = path;
      return;
    }
    const store = this.store;
    let entry = store?.get(key);
    const old = this.s.ignoreOlderMs > 0 && Date.now() - st.mtimeMs > this.s.ignoreOlderMs;
    if (old && !entry) {
      // Filebeat: a file never seen that is older than ignore_older is recorded at its end.
      store?.set(this.newEntry(key, path, st, st.size));
      return;
    }
    if (old) return;
    if (entry && entry.offset === st.size && entry.path === path && !this.s.readMode && this.s.identity !== 'fingerprint') return; // nothing new
    if (this.s.harvesterLimit > 0 && this.open.size >= this.s.harvesterLimit) return; // picked up at a later scan
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      this.logger.warn('cannot open file', { path, error: err });
      return;
    }
    try {
      const fst = await handle.stat();
      if (fst.ino !== st.ino || fst.dev !== st.dev) throw new Error('replaced while opening');
      const fingerprint = this.s.identity === 'fingerprint' ? await fingerprintOf(handle, fst.size) : undefined;
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
        entry: entry ? { ...entry, path, fingerprint: fingerprint ?? entry.fingerprint, ttl: this.ttl() } : this.newEntry(key, path, fst, start, fingerprint),
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

  private async closed(state: FileState, handle: FileHandle, reason: CloseReason): Promise<void> {
    if (this.s.identity === 'fingerprint' && (state.entry.fingerprint?.length ?? 0) < 1024) {
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
            if (ack() && generation === state.generation) this.advance(state);
          },
          nack: () => settle(),
        });
      },
      truncated: () => {
        this.logger.info('file truncated: reading it again from the start', { path: state.entry.path });
        state.generation++;
        state.tracker = new ContiguousAckTracker(0);
        state.entry.offset = 0;
        state.entry.updated = Date.now();
        this.store?.set(state.entry);
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
          if (this.s.identity !== 'path' && (st.ino !== e.inode || st.dev !== e.device) && !this.open.has(e.key)) store.remove(e.key);
        },
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT' && !this.open.has(e.key)) store.remove(e.key);
        },
      );
    }
  }
}
