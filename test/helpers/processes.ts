/** Child processes in integration tests. */
import type { ChildProcess } from 'node:child_process';

/** Resolves with the exit code (null after a signal) once `child` has exited — at once if it already has. */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
