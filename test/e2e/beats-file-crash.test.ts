/**
 * `output.file` (beats_file) under kill -9: `logpipe agent` tails two growing files and writes to a
 * small rotating output file; it is killed with SIGKILL at random points and restarted, then
 * stopped with SIGTERM. Each lifetime stamps its events with an epoch (an env var in `fields`);
 * after each kill the registry the next lifetime will load is read, which is where that lifetime
 * may resume from. The guarantees, as set assertions over every output file:
 *  * every line written is in the output at least once;
 *  * no lifetime writes a line twice;
 *  * a lifetime writes nothing from before the registry offset it started from, so a line is
 *    written again only from the window that was not acknowledged (not in the registry) at the kill;
 *  * a record cut by the kill is the last one of its file, and the next lifetime starts a new file.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, waitFor } from '../helpers/wait.js';
import { exited, LogpipeProcesses } from '../helpers/processes.js';
import { epochAgentYaml } from '../helpers/crash-agent.js';
import { REGISTRY_FILE, RegistryStore } from '../../src/tailing/registry/store.js';

const dir = mkdtempSync(join(tmpdir(), 'logpipe-beats-file-crash-'));
const logs = join(dir, 'logs');
const out = join(dir, 'out');
const dataDir = join(dir, 'agent-data');
const processes = new LogpipeProcesses();
after(() => {
  processes.killAll();
  rmSync(dir, { recursive: true, force: true });
});

interface Written { id: number; epoch: number; path: string; offset: number }

/** Every record of every output file (events, events.1, …); cut records counted apart. */
function outputRecords(): { records: Written[]; cut: { file: string; last: boolean }[] } {
  for (;;) {
    try {
      return readOutput();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // rotated while listed: list again
    }
  }
}

function readOutput(): { records: Written[]; cut: { file: string; last: boolean }[] } {
  const records: Written[] = [];
  const cut: { file: string; last: boolean }[] = [];
  if (!existsSync(out)) return { records, cut };
  for (const name of readdirSync(out)) {
    const lines = readFileSync(join(out, name), 'utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    lines.forEach((line, i) => {
      let e: { message: string; epoch: string; log: { offset: number; file: { path: string } } };
      try {
        e = JSON.parse(line) as typeof e;
      } catch {
        cut.push({ file: name, last: i === lines.length - 1 });
        return;
      }
      records.push({ id: Number(/^line (\d+) /.exec(e.message)![1]), epoch: Number(e.epoch), path: e.log.file.path, offset: e.log.offset });
    });
  }
  return { records, cut };
}

test('beats_file output: kill -9 at random points loses nothing; a line is written again only from the unacknowledged window', { timeout: 120_000 }, async () => {
  mkdirSync(logs);
  const agentYml = join(dir, 'agent.yml');
  writeFileSync(agentYml, epochAgentYaml(`${logs}/*.log`, dataDir, [
    'output.file:',
    `  path: ${out}`,
    '  filename: events',
    '  rotate_every_kb: 64',
    '  number_of_files: 1024',
  ]));
  const registryFile = join(dataDir, 'registry', REGISTRY_FILE);
  /** path → offset the next lifetime resumes from: what it will load from the registry. */
  const resumeFrom: Map<string, number>[] = [new Map()];
  const startAgent = (epoch: number) => processes.start(['agent', '-c', agentYml, '--log.level', 'warn'], { EPOCH: String(epoch) });
  let epoch = 0;
  let agent = startAgent(epoch);

  const sources = [join(logs, 'a.log'), join(logs, 'b.log')];
  let written = 0;
  const write = (): void => {
    const path = sources[written % 2]!;
    let text = '';
    for (let i = 0, n = 10 + Math.floor(Math.random() * 30); i < n; i++) text += `line ${written++} ${'x'.repeat(30 + (written % 40))}\n`;
    appendFileSync(path, text);
  };
  let kills = 0;
  for (const until = Date.now() + 9000; Date.now() < until;) {
    const killAt = Date.now() + 500 + Math.random() * 1300;
    while (Date.now() < killAt) {
      write();
      await sleep(10);
    }
    agent.kill('SIGKILL');
    await exited(agent);
    kills++;
    const store = new RegistryStore(registryFile);
    resumeFrom.push(new Map(store.all().map((e) => [e.path, e.offset])));
    await sleep(Math.random() * 200);
    agent = startAgent(++epoch);
  }
  await waitFor('every line written to be in the output', () => new Set(outputRecords().records.map((r) => r.id)).size === written, 60_000);
  agent.kill('SIGTERM');
  assert.equal(await exited(agent), 0, agent.stderrTail);

  const { records, cut } = outputRecords();
  const ids = new Set(records.map((r) => r.id));
  assert.deepEqual([...Array(written).keys()].filter((id) => !ids.has(id)), [], 'lines written but not in the output');

  const perLifetime = new Set<string>();
  const twice: string[] = [];
  for (const r of records) {
    const key = `${r.epoch}:${r.id}`;
    if (perLifetime.has(key)) twice.push(key);
    perLifetime.add(key);
  }
  assert.deepEqual(twice, [], 'a line written twice by one lifetime');

  const beforeResume = records.filter((r) => r.offset < (resumeFrom[r.epoch]!.get(r.path) ?? 0));
  assert.deepEqual(beforeResume, [], 'a lifetime wrote lines from before the offset its registry resumed at');

  assert.ok(cut.every((c) => c.last), `a cut record is the last of its file: ${JSON.stringify(cut)}`);
  assert.ok(cut.length <= kills, `${cut.length} cut records for ${kills} kills`);
  assert.ok(kills >= 4, `only ${kills} kills happened`);
  const files = readdirSync(out).length;
  console.log(`# beats_file crash test: ${written} lines, ${kills} kills, ${records.length - ids.size} written again, ${cut.length} cut records, ${files} output files`);
});
