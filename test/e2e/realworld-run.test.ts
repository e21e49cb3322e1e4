/**
 * Files of the real-world corpus (test/config/realworld) run through `logpipe run` with sample
 * lines: their input and output sections are swapped for stdin and stdout (JSON lines), the
 * filters stay as written. Each case is a divergence from Logstash found this way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const corpus = path.join(root, 'test', 'config', 'realworld');

/** The text without its top-level `name { … }` sections (strings and comments may hold braces). */
function withoutSections(text: string, name: string): string {
  const opener = new RegExp(`^${name}\\s*\\{`, 'gm');
  let out = '';
  let from = 0;
  for (let m = opener.exec(text); m; m = opener.exec(text)) {
    if (m.index < from) continue;
    out += text.slice(from, m.index);
    let depth = 0;
    let quote = '';
    let i = m.index + m[0].length - 1;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '#') i = text.indexOf('\n', i);
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    from = i + 1;
    opener.lastIndex = from;
  }
  return out + text.slice(from);
}

/** Runs the corpus file's filters on `lines` read by `input` (a stdin plugin); returns the events. */
function runFilters(file: string, input: string, lines: string[]): Promise<Record<string, unknown>[]> {
  const filters = withoutSections(withoutSections(readFileSync(path.join(corpus, file), 'utf8'), 'input'), 'output');
  const dir = mkdtempSync(path.join(tmpdir(), 'logpipe-realworld-'));
  const config = path.join(dir, 'pipeline.conf');
  writeFileSync(config, `input { ${input} }\n${filters}\noutput { stdout { codec => json_lines } }\n`);
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [path.join(root, 'bin', 'logpipe.js'), 'run', '-f', config, '-w', '1', '--log.level', 'error', '--path.data', path.join(dir, 'data')], {
      env: { ...process.env, RW_FILES: path.join(corpus, 'files') },
      timeout: 60_000,
    }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${err.message}\n${stderr}`));
      resolve(stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>));
    });
    child.stdin!.end(lines.map((l) => `${l}\n`).join(''));
  });
}

test('pfSense filterlog: empty sub-rule and anchor stay empty; the fields after them land where they belong', async () => {
  const [event] = await runFilters('pfsense-filterlog.conf', 'stdin { type => "syslog" }', [
    '<134>Mar  1 10:00:00 fw.example filterlog[123]: 5,,,1000000103,igb0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,203.0.113.5,192.168.1.10,51234,22,0,S,123,,64240,,mss',
  ]);
  assert.deepEqual(event!['rule'], { id: '5', tracker: '1000000103' });
  assert.deepEqual(event!['observer'], { name: 'fw.example', ingress: { interface: { name: 'igb0' } } });
  assert.equal((event!['event'] as Record<string, unknown>)['action'], 'block');
  assert.deepEqual(event!['network'], { direction: 'inbound', type: 'ipv4', iana_number: '6', transport: 'tcp' });
  assert.deepEqual(event!['destination'], { ip: '192.168.1.10', port: 22 });
  assert.ok((event!['tags'] as string[]).includes('WAN'));
});

test('Suricata EVE: the two add_field pairs of the geoip recipe make a [lon, lat] array', async () => {
  const [alert] = await runFilters('suricata-eve-file.conf', 'stdin { codec => json type => "suricata" }', [
    '{"timestamp":"2026-03-01T10:00:00.123456+0000","event_type":"alert","src_ip":"8.8.8.8","alert":{"signature":"ET SCAN","severity":2}}',
  ]);
  const geoip = alert!['geoip'] as Record<string, unknown>;
  assert.deepEqual(geoip['coordinates'], [geoip['longitude'], geoip['latitude']]);
  assert.equal(alert!['@timestamp'], '2026-03-01T10:00:00.123Z');
});

test('Java stack traces joined by the multiline codec on stdin: every event arrives, the ruby counter counts per class', async () => {
  const events = await runFilters('java-app-multiline.conf', 'stdin { codec => multiline { pattern => "^%{TIMESTAMP_ISO8601} " negate => true what => "previous" } tags => ["java"] }', [
    '2026-03-01 10:00:00.123 ERROR [main] com.example.Service - request failed',
    'java.lang.IllegalStateException: boom',
    '\tat com.example.Service.run(Service.java:42)',
    '2026-03-01 10:00:01.000 INFO  [main] com.example.Service - recovered',
    '2026-03-01 10:00:02.000 ERROR [worker-1] com.example.Service - again',
    'java.lang.IllegalStateException: boom again',
    '\tat com.example.Service.run(Service.java:42)',
  ]);
  assert.equal(events.length, 3);
  assert.deepEqual(events.map((e) => (e['error'] as Record<string, unknown> | undefined)?.['occurrences']), [1, undefined, 2]);
  assert.deepEqual(events.map((e) => e['tags']), [['multiline', 'java'], ['java'], ['multiline', 'java']]);
});
