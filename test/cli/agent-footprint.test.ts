/**
 * The agent's young generation really stays within its cap: in a child process (V8 flags are per
 * process), objects that survive scavenges make V8 grow its new space to 32 MB; with the cap it
 * grows to 8 MB (two 4 MiB semi-spaces) and no further, and a semi-space flag given to node wins.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MODULE = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'young-generation.js')).href;
const MB = 1024 * 1024;

/**
 * Largest new-space size (bytes) seen while a ring of live objects is churned in event-loop turns
 * (as the agent works), with or without the cap. The cap is steered from a GC observer, which
 * hears of a collection two check phases later (node's native immediate, then the observer's
 * own): each turn yields that long, as the agent's many short I/O turns do between its bursts. A
 * turn that yielded once let the next turn's growth come before the observer (seen once in CI:
 * 16 MB).
 */
function peakNewSpace(capped: boolean, nodeFlags: string[] = []): number {
  const script = `
    const { getHeapSpaceStatistics } = await import('node:v8');
    if (${capped}) (await import(${JSON.stringify(MODULE)})).capYoungGeneration();
    const ring = new Array(100000);
    let peak = 0;
    for (let turn = 0; turn < 100; turn++) {
      for (let i = turn * 30000; i < (turn + 1) * 30000; i++) ring[i % ring.length] = { i, text: 'line ' + i };
      peak = Math.max(peak, getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
      await new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
    }
    console.log(peak);`;
  const r = spawnSync(process.execPath, [...nodeFlags, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.trim());
}

test('capYoungGeneration lets the new space grow to two 4 MiB semi-spaces and no further', () => {
  assert.ok(peakNewSpace(false) > 8 * MB, 'the churn must grow an uncapped new space past the cap, else this test proves nothing');
  assert.equal(peakNewSpace(true), 8 * MB);
});

test('a semi-space size given to node is left to rule (memory traded back for CPU)', () => {
  assert.ok(peakNewSpace(true, ['--max-semi-space-size=16']) > 8 * MB, 'the new space was capped despite --max-semi-space-size=16');
});
