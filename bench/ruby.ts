/**
 * The ruby filter beside the same logic in the js filter (and the aggregate filter's cost per event, with its code in Ruby and in JavaScript), on generator events with one worker:
 * events/s, peak RSS, and startup (a one-event run, twice: the first run of a process also
 * reads the interpreter from disk). Baseline: the same pipeline without a filter.
 */
import type { Scenario } from './scenarios.js';

const SNIPPETS = {
  ruby: `ruby { code => "n = event.get('sequence')\nevent.set('double', n * 2)\nevent.set('upper', event.get('message').upcase)" }`,
  // One task (every event has the same message): the map's cost per event, as the docs' SQL example.
  aggregate: `aggregate { task_id => "%{message}" code => "map['n'] = (map['n'] || 0) + 1\nevent.set('n', map['n'])" }`,
  'aggregate (javascript)': `aggregate { task_id => "%{message}" code_language => "javascript" code => "map.n = (map.n || 0) + 1;\nevent.set('n', map.n);" }`,
  js: `js { code => "const n = event.get('sequence');\nevent.set('double', n * 2);\nevent.set('upper', event.get('message').toUpperCase());" }`,
};

const config = (count: number, filter: string): string =>
  `input { generator { count => ${count} message => "GET /index.html 200 a user agent string" } } filter { ${filter} } output { null {} }`;

export const rubyScenario: Scenario = {
  name: 'ruby',
  async run(t) {
    const count = Number(process.env['BENCH_RUBY_EVENTS'] ?? 200_000);
    const run = (filter: string, n: number) => t.measure([t.logpipe, 'run', '-e', config(n, filter), '-w', '1', '--log.level', 'warn']);
    const baseline = await run('', count);
    t.printRow({ scenario: 'generator → 3-line snippet', variant: 'baseline (no filter)', events: count, bytes: 0, m: baseline });
    for (const [name, filter] of Object.entries(SNIPPETS)) {
      const m = await run(filter, count);
      t.printRow({ scenario: 'generator → 3-line snippet', variant: `${name} -w 1`, events: count, bytes: 0, m, baseline });
    }
    const empty = await run('', 1);
    for (const [name, filter] of Object.entries(SNIPPETS)) {
      const first = await run(filter, 1);
      const second = await run(filter, 1);
      console.log(`${'startup (1 event)'.padEnd(28)} ${name.padEnd(22)} first ${first.seconds.toFixed(2)} s, again ${second.seconds.toFixed(2)} s (no filter: ${empty.seconds.toFixed(2)} s)  peak RSS ${second.peakRssMb.toFixed(0)} MB${second.code === 0 ? '' : `  [exit ${second.code}]`}`);
    }
  },
};
