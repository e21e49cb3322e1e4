/**
 * Micro-benchmark: COMBINEDAPACHELOG through the grok filter (batches of 125, as a worker would).
 * Run: node dist/bench/grok.js [ecs] [events]
 */
import { Event } from '../src/core/event.js';
import { grokFilter } from '../src/plugins/filters/grok/index.js';
import { makeFilter } from '../test/helpers/harness.js';

const ecs = (process.argv[2] ?? 'v1') as 'disabled' | 'v1';
const total = Number(process.argv[3] ?? 200_000);
const verbs = ['GET', 'POST', 'PUT', 'DELETE'];
const lines: string[] = [];
for (let i = 0; i < 1000; i++) {
  lines.push(`10.${i % 256}.${(i * 7) % 256}.${(i * 13) % 256} - user${i % 50} [10/Oct/2000:13:${String(i % 60).padStart(2, '0')}:36 -0700] "${verbs[i % 4]} /path/${i}/index.html?q=${i} HTTP/1.1" ${200 + (i % 5)} ${1000 + i} "http://www.example.com/ref/${i}" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${100 + (i % 20)}.0 Safari/537.36"`);
}
const f = await makeFilter(grokFilter, { match: { message: '%{COMBINEDAPACHELOG}' } }, { ecs });
let bytes = 0;
let failures = 0;
const t0 = performance.now();
for (let done = 0; done < total; done += 125) {
  const batch: Event[] = [];
  for (let k = 0; k < 125; k++) {
    const line = lines[(done + k) % lines.length]!;
    bytes += line.length;
    batch.push(new Event({ message: line }));
  }
  const out = await f.run(batch);
  for (const e of out) if (e.hasTag('_grokparsefailure')) failures++;
}
const s = (performance.now() - t0) / 1000;
console.log(`grok COMBINEDAPACHELOG ecs=${ecs}: ${total} events in ${s.toFixed(2)} s = ${Math.round(total / s)} events/s, ${(bytes / 1048576 / s).toFixed(1)} MiB/s (incl. Event creation), failures=${failures}`);
