/**
 * The tap hook's cost with no tap attached: the same WorkerCore with and without the hook
 * compiled in, over the access log, in 15 alternating rounds inside one child process (so both
 * see the same load); the fastest round of each is reported, the build without the hook as the
 * baseline. Peak RSS is the child's (both cores together).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scenario } from './scenarios.js';

export const tapScenario: Scenario = {
  name: 'tap',
  async run(t) {
    const log = await t.accessLog(t.lines);
    const size = statSync(log).size;
    const dir = mkdtempSync(join(tmpdir(), 'logpipe-bench-tap-'));
    try {
      const out = join(dir, 'best.json');
      const m = await t.measure([join(t.root, 'dist', 'bench', 'tap-child.js'), join(t.root, 'bench', 'configs', 'tap.conf'), log, out, '15']);
      const best = m.code === 0 ? (JSON.parse(readFileSync(out, 'utf8')) as { none: number; hook: number }) : { none: NaN, hook: NaN };
      const title = 'tap hook: 8 mutate steps';
      const baseline = { ...m, seconds: best.none };
      t.printRow({ scenario: title, variant: 'without hook (baseline)', events: t.lines, bytes: size, m: baseline });
      t.printRow({ scenario: title, variant: 'hook, no tap attached', events: t.lines, bytes: size, m: { ...m, seconds: best.hook }, baseline });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
