/**
 * path.data belongs to one logpipe process at a time: two processes sharing it would both advance
 * the same registries and queues. The process that runs pipelines takes `path.data/.lock` (its pid,
 * created exclusively) and removes it when it exits; a lock whose process is gone is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';

export class DataDirLock {
  private released = false;

  private constructor(readonly dir: string, private readonly lockPath: string) {}

  /** Creates `dir` if needed and locks it; throws a ConfigError naming the process holding it. */
  static acquire(dir: string): DataDirLock {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw new ConfigError(`path.data ${dir} cannot be created: ${(err as Error).message}`, undefined, 'set --path.data to a writable directory');
    }
    const lockPath = join(dir, '.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(lockPath, 'wx');
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        return new DataDirLock(dir, lockPath);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST') {
          throw new ConfigError(`path.data ${dir} cannot be locked: ${(err as Error).message}`, undefined, 'set --path.data to a writable directory');
        }
        const holder = lockHolder(lockPath);
        if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
          throw new ConfigError(`path.data ${dir} is in use by another logpipe process (pid ${holder})`, undefined,
            'give each logpipe process its own --path.data');
        }
        rmSync(lockPath, { force: true }); // left by a process that is gone
      }
    }
    throw new ConfigError(`path.data ${dir} could not be locked`, undefined, 'give each logpipe process its own --path.data');
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    if (lockHolder(this.lockPath) === process.pid) rmSync(this.lockPath, { force: true });
  }
}

function lockHolder(lockPath: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
