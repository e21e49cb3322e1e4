/**
 * The syslog input's worker half on real-shaped lines: what Logstash's syslog input produces,
 * field by field, in both ECS modes, and the parse_rfc5424 path.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event } from '../../../../src/core/event.js';
import type { ConfigValue } from '../../../../src/config/values.js';
import type { EcsCompatibility } from '../../../../src/plugins/api.js';
import { builtinRegistry } from '../../../../src/plugins/builtins.js';
import { syslogInput } from '../../../../src/plugins/inputs/syslog/index.js';
import type { NetworkPayload } from '../../../../src/plugins/net/message-payload.js';
import { setDateClock } from '../../../../src/plugins/filters/date/index.js';
import { settingsOf, testContext } from '../../../helpers/harness.js';

// Year-less timestamps take the year from "now" as Logstash's date filter does: pin it.
const restoreClock = setDateClock(() => Date.UTC(2026, 11, 2, 4, 30));
after(restoreClock);

function decoder(settings: Record<string, ConfigValue> = {}, ecs: EcsCompatibility = 'disabled') {
  const options = builtinRegistry().validate(syslogInput, settingsOf({ timezone: 'UTC', ...settings }));
  return syslogInput.createDecoder(options as never, testContext('syslog', { ecs }));
}

function payload(lines: string[], host = '192.0.2.7', truncated?: number[]): NetworkPayload {
  const parts = lines.map((l) => Buffer.from(l));
  let at = 0;
  return {
    bytes: new Uint8Array(Buffer.concat(parts)),
    ends: Uint32Array.from(parts.map((p) => (at += p.length))),
    hosts: lines.map(() => host),
    ...(truncated ? { truncated } : {}),
  };
}

function decode(d: ReturnType<typeof decoder>, lines: string[], truncated?: number[]): Event[] {
  const out: Event[] = [];
  d.decode(payload(lines, '192.0.2.7', truncated), (e) => out.push(e));
  return out;
}

/** The event's fields without @timestamp/@version, and @timestamp as ISO text. */
function fields(e: Event): Record<string, unknown> {
  const { '@timestamp': ts, '@version': _v, ...rest } = e.data;
  return { ...rest, '@timestamp': String(ts) };
}

const ASA = '<164>Oct 26 15:19:25 1.2.3.4 %ASA-4-106023: Deny udp src DRAC:10.1.2.3/43434 dst outside:192.168.0.1/53 by access-group "acl_drac" [0x0, 0x0]';

test('syslog (legacy names): Logstash spec line — priority, facility, severity, labels, logsource, program, timestamp', () => {
  const [e] = decode(decoder(), [ASA]);
  assert.deepEqual(fields(e!), {
    message: 'Deny udp src DRAC:10.1.2.3/43434 dst outside:192.168.0.1/53 by access-group "acl_drac" [0x0, 0x0]',
    host: '192.0.2.7',
    priority: 164, severity: 4, facility: 20, facility_label: 'local4', severity_label: 'Warning',
    timestamp: 'Oct 26 15:19:25', logsource: '1.2.3.4', program: '%ASA-4-106023',
    '@timestamp': '2026-10-26T15:19:25.000Z',
  });
});

test('syslog (legacy names): pid, single-digit day with two spaces, ISO timestamps with offset and fraction', () => {
  const [a, b, c] = decode(decoder(), [
    '<38>Dec  2 04:21:48 web01 sshd[4321]: Accepted publickey for alice from 198.51.100.4 port 51234',
    '<13>Feb 5 00:00:01 db-2.example.com cron[77]: (root) CMD (run-parts /etc/cron.hourly)',
    '<86>2026-12-02T05:21:48.123+01:00 gw kernel: [12345.678] eth0: link up',
  ]);
  assert.equal(a!.get('program'), 'sshd');
  assert.equal(a!.get('pid'), '4321');
  assert.equal(a!.get('logsource'), 'web01');
  assert.equal(a!.get('facility_label'), 'security/authorization');
  assert.equal(a!.get('severity_label'), 'Informational');
  assert.equal(a!.get('message'), 'Accepted publickey for alice from 198.51.100.4 port 51234');
  assert.equal(String(a!.timestamp), '2026-12-02T04:21:48.000Z');
  assert.equal(b!.get('logsource'), 'db-2.example.com');
  assert.equal(b!.get('timestamp'), 'Feb 5 00:00:01');
  assert.equal(String(b!.timestamp), '2026-02-05T00:00:01.000Z');
  assert.equal(b!.get('message'), '(root) CMD (run-parts /etc/cron.hourly)');
  assert.equal(c!.get('timestamp8601'), '2026-12-02T05:21:48.123+01:00');
  assert.equal(c!.get('timestamp'), '2026-12-02T05:21:48.123+01:00');
  assert.equal(String(c!.timestamp), '2026-12-02T04:21:48.123Z');
  assert.equal(c!.get('program'), 'kernel');
  assert.equal(c!.get('pid'), undefined);
  assert.equal(c!.get('message'), '[12345.678] eth0: link up');
  for (const e of [a, b, c]) assert.equal(e!.get('tags'), undefined);
});

test('syslog: a line that is not syslog keeps its message, gets priority 13 and _grokparsefailure_sysloginput', () => {
  for (const line of ['hello world, this is not syslog RFC3164', '<999 broken pri> x', '', '<13>']) {
    const [e] = decode(decoder(), [line]);
    assert.deepEqual(e!.get('tags'), ['_grokparsefailure_sysloginput'], line);
    assert.equal(e!.get('message'), line);
    assert.equal(e!.get('priority'), 13);
    assert.equal(e!.get('facility'), 1);
    assert.equal(e!.get('severity'), 5);
    assert.equal(e!.get('facility_label'), 'user-level');
    assert.equal(e!.get('severity_label'), 'Notice');
    assert.equal(e!.get('host'), '192.0.2.7');
  }
});

test('syslog: RFC 5424 lines are not RFC 3164: tagged as Logstash does unless parse_rfc5424', () => {
  const line = '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3"] An application event log entry';
  const [e] = decode(decoder(), [line]);
  assert.deepEqual(e!.get('tags'), ['_grokparsefailure_sysloginput']);
  assert.equal(e!.get('message'), line);
  assert.equal(e!.get('priority'), 13);
});

test('syslog parse_rfc5424 (legacy names): header fields, structured data, PRI, @timestamp; 3164 lines still go through grok', () => {
  const d = decoder({ parse_rfc5424: true });
  const [e, f, g] = decode(d, [
    '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 1234 ID47 [exampleSDID@32473 iut="3" eventSource="Application"] An application event log entry',
    '<14>1 - - - - - - \uFEFFbom and nils',
    ASA,
  ]);
  assert.deepEqual(fields(e!), {
    message: 'An application event log entry', host: '192.0.2.7',
    priority: 165, facility: 20, severity: 5, facility_label: 'local4', severity_label: 'Notice',
    timestamp: '2003-10-11T22:14:15.003Z', logsource: 'mymachine.example.com', program: 'evntslog', pid: '1234', msgid: 'ID47',
    syslog_version: 1, structured_data: { 'exampleSDID@32473': { iut: '3', eventSource: 'Application' } },
    '@timestamp': '2003-10-11T22:14:15.003Z',
  });
  assert.equal(f!.get('message'), 'bom and nils');
  assert.equal(f!.get('logsource'), undefined);
  assert.equal(f!.get('timestamp'), undefined);
  assert.equal(f!.get('tags'), undefined);
  assert.equal(g!.get('program'), '%ASA-4-106023');
});

test('syslog ECS (v1, v8): [log][syslog], [host][ip], [host][hostname], [process], [event][original]; timestamp removed', () => {
  for (const ecs of ['v1', 'v8'] as const) {
    const line = '<38>Dec  2 04:21:48 web01 sshd[4321]: Accepted publickey';
    const [e] = decode(decoder({}, ecs), [line]);
    assert.deepEqual(fields(e!), {
      message: 'Accepted publickey',
      event: { original: line },
      host: { ip: '192.0.2.7', hostname: 'web01' },
      process: { name: 'sshd', pid: 4321 },
      log: { syslog: { priority: 38, facility: { code: 4, name: 'security/authorization' }, severity: { code: 6, name: 'Informational' } } },
      '@timestamp': '2026-12-02T04:21:48.000Z',
    }, ecs);
  }
});

test('syslog ECS: failure path and parse_rfc5424 fields', () => {
  const d = decoder({ parse_rfc5424: true }, 'v8');
  const [bad, good, named] = decode(d, [
    'not syslog',
    '<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - [a@1 k="v"] %% It\'s time',
    '<165>1 - host app worker-3 MSG1 - text',
  ]);
  assert.deepEqual(bad!.get('[log][syslog]'), { priority: 13, facility: { code: 1, name: 'user-level' }, severity: { code: 5, name: 'Notice' } });
  assert.equal(bad!.get('[event][original]'), 'not syslog');
  assert.deepEqual(bad!.get('tags'), ['_grokparsefailure_sysloginput']);
  assert.equal(good!.get('[host][hostname]'), '192.0.2.1');
  assert.equal(good!.get('[process][name]'), 'myproc');
  assert.equal(good!.get('[process][pid]'), 8710);
  assert.equal(good!.get('[log][syslog][version]'), 1);
  assert.deepEqual(good!.get('[log][syslog][structured_data]'), { 'a@1': { k: 'v' } });
  assert.equal(good!.get('timestamp'), undefined);
  assert.equal(String(good!.timestamp), '2003-08-24T12:14:15.000Z');
  assert.equal(good!.get('message'), "%% It's time");
  assert.equal(named!.get('[log][syslog][procid]'), 'worker-3');
  assert.equal(named!.get('[process][pid]'), undefined);
  assert.equal(named!.get('[log][syslog][msgid]'), 'MSG1');
});

test('syslog: timezone, locale, use_labels false, custom labels', () => {
  const [ny] = decode(decoder({ timezone: 'America/New_York' }), [ASA]);
  assert.equal(String(ny!.timestamp), '2026-10-26T19:19:25.000Z');
  const [fixed] = decode(decoder({ timezone: '-05:00' }), [ASA]);
  assert.equal(String(fixed!.timestamp), '2026-10-26T20:19:25.000Z');
  const [de] = decode(decoder({ locale: 'de' }), ['<13>Mai  2 04:21:48 host app: hallo']);
  assert.equal(de!.get('message'), 'hallo');
  assert.equal(String(de!.timestamp), '2026-05-02T04:21:48.000Z');
  const [en] = decode(decoder(), ['<13>Mai  2 04:21:48 host app: hallo']);
  assert.deepEqual(en!.get('tags'), ['_dateparsefailure']);
  const [nolabels] = decode(decoder({ use_labels: false }), [ASA]);
  assert.equal(nolabels!.get('facility_label'), undefined);
  assert.equal(nolabels!.get('severity_label'), undefined);
  assert.equal(nolabels!.get('facility'), 20);
  const [custom] = decode(decoder({ facility_labels: ['k', 'u'], severity_labels: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] }), [ASA]);
  assert.equal(custom!.get('facility_label'), undefined); // facility 20 has no label in a list of 2
  assert.equal(custom!.get('severity_label'), 'e');
});

test('syslog: a timestamp the date formats do not parse tags _dateparsefailure and keeps @timestamp', () => {
  const [e] = decode(decoder({ grok_pattern: '<%{POSINT:priority}>%{DATA:timestamp}\\|%{GREEDYDATA:message}' }), ['<13>yesterday|hello']);
  assert.ok(e!.hasTag('_dateparsefailure'));
  assert.equal(e!.get('timestamp'), 'yesterday');
  assert.equal(e!.get('message'), 'hello');
  assert.equal(e!.get('priority'), 13);
});

test('syslog: grok_pattern and syslog_field overrides; a pattern without priority gives priority 0 as Logstash (nil.to_i)', () => {
  const d = decoder({ grok_pattern: '%{WORD:word} %{GREEDYDATA:rest}' });
  const [e] = decode(d, ['hello there world']);
  assert.equal(e!.get('word'), 'hello');
  assert.equal(e!.get('priority'), 0);
  assert.equal(e!.get('facility_label'), 'kernel');
  assert.equal(e!.get('severity_label'), 'Emergency');
  const [j] = decode(decoder({ codec: 'json', syslog_field: 'line' }), ['{"line":"<30>Dec  2 04:21:48 h p: from json","x":1}']);
  assert.equal(j!.get('x'), 1);
  assert.equal(j!.get('priority'), 30);
  assert.equal(j!.get('program'), 'p');
  assert.equal(j!.get('message'), 'from json');
});

test('syslog: a PRI captured twice (an array) falls back to 13, as Ruby Array#to_i raising does', () => {
  const [e] = decode(decoder(), ['<30>Dec  2 04:21:48 <4.6> host prog: x']);
  assert.equal(e!.get('priority'), 13);
  assert.equal(e!.get('severity_label'), 'Notice');
});

test('syslog: truncated messages are tagged _line_truncated; invalid UTF-8 is decoded with replacement characters', () => {
  const d = decoder();
  const out: Event[] = [];
  const bytes = Buffer.concat([Buffer.from('<13>Dec  2 04:21:48 h p: bad '), Buffer.from([0xff, 0xfe]), Buffer.from(' end')]);
  d.decode({ bytes: new Uint8Array(Buffer.concat([Buffer.from(ASA), bytes])), ends: Uint32Array.from([ASA.length, ASA.length + bytes.length]), hosts: ['a', 'b'], truncated: [1] }, (e) => out.push(e));
  assert.equal(out[0]!.get('tags'), undefined);
  assert.deepEqual(out[1]!.get('tags'), ['_line_truncated']);
  assert.equal(out[1]!.get('message'), 'bad \uFFFD\uFFFD end');
  assert.equal(out[1]!.get('host'), 'b');
});

test('syslog: a bad grok_pattern, timezone or locale is a config error at start', () => {
  const ctx = testContext('syslog');
  for (const [settings, re] of [
    [{ grok_pattern: '%{NOSUCHPATTERN:x}' }, /NOSUCHPATTERN/],
    [{ timezone: 'Mars/Olympus' }, /Mars/],
  ] as const) {
    const options = builtinRegistry().validate(syslogInput, settingsOf(settings as Record<string, ConfigValue>));
    assert.throws(() => syslogInput.createSource(options as never, ctx), re);
  }
});
