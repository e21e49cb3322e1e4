/**
 * The rest of the firewalls file: Juniper NetScreen session logs, the ECS-only IPTABLES pattern and
 * the Cisco syslog header, per logstash-patterns-core's netscreen and firewalls specs (our own
 * sample lines). ECS interface names go to [observer][ingress|egress][interface][name], as in the
 * released ecs-v1 file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGrok, standardPatterns } from '../../../../../src/plugins/filters/grok/index.js';
import { exactly, grok, noMatch } from './expect.js';

const NS_FULL = 'Oct 12 08:09:10 fw-dc1 ssg550-B: NetScreen device_id=0185062007000123 [Root]system-notification-00257(traffic): ' +
  'start_time="2021-10-12 08:09:05" duration=5 policy_id=17 service=ssh proto=6 src zone=Trust dst zone=Untrust action=Permit sent=4096 rcvd=8192 ' +
  'src=10.10.1.20 dst=198.51.100.80 src_port=50022 dst_port=22 src-xlated ip=203.0.113.2 port=40022 dst-xlated ip=198.51.100.80 port=22 ' +
  'session_id=77123 reason=Close - TCP FIN';

test('NETSCREENSESSIONLOG: a complete session line in both modes', () => {
  exactly(grok('%{NETSCREENSESSIONLOG}', NS_FULL, 'v1'), {
    timestamp: 'Oct 12 08:09:10',
    observer: { hostname: 'fw-dc1', name: 'ssg550-B', product: 'NetScreen', ingress: { zone: 'Trust' }, egress: { zone: 'Untrust' } },
    netscreen: {
      device_id: '0185062007000123', policy_id: '17', service: 'ssh', protocol_number: 6,
      session: { type: 'traffic', start_time: '2021-10-12 08:09:05', duration: 5, id: '77123', reason: 'Close - TCP FIN' },
    },
    event: { code: '00257', action: 'Permit' },
    source: { bytes: 4096, address: '10.10.1.20', port: 50022, nat: { ip: '203.0.113.2', port: 40022 } },
    destination: { bytes: 8192, address: '198.51.100.80', port: 22, nat: { ip: '198.51.100.80', port: 22 } },
  });
  // Legacy: everything a string, the start time keeps its quotes.
  exactly(grok('%{NETSCREENSESSIONLOG}', NS_FULL, 'disabled'), {
    date: 'Oct 12 08:09:10', device: 'fw-dc1', device_id: '0185062007000123', start_time: '"2021-10-12 08:09:05"', duration: '5', policy_id: '17',
    service: 'ssh', proto: '6', src_zone: 'Trust', dst_zone: 'Untrust', action: 'Permit', sent: '4096', rcvd: '8192', src_ip: '10.10.1.20',
    dst_ip: '198.51.100.80', src_port: '50022', dst_port: '22', src_xlated_ip: '203.0.113.2', src_xlated_port: '40022',
    dst_xlated_ip: '198.51.100.80', dst_xlated_port: '22', session_id: '77123', reason: 'Close - TCP FIN',
  });
});

test('NETSCREENSESSIONLOG: lines without ports, translation or session suffix match in ECS mode only', () => {
  const bare = 'Oct 12 08:09:11 192.0.2.250 edge-fw: NetScreen device_id=edgefw2 [Root]system-notification-00257(traffic): start_time="2021-10-12 08:09:11" ' +
    'duration=0 policy_id=320001 service=msrpc Endpoint Mapper(tcp) proto=6 src zone=Null dst zone=self action=Deny sent=0 rcvd=48 src=192.0.2.99 dst=192.0.2.250';
  exactly(grok('%{NETSCREENSESSIONLOG}', bare, 'v1'), {
    timestamp: 'Oct 12 08:09:11',
    observer: { hostname: '192.0.2.250', name: 'edge-fw', product: 'NetScreen', ingress: { zone: 'Null' }, egress: { zone: 'self' } },
    netscreen: {
      device_id: 'edgefw2', policy_id: '320001', service: 'msrpc Endpoint Mapper(tcp)', protocol_number: 6,
      session: { type: 'traffic', start_time: '2021-10-12 08:09:11', duration: 0 },
    },
    event: { code: '00257', action: 'Deny' },
    source: { bytes: 0, address: '192.0.2.99' }, destination: { bytes: 48, address: '192.0.2.250' },
  });
  noMatch('%{NETSCREENSESSIONLOG}', bare, 'disabled');

  const ports = 'Oct 12 08:09:12 fw02 ns5gt: NetScreen device_id=ns5gt  [Root]system-notification-00257(traffic): start_time="2021-10-12 08:09:12" ' +
    'duration=0 policy_id=5 service=udp/port:5060 proto=17 src zone=Trust dst zone=DMZ action=Deny sent=0 rcvd=0 src=10.0.0.9 dst=10.1.0.9 src_port=5060 dst_port=5060';
  const e = grok('%{NETSCREENSESSIONLOG}', ports, 'v1');
  assert.deepEqual(e['event'], { code: '00257', action: 'Deny' });
  assert.deepEqual(e['source'], { bytes: 0, address: '10.0.0.9', port: 5060 });
  noMatch('%{NETSCREENSESSIONLOG}', ports, 'disabled');

  const withSession = grok('%{NETSCREENSESSIONLOG}', `${ports} session_id=0 reason=Traffic Denied`, 'v1');
  assert.deepEqual(withSession['netscreen'], {
    device_id: 'ns5gt', policy_id: '5', service: 'udp/port:5060', protocol_number: 17,
    session: { type: 'traffic', start_time: '2021-10-12 08:09:12', duration: 0, id: '0', reason: 'Traffic Denied' },
  });
  assert.deepEqual(withSession['observer'], { hostname: 'fw02', name: 'ns5gt', product: 'NetScreen', ingress: { zone: 'Trust' }, egress: { zone: 'DMZ' } });
  noMatch('%{NETSCREENSESSIONLOG}', `${ports} session_id=0 reason=Traffic Denied`, 'disabled');
});

test('IPTABLES (ECS only): IPv4 TCP with MACs, flags and window; TOS/PREC keep their hex digits as strings', () => {
  const line = 'IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=198.51.100.9 DST=192.0.2.20 LEN=60 TOS=0x10 PREC=0x00 TTL=51 ID=30517 DF ' +
    'PROTO=TCP SPT=44123 DPT=22 WINDOW=29200 RES=0x00 SYN URGP=0';
  exactly(grok('%{IPTABLES}', line, 'v1'), {
    observer: { ingress: { interface: { name: 'eth0' } } },
    iptables: { length: 60, tos: '10', precedence_bits: '00', ttl: 51, id: '30517', fragment_flags: 'DF', tcp: { window: 29200, flags: 'SYN ' }, tcp_reserved_bits: '00' },
    destination: { mac: '52:54:00:12:34:56', ip: '192.0.2.20', port: 22 },
    source: { mac: '52:54:00:65:43:21', ip: '198.51.100.9', port: 44123 },
    network: { transport: 'TCP' },
  });
  assert.throws(() => compileGrok('%{IPTABLES}', { patterns: standardPatterns('disabled') }), /IPTABLES/);
});

test('IPTABLES: forwarded UDP with both interfaces and no MAC', () => {
  const line = 'IN=eth1 OUT=eth0 SRC=10.0.0.5 DST=203.0.113.53 LEN=73 TOS=0x00 PREC=0x00 TTL=63 ID=1234 PROTO=UDP SPT=5353 DPT=53 LEN=53';
  exactly(grok('%{IPTABLES}', line, 'v1'), {
    observer: { ingress: { interface: { name: 'eth1' } }, egress: { interface: { name: 'eth0' } } },
    iptables: { length: 73, tos: '00', precedence_bits: '00', ttl: 63, id: '1234' },
    source: { ip: '10.0.0.5', port: 5353 }, destination: { ip: '203.0.113.53', port: 53 },
    network: { transport: 'UDP' },
  });
});

test('IPTABLES: IPv6 (traffic class, hop limit, flow label), TCP sequence numbers, IPv4 fragments', () => {
  const v6 = 'IN=eth0 OUT= MAC= SRC=2001:0db8:0000:0000:0000:0000:0000:0001 DST=2001:0db8:0000:0000:0000:0000:0000:0002 LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=12345 ' +
    'PROTO=TCP SPT=40000 DPT=443 WINDOW=64800 RES=0x00 ACK PSH URGP=0';
  exactly(grok('%{IPTABLES}', v6, 'v1'), {
    observer: { ingress: { interface: { name: 'eth0' } } },
    iptables: { length: 80, ttl: 64, flow_label: '12345', tcp: { window: 64800, flags: 'ACK PSH ' }, tcp_reserved_bits: '00' },
    source: { ip: '2001:0db8:0000:0000:0000:0000:0000:0001', port: 40000 },
    destination: { ip: '2001:0db8:0000:0000:0000:0000:0000:0002', port: 443 },
    network: { transport: 'TCP' },
  });

  const seq = 'IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=52 TOS=0x00 PREC=0x00 TTL=64 ID=999 DF PROTO=TCP SPT=1 DPT=2 SEQ=123456 ACK=654321 WINDOW=502 RES=0x00 ACK FIN URGP=0';
  assert.deepEqual(grok('%{IPTABLES}', seq, 'v1')['iptables'], {
    length: 52, tos: '00', precedence_bits: '00', ttl: 64, id: '999', fragment_flags: 'DF',
    tcp: { seq: 123456, ack: 654321, window: 502, flags: 'ACK FIN ' }, tcp_reserved_bits: '00',
  });

  const frag = 'IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=1500 TOS=0x00 PREC=0x00 TTL=64 ID=999 MF FRAG: 185 PROTO=UDP SPT=1 DPT=2 LEN=1480';
  assert.deepEqual(grok('%{IPTABLES}', frag, 'v1')['iptables'], {
    length: 1500, tos: '00', precedence_bits: '00', ttl: 64, id: '999', fragment_flags: 'MF', fragment_offset: 185,
  });
  // Something must follow DPT=… (upstream requires whitespace there).
  noMatch('%{IPTABLES}', 'IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=28 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=UDP SPT=1 DPT=2', 'v1');
});

test('CISCO_TAGGED_SYSLOG: priority, optional year and host, tag', () => {
  const line = '<166>Mar 24 2024 10:11:12 asa-fw01 : %ASA-6-302013:';
  exactly(grok('%{CISCO_TAGGED_SYSLOG}', line, 'v1'), {
    log: { syslog: { priority: 166 } }, timestamp: 'Mar 24 2024 10:11:12', host: { hostname: 'asa-fw01' }, cisco: { asa: { tag: 'ASA-6-302013' } },
  });
  exactly(grok('%{CISCO_TAGGED_SYSLOG}', line, 'disabled'), { syslog_pri: '166', timestamp: 'Mar 24 2024 10:11:12', sysloghost: 'asa-fw01', ciscotag: 'ASA-6-302013' });
  exactly(grok('%{CISCO_TAGGED_SYSLOG}', '<187>Mar 24 10:11:12: %FW-3-CONN:', 'disabled'), { syslog_pri: '187', timestamp: 'Mar 24 10:11:12', ciscotag: 'FW-3-CONN' });
  // Anchored at the start of the text.
  noMatch('%{CISCO_TAGGED_SYSLOG}', `x ${line}`, 'v1');
});
