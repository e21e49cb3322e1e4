/** Further benchmark scenarios (processing filters), registered by name. */
import type { Measurement, Row } from './run.js';

export interface ScenarioTools {
  lines: number;
  measure(args: string[], opts?: { stdinFile?: string; env?: Record<string, string> }): Promise<Measurement>;
  printRow(row: Row): void;
  root: string;
  logpipe: string;
  accessLog(lines: number): Promise<string>;
}

export interface Scenario {
  name: string;
  run(tools: ScenarioTools): Promise<void>;
}

export const SCENARIOS_EXTRA: Scenario[] = [];
