/**
 * The agent's young generation really stays small: in a child process (flags are per process),
 * objects that survive scavenges make V8 grow its new space — past 4 MB without the agent's
 * setting, not past its initial 2 MB with it; and `logpipe agent` sets it before loading the CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'logpipe.js');
const MODULE = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'young-generation.js')).href;

/** Largest new-space size (bytes) seen while a ring of live objects is churned, with or without the agent's setting. */
function peakNewSpace(withSetting: boolean): number {
  const script = `
    const { getHeapSpaceStatistics } = await import('node:v8');
    if (${withSetting}) (await import(${JSON.stringify(MODULE)})).keepYoungGenerationSmall();
    const ring = new Array(100000);
    let peak = 0;
    for (let i = 0; i < 3000000; i++) {
      ring[i % ring.length] = { i, text: 'line ' + i };
      if (i % 50000 === 0) peak = Math.max(peak, getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
    }
    console.log(peak);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.trim());
}

test('keepYoungGenerationSmall keeps the new space at its initial size where it would otherwise grow', () => {
  const MB = 1024 * 1024;
  assert.ok(peakNewSpace(false) > 4 * MB, 'the churn must make an unconfigured new space grow, else this test proves nothing');
  assert.ok(peakNewSpace(true) <= 2 * MB, 'the new space grew past its initial two 1 MiB semi-spaces');
});

test('logpipe agent has its young generation capped before its modules load (loading them would grow it)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-agent-footprint-'));
  try {
    const yml = join(dir, 'filebeat.yml');
    writeFileSync(yml, `filebeat.inputs:\n  - type: log\n    paths: [${JSON.stringify(join(dir, '*.log'))}]\npath.data: ${JSON.stringify(join(dir, 'data'))}\noutput.logstash:\n  hosts: ["127.0.0.1:5044"]\n`);
    // Reports the new space's size once the agent has loaded and built everything (--check).
    const probe = join(dir, 'probe.mjs');
    writeFileSync(probe, `import { getHeapSpaceStatistics } from 'node:v8';\nprocess.on('exit', () => process.stderr.write('NEW_SPACE ' + getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size + '\\n'));\n`);
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(probe).href, BIN, 'agent', '--check', '-c', yml], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const size = Number(/NEW_SPACE (\d+)/.exec(r.stderr)?.[1]);
    assert.ok(size > 0 && size <= 2 * 1024 * 1024, `new space ${size} bytes after start-up`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
