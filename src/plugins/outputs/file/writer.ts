/**
 * Open-file cache for the file output: appends, periodic fsync, idle close,
 * re-create if deleted, and roll-back of a write that failed part-way.
 *
 * Why roll back: a write(2) that fails half-way (ENOSPC on a full disk) leaves
 * part of the batch in the file. The pipeline retries the whole batch, so
 * without a roll-back the file ends up with the lines written before the
 * failure twice and one line cut off (invalid JSON). Each write therefore
 * notes every touched file's size first and, on any error, truncates each back
 * to it before rethrowing: a retry appends whole lines exactly once.
 */
import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fstatSync, fsync, ftruncateSync, writeSync } from 'node:fs';
import type { Logger } from '../../../core/logger.js';

/** One file's share of a batch. */
export interface FileChunk {
  path: string;
  bytes: Uint8Array;
}

/**
 * The system calls the pool makes on an open file descriptor. Tests substitute
 * fakes that fail (ENOSPC half-way, EIO on fsync) to exercise the roll-back.
 */
export interface FileIo {
  /** write(2): returns how many bytes were written, throws on error. */
  write(fd: number, bytes: Uint8Array, offset: number, length: number): number;
  /** Current file size (fstat). */
  size(fd: number): number;
  /** ftruncate(2). */
  truncate(fd: number, length: number): void;
  /** fsync(2). */
  sync(fd: number): Promise<void>;
}

export const systemFileIo: FileIo = {
  write: (fd, bytes, offset, length) => writeSync(fd, bytes, offset, length),
  size: (fd) => fstatSync(fd).size,
  truncate: (fd, length) => ftruncateSync(fd, length),
  sync: (fd) => new Promise((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve()))),
};

/** The FileIo new pools use unless given one; tests of the whole output swap it. */
export const fileIo: { current: FileIo } = { current: systemFileIo };

export interface WriterPoolOptions {
  fsyncEachWrite: boolean;
  fsyncIntervalMs: number;
  createIfDeleted: boolean;
  dirMode: number;
  fileMode: number;
  overwrite: boolean;
  idleCloseMs: number;
  logger: Logger;
  io?: FileIo;
}

interface OpenFile {
  path: string;
  handle: FileHandle;
  dirty: boolean;
  lastWrite: number;
  lastExistsCheck: number;
  /**
   * Writes in progress on this file. While it is non-zero the file is not
   * closed (idle cleanup, deleted-file check): a roll-back must truncate the
   * very descriptor it wrote, never a number the kernel has since reused.
   */
  users: number;
}

/** How often an open file is checked for deletion (create_if_deleted). */
const EXISTS_CHECK_MS = 1000;

export class FileWriterPool {
  private readonly files = new Map<string, OpenFile>();
  private readonly timer: NodeJS.Timeout;
  private readonly io: FileIo;
  /**
   * Writes run one after another even if the pipeline starts several: a
   * roll-back to a noted size is only right when nothing was appended after
   * the failed write's bytes.
   */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: WriterPoolOptions) {
    this.io = options.io ?? fileIo.current;
    const period = Math.max(250, Math.min(options.fsyncIntervalMs || 1000, options.idleCloseMs || 1000));
    this.timer = setInterval(() => void this.housekeeping(), period);
    this.timer.unref();
  }

  /**
   * Writes a batch's chunks (one per file). Resolves once every chunk is
   * written (and fsynced with fsyncEachWrite). On failure every file this call
   * touched is back at its previous size, so the caller may retry the same
   * chunks: all-or-nothing per call rather than skipping chunks already written
   * on the retry, because the sink is handed no batch identity to remember
   * them by.
   */
  write(chunks: readonly FileChunk[]): Promise<void> {
    const run = this.queue.then(() => (this.options.overwrite ? this.overwriteAll(chunks) : this.appendAll(chunks)));
    this.queue = run.catch(() => {});
    return run;
  }

  /** Paths of the files held open (stale-file cleanup closes idle ones). */
  get openPaths(): string[] {
    return [...this.files.keys()];
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.queue;
    for (const path of [...this.files.keys()]) await this.closeFile(path);
  }

  private async appendAll(chunks: readonly FileChunk[]): Promise<void> {
    const touched: Array<{ file: OpenFile; size: number }> = [];
    try {
      for (const chunk of chunks) {
        if (chunk.bytes.length === 0) continue;
        const entry = { file: await this.get(chunk.path), size: -1 };
        touched.push(entry);
        entry.size = this.io.size(entry.file.handle.fd);
        const file = entry.file;
        // A synchronous write(2) to a regular file only copies into the page cache:
        // cheaper than a thread-pool round trip per batch (measured), and a full
        // page cache then slows the event loop, which is the backpressure we want.
        this.writeFully(file.handle.fd, chunk.bytes);
        file.lastWrite = Date.now();
        file.dirty = true;
      }
      if (this.options.fsyncEachWrite) {
        for (const { file } of touched) {
          await this.io.sync(file.handle.fd);
          file.dirty = false;
        }
      }
    } catch (err) {
      // Newest first: if one file appears twice, it ends at the size noted first.
      for (const { file, size } of touched.reverse()) if (size >= 0) this.truncate(file.handle.fd, file.path, size, err);
      throw err;
    } finally {
      for (const { file } of touched) file.users--;
    }
  }

  /**
   * write_behavior => overwrite: each chunk replaces its file's content, in
   * place (same inode, mode and owner, as Logstash does). The old content is
   * gone once the file is opened, so there is nothing to roll back to: a file
   * whose write fails is truncated to empty rather than left with a cut-off
   * line, and the retry writes the whole content again. Chunks of other files
   * written before the failure are simply rewritten by the retry: replacing is
   * idempotent.
   */
  private async overwriteAll(chunks: readonly FileChunk[]): Promise<void> {
    for (const chunk of chunks) {
      if (chunk.bytes.length === 0) continue;
      const handle = await this.openFile(chunk.path, 'w');
      try {
        this.writeFully(handle.fd, chunk.bytes);
        if (this.options.fsyncEachWrite) await this.io.sync(handle.fd);
      } catch (err) {
        this.truncate(handle.fd, chunk.path, 0, err);
        throw err;
      } finally {
        await handle.close();
      }
    }
  }

  private writeFully(fd: number, bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) offset += this.io.write(fd, bytes, offset, bytes.length - offset);
  }

  private truncate(fd: number, path: string, size: number, cause: unknown): void {
    try {
      this.io.truncate(fd, size);
    } catch (err) {
      // Nothing more can be done here; say so loudly, since the retry will now duplicate lines.
      this.options.logger.error('could not roll back a failed write; the retry may duplicate or cut lines', { path, size, error: err, cause });
    }
  }

  /** The open file for `path`, counted as in use until the caller decrements `users`. */
  private async get(path: string): Promise<OpenFile> {
    let file = this.files.get(path);
    const now = Date.now();
    if (file && file.users === 0 && this.options.createIfDeleted && now - file.lastExistsCheck > EXISTS_CHECK_MS) {
      file.lastExistsCheck = now;
      const exists = await stat(path).then(() => true, () => false);
      if (!exists) {
        this.options.logger.warn('file was deleted while open; re-creating it', { path });
        await this.closeFile(path);
        file = undefined;
      }
    }
    if (!file) {
      file = { path, handle: await this.openFile(path, 'a'), dirty: false, lastWrite: now, lastExistsCheck: now, users: 0 };
      this.files.set(path, file);
    }
    file.lastWrite = now;
    // Counted before any await can let housekeeping see the file idle; the caller releases it.
    file.users++;
    return file;
  }

  private async openFile(path: string, flags: string): Promise<FileHandle> {
    const dirMode = this.options.dirMode >= 0 ? this.options.dirMode : undefined;
    await mkdir(dirname(path), { recursive: true, ...(dirMode !== undefined ? { mode: dirMode } : {}) });
    return this.options.fileMode >= 0 ? open(path, flags, this.options.fileMode) : open(path, flags);
  }

  private async closeFile(path: string): Promise<void> {
    const file = this.files.get(path);
    if (!file) return;
    this.files.delete(path);
    try {
      if (file.dirty) await this.io.sync(file.handle.fd);
    } finally {
      await file.handle.close();
    }
  }

  private async housekeeping(): Promise<void> {
    const now = Date.now();
    for (const [path, file] of [...this.files]) {
      if (file.users > 0) continue;
      try {
        if (now - file.lastWrite > this.options.idleCloseMs) await this.closeFile(path);
        else if (file.dirty) {
          file.dirty = false;
          await this.io.sync(file.handle.fd);
        }
      } catch (err) {
        this.options.logger.warn('file housekeeping failed', { path, error: err });
      }
    }
  }
}
