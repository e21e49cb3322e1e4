/**
 * `logpipe test`: pipeline unit tests with no server, running logstash-filter-verifier suites
 * unchanged (both its command-line shapes) and logpipe's concise YAML form, through the real
 * compiler and filters (src/testing/).
 */
import { watch, writeFileSync, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createLogger } from '../core/logger.js';
import { loadConfigSources } from '../config/logstash/sources.js';
import { defaultSettings } from '../pipeline/settings.js';
import { isTestCaseFile, loadTestSuite, type TestSuite } from '../testing/cases.js';
import { freezeClock, parseNow } from '../testing/clock.js';
import { readPipelinesYml, readPluginMocks, type PipelineUnderTest } from '../testing/project.js';
import { ansi, junitReport, plain, textReport } from '../testing/report.js';
import { runSuite, type CaseResult, type RunOptions } from '../testing/runner.js';
import { parseCommandLine, UsageError } from './options.js';

export const TEST_HELP = `Usage: logpipe test TESTCASES [CONFIG]                       (LFV standalone shape)
       logpipe test --pipeline pipelines.yml [--pipeline-base DIR] --testcase-dir DIR
       logpipe test --logstash-config PATH --testcase-dir DIR         (LFV daemon shape)

Runs pipeline unit tests with no server: logstash-filter-verifier test-case files (JSON or
YAML) and logpipe's concise YAML form, through the real compiler and filters. TESTCASES is a
file or a directory (every .json/.yaml/.yml in it, recursively); CONFIG is a file, directory
or glob, as for -f (optional when the test files name their "pipeline"). Prints a line per
test case and the field-by-field differences of each failure; exits 1 when one failed.

      --pipeline FILE         pipelines.yml of the pipelines under test (daemon shape)
      --pipeline-base DIR     Directory the relative paths in pipelines.yml start from
      --logstash-config PATH  One pipeline's configuration instead of a pipelines.yml
      --testcase-dir DIR      Where the test-case files are (daemon shape)
      --plugin-mock FILE      LFV plugin mocks: a YAML list of { id, mock } replacing plugins
      --add-missing-id        Daemon shape: generate the ids plugins lack instead of refusing
      --metadata-key KEY      Key @metadata is exported under (default __metadata standalone,
                              @metadata daemon / concise, where export_metadata asks for it)
      --now TIME              Freeze the clock at TIME (ISO-8601 or epoch ms); default: the
                              start of the run. Events without a date get it as @timestamp.
      --timezone ZONE         The local time zone dates without one are read in (default UTC,
                              as LFV)
      --junit FILE            Also write a JUnit XML report
      --watch                 Run again whenever a test file or the configuration changes
      --color / --no-color    Colour the output (default: when stdout is a terminal)
      --pipeline.ecs_compatibility MODE   disabled (default), v1 or v8`;

const FLAGS = {
  pipeline: { type: 'string' },
  'pipeline-base': { type: 'string' },
  'logstash-config': { type: 'string' },
  'testcase-dir': { type: 'string' },
  'plugin-mock': { type: 'string' },
  'add-missing-id': { type: 'boolean' },
  'metadata-key': { type: 'string' },
  now: { type: 'string' },
  timezone: { type: 'string' },
  junit: { type: 'string' },
  watch: { type: 'boolean' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  'pipeline.ecs_compatibility': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface Plan {
  testFiles: string[];
  /** Files and directories whose changes re-run the tests in --watch. */
  watched: string[];
  options: () => Promise<RunOptions>;
}

export async function testCommand(argv: string[]): Promise<number> {
  // LFV's own sub-commands, so existing scripts keep working: `standalone …`, `daemon run …`.
  const args = argv[0] === 'standalone' ? argv.slice(1) : argv[0] === 'daemon' && argv[1] === 'run' ? argv.slice(2) : argv;
  const parsed = parseCommandLine({ args, options: FLAGS, allowPositionals: true, strict: true });
  const { values: flags, positionals } = parsed;
  if (flags.help) {
    process.stdout.write(TEST_HELP + '\n');
    return 0;
  }
  process.env['TZ'] = flags.timezone ?? 'UTC';
  let now: number | undefined;
  try {
    now = flags.now === undefined ? undefined : parseNow(flags.now);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const plan = await planFrom(flags, positionals);
  const color = flags['no-color'] ? false : flags.color ?? process.stdout.isTTY === true;
  const once = async (): Promise<number> => {
    const results = await runAll(plan, now);
    process.stdout.write(textReport(results, color ? ansi : plain));
    if (flags.junit) writeFileSync(flags.junit, junitReport(results));
    return results.length > 0 && results.every((r) => r.passed) ? 0 : 1;
  };
  if (!flags.watch) return once();
  return watchLoop(plan, once);
}

async function planFrom(flags: Record<string, string | boolean | undefined>, positionals: string[]): Promise<Plan> {
  const str = (k: string): string | undefined => flags[k] as string | undefined;
  const daemon = str('pipeline') !== undefined || str('logstash-config') !== undefined || str('testcase-dir') !== undefined;
  const mocksFile = str('plugin-mock');
  const settings = defaultSettings();
  const ecs = str('pipeline.ecs_compatibility');
  if (ecs !== undefined) {
    if (ecs !== 'disabled' && ecs !== 'v1' && ecs !== 'v8') throw new UsageError('--pipeline.ecs_compatibility must be disabled, v1 or v8');
    settings.ecs = ecs;
  }
  settings.workers = 1;
  settings.logLevel = 'error';
  const common = {
    mocks: mocksFile ? readPluginMocks(mocksFile) : [],
    addMissingId: flags['add-missing-id'] === true,
    metadataKey: str('metadata-key'),
    settings,
    logger: createLogger('error', 'test'),
  };
  if (daemon) {
    if (positionals.length > 0) throw new UsageError(`the daemon shape takes no positional arguments (got ${positionals.join(' ')})`);
    const dir = str('testcase-dir');
    if (!dir) throw new UsageError('--testcase-dir DIR is required with --pipeline / --logstash-config');
    const pipelinesYml = str('pipeline');
    const config = str('logstash-config');
    if ((pipelinesYml === undefined) === (config === undefined)) throw new UsageError('give either --pipeline pipelines.yml or --logstash-config PATH');
    const base = str('pipeline-base');
    const loadPipelines = async (): Promise<PipelineUnderTest[]> =>
      pipelinesYml ? readPipelinesYml(pipelinesYml, base ?? dirname(resolve(pipelinesYml))) : [{ id: 'main', sources: await loadConfigSources(config!) }];
    return {
      testFiles: await findTestFiles(dir),
      watched: [dir, ...(pipelinesYml ? [pipelinesYml, base ?? dirname(resolve(pipelinesYml))] : [config!]), ...(mocksFile ? [mocksFile] : [])],
      options: async () => ({ mode: 'daemon', pipelines: await loadPipelines(), ...common }),
    };
  }
  const [tests, config, ...extra] = positionals;
  if (!tests) throw new UsageError('give the test cases: logpipe test TESTCASES [CONFIG] (see logpipe test --help)');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  return {
    testFiles: await findTestFiles(tests),
    watched: [tests, ...(config ? [config] : []), ...(mocksFile ? [mocksFile] : [])],
    options: async () => ({ mode: 'standalone', pipelines: config ? [{ id: 'main', sources: await loadConfigSources(config) }] : [], ...common }),
  };
}

async function findTestFiles(path: string): Promise<string[]> {
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new UsageError(`no test-case file or directory at "${path}"`);
  }
  if (st.isFile()) return [resolve(path)];
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (isTestCaseFile(entry.name)) out.push(resolve(full));
    }
  };
  await walk(path);
  if (out.length === 0) throw new UsageError(`no .json, .yaml or .yml test-case files under "${path}"`);
  return out;
}

async function runAll(plan: Plan, now: number | undefined): Promise<CaseResult[]> {
  const thaw = freezeClock(now ?? Date.now());
  try {
    const options = await plan.options();
    const results: CaseResult[] = [];
    for (const file of plan.testFiles) {
      let suite: TestSuite;
      try {
        suite = loadTestSuite(file);
      } catch (err) {
        results.push({ suite: file, name: '(test file)', passed: false, problem: (err as Error).message, mismatches: [], expected: [], actual: [], durationMs: 0 });
        continue;
      }
      if (suite.pipeline === undefined && options.pipelines.length === 0) {
        results.push({ suite: file, name: '(test file)', passed: false, problem: 'no configuration to test: give CONFIG, or "pipeline:" in the test file', mismatches: [], expected: [], actual: [], durationMs: 0 });
        continue;
      }
      results.push(...(await runSuite(suite, options)));
    }
    return results;
  } catch (err) {
    return [{ suite: plan.testFiles[0] ?? '', name: '(configuration)', passed: false, problem: (err as Error).message, mismatches: [], expected: [], actual: [], durationMs: 0 }];
  } finally {
    thaw();
  }
}

/** Runs, then runs again after each change (debounced) until interrupted. */
async function watchLoop(plan: Plan, once: () => Promise<number>): Promise<number> {
  let status = await once();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const watchers: FSWatcher[] = [];
  const rerun = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(async () => {
        process.stdout.write('\n--- change detected, running again ---\n');
        status = await once();
      });
    }, 150);
  };
  for (const path of new Set(plan.watched)) {
    try {
      watchers.push(watch(path, { recursive: (await stat(path)).isDirectory() }, rerun));
    } catch (err) {
      process.stderr.write(`logpipe test: cannot watch ${path}: ${(err as Error).message}\n`);
    }
  }
  process.stdout.write('watching for changes (Ctrl-C to stop)\n');
  await new Promise<void>((done) => {
    const stop = (): void => {
      for (const w of watchers) w.close();
      clearTimeout(timer);
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running;
  return status;
}
