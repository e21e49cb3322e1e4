/**
 * Exim main log message arrivals: field layout per logstash-patterns-core's exim spec (our own
 * sample lines). ECS names follow the released ecs-v1 file: the remote host in [source][…], the
 * receiving interface in [destination][…], the HELO name in [exim][log][remote_address].
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactly, grok, MODES, noMatch } from './expect.js';

const legacyDate = (d: string, t: string): Record<string, string> => {
  const [y, m, day] = d.split('-') as [string, string, string];
  return { timestamp: `${d} ${t}`, exim_year: y, exim_month: m, exim_day: day, exim_time: t };
};

test('EXIM: an old-style arrival (no pid, no recipient)', () => {
  const line = '2001-12-24 18:30:00 1aBcDe-000123-Xy <= santa@north.pole.example H=sleigh.pole.example [198.51.100.25] U=santa P=smtp S=1234 id=gift-77@north.pole.example';
  exactly(grok('%{EXIM}', line, 'v1'), {
    timestamp: '2001-12-24 18:30:00',
    exim: { log: { message: { id: '1aBcDe-000123-Xy', size: 1234 }, flags: '<=', sender: { email: 'santa@north.pole.example' }, header_id: 'gift-77@north.pole.example' } },
    source: { address: 'sleigh.pole.example', ip: '198.51.100.25' },
    network: { protocol: 'smtp' },
  });
  exactly(grok('%{EXIM}', line, 'disabled'), {
    ...legacyDate('2001-12-24', '18:30:00'), exim_msgid: '1aBcDe-000123-Xy', exim_flags: '<=', exim_sender_email: 'santa@north.pole.example',
    remote_hostname: 'sleigh.pole.example', remote_host: '198.51.100.25', protocol: 'smtp', exim_msg_size: '1234', exim_header_id: 'gift-77@north.pole.example',
  });
});

test('EXIM: a new-style arrival with pid, ports, interface, subject and recipient', () => {
  const line = '2016-05-06 07:08:09 [2231] 1b2C3d-0004eF-Gh <= news@lists.example.org H=relay.example.org [203.0.113.14]:41987 I=[192.0.2.25]:587 ' +
    'P=esmtpsa X=TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256 CV=no A=plain:news S=20480 id=msg-1@lists.example.org T="Weekly digest: May" for bob@example.net';
  exactly(grok('%{EXIM}', line, 'v1'), {
    timestamp: '2016-05-06 07:08:09',
    process: { pid: 2231 },
    exim: {
      log: {
        message: { id: '1b2C3d-0004eF-Gh', size: 20480, subject: 'Weekly digest: May' }, flags: '<=', sender: { email: 'news@lists.example.org' },
        header_id: 'msg-1@lists.example.org', recipient: { email: 'bob@example.net' },
      },
    },
    source: { address: 'relay.example.org', ip: '203.0.113.14', port: 41987 },
    destination: { ip: '192.0.2.25', port: 587 },
    network: { protocol: 'esmtpsa' },
  });
  exactly(grok('%{EXIM}', line, 'disabled'), {
    ...legacyDate('2016-05-06', '07:08:09'), pid: '2231', exim_msgid: '1b2C3d-0004eF-Gh', exim_flags: '<=', exim_sender_email: 'news@lists.example.org',
    remote_hostname: 'relay.example.org', remote_host: '203.0.113.14', remote_port: '41987', exim_interface: '192.0.2.25', exim_interface_port: '587',
    protocol: 'esmtpsa', exim_msg_size: '20480', exim_header_id: 'msg-1@lists.example.org', exim_subject: '"Weekly digest: May"',
    exim_recipient_email: 'bob@example.net',
  });
});

test('EXIM: a local submission whose subject holds escaped quotes (kept escaped; legacy keeps the outer quotes)', () => {
  const line = '2020-02-11 17:09:46 1j1Z2g-00Faoy-Uh <= alerts@monitor.example U=alerts P=local T="[ops] Disk full on \\"db-1\\"" for oncall@example.net';
  exactly(grok('%{EXIM}', line, 'v1'), {
    timestamp: '2020-02-11 17:09:46',
    exim: {
      log: {
        message: { id: '1j1Z2g-00Faoy-Uh', subject: '[ops] Disk full on \\"db-1\\"' }, flags: '<=', sender: { email: 'alerts@monitor.example' },
        recipient: { email: 'oncall@example.net' },
      },
    },
    network: { protocol: 'local' },
  });
  exactly(grok('%{EXIM}', line, 'disabled'), {
    ...legacyDate('2020-02-11', '17:09:46'), exim_msgid: '1j1Z2g-00Faoy-Uh', exim_flags: '<=', exim_sender_email: 'alerts@monitor.example',
    protocol: 'local', exim_subject: '"[ops] Disk full on \\"db-1\\""', exim_recipient_email: 'oncall@example.net',
  });
});

test('EXIM: host name, HELO name in parentheses, address', () => {
  const line = '2013-03-20 12:44:02 1UIIN7-0004t9-8R <= cron@host.example H=localhost (helo.host.example) [127.0.0.1] P=esmtps X=TLSv1:DHE-RSA-AES256-SHA:256 S=811 id=201303201244.abc@host.example';
  exactly(grok('%{EXIM}', line, 'v1'), {
    timestamp: '2013-03-20 12:44:02',
    exim: {
      log: {
        message: { id: '1UIIN7-0004t9-8R', size: 811 }, flags: '<=', sender: { email: 'cron@host.example' }, remote_address: 'helo.host.example',
        header_id: '201303201244.abc@host.example',
      },
    },
    source: { address: 'localhost', ip: '127.0.0.1' },
    network: { protocol: 'esmtps' },
  });
  const legacy = grok('%{EXIM}', line, 'disabled');
  assert.deepEqual([legacy['remote_hostname'], legacy['remote_heloname'], legacy['remote_host']], ['localhost', 'helo.host.example', '127.0.0.1']);
});

test('EXIM: an unknown field with a digit (M8S=) ends the legacy field list; ECS reads on, including "from <…>"', () => {
  const line = '2014-08-10 11:18:35 [28107] 1gsu1C-003dCu-Hb <= carol@example.com H=localhost (10.5.40.204) [127.0.0.1]:39753 I=[127.0.0.1]:25 ' +
    'P=esmtpa A=dovecot_plain:carol@example.com S=4315 M8S=0 id=x1@example.com T="what\'s new?!" from <carol@example.com> for carol+fwd@example.com';
  exactly(grok('%{EXIM}', line, 'v1'), {
    timestamp: '2014-08-10 11:18:35',
    process: { pid: 28107 },
    exim: {
      log: {
        message: { id: '1gsu1C-003dCu-Hb', size: 4315, subject: "what's new?!" }, flags: '<=',
        sender: { email: 'carol@example.com', original: 'carol@example.com' }, remote_address: '10.5.40.204', header_id: 'x1@example.com',
        recipient: { email: 'carol+fwd@example.com' },
      },
    },
    source: { address: 'localhost', ip: '127.0.0.1', port: 39753 },
    destination: { ip: '127.0.0.1', port: 25 },
    network: { protocol: 'esmtpa' },
  });
  exactly(grok('%{EXIM}', line, 'disabled'), {
    ...legacyDate('2014-08-10', '11:18:35'), pid: '28107', exim_msgid: '1gsu1C-003dCu-Hb', exim_flags: '<=', exim_sender_email: 'carol@example.com',
    remote_hostname: 'localhost', remote_heloname: '10.5.40.204', remote_host: '127.0.0.1', remote_port: '39753',
    exim_interface: '127.0.0.1', exim_interface_port: '25', protocol: 'esmtpa', exim_msg_size: '4315',
  });
});

test('EXIM: only arrivals are parsed (a delivery failure does not match); legacy needs a two-letter local part', () => {
  for (const m of MODES) noMatch('%{EXIM}', '2020-02-11 17:09:47 1j1Z2g-00Faoy-Uh ** admin@example.net R=virtual_aliases: No such person at this address.', m);
  const oneLetter = '2001-12-24 18:30:00 1aBcDe-000123-Xy <= a@b.example S=10';
  // Legacy EMAILLOCALPART is [a-zA-Z][a-zA-Z0-9_.+-=:]+ ; the ECS one accepts a single character.
  noMatch('%{EXIM}', oneLetter, 'disabled');
  assert.equal(grok('%{EXIM}', oneLetter, 'v1')['timestamp'], '2001-12-24 18:30:00');
});
