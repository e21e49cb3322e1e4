/**
 * Juniper SRX RT_FLOW session logs (junos file): field layout per logstash-patterns-core's junos
 * spec (our own sample lines). ECS: the protocol number and session id stay strings, byte counts
 * and the elapsed time are numbers, a "None" NAT rule leaves no field.
 */
import { test } from 'node:test';
import { exactly, grok } from './expect.js';

test('RT_FLOW1: session close with NAT, byte counts and elapsed time', () => {
  const line = 'Jan  5 10:11:12 srx-edge RT_FLOW: RT_FLOW_SESSION_CLOSE: session closed TCP RST: 192.168.10.5/50123->203.0.113.80/443 junos-https ' +
    '198.51.100.2/21000->203.0.113.80/443 src-nat-1 None 6 allow-web trust untrust 40123 15(2200) 20(18000) 12 UNKNOWN UNKNOWN N/A(N/A) ge-0/0/2.0 UNKNOWN';
  exactly(grok('%{RT_FLOW1}', line, 'v1'), {
    juniper: { srx: { tag: 'RT_FLOW_SESSION_CLOSE', reason: 'session closed TCP RST', service_name: 'junos-https', src_nat_rule_name: 'src-nat-1', session_id: '40123', elapsed_time: 12 } },
    source: { ip: '192.168.10.5', port: 50123, nat: { ip: '198.51.100.2', port: 21000 }, bytes: 2200 },
    destination: { ip: '203.0.113.80', port: 443, nat: { ip: '203.0.113.80', port: 443 }, bytes: 18000 },
    network: { iana_number: '6' },
    rule: { name: 'allow-web' },
    observer: { ingress: { zone: 'trust' }, egress: { zone: 'untrust' } },
  });
  exactly(grok('%{RT_FLOW1}', line, 'disabled'), {
    event: 'RT_FLOW_SESSION_CLOSE', 'close-reason': 'session closed TCP RST', 'src-ip': '192.168.10.5', 'src-port': '50123', 'dst-ip': '203.0.113.80', 'dst-port': '443',
    service: 'junos-https', 'nat-src-ip': '198.51.100.2', 'nat-src-port': '21000', 'nat-dst-ip': '203.0.113.80', 'nat-dst-port': '443',
    'src-nat-rule-name': 'src-nat-1', 'dst-nat-rule-name': 'None', 'protocol-id': '6', 'policy-name': 'allow-web', 'from-zone': 'trust', 'to-zone': 'untrust',
    'session-id': '40123', sent: '2200', received: '18000', 'elapsed-time': '12',
  });
});

test('RT_FLOW2: session create', () => {
  const line = 'Jan  5 10:11:00 srx-edge RT_FLOW: RT_FLOW_SESSION_CREATE: session created 192.168.10.5/50123->203.0.113.80/443 junos-https ' +
    '198.51.100.2/21000->203.0.113.80/443 None None 6 allow-web trust untrust 40123 N/A(N/A) ge-0/0/2.0';
  exactly(grok('%{RT_FLOW2}', line, 'v1'), {
    juniper: { srx: { tag: 'RT_FLOW_SESSION_CREATE', service_name: 'junos-https', session_id: '40123' } },
    source: { ip: '192.168.10.5', port: 50123, nat: { ip: '198.51.100.2', port: 21000 } },
    destination: { ip: '203.0.113.80', port: 443, nat: { ip: '203.0.113.80', port: 443 } },
    network: { iana_number: '6' }, rule: { name: 'allow-web' }, observer: { ingress: { zone: 'trust' }, egress: { zone: 'untrust' } },
  });
  exactly(grok('%{RT_FLOW2}', line, 'disabled'), {
    event: 'RT_FLOW_SESSION_CREATE', 'src-ip': '192.168.10.5', 'src-port': '50123', 'dst-ip': '203.0.113.80', 'dst-port': '443', service: 'junos-https',
    'nat-src-ip': '198.51.100.2', 'nat-src-port': '21000', 'nat-dst-ip': '203.0.113.80', 'nat-dst-port': '443', 'src-nat-rule-name': 'None',
    'dst-nat-rule-name': 'None', 'protocol-id': '6', 'policy-name': 'allow-web', 'from-zone': 'trust', 'to-zone': 'untrust', 'session-id': '40123',
  });
});

test('RT_FLOW3: session denied, the policy name keeps its "(global)"', () => {
  const line = 'Jan  5 10:12:00 srx-edge RT_FLOW: RT_FLOW_SESSION_DENY: session denied 10.20.30.40/5353->224.0.0.251/5353 junos-mdns 17(0) deny-all(global) ' +
    'trust trust UNKNOWN UNKNOWN N/A(N/A) ge-0/0/1.0 UNKNOWN policy deny';
  exactly(grok('%{RT_FLOW3}', line, 'v1'), {
    juniper: { srx: { tag: 'RT_FLOW_SESSION_DENY', service_name: 'junos-mdns' } },
    source: { ip: '10.20.30.40', port: 5353 }, destination: { ip: '224.0.0.251', port: 5353 },
    network: { iana_number: '17' }, rule: { name: 'deny-all(global)' }, observer: { ingress: { zone: 'trust' }, egress: { zone: 'trust' } },
  });
  exactly(grok('%{RT_FLOW3}', line, 'disabled'), {
    event: 'RT_FLOW_SESSION_DENY', 'src-ip': '10.20.30.40', 'src-port': '5353', 'dst-ip': '224.0.0.251', 'dst-port': '5353', service: 'junos-mdns',
    'protocol-id': '17', 'policy-name': 'deny-all(global)', 'from-zone': 'trust', 'to-zone': 'trust',
  });
});
