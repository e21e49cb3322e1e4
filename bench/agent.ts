/**
 * The agent benchmark — the classic *file → TCP* shape: `logpipe agent` reads 4 files of Apache
 * common-log lines from the start and ships them over the Beats protocol
 *   1. to a minimal receiver that counts and acknowledges windows without parsing them — with
 *      Filebeat's default compression_level 3, and again with compression_level 0: the tools the
 *      issue compares with (Fluent Bit tail → TCP JSON lines, rsyslog, Vector) send uncompressed,
 *      so the "zlib 0" row is the like-for-like one — and
 *   2. to a full logpipe pipeline (beats input → null output);
 * beside a raw read of the same files in the same run. Then an idle agent watching 100 files.
 *
 * The agent is done when its registry says every byte of every file is acknowledged; it is then
 * stopped, and its CPU time (/proc/<pid>/stat) and peak RSS (VmHWM) are read. Into the receiver,
 * its time ends when the receiver acknowledged the last event (the registry is written once a
 * second, which would add up to a second to the time); into the pipeline, when the registry says so.
 *
 *   BENCH_AGENT_MIB=256 (default) — size of each of the 4 files
 *   BENCH_AGENT_AGAINST=DIR — another built checkout (e.g. a worktree of main): its agent runs the
 *     receiver and idle steps too, interleaved with this one, and the ratio of the best runs is printed
 *   BENCH_AGENT_ROUNDS=1 (default) — rounds of the receiver step per build (best one counts)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commonLog, warmPageCache } from './data.js';
import type { Scenario, ScenarioTools } from './scenarios.js';

const FILES = 4;
const CLOCK_TICKS = 100;

interface ProcessFigures { cpuSeconds: number; peakRssMb: number }

function figures(pid: number): ProcessFigures {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime + stime
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSeconds, peakRssMb: Number(hwm?.[1] ?? 0) / 1024 };
}

function start(args: string[]): ChildProcess {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
  return child;
}

const exited = (c: ChildProcess): Promise<void> => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', () => r())));

/** Sum of acknowledged offsets in every registry document under `dataDir`. */
function acknowledgedBytes(dataDir: string): number {
  let total = 0;
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'logpipe-registry.json') {
        try {
          const doc = JSON.parse(readFileSync(p, 'utf8')) as { entries: { offset: number }[] };
          for (const entry of doc.entries) total += entry.offset;
        } catch { /* being replaced */ }
      }
    }
  };
  walk(dataDir);
  return total;
}

function agentConfig(paths: string[], port: number, dataDir: string, output: string[] = []): string {
  return [
    'filebeat.inputs:',
    '  - type: log',
    `    paths: [${paths.map((p) => JSON.stringify(p)).join(', ')}]`,
    `path.data: ${dataDir}`,
    'output.logstash:',
    `  hosts: ["127.0.0.1:${port}"]`,
    ...output,
    '',
  ].join('\n');
}

/** The receiver step's two settings of the agent's output (Filebeat's default first). */
const COMPRESSION_VARIANTS = [
  { label: '(zlib 3, default)', output: [] },
  { label: '(zlib 0, like-for-like)', output: ['  compression_level: 0'] },
];

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * The receiver's reports of all expected events delivered (its `expect` argument), in order: when
 * the last one was acknowledged, in epoch ms.
 */
function deliveries(receiver: ChildProcess): () => Promise<number> {
  const reported: number[] = [];
  const waiting: ((at: number) => void)[] = [];
  let text = '';
  receiver.stdout!.on('data', (d: Buffer) => {
    text += d.toString();
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
      const { at } = JSON.parse(text.slice(0, nl)) as { at: number };
      text = text.slice(nl + 1);
      const next = waiting.shift();
      if (next) next(at);
      else reported.push(at);
    }
  });
  return () => (reported.length > 0 ? Promise.resolve(reported.shift()!) : new Promise((resolve) => waiting.push(resolve)));
}

/**
 * Runs the agent until everything is acknowledged; returns wall seconds (until `delivered()` when
 * given, else until the registry says so) and its figures.
 */
async function runAgent(logpipe: string, dir: string, files: string[], port: number, total: number, output: string[] = [], delivered?: () => Promise<number>): Promise<ProcessFigures & { seconds: number }> {
  const dataDir = join(dir, 'agent-data');
  rmSync(dataDir, { recursive: true, force: true });
  const yml = join(dir, 'agent.yml');
  writeFileSync(yml, agentConfig(files, port, dataDir, output));
  const began = process.hrtime.bigint();
  const beganAt = Date.now();
  const agent = start([logpipe, 'agent', '-c', yml, '--log.level', 'warn']);
  let last: ProcessFigures = { cpuSeconds: 0, peakRssMb: 0 };
  while (acknowledgedBytes(dataDir) < total) {
    if (agent.exitCode !== null) throw new Error(`agent exited with ${agent.exitCode}`);
    last = figures(agent.pid!);
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = delivered ? ((await delivered()) - beganAt) / 1000 : Number(process.hrtime.bigint() - began) / 1e9;
  last = figures(agent.pid!);
  agent.kill('SIGTERM');
  await exited(agent);
  return { seconds, ...last };
}

function print(t: ScenarioTools, variant: string, bytes: number, lines: number, r: ProcessFigures & { seconds: number }, baselineSeconds?: number): void {
  const mib = bytes / 1048576;
  const ratio = baselineSeconds ? ` | ${(baselineSeconds / r.seconds * 100).toFixed(0).padStart(4)}% of raw read` : '';
  console.log(`${'agent: 4 files → beats'.padEnd(28)} ${variant.padEnd(40)} ${Math.round(lines / r.seconds).toLocaleString('en').padStart(11)} ev/s ${(mib / r.seconds).toFixed(1).padStart(7)} MiB/s  ` +
    `${(r.cpuSeconds / (bytes / 1073741824)).toFixed(1).padStart(5)} CPU s/GiB  peak RSS ${r.peakRssMb.toFixed(0).padStart(4)} MB${ratio}`);
  void t;
}

export const agentScenario: Scenario = {
  name: 'agent',
  async run(t) {
    const mib = Number(process.env['BENCH_AGENT_MIB'] ?? 256);
    const files: string[] = [];
    for (let i = 0; i < FILES; i++) files.push(await commonLog(i, mib));
    const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
    const dir = mkdtempSync(join(tmpdir(), 'logpipe-bench-agent-'));
    try {
      warmPageCache(files);
      const baseline = await t.measure([join(t.root, 'dist', 'bench', 'baselines', 'read-files.js'), ...files]);
      const lines = Number(/lines=(\d+)/.exec(baseline.stderr)?.[1] ?? 0);
      print(t, 'baseline (raw read)', bytes, lines, { seconds: baseline.seconds, cpuSeconds: NaN, peakRssMb: baseline.peakRssMb });

      // 1. into the minimal receiver, compressed and not, interleaved with the other build's agent when one is given
      const builds = agentBuilds(t);
      const rounds = Math.max(1, Number(process.env['BENCH_AGENT_ROUNDS'] ?? 1));
      const best = new Map<string, ProcessFigures & { seconds: number }>();
      const port = await freePort();
      const receiver = start([join(t.root, 'dist', 'bench', 'beats-receiver.js'), String(port), '127.0.0.1', String(lines)]);
      const delivered = lines > 0 ? deliveries(receiver) : undefined;
      await new Promise((r) => setTimeout(r, 500));
      for (let round = 0; round < rounds; round++) {
        for (const variant of COMPRESSION_VARIANTS) {
          for (const build of round % 2 === 0 ? builds : [...builds].reverse()) {
            const run = await runAgent(build.logpipe, dir, files, port, bytes, variant.output, delivered);
            const label = `agent → receiver ${variant.label}${build.label}`;
            print(t, label, bytes, lines, run, baseline.seconds);
            if (run.seconds < (best.get(label)?.seconds ?? Infinity)) best.set(label, run);
          }
        }
      }
      receiver.kill('SIGTERM');
      await exited(receiver);
      if (builds.length > 1) {
        for (const variant of COMPRESSION_VARIANTS) {
          const [mine, other] = builds.map((b) => best.get(`agent → receiver ${variant.label}${b.label}`)!);
          console.log(`${''.padEnd(28)} ${variant.label} best of ${rounds}: this build ${(other!.seconds / mine!.seconds).toFixed(2)}× the other's MiB/s, ` +
            `${(mine!.cpuSeconds / other!.cpuSeconds).toFixed(2)}× its CPU, peak RSS ${mine!.peakRssMb.toFixed(0)} vs ${other!.peakRssMb.toFixed(0)} MB`);
        }
      }

      // 2. into a full pipeline: beats input → null
      const port2 = await freePort();
      const pipeline = start([t.logpipe, 'run', '--path.data', join(dir, 'pipeline-data'), '--log.level', 'warn', '-e', `input { beats { port => ${port2} host => "127.0.0.1" } } output { null {} }`]);
      await new Promise((r) => setTimeout(r, 1500));
      const toPipeline = await runAgent(t.logpipe, dir, files, port2, bytes);
      const pipelineFigures = figures(pipeline.pid!);
      pipeline.kill('SIGTERM');
      await exited(pipeline);
      print(t, 'agent → logpipe -w 1 (zlib 3, default)', bytes, lines, toPipeline, baseline.seconds);
      console.log(`${''.padEnd(28)} ${'(the pipeline itself)'.padEnd(40)} ${(pipelineFigures.cpuSeconds / (bytes / 1073741824)).toFixed(1)} CPU s/GiB  peak RSS ${pipelineFigures.peakRssMb.toFixed(0)} MB`);

      for (const build of builds) await idleAgent(build, dir, port, t.root);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** This build, and the one named by BENCH_AGENT_AGAINST (its label says so). */
function agentBuilds(t: ScenarioTools): { label: string; logpipe: string }[] {
  const against = process.env['BENCH_AGENT_AGAINST'];
  return against ? [{ label: '', logpipe: t.logpipe }, { label: ' (other)', logpipe: join(against, 'bin', 'logpipe.js') }] : [{ label: '', logpipe: t.logpipe }];
}

/** An agent watching 100 files that do not change: its CPU share over 20 s, after settling. */
async function idleAgent(build: { label: string; logpipe: string }, dir: string, port: number, root: string): Promise<void> {
  const logs = join(dir, 'idle-logs');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(logs, { recursive: true });
  for (let i = 0; i < 100; i++) writeFileSync(join(logs, `app-${i}.log`), `line 1 of file ${i}\n`);
  const receiver = start([join(root, 'dist', 'bench', 'beats-receiver.js'), String(port)]);
  const dataDir = join(dir, 'idle-data');
  rmSync(dataDir, { recursive: true, force: true });
  const yml = join(dir, 'idle.yml');
  writeFileSync(yml, agentConfig([join(logs, '*.log')], port, dataDir));
  const agent = start([build.logpipe, 'agent', '-c', yml, '--log.level', 'warn']);
  try {
    await new Promise((r) => setTimeout(r, 5000));
    const before = figures(agent.pid!);
    const began = Date.now();
    await new Promise((r) => setTimeout(r, 20_000));
    const after = figures(agent.pid!);
    const share = (after.cpuSeconds - before.cpuSeconds) / ((Date.now() - began) / 1000) * 100;
    console.log(`${'agent: idle, 100 files'.padEnd(28)} ${`default settings${build.label}`.padEnd(40)} ${share.toFixed(2)}% of a core  RSS peak ${after.peakRssMb.toFixed(0)} MB`);
  } finally {
    agent.kill('SIGTERM');
    receiver.kill('SIGTERM');
    await Promise.all([exited(agent), exited(receiver)]);
  }
}
