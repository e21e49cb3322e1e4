/**
 * The standard pattern library, one module per Logstash pattern file, each with its legacy
 * (ecs_compatibility => disabled) and ecs-v1 (v1, v8) definitions.
 */
import type { EcsCompatibility } from '../../../api.js';
import { parsePatternText } from '../compiler.js';
import * as base from './grok-patterns.js';
import * as httpd from './httpd.js';
import * as java from './java.js';
import * as linuxSyslog from './linux-syslog.js';

interface PatternModule { legacy: string; ecsV1: string }

/** In load order; a later file's definition of a name wins. */
export const PATTERN_FILES: ReadonlyArray<readonly [string, PatternModule]> = [
  ['grok-patterns', base],
  ['httpd', httpd],
  ['java', java],
  ['linux-syslog', linuxSyslog],
];

const cache = new Map<string, ReadonlyMap<string, string>>();

export function standardPatterns(ecs: EcsCompatibility): ReadonlyMap<string, string> {
  const key = ecs === 'disabled' ? 'legacy' : 'ecsV1';
  let lib = cache.get(key);
  if (!lib) {
    const map = new Map<string, string>();
    for (const [, mod] of PATTERN_FILES) parsePatternText(mod[key], map);
    lib = map;
    cache.set(key, lib);
  }
  return lib;
}
