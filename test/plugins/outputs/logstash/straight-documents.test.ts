/**
 * The straight path's documents must be byte-equal to the regular path's: the `log` input's
 * decoder (an Event per line), the @metadata the Filebeat front end's first filter adds, and the
 * logstash output's encoder — on varied lines (quotes, backslashes, unicode, invalid UTF-8,
 * control characters, CRLF, long and truncated lines, a last line without a newline), in both
 * document layouts, with and without escape_html, across payloads of two files.
 */
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '../../../../src/core/event.js';
import { createLogger } from '../../../../src/core/logger.js';
import { validateSettings } from '../../../../src/config/schema.js';
import type { PluginContext } from '../../../../src/plugins/api.js';
import { beatsTailDecoder, type BeatsFileOptions } from '../../../../src/plugins/inputs/log/beats-input.js';
import { FILEBEAT_FILE_OPTIONS } from '../../../../src/plugins/inputs/log/options.js';
import { DocumentJsonWriter } from '../../../../src/plugins/outputs/logstash/document-json.js';
import { logstashEncoder } from '../../../../src/plugins/outputs/logstash/encoder.js';
import { CLOCK_LINES, StraightDocuments } from '../../../../src/plugins/outputs/logstash/straight-documents.js';
import type { EventDocuments } from '../../../../src/protocols/lumberjack/client.js';
import type { LinesPayload } from '../../../../src/tailing/payload.js';
import { settingsOf } from '../../../helpers/harness.js';

const VERSION = '0.1.0';
const dataDir = mkdtempSync(join(tmpdir(), 'straight-docs-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));
const NOW = Date.UTC(2026, 11, 2, 8, 40, 1, 7);

const LINES = [
  '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
  'plain ascii without anything to escape',
  'back\\slash and "quotes" and \\"both\\"',
  'unicode: héllo wörld — 日本語 🎉',
  'control \t tab \u0001 soh \u001f us \u007f del \b \f',
  '<html> & </html>',
  '',
  'x'.repeat(70_000),
  'tail with \r inside',
];

/** Bytes of a file holding `lines`, each ended by `eol`, plus raw extras. */
function fileBytes(lines: string[], eol: string, extra: number[] = []): Uint8Array {
  return new Uint8Array([...Buffer.from(lines.map((l) => l + eol).join('')), ...extra]);
}

function regularPath(layout: 'ecs' | 'legacy', escapeHtml: boolean, kind: 'log' | 'filestream'): { documents(p: LinesPayload): EventDocuments; agent(): Record<string, unknown> | undefined } {
  // Every option at its default, as the config compiler gives them (the decoder also checks the source's settings).
  const options = validateSettings(FILEBEAT_FILE_OPTIONS, settingsOf({ paths: [join(dataDir, '*.log')], field_layout: layout }), { kind: 'input', plugin: kind }) as BeatsFileOptions;
  const ctx = { dataDir, logger: createLogger('error', 'test') } as unknown as PluginContext;
  const decoder = beatsTailDecoder(kind, options, ctx);
  const encoder = logstashEncoder({ index: undefined, version: VERSION, escapeHtml });
  let agent: Record<string, unknown> | undefined;
  return {
    documents(p) {
      const events: Event[] = [];
      decoder.decode(p, (e) => {
        // What the Filebeat front end's first filter adds to every event.
        e.metadata = { beat: 'filebeat', type: layout === 'legacy' ? 'doc' : '_doc', version: VERSION };
        agent = e.data['agent'] as Record<string, unknown> | undefined;
        events.push(e);
      });
      return encoder.encode(events)!.data as EventDocuments;
    },
    agent: () => agent,
  };
}

function straightPath(layout: 'ecs' | 'legacy', escapeHtml: boolean, agent: Record<string, unknown> | undefined, kind: 'log' | 'filestream' = 'log'): StraightDocuments {
  const host = hostname();
  const metadata = new DocumentJsonWriter({ index: undefined, version: VERSION }).documentOf({}, { beat: 'filebeat', type: layout === 'legacy' ? 'doc' : '_doc', version: VERSION })['@metadata'] as Record<string, unknown>;
  return new StraightDocuments({
    layout, kind, metadata, escapeHtml,
    host: layout === 'ecs' ? { name: host } : { hostname: host, name: host, version: VERSION },
    ...(agent ? { agent } : {}),
    docType: 'log',
  }, () => NOW);
}

/**
 * Lines of every length from 0 to 40 bytes with a byte that needs care (a quote, a backslash, a
 * tab, DEL, `<`/`&`, a two-byte character, a lone 0x80) at a random place, so that each falls at
 * every position of a four-byte word the message loop copies at once.
 */
function randomLines(count: number): Uint8Array {
  let seed = 12345;
  const next = (k: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % k;
  const special = [[0x22], [0x5c], [0x09], [0x7f], [0x3c], [0x26], [0xc3, 0xa9], [0x80]];
  const out: number[] = [];
  for (let line = 0; line < count; line++) {
    const length = line % 41;
    const bytes: number[] = [];
    for (let k = 0; k < length; k++) bytes.push(0x20 + next(0x5f));
    if (length > 0 && next(3) > 0) bytes.splice(next(length), 1, ...special[next(special.length)]!);
    out.push(...bytes, 0x0a);
  }
  return new Uint8Array(out);
}
const RANDOM_LINES = 400;

const PAYLOADS: LinesPayload[] = [
  { path: '/var/log/app/access.log', start: 0, bytes: fileBytes(LINES, '\n') },
  { path: '/var/log/app/access.log', start: 123_456_789_012, bytes: fileBytes(LINES.slice(0, 4), '\r\n') },
  // Invalid UTF-8 (a lone continuation byte, a truncated sequence), then a last line without a newline.
  { path: '/var/log/app/other "quoted" <path>.log', start: 7, bytes: fileBytes(['ok'], '\n', [0x61, 0x80, 0x62, 0x0a, 0xe6, 0x97, 0x0a, 0x6e, 0x6f, 0x20, 0x65, 0x6f, 0x6c]) },
  // Lines cut at max_bytes: their full lengths in the file count for the next offset.
  { path: '/var/log/app/access.log', start: 500, bytes: fileBytes(['cut one', 'whole', 'cut two'], '\n'), cut: [0, 2], cutLengths: [1000, 2000] },
  { path: '/var/log/app/access.log', start: 3, bytes: randomLines(RANDOM_LINES) },
];

function compare(t: TestContext, layout: 'ecs' | 'legacy', escapeHtml: boolean, kind: 'log' | 'filestream' = 'log'): void {
  t.mock.method(Date, 'now', () => NOW);
  const regular = regularPath(layout, escapeHtml, kind);
  const want = PAYLOADS.map((p) => regular.documents(p));
  const straight = straightPath(layout, escapeHtml, regular.agent(), kind);
  let documents = 0;
  PAYLOADS.forEach((p, i) => {
    const got = straight.documents(p);
    assert.deepEqual([...got.ends], [...want[i]!.ends], `payload ${i}: document ends`);
    assert.equal(Buffer.from(got.bytes).toString('utf8'), Buffer.from(want[i]!.bytes).toString('utf8'), `payload ${i}: text`);
    assert.ok(Buffer.from(got.bytes).equals(Buffer.from(want[i]!.bytes)), `payload ${i}: bytes`);
    documents += got.ends.length;
  });
  assert.equal(documents, LINES.length + 4 + 4 + 3 + RANDOM_LINES);
}

test('ECS (7.x/8.x) documents are byte-equal to the regular path', (t) => compare(t, 'ecs', false));
test('ECS documents with escape_html are byte-equal to the regular path', (t) => compare(t, 'ecs', true));
test('filestream ECS documents are byte-equal to the regular path', (t) => compare(t, 'ecs', false, 'filestream'));
test('legacy (5.x/6.x) documents are byte-equal to the regular path', (t) => compare(t, 'legacy', false));
test('legacy documents with escape_html are byte-equal to the regular path', (t) => compare(t, 'legacy', true));

test('the timestamp is the time each line is written, formatted as the regular path does', () => {
  const s = straightPath('ecs', false, { type: 'filebeat' });
  const docs = s.documents({ path: '/x.log', start: 0, bytes: fileBytes(['a', 'b'], '\n') });
  assert.match(Buffer.from(docs.bytes).toString(), /^\{"@timestamp":"2026-12-02T08:40:01\.007Z"/);
  // A clock one millisecond later at each reading: read for the first line of each payload and
  // every CLOCK_LINES lines after it.
  let now = Date.UTC(2026, 0, 1, 0, 0, 0, 5);
  const clocked = new StraightDocuments({ layout: 'ecs', kind: 'log', metadata: {}, host: {}, agent: {}, escapeHtml: false }, () => now++);
  const stamps = (lines: number): string[] => {
    const text = Buffer.from(clocked.documents({ path: '/x.log', start: 0, bytes: fileBytes(Array.from({ length: lines }, (_, k) => `l${k}`), '\n') }).bytes).toString();
    return [...text.matchAll(/"@timestamp":"([^"]+)"/g)].map((m) => m[1]!);
  };
  const first = stamps(CLOCK_LINES * 2 + 1);
  assert.deepEqual(first, [
    ...Array<string>(CLOCK_LINES).fill('2026-01-01T00:00:00.005Z'),
    ...Array<string>(CLOCK_LINES).fill('2026-01-01T00:00:00.006Z'),
    '2026-01-01T00:00:00.007Z',
  ]);
  assert.deepEqual(stamps(2), ['2026-01-01T00:00:00.008Z', '2026-01-01T00:00:00.008Z'], 'the next payload reads the clock again');
  // With the real clock, each line's time lies between the moments before and after writing it.
  const before = Date.now();
  const text = Buffer.from(new StraightDocuments({ layout: 'ecs', kind: 'log', metadata: {}, host: {}, agent: {}, escapeHtml: false }).documents({ path: '/x.log', start: 0, bytes: fileBytes(Array.from({ length: 5000 }, (_, k) => `line ${k}`), '\n') }).bytes).toString();
  const after = Date.now();
  const times = [...text.matchAll(/"@timestamp":"([^"]+)"/g)].map((m) => Date.parse(m[1]!));
  assert.equal(times.length, 5000);
  assert.ok(times.every((t) => t >= before && t <= after), 'every stamp is within the writing');
  assert.ok(times.every((t, k) => k === 0 || t >= times[k - 1]!), 'and never goes back');
});

test('documents taken stay as they were while later ones are built, in one piece or several', () => {
  const s = straightPath('ecs', false, { type: 'filebeat' });
  const payload = (tag: string): LinesPayload => ({ path: '/x.log', start: 0, bytes: fileBytes(Array.from({ length: 50 }, (_, k) => `${tag} line ${k}`), '\n') });
  s.append(payload('first'));
  const whole = s.take(100);
  assert.equal(whole.length, 1);
  const wholeText = Buffer.from(whole[0]!.bytes).toString();
  s.append(payload('second'));
  const pieces = s.take(20);
  assert.deepEqual(pieces.map((p) => p.ends.length), [20, 20, 10]);
  const piecesText = pieces.map((p) => Buffer.from(p.bytes).toString());
  s.append(payload('third'));
  s.take(100);
  assert.equal(Buffer.from(whole[0]!.bytes).toString(), wholeText);
  assert.equal((wholeText.match(/"message":"first line/g) ?? []).length, 50);
  assert.deepEqual(pieces.map((p) => Buffer.from(p.bytes).toString()), piecesText);
  assert.equal((piecesText.join('').match(/"message":"second line/g) ?? []).length, 50);
});
