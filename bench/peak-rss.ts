/** Peak RSS of a child process: samples /proc/<pid>/status VmHWM every 20 ms until stopped. */
import { readFileSync } from 'node:fs';

export function peakRssSampler(pid: number | undefined): { stop(): number } {
  let peakKb = 0;
  const timer = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      /* already gone */
    }
  }, 20);
  return {
    /** Stops sampling; the peak in MB. */
    stop() {
      clearInterval(timer);
      return peakKb / 1024;
    },
  };
}
