/**
 * Filebeat's rotating file (7.x naming): events go to `<dir>/<name>`; before a write would take it
 * past `maxBytes`, `<name>.N-2` … `<name>.1` move up one, `<name>` becomes `<name>.1` and a new
 * `<name>` is started, keeping `keep` files in all (the oldest is deleted). `rotateOnStartup`
 * rotates a non-empty file left by an earlier run before the first write.
 */
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface RotationSettings {
  dir: string;
  name: string;
  maxBytes: number;
  /** number_of_files (at least 2): the current file and keep-1 rotated ones. */
  keep: number;
  mode: number;
  rotateOnStartup: boolean;
}

export class RotatingFile {
  private fd: number | undefined;
  private size = 0;
  private readonly path: string;

  constructor(private readonly s: RotationSettings) {
    this.path = join(s.dir, s.name);
  }

  /** Appends each record whole; a record never spans two files. Synchronous: a write(2) to the page cache. */
  write(records: readonly Uint8Array[]): void {
    if (this.fd === undefined) this.open(this.s.rotateOnStartup);
    for (const r of records) {
      if (this.size > 0 && this.size + r.length > this.s.maxBytes) {
        this.rotate();
        this.open(false);
      }
      let at = 0;
      while (at < r.length) at += writeSync(this.fd!, r, at, r.length - at);
      this.size += r.length;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(rotateExisting: boolean): void {
    mkdirSync(this.s.dir, { recursive: true });
    this.fd = openSync(this.path, 'a', this.s.mode);
    this.size = fstatSync(this.fd).size;
    if (rotateExisting && this.size > 0) {
      this.rotate();
      this.fd = openSync(this.path, 'a', this.s.mode);
      this.size = 0;
    }
  }

  private rotate(): void {
    this.close();
    const rotated = (n: number): string => `${this.path}.${n}`;
    rmSync(rotated(this.s.keep - 1), { force: true });
    for (let n = this.s.keep - 2; n >= 1; n--) {
      try {
        renameSync(rotated(n), rotated(n + 1));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    renameSync(this.path, rotated(1));
  }
}
