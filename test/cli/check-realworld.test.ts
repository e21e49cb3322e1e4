/**
 * `logpipe check` over test/config/realworld: our own pipeline files in the shape of public
 * real-world ones (firewall, IDS, Windows, cloud, web servers …). Every file goes through the
 * CLI's check command in this process; two go through the logpipe executable as well.
 * Each file declares what check must say:
 *   `# expect: ok`                                   → exit 0, "Configuration OK"
 *   `# expect: not-supported KIND NAME at LINE:COL`  → one per plugin logpipe lacks: exit 1,
 *     exactly those problems (at that place, each with a hint of what to use), nothing else.
 * Files may read helper files through `${RW_FILES}` (patterns, dictionaries, a ruby script).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkCommand } from '../../src/cli/check.js';

// dist/test/cli → the repository root
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const corpusDir = path.join('test', 'config', 'realworld');
const files = readdirSync(path.join(root, corpusDir)).filter((f) => f.endsWith('.conf')).sort();
const filesDir = path.join(root, corpusDir, 'files');
// Checks run from the repository root with the helper files' directory in RW_FILES, as the CLI runs below.
process.chdir(root);
process.env['RW_FILES'] = filesDir;

interface Expectation {
  ok: boolean;
  missing: { kind: string; name: string; line: number; column: number }[];
}

function expectationOf(text: string): Expectation {
  const lines = text.split('\n').filter((l) => l.startsWith('# expect:')).map((l) => l.slice('# expect:'.length).trim());
  const missing = lines.filter((l) => l !== 'ok').map((l) => {
    const m = /^not-supported (input|filter|output|codec) (\S+) at (\d+):(\d+)$/.exec(l);
    if (!m) throw new Error(`unreadable expectation "${l}"`);
    return { kind: m[1]!, name: m[2]!, line: Number(m[3]), column: Number(m[4]) };
  });
  return { ok: lines.includes('ok'), missing };
}

interface CheckRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `logpipe check -f FILE` in this process: the CLI's own command, printing into strings. */
async function checkInProcess(file: string): Promise<CheckRun> {
  let stdout = '';
  let stderr = '';
  const code = await checkCommand(['-f', file], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** The real executable, for the files checked that way too. */
function checkWithCli(file: string): Promise<CheckRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'bin', 'logpipe.js'), 'check', '-f', file], {
      cwd: root,
      env: { ...process.env, RW_FILES: filesDir },
      timeout: 60_000,
    }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

test('the corpus: about forty files, each naming the kind of public file it models and what check must say', () => {
  assert.ok(files.length >= 40, `${files.length} files`);
  let ok = 0;
  let missing = 0;
  for (const f of files) {
    const text = readFileSync(path.join(root, corpusDir, f), 'utf8');
    assert.match(text, /^# Models: \S/, `${f} starts with a "# Models:" header`);
    const e = expectationOf(text);
    assert.ok(e.ok !== (e.missing.length > 0), `${f}: either "ok" or not-supported lines`);
    if (e.ok) ok++;
    else missing++;
  }
  assert.ok(ok >= 30 && missing >= 8, `${ok} passing and ${missing} with missing plugins`);
});

function assertCheckSays(relative: string, run: CheckRun): void {
  const expected = expectationOf(readFileSync(path.join(root, relative), 'utf8'));
  const shown = `exit ${run.code}\n${run.stdout}${run.stderr}`;
  if (expected.ok) {
    assert.equal(run.code, 0, shown);
    assert.match(run.stdout, /^Configuration OK \(\d+ inputs, \d+ filters, \d+ outputs\)$/m, shown);
    return;
  }
  assert.equal(run.code, 1, shown);
  const lines = run.stderr.split('\n');
  const headlines = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.startsWith(`${relative}:`));
  const want = expected.missing.map((m) => `${relative}:${m.line}:${m.column}: ${m.kind} plugin "${m.name}" is not supported by logpipe`);
  assert.deepEqual(headlines.map(({ l }) => l), want, shown);
  assert.match(run.stderr, new RegExp(`^${want.length} problems? found$`, 'm'), shown);
  for (const [n, { i }] of headlines.entries()) {
    const end = n + 1 < headlines.length ? headlines[n + 1]!.i : lines.length;
    const hint = lines.slice(i + 1, end).find((l) => l.startsWith('hint: '));
    assert.ok(hint, `a hint follows ${lines[i]}\n${shown}`);
    // What the plugin does and what to use meanwhile, not the generic list of plugins.
    assert.ok(hint.length > 40 && !/^hint: (available|did you mean)/.test(hint), hint);
  }
}

for (const file of files) {
  test(`check ${file}`, async () => {
    const relative = path.join(corpusDir, file);
    assertCheckSays(relative, await checkInProcess(relative));
  });
}

for (const file of ['pfsense-filterlog.conf', 'aws-cloudwatch-sqs.conf']) {
  test(`the logpipe executable says the same of ${file}`, async () => {
    const relative = path.join(corpusDir, file);
    const run = await checkWithCli(relative);
    assertCheckSays(relative, run);
    const own = await checkInProcess(relative);
    assert.equal(run.stdout, own.stdout);
    const withoutLogLines = (text: string): string => text.replace(/^\[[^\n]*\n/gm, '');
    assert.equal(withoutLogLines(run.stderr), withoutLogLines(own.stderr));
  });
}

test('check of the whole directory (one conf.d): exactly the missing plugins of every file, nothing about the others', async () => {
  const run = await checkInProcess(`${corpusDir}${path.sep}`);
  const want = files.flatMap((f) => {
    const relative = path.join(corpusDir, f);
    return expectationOf(readFileSync(path.join(root, relative), 'utf8')).missing
      .map((m) => `${relative}:${m.line}:${m.column}: ${m.kind} plugin "${m.name}" is not supported by logpipe`);
  });
  const headlines = run.stderr.split('\n').filter((l) => l.startsWith(`${corpusDir}${path.sep}`));
  assert.deepEqual([...headlines].sort(), [...want].sort());
  assert.match(run.stderr, new RegExp(`^${want.length} problems found$`, 'm'));
  assert.equal(run.code, 1);
});
