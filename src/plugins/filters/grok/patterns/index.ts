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
import * as aws from './aws.js';
import * as bacula from './bacula.js';
import * as bind from './bind.js';
import * as bro from './bro.js';
import * as exim from './exim.js';
import * as firewalls from './firewalls.js';
import * as haproxy from './haproxy.js';
import * as junos from './junos.js';
import * as maven from './maven.js';
import * as mcollective from './mcollective.js';
import * as mongodb from './mongodb.js';
import * as nagios from './nagios.js';
import * as postgresql from './postgresql.js';
import * as rails from './rails.js';
import * as redis from './redis.js';
import * as ruby from './ruby.js';
import * as squid from './squid.js';
import * as zeek from './zeek.js';

interface PatternModule { legacy: string; ecsV1: string }

/**
 * In load order; a later file's definition of a name wins. Logstash loads its pattern directory
 * sorted by file name; grok-patterns stays first here, which changes nothing since no name is
 * defined differently in two files. `zeek` has no legacy variant (empty there) and
 * `mcollective-patterns` no ecs-v1 one.
 */
export const PATTERN_FILES: ReadonlyArray<readonly [string, PatternModule]> = [
  ['grok-patterns', base],
  ['aws', aws],
  ['bacula', bacula],
  ['bind', bind],
  ['bro', bro],
  ['exim', exim],
  ['firewalls', firewalls],
  ['haproxy', haproxy],
  ['httpd', httpd],
  ['java', java],
  ['junos', junos],
  ['linux-syslog', linuxSyslog],
  ['maven', maven],
  ['mcollective', mcollective],
  ['mcollective-patterns', mcollective.patterns],
  ['mongodb', mongodb],
  ['nagios', nagios],
  ['postgresql', postgresql],
  ['rails', rails],
  ['redis', redis],
  ['ruby', ruby],
  ['squid', squid],
  ['zeek', zeek],
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
