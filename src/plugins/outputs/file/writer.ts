/** Open-file cache for the file output: appends, periodic fsync, idle close, re-create if deleted. */
import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeSync } from 'node:fs';
import type { Logger } from '../../../core/logger.js';

export interface WriterPoolOptions {
  fsyncEachWrite: boolean;
  fsyncIntervalMs: number;
  createIfDeleted: boolean;
  dirMode: number;
  fileMode: number;
  overwrite: boolean;
  idleCloseMs: number;
  logger: Logger;
}

interface OpenFile {
  handle: FileHandle;
  dirty: boolean;
  lastWrite: number;
  lastExistsCheck: number;
}

/** How often an open file is checked for deletion (create_if_deleted). */
const EXISTS_CHECK_MS = 1000;

export class FileWriterPool {
  private readonly files = new Map<string, OpenFile>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: WriterPoolOptions) {
    const period = Math.max(250, Math.min(options.fsyncIntervalMs || 1000, options.idleCloseMs || 1000));
    this.timer = setInterval(() => void this.housekeeping(), period);
    this.timer.unref();
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    if (this.options.overwrite) {
      await this.closeFile(path);
      const handle = await this.openFile(path, 'w');
      try {
        await handle.writeFile(bytes);
        if (this.options.fsyncEachWrite) await handle.sync();
      } finally {
        await handle.close();
      }
      return;
    }
    const file = await this.get(path);
    // A synchronous write(2) to a regular file only copies into the page cache:
    // cheaper than a thread-pool round trip per batch (measured), and a full
    // page cache then slows the event loop, which is the backpressure we want.
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(file.handle.fd, bytes, offset, bytes.length - offset);
    file.lastWrite = Date.now();
    if (this.options.fsyncEachWrite) await file.handle.sync();
    else file.dirty = true;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const path of [...this.files.keys()]) await this.closeFile(path);
  }

  private async get(path: string): Promise<OpenFile> {
    let file = this.files.get(path);
    const now = Date.now();
    if (file && this.options.createIfDeleted && now - file.lastExistsCheck > EXISTS_CHECK_MS) {
      file.lastExistsCheck = now;
      const exists = await stat(path).then(() => true, () => false);
      if (!exists) {
        this.options.logger.warn('file was deleted while open; re-creating it', { path });
        await this.closeFile(path);
        file = undefined;
      }
    }
    if (!file) {
      file = { handle: await this.openFile(path, 'a'), dirty: false, lastWrite: now, lastExistsCheck: now };
      this.files.set(path, file);
    }
    file.lastWrite = now; // keeps housekeeping from closing it mid-write
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
      if (file.dirty) await file.handle.sync();
    } finally {
      await file.handle.close();
    }
  }

  private async housekeeping(): Promise<void> {
    const now = Date.now();
    for (const [path, file] of [...this.files]) {
      try {
        if (now - file.lastWrite > this.options.idleCloseMs) await this.closeFile(path);
        else if (file.dirty) {
          file.dirty = false;
          await file.handle.sync();
        }
      } catch (err) {
        this.options.logger.warn('file housekeeping failed', { path, error: err });
      }
    }
  }
}
