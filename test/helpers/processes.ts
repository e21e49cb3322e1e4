/** Child processes in integration tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Resolves with the exit code (null after a signal) once `child` has exited — at once if it already has. */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'logpipe.js');

/** A `bin/logpipe.js` child; the last 4000 characters of its stderr are kept for failure messages. */
export interface LogpipeChild extends ChildProcess {
  readonly stderrTail: string;
}

/** The `logpipe` processes a test starts; `killAll` (in an `after` hook) leaves none behind. */
export class LogpipeProcesses {
  private readonly children = new Set<ChildProcess>();

  /** `onStderr` sees the kept tail after each chunk (to notice a log line). */
  start(args: string[], env: Record<string, string> = {}, onStderr?: (tail: string) => void): LogpipeChild {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
      onStderr?.(stderr);
    });
    child.on('exit', () => this.children.delete(child));
    Object.defineProperty(child, 'stderrTail', { get: () => stderr });
    this.children.add(child);
    return child as LogpipeChild;
  }

  killAll(): void {
    for (const c of this.children) c.kill('SIGKILL');
  }
}
