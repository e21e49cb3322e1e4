/** `logpipe tap` against a real `logpipe run` process, through its control socket under path.data. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../helpers/wait.js';
import { exited } from '../helpers/processes.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'logpipe.js');

const CONFIG = `
input { generator { id => "gen" lines => ["alpha", "beta"] count => 0 } }
filter {
  mutate { id => "shout" uppercase => ["message"] add_field => { "stage" => "after-shout" } }
  if [message] == "BETA" { drop { id => "no_beta" } }
}
output { null { id => "sink" } }`;

function tap(dataDir: string, args: string[]) {
  return spawnSync(process.execPath, [BIN, 'tap', ...args, '--path.data', dataDir], { encoding: 'utf8', timeout: 60_000 });
}

test('logpipe tap shows events at a filter, an input and an output of a running pipeline', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-tap-'));
  const run = spawn(process.execPath, [BIN, 'run', '-e', CONFIG, '--path.data', dataDir, '--log.level', 'warn', '-w', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  run.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const socket = join(dataDir, 'pipelines', 'main', 'control.sock');
  try {
    await waitFor('the control socket', () => existsSync(socket));

    const atFilter = tap(dataDir, ['shout', '--limit', '5']);
    assert.equal(atFilter.status, 0, atFilter.stderr);
    const events = atFilter.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(events.length, 5);
    for (const e of events) {
      assert.ok(e['message'] === 'ALPHA' || e['message'] === 'BETA', JSON.stringify(e));
      assert.equal(e['stage'], 'after-shout');
      assert.equal(typeof e['sequence'], 'number');
    }

    // At the input, events are as decoded: before the filters.
    const atInput = tap(dataDir, ['gen', '--limit', '3']);
    assert.equal(atInput.status, 0, atInput.stderr);
    for (const l of atInput.stdout.trim().split('\n')) {
      const e = JSON.parse(l) as Record<string, unknown>;
      assert.ok(e['message'] === 'alpha' || e['message'] === 'beta');
      assert.equal(e['stage'], undefined);
    }

    // At the output, only what the drop let through.
    const atOutput = tap(dataDir, ['--pipeline', 'main', 'sink', '--limit', '20']);
    assert.equal(atOutput.status, 0, atOutput.stderr);
    const out = atOutput.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(out.length, 20);
    assert.ok(out.every((e) => e['message'] === 'ALPHA'));

    // Sampling: with a rate of 1%, the sequences shown are spread out, not consecutive.
    const sampled = tap(dataDir, ['shout', '--limit', '4', '--sample', '0.01']);
    assert.equal(sampled.status, 0, sampled.stderr);
    const seqs = sampled.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { sequence: number }).sequence).sort((a, b) => a - b);
    assert.equal(seqs.length, 4);
    assert.ok(seqs.slice(1).some((s, i) => s - seqs[i]! > 1), `sampled sequences ${seqs.join(',')}`);

    const unknown = tap(dataDir, ['nothing_here', '--limit', '1']);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no plugin with id "nothing_here" in this pipeline \(plugins: gen, shout, no_beta, sink\)/);
  } finally {
    run.kill('SIGTERM');
    assert.equal(await exited(run), 0, stderr);
  }
  assert.equal(existsSync(socket), false, 'the socket is removed when the pipeline stops');
  const gone = tap(dataDir, ['shout', '--limit', '1']);
  assert.equal(gone.status, 1);
  assert.match(gone.stderr, /no running pipeline "main" serves .*control\.sock/);
});
