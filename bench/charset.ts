/**
 * Micro-benchmark: a tcp/stdin stream's work per charset — the reading thread's line cutting (with
 * transcoding to UTF-8 when the codec's charset is not UTF-8) plus the worker's line codec — on the
 * same log lines encoded as UTF-8 (the baseline, today's path), CP1252 and UTF-16LE. Interleaved
 * rounds, best of each; prints MB/s of source bytes and lines/s, and the ratio to UTF-8.
 * Run: node dist/bench/charset.js [rounds] [MiB]
 */
import iconv from 'iconv-lite';
import { LineChunker } from '../src/core/lines.js';
import { charsetOf } from '../src/plugins/codecs/charset.js';
import { makeCodec } from '../test/helpers/harness.js';

const rounds = Number(process.argv[2] ?? 5);
const mib = Number(process.argv[3] ?? 32);
const lines: string[] = [];
for (let i = 0, size = 0; size < mib * 1024 * 1024; i++) {
  size += lines[lines.push(`2026-12-02 08:${String(i % 60).padStart(2, '0')}:17 INFO  Benutzer müller${i % 97} angemeldet von 10.0.${i % 256}.${(i * 7) % 256} – Sitzung ${i} geöffnet (Größe ${i % 1000} KB)`) - 1]!.length + 1;
}
const text = lines.join('\n') + '\n';
const READ = 64 * 1024;

function run(name: string, charset: string): { seconds: number; bytes: number } {
  const source = charset === 'UTF-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, charset);
  const toUtf8 = charsetOf(charset, undefined)?.streamToUtf8();
  const codec = makeCodec({ name: 'line', settings: [] });
  const chunker = new LineChunker(128 * 1024, { maxLines: 500, borrowInput: true });
  const utf8 = new TextDecoder('utf-8');
  let events = 0;
  const count = (): void => void events++;
  const t0 = performance.now();
  for (let at = 0; at < source.length; at += READ) {
    const read = Buffer.from(source.subarray(at, at + READ)); // a fresh buffer per read, as a socket gives
    chunker.push(toUtf8 ? toUtf8.push(read) : read, (chunk) => codec.decode(utf8.decode(chunk.bytes).slice(0, -1), count));
  }
  chunker.end((chunk) => codec.decode(utf8.decode(chunk.bytes).replace(/\n$/, ''), count));
  const seconds = (performance.now() - t0) / 1000;
  if (events !== lines.length) throw new Error(`${name}: ${events} events for ${lines.length} lines`);
  return { seconds, bytes: source.length };
}

const charsets = ['UTF-8', 'CP1252', 'UTF-16LE'];
const best = new Map<string, { seconds: number; bytes: number }>();
for (let r = 0; r < rounds; r++) {
  for (const c of charsets) {
    const m = run(c, c);
    const prev = best.get(c);
    if (!prev || m.seconds < prev.seconds) best.set(c, m);
  }
}
const base = best.get('UTF-8')!.seconds;
for (const c of charsets) {
  const m = best.get(c)!;
  console.log(`${c.padEnd(9)} ${(m.bytes / 1e6 / m.seconds).toFixed(1).padStart(7)} MB/s  ${(lines.length / m.seconds / 1e6).toFixed(2)} M lines/s  time ×${(m.seconds / base).toFixed(2)} vs UTF-8`);
}
