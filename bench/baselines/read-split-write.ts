/**
 * Baseline for the file scenario: stdin → split into lines → write each line
 * to a file. Same bytes in and a comparable amount out, but no event model,
 * no codec, no threads: the floor for "how fast can Node move these lines".
 */
import { createWriteStream } from 'node:fs';

const out = createWriteStream(process.argv[2]!);
let carry = '';
let lines = 0;
for await (const chunk of process.stdin) {
  const text = carry + (chunk as Buffer).toString('utf8');
  const parts = text.split('\n');
  carry = parts.pop()!;
  let batch = '';
  for (const line of parts) {
    batch += line + '\n';
    lines++;
  }
  if (!out.write(batch)) await new Promise<void>((r) => out.once('drain', () => r()));
}
if (carry) {
  out.write(carry + '\n');
  lines++;
}
await new Promise<void>((r) => out.end(r));
process.stderr.write(`lines=${lines}\n`);
