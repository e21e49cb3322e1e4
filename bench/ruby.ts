/**
 * The ruby filter (its fast path, and the interpreter) beside the same logic in the js filter (and the aggregate filter's cost per event, with its code in Ruby and in JavaScript), on generator events with one worker:
 * events/s, peak RSS, and startup (a one-event run, twice: the first run of a process also
 * reads the interpreter from disk). Baseline: the same pipeline without a filter.
 */
import type { Scenario } from './scenarios.js';

const SNIPPETS = {
  // Within the translated subset: runs as JavaScript (fast path).
  ruby: `ruby { code => "n = event.get('sequence')\nevent.set('double', n * 2)\nevent.set('upper', event.get('message').upcase)" }`,
  // The same logic with an init (outside the subset): runs on the embedded CRuby.
  'ruby interpreter': `ruby { init => "@factor = 2" code => "n = event.get('sequence')\nevent.set('double', n * @factor)\nevent.set('upper', event.get('message').upcase)" }`,
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
    // Interleaved rounds, best of each (the machine is shared: one round is noise).
    const rounds = Number(process.env['BENCH_RUBY_ROUNDS'] ?? 3);
    const run = (filter: string, n: number) => t.measure([t.logpipe, 'run', '-e', config(n, filter), '-w', '1', '--log.level', 'warn']);
    // BENCH_RUBY_ONLY=ruby,js: some variants only (the interpreter's runs are long on a busy machine).
    const only = process.env['BENCH_RUBY_ONLY']?.split(',');
    const snippets = Object.entries(SNIPPETS).filter(([name]) => only === undefined || only.includes(name));
    const variants: Array<[string, string]> = [['baseline', ''], ...snippets];
    const best = new Map<string, Awaited<ReturnType<typeof run>>>();
    for (let r = 0; r < rounds; r++) {
      for (const [name, filter] of variants) {
        const m = await run(filter, count);
        const old = best.get(name);
        if (old === undefined || m.seconds < old.seconds) best.set(name, m);
      }
    }
    const baseline = best.get('baseline')!;
    t.printRow({ scenario: 'generator → 3-line snippet', variant: `baseline (no filter), best of ${rounds}`, events: count, bytes: 0, m: baseline });
    for (const [name] of snippets) {
      t.printRow({ scenario: 'generator → 3-line snippet', variant: `${name} -w 1`, events: count, bytes: 0, m: best.get(name)!, baseline });
    }
    // Startup: the first one-event run of each (the interpreter read from disk), then the best of
    // the later rounds, interleaved with a run without filter.
    let empty: Awaited<ReturnType<typeof run>> | undefined;
    const first = new Map<string, Awaited<ReturnType<typeof run>>>();
    const again = new Map<string, Awaited<ReturnType<typeof run>>>();
    for (let r = 0; r <= rounds; r++) {
      const e = await run('', 1);
      if (empty === undefined || e.seconds < empty.seconds) empty = e;
      for (const [name, filter] of snippets) {
        const m = await run(filter, 1);
        const old = again.get(name);
        if (r === 0) first.set(name, m);
        else if (old === undefined || m.seconds < old.seconds || old.code !== 0) again.set(name, m);
      }
    }
    for (const [name] of snippets) {
      const f = first.get(name)!;
      const a = again.get(name) ?? f;
      const failed = f.code !== 0 || a.code !== 0 ? `  [exit ${f.code}/${a.code}]` : '';
      console.log(`${'startup (1 event)'.padEnd(28)} ${name.padEnd(22)} first ${f.seconds.toFixed(2)} s, again ${a.seconds.toFixed(2)} s (no filter: ${empty!.seconds.toFixed(2)} s, best of ${rounds + 1})  peak RSS ${a.peakRssMb.toFixed(0)} MB${failed}`);
    }
  },
};
