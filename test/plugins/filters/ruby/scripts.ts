/** Script files for the ruby filter tests, in a temporary directory removed at exit. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'logpipe-ruby-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

export function script(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
