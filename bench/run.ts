/**
 * `npm run bench`: throughput and memory per scenario, each beside a baseline
 * measured in the same run on the same data. Every figure comes from a child
 * process (wall time, peak RSS from /proc/<pid>/status VmHWM).
 *
 *   BENCH_LINES=1000000 (default) — size of the access log
 *   BENCH_ONLY=generator,file,apache,regex,mariadb,postgres,http,elasticsearch — run some scenarios only
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync, rmSync, statSync, closeSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accessLog } from './data.js';
import { SCENARIOS_EXTRA } from './scenarios.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LOGPIPE = join(ROOT, 'bin', 'logpipe.js');
const BASELINES = join(ROOT, 'dist', 'bench', 'baselines');

export interface Measurement {
  seconds: number;
  peakRssMb: number;
  code: number;
  stderr: string;
}

/** Runs a command, stdin optionally from a file; samples peak RSS until it exits. */
export function measure(args: string[], opts: { stdinFile?: string; env?: Record<string, string>; onSpawn?: (child: ChildProcess) => void; command?: string } = {}): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const stdinFd = opts.stdinFile ? openSync(opts.stdinFile, 'r') : 'ignore';
    const start = process.hrtime.bigint();
    // `command`: another program than node (a Java tool the bench compares against).
    const child = spawn(opts.command ?? process.execPath, args, { stdio: [stdinFd, 'ignore', 'pipe'], env: { ...process.env, ...opts.env } });
    opts.onSpawn?.(child);
    let stderr = '';
    let peakKb = 0;
    const sample = (): void => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        /* process already gone */
      }
    };
    const timer = setInterval(sample, 20);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.length > 100_000) stderr = stderr.slice(-50_000);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (typeof stdinFd === 'number') closeSync(stdinFd);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      resolve({ seconds, peakRssMb: peakKb / 1024, code: code ?? -1, stderr });
    });
  });
}

export interface Row {
  scenario: string;
  variant: string;
  events: number;
  bytes: number;
  m: Measurement;
  baseline?: Measurement;
}

export function printRow(r: Row): void {
  const eps = r.events / r.m.seconds;
  const mbs = r.bytes / 1048576 / r.m.seconds;
  const ratio = r.baseline ? ` | ${(r.baseline.seconds / r.m.seconds * 100).toFixed(0).padStart(4)}% of baseline` : '';
  const status = r.m.code === 0 ? '' : `  [exit ${r.m.code}: ${r.m.stderr.trim().split('\n').slice(-3).join(' / ')}]`;
  console.log(
    `${r.scenario.padEnd(28)} ${r.variant.padEnd(22)} ${Math.round(eps).toLocaleString('en').padStart(11)} ev/s ${mbs.toFixed(1).padStart(7)} MB/s  peak RSS ${r.m.peakRssMb.toFixed(0).padStart(5)} MB${ratio}${status}`,
  );
}

async function generatorScenario(): Promise<void> {
  const count = 3_000_000;
  const baseline = await measure([join(BASELINES, 'generate.js'), String(count)]);
  printRow({ scenario: 'generator → null', variant: 'baseline (string loop)', events: count, bytes: 0, m: baseline });
  for (const workers of [1, 2]) {
    const config = `input { generator { count => ${count} } } output { null {} }`;
    const m = await measure([LOGPIPE, 'run', '-e', config, '-w', String(workers), '--log.level', 'warn']);
    printRow({ scenario: 'generator → null', variant: `logpipe -w ${workers}`, events: count, bytes: 0, m, baseline });
  }
}

async function fileScenario(lines: number): Promise<void> {
  const log = await accessLog(lines);
  const size = statSync(log).size;
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-bench-'));
  try {
    const baseline = await measure([join(BASELINES, 'read-split-write.js'), join(dir, 'baseline.out')], { stdinFile: log });
    printRow({ scenario: 'stdin → mutate → file', variant: 'baseline (split+write)', events: lines, bytes: size, m: baseline });
    for (const workers of [1, 2]) {
      const out = join(dir, `out-${workers}.json`);
      const m = await measure([LOGPIPE, 'run', '-f', join(ROOT, 'bench', 'configs', 'access-mutate-file.conf'), '-w', String(workers), '--log.level', 'warn'],
        { stdinFile: log, env: { OUT: out } });
      const written = statSync(out, { throwIfNoEntry: false })?.size ?? 0;
      if (written === 0) m.code = m.code || 99;
      printRow({ scenario: 'stdin → mutate → file', variant: `logpipe -w ${workers}`, events: lines, bytes: size, m, baseline });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const lines = Number(process.env['BENCH_LINES'] ?? 1_000_000);
const only = process.env['BENCH_ONLY']?.split(',');
const want = (name: string): boolean => !only || only.includes(name);
console.log(`logpipe benchmarks — node ${process.version}, ${lines.toLocaleString('en')} access-log lines; ratios = baseline time / logpipe time`);
if (want('generator')) await generatorScenario();
if (want('file')) await fileScenario(lines);
for (const s of SCENARIOS_EXTRA) if (want(s.name)) await s.run({ lines, measure, printRow, root: ROOT, logpipe: LOGPIPE, baseline: join(BASELINES, 'read-split-write.js'), accessLog });
