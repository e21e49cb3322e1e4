/**
 * The tap hook's cost with no tap attached: the same WorkerCore with and without the hook
 * compiled in, over the access log, alternating five runs each; the fastest of each is
 * reported, the build without the hook as the baseline. Times are the filtering loop's own
 * (tap-child.ts), peak RSS the child process's.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Measurement } from './run.js';
import type { Scenario } from './scenarios.js';

export const tapScenario: Scenario = {
  name: 'tap',
  async run(t) {
    const log = await t.accessLog(t.lines);
    const size = statSync(log).size;
    const child = join(t.root, 'dist', 'bench', 'tap-child.js');
    const config = join(t.root, 'bench', 'configs', 'tap.conf');
    const dir = mkdtempSync(join(tmpdir(), 'logpipe-bench-tap-'));
    const best: Record<string, Measurement | undefined> = {};
    try {
      for (let round = 0; round < 5; round++) {
        for (const variant of ['none', 'hook']) {
          const out = join(dir, `${variant}.json`);
          const m = await t.measure([child, variant, config, log, out]);
          if (m.code === 0) m.seconds = (JSON.parse(readFileSync(out, 'utf8')) as { seconds: number }).seconds;
          if (!best[variant] || m.code !== 0 || m.seconds < best[variant]!.seconds) best[variant] = m;
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const title = 'tap hook: 8 mutate steps';
    t.printRow({ scenario: title, variant: 'without hook (baseline)', events: t.lines, bytes: size, m: best['none']! });
    t.printRow({ scenario: title, variant: 'hook, no tap attached', events: t.lines, bytes: size, m: best['hook']!, baseline: best['none']! });
  },
};
