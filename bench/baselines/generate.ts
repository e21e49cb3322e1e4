/**
 * Baseline for generator → null: produce the same messages with sequence
 * numbers as plain strings and discard them. No event model, no threads.
 */
const count = Number(process.argv[2]);
let sink = 0;
for (let i = 0; i < count; i++) {
  const line = `Hello world! ${i}`;
  sink += line.length;
}
process.stderr.write(`chars=${sink}\n`);
