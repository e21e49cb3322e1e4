/** Further benchmark scenarios (processing filters), registered by name. */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Measurement, Row } from './run.js';
import { kafkaScenario } from './kafka.js';
import { rabbitmqScenario } from './rabbitmq.js';
import { SQL_SCENARIOS } from './sql.js';
import { redisScenario } from './redis.js';
import { beatsScenario } from './beats.js';
import { agentScenario } from './agent.js';
import { tapScenario } from './tap.js';
import { tcpScenario, udpScenario } from './net.js';
import { syslogScenario } from './syslog.js';
import { httpScenario } from './http.js';
import { rubyScenario } from './ruby.js';
import { elasticsearchScenario } from './elasticsearch.js';
import { lookupsScenario } from './lookups.js';

export interface ScenarioTools {
  lines: number;
  measure(args: string[], opts?: Parameters<typeof import('./run.js').measure>[1]): Promise<Measurement>;
  printRow(row: Row): void;
  root: string;
  logpipe: string;
  baseline: string;
  accessLog(lines: number): Promise<string>;
}

export interface Scenario {
  name: string;
  run(tools: ScenarioTools): Promise<void>;
}

/** Runs a config over the access log with each worker count, beside the plain-read baseline. */
function configScenario(name: string, title: string, config: string, workerCounts: number[]): Scenario {
  return {
    name,
    async run(t) {
      const log = await t.accessLog(t.lines);
      const size = statSync(log).size;
      const dir = mkdtempSync(join(tmpdir(), `logpipe-bench-${name}-`));
      try {
        const baseline = await t.measure([t.baseline, join(dir, 'baseline.out')], { stdinFile: log });
        t.printRow({ scenario: title, variant: 'baseline (split+write)', events: t.lines, bytes: size, m: baseline });
        for (const workers of workerCounts) {
          const out = join(dir, `out-${workers}.json`);
          const m = await t.measure([t.logpipe, 'run', '-f', join(t.root, 'bench', 'configs', config), '-w', String(workers), '--log.level', 'warn'],
            { stdinFile: log, env: { OUT: out } });
          if ((statSync(out, { throwIfNoEntry: false })?.size ?? 0) === 0) m.code = m.code || 99;
          t.printRow({ scenario: title, variant: `logpipe -w ${workers}`, events: t.lines, bytes: size, m, baseline });
          rmSync(out, { force: true });
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export const SCENARIOS_EXTRA: Scenario[] = [
  configScenario('apache', 'grok+date+mutate+fp+geoip', 'apache-full.conf', [1, 2]),
  configScenario('regex', 'grok 11 fields → json', 'apache-grok.conf', [2]),
  rabbitmqScenario,
  kafkaScenario,
  ...SQL_SCENARIOS,
  redisScenario,
  beatsScenario,
  agentScenario,
  tapScenario,
  tcpScenario,
  udpScenario,
  syslogScenario,
  httpScenario,
  rubyScenario,
  elasticsearchScenario,
  lookupsScenario,
];
