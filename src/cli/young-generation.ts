/**
 * The agent's young generation: V8's new space may grow to 4 MiB semi-spaces instead of 16 MiB
 * ones (~24 MB less RSS once busy). V8 sizes the heap before any JavaScript runs, so
 * `--max-semi-space-size` set at run time never applies; the growth factor is read each time the
 * new space would grow, so it is set here after every garbage collection: 2 (V8's default) below
 * the cap, 1 at it. Semi-space sizes are powers of two from 1 MiB, so growth lands on the cap.
 * Why 4 and not 1 MiB: scavenges cost ~2 ms each whatever the size, and at 1 MiB the per-event
 * path runs 17× as many of them as at 16 MiB (docs/decisions/0026, "Footprint, session 7").
 * A semi-space flag given to node is left to rule: that is how to trade memory back for CPU.
 * Limit: the observer hears of a collection two check phases after it, so work that grows the
 * new space twice within that time (keeping more than the whole new space alive in between) can
 * take it one step past the cap; the agent's turns between two check phases are far smaller.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

export const AGENT_SEMI_SPACE_MIB = 4;

const SEMI_SPACE_FLAG = /^--(?:(?:max|min)[-_]semi[-_]space[-_]size|semi[-_]space[-_]growth[-_]factor)(?:=|$)/;

/** Holds the new space (two semi-spaces) at most 2 × `semiSpaceMiB` MiB for the rest of the process. */
export function capYoungGeneration(semiSpaceMiB = AGENT_SEMI_SPACE_MIB): void {
  const given = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)];
  if (given.some((arg) => SEMI_SPACE_FLAG.test(arg))) return;
  const capBytes = 2 * semiSpaceMiB * 1024 * 1024;
  let growing: boolean | undefined;
  const steer = (): void => {
    const grow = newSpaceBytes() < capBytes;
    if (grow === growing) return;
    setFlagsFromString(grow ? '--semi-space-growth-factor=2' : '--semi-space-growth-factor=1');
    growing = grow;
  };
  steer();
  // After a shrink (an idle agent), growing is allowed again up to the cap.
  new PerformanceObserver(steer).observe({ entryTypes: ['gc'] });
}

function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}
