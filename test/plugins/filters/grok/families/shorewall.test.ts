/** Shorewall (SHOREWALL in the firewalls file): field layout per logstash-patterns-core's shorewall spec. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grok, includes } from './expect.js';

const P = '%{SHOREWALL}';

test('shorewall: a forwarded UDP packet with both interfaces', () => {
  const line = 'Jan  9 04:12:33 gw01 kernel: [881234.102938] Shorewall:FORWARD:ACCEPT:' +
    'IN=br0 OUT=eth0 SRC=10.9.8.7 DST=203.0.113.9 LEN=76 TOS=0x10 PREC=0x20 TTL=64 ID=4242 PROTO=UDP SPT=40123 DPT=123 LEN=56';
  includes(grok(P, line, 'v1'), {
    timestamp: 'Jan  9 04:12:33',
    host: { hostname: 'gw01' },
    shorewall: { firewall: { type: 'FORWARD', action: 'ACCEPT' } },
    iptables: { input_interface: 'br0', output_interface: 'eth0', length: 76, tos: '10', precedence_bits: '20', ttl: 64, id: '4242' },
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
    host: { hostname: 'edge' },
    shorewall: { firewall: { type: 'net2fw', action: 'DROP' } },
    iptables: {
      input_interface: 'ppp0', length: 52, tos: '00', precedence_bits: '00', ttl: 113, id: '31000',
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
