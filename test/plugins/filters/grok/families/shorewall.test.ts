/** Shorewall (SHOREWALL in the firewalls file): field layout per logstash-patterns-core's shorewall spec; ECS interface and host names as the released ecs-v1 file has them ([observer][…]). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grok, includes, MODES, noMatch } from './expect.js';

const P = '%{SHOREWALL}';

test('shorewall: a forwarded UDP packet with both interfaces', () => {
  const line = 'Jan  9 04:12:33 gw01 kernel: [881234.102938] Shorewall:FORWARD:ACCEPT:' +
    'IN=br0 OUT=eth0 SRC=10.9.8.7 DST=203.0.113.9 LEN=76 TOS=0x10 PREC=0x20 TTL=64 ID=4242 PROTO=UDP SPT=40123 DPT=123 LEN=56';
  includes(grok(P, line, 'v1'), {
    timestamp: 'Jan  9 04:12:33',
    observer: { hostname: 'gw01', ingress: { interface: { name: 'br0' } }, egress: { interface: { name: 'eth0' } } },
    shorewall: { firewall: { type: 'FORWARD', action: 'ACCEPT' } },
    iptables: { length: 76, tos: '10', precedence_bits: '20', ttl: 64, id: '4242' },
    network: { transport: 'UDP' },
    source: { ip: '10.9.8.7', port: 40123 },
    destination: { ip: '203.0.113.9', port: 123 },
  });
  includes(grok(P, line, 'disabled'), {
    timestamp: 'Jan  9 04:12:33', nf_host: 'gw01', nf_action1: 'FORWARD', nf_action2: 'ACCEPT',
    nf_in_interface: 'br0', nf_out_interface: 'eth0', nf_src_ip: '10.9.8.7', nf_dst_ip: '203.0.113.9',
    nf_len: '76', nf_tos: '0x10', nf_prec: '0x20', nf_ttl: '64', nf_id: '4242', nf_protocol: 'UDP', nf_src_port: '40123', nf_dst_port: '123',
  });
});

test('shorewall: a dropped TCP SYN without OUT interface, with MAC addresses and TCP details', () => {
  const line = 'Feb 14 23:01:59 edge Shorewall:net2fw:DROP:' +
    'IN=ppp0 OUT= MAC=52:54:00:aa:bb:01:52:54:00:cc:dd:02:08:00 SRC=198.51.100.23 DST=192.0.2.10 LEN=52 TOS=0x00 PREC=0x00 TTL=113 ID=31000 DF PROTO=TCP SPT=51515 DPT=3389 WINDOW=64240 RES=0x00 SYN URGP=0';
  const ecs = grok(P, line, 'v1');
  includes(ecs, {
    timestamp: 'Feb 14 23:01:59',
    // No OUT interface: no [observer][egress].
    observer: { hostname: 'edge', ingress: { interface: { name: 'ppp0' } } },
    shorewall: { firewall: { type: 'net2fw', action: 'DROP' } },
    iptables: {
      length: 52, tos: '00', precedence_bits: '00', ttl: 113, id: '31000',
      fragment_flags: 'DF', tcp: { flags: 'SYN ', window: 64240 }, tcp_reserved_bits: '00',
    },
    network: { transport: 'TCP' },
    source: { ip: '198.51.100.23', port: 51515, mac: '52:54:00:cc:dd:02' },
    destination: { ip: '192.0.2.10', port: 3389, mac: '52:54:00:aa:bb:01' },
  });
  const legacy = grok(P, line, 'disabled');
  includes(legacy, {
    nf_host: 'edge', nf_action1: 'net2fw', nf_action2: 'DROP', nf_in_interface: 'ppp0',
    nf_dst_mac: '52:54:00:aa:bb:01', nf_src_mac: '52:54:00:cc:dd:02', nf_src_ip: '198.51.100.23', nf_dst_ip: '192.0.2.10',
    nf_len: '52', nf_tos: '0x00', nf_prec: '0x00', nf_ttl: '113', nf_id: '31000', nf_protocol: 'TCP', nf_src_port: '51515', nf_dst_port: '3389',
  });
  assert.equal(legacy['nf_out_interface'], undefined);
});

test('SFW2 (SuSE firewall): ECS observer/suse/iptables fields; legacy nf_* fields', () => {
  const udp = 'Apr  2 03:04:05 router kernel: SFW2-INext-DROP-DEFLT IN=wan0 OUT= MAC= SRC=198.51.100.61 DST=192.0.2.1 LEN=328 TOS=0x00 PREC=0x00 TTL=55 ID=4711 PROTO=UDP SPT=68 DPT=67 LEN=308';
  includes(grok('%{SFW2}', udp, 'v1'), {
    timestamp: 'Apr  2 03:04:05', observer: { hostname: 'router', ingress: { interface: { name: 'wan0' } } },
    suse: { firewall: { action: 'DROP-DEFLT', log_prefix: 'SFW2-INext-DROP-DEFLT' } },
    source: { ip: '198.51.100.61', port: 68 }, destination: { ip: '192.0.2.1', port: 67 },
    iptables: { length: 328, id: '4711', ttl: 55, tos: '00', precedence_bits: '00' },
    network: { transport: 'UDP' },
  });
  includes(grok('%{SFW2}', udp, 'disabled'), { nf_action: 'DROP-DEFLT', nf_in_interface: 'wan0', nf_src_ip: '198.51.100.61', nf_dst_ip: '192.0.2.1', nf_protocol: 'UDP' });

  const tcp = 'Apr  2 03:04:06 router kernel: [12345.678901] SFW2-INext-ACC-TCP IN=lan0 OUT= MAC=52:54:00:11:22:33:52:54:00:44:55:66:08:00 SRC=192.168.1.50 DST=192.168.1.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=999 DF PROTO=TCP SPT=40001 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0 OPT (020405B4)';
  includes(grok('%{SFW2}', tcp, 'v1'), {
    observer: { hostname: 'router', ingress: { interface: { name: 'lan0' } } }, suse: { firewall: { action: 'ACC-TCP', log_prefix: 'SFW2-INext-ACC-TCP' } },
    source: { mac: '52:54:00:44:55:66', ip: '192.168.1.50', port: 40001 }, destination: { mac: '52:54:00:11:22:33', ip: '192.168.1.1', port: 22 },
    iptables: { length: 60, id: '999', tos: '00', fragment_flags: 'DF', ttl: 64, precedence_bits: '00', tcp: { flags: 'SYN ', window: 64240 }, tcp_reserved_bits: '00' },
    network: { transport: 'TCP' },
  });
  // Legacy reads the kernel uptime stamp with NAGIOSTIME, hence a nagios_epoch field (as upstream's spec notes).
  includes(grok('%{SFW2}', tcp, 'disabled'), {
    nagios_epoch: '12345.678901', nf_action: 'ACC-TCP', nf_in_interface: 'lan0', nf_dst_port: '22', nf_dst_mac: '52:54:00:11:22:33', nf_src_mac: '52:54:00:44:55:66',
    nf_dst_ip: '192.168.1.1', nf_src_ip: '192.168.1.50', nf_src_port: '40001', nf_protocol: 'TCP',
  });

  // Only SFW2-INext-* prefixes are matched.
  const other = 'Apr  2 03:04:07 router kernel: SFW2-IN-ACC-RELATED IN=lan0 OUT= MAC= SRC=192.168.1.50 DST=192.168.1.1 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=TCP SPT=1 DPT=2 WINDOW=1 RES=0x00 ACK URGP=0';
  for (const m of MODES) noMatch('%{SFW2}', other, m);
});
