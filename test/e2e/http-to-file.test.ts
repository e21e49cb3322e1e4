/**
 * End to end through bin/logpipe.js: an http input → file output pipeline, posts with curl.
 * Every 200 curl saw means the event is already in the file; SIGTERM then exits 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { exited } from '../helpers/processes.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../../bin/logpipe.js', import.meta.url));

async function curlStatus(url: string, ...args: string[]): Promise<number> {
  const { stdout } = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', ...args, url], { encoding: 'utf8' });
  return Number(stdout);
}

test('logpipe run: curl posts to the http input land in the file before curl sees 200', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logpipe-e2e-http-'));
  const out = join(dir, 'out.json');
  const port = await freePort();
  const config = join(dir, 'pipeline.conf');
  writeFileSync(config, `input { http { host => "127.0.0.1" port => ${port} } }\nfilter { mutate { add_field => { "via" => "logpipe" } } }\noutput { file { path => "${out}" codec => json_lines } }\n`);
  const child = spawn(process.execPath, [bin, 'run', '-f', config, '--path.data', join(dir, 'data'), '--log.level', 'warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    const url = `http://127.0.0.1:${port}/`;
    await waitFor('the http input', async () => (await curlStatus(url, '--data-binary', 'probe', '-H', 'Content-Type: text/plain').catch(() => 0)) === 200, 60_000);
    for (let i = 0; i < 5; i++) {
      assert.equal(await curlStatus(url, '-H', 'Content-Type: application/json', '--data-binary', JSON.stringify([{ n: i * 2 }, { n: i * 2 + 1 }])), 200);
      const written = readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { n?: number; via: string });
      assert.equal(written.filter((e) => e.n !== undefined).length, (i + 1) * 2, 'the answer came after the write');
    }
    child.kill('SIGTERM');
    assert.equal(await exited(child), 0);
    const events = readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { n?: number; message?: string; via: string; host: string });
    assert.deepEqual(events.filter((e) => e.n !== undefined).map((e) => e.n), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.ok(events.every((e) => e.via === 'logpipe' && e.host === '127.0.0.1'));
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
