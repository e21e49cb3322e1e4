/**
 * Baseline for the pipeline → OpenSearch scenario: a plain Node script posting the same documents
 * (the JSON logpipe writes for a stdin line: message, @timestamp, @version, host) to the same bulk
 * API, `BATCH` documents per request, one request at a time (as the output does by default), with
 * undici. No event model, no threads, no per-item handling beyond checking `errors`.
 *   bulk-load.js <url> <index>   (documents from stdin)
 */
import { hostname } from 'node:os';
import { request } from 'undici';

const [url, index] = process.argv.slice(2) as [string, string];
const BATCH = Number(process.env['BULK_BATCH'] ?? 1000);
const host = hostname();
const action = `{"index":{"_index":${JSON.stringify(index)}}}\n`;
let body = '';
let inBody = 0;
let count = 0;

async function flush(): Promise<void> {
  if (inBody === 0) return;
  const response = await request(`${url}/_bulk?filter_path=errors`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
  const text = await response.body.text();
  if (response.statusCode !== 200 || !text.includes('"errors":false')) throw new Error(`bulk failed: ${response.statusCode} ${text.slice(0, 300)}`);
  body = '';
  inBody = 0;
}

let carry = '';
for await (const chunk of process.stdin) {
  const parts = (carry + (chunk as Buffer).toString('utf8')).split('\n');
  carry = parts.pop()!;
  for (const message of parts) {
    body += action + JSON.stringify({ message, '@timestamp': new Date().toISOString(), '@version': '1', host }) + '\n';
    count++;
    if (++inBody === BATCH) await flush();
  }
}
if (carry) {
  body += action + JSON.stringify({ message: carry, '@timestamp': new Date().toISOString(), '@version': '1', host }) + '\n';
  inBody++;
  count++;
}
await flush();
process.stderr.write(`indexed ${count}\n`);
