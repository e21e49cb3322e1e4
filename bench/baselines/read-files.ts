/**
 * Baseline for the agent scenario: read the given files start to end in 1 MiB chunks and count
 * line ends — the floor for "how fast can Node read these bytes", with no events, no network.
 */
import { openSync, readSync, closeSync } from 'node:fs';

const buffer = Buffer.allocUnsafe(1 << 20);
let lines = 0;
let bytes = 0;
for (const file of process.argv.slice(2)) {
  const fd = openSync(file, 'r');
  for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; bytes += n) {
    for (let at = buffer.indexOf(10, 0); at !== -1 && at < n; at = buffer.indexOf(10, at + 1)) lines++;
  }
  closeSync(fd);
}
process.stderr.write(`lines=${lines} bytes=${bytes}\n`);
