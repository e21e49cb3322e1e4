/** Cisco ASA (firewalls file): legacy fields per logstash-patterns-core's firewalls spec; ECS hash codes go to @metadata. */
import { test } from 'node:test';
import { grok, includes } from './expect.js';

test('CISCOFW legacy fields: failover reason, interface, policy id, URL access', () => {
  includes(grok('%{CISCOFW104001}', '(Primary) Switching to ACTIVE - HELLO not heard from mate', 'disabled'), { switch_reason: 'HELLO not heard from mate' });
  includes(grok('%{CISCOFW106015}', 'Deny TCP (no connection) from 10.9.9.9/443 to 192.0.2.77/51000 flags FIN ACK on interface dmz', 'disabled'), { interface: 'dmz' });
  includes(grok('%{CISCOFW106100}', 'access-list dmz-in permitted udp dmz/10.5.5.5(5353) -> inside/10.6.6.6(53) hit-cnt 3 300-second interval [0x1a2b3c4d, 0x0]', 'disabled'), { policy_id: 'dmz-in' });
  includes(grok('%{CISCOFW304001}', '10.1.2.3(CORP\\jdoe) Accessed URL 198.51.100.200:https://intranet.example/wiki', 'disabled'), {
    src_ip: '10.1.2.3', src_fwuser: 'CORP\\jdoe', dst_ip: '198.51.100.200', dst_url: 'https://intranet.example/wiki',
  });
});

test('CISCOFW106023: protocol name or number, host names; ECS keeps the hash codes in @metadata', () => {
  const line = 'Deny udp src outside:203.0.113.9/5060 dst inside:10.1.1.20/5060 by access-group "ACL_OUTSIDE_IN" [0x8d3e1f20, 0x0]';
  includes(grok('%{CISCOFW106023}', line, 'disabled'), {
    action: 'Deny', src_interface: 'outside', dst_interface: 'inside', protocol: 'udp', src_ip: '203.0.113.9', dst_ip: '10.1.1.20', policy_id: 'ACL_OUTSIDE_IN',
  });
  includes(grok('%{CISCOFW106023}', line, 'v1'), {
    '@metadata': { cisco: { asa: { hashcode1: '0x8d3e1f20', hashcode2: '0x0' } } },
    source: { ip: '203.0.113.9', port: 5060 }, destination: { ip: '10.1.1.20', port: 5060 },
  });
  const proto = 'Deny protocol 47 src outside:203.0.113.9 dst inside:10.1.1.20 by access-group "ACL_OUTSIDE_IN" [0x8d3e1f20, 0x0]';
  includes(grok('%{CISCOFW106023}', proto, 'disabled'), { action: 'Deny', protocol: '47', src_ip: '203.0.113.9', dst_ip: '10.1.1.20' });
  const host = 'Deny tcp src outside:203.0.113.9/40000 dst inside:mail.corp.example/25 by access-group "ACL_OUTSIDE_IN" [0x8d3e1f20, 0x0]';
  includes(grok('%{CISCOFW106023}', host, 'disabled'), { dst_ip: 'mail.corp.example', dst_interface: 'inside', policy_id: 'ACL_OUTSIDE_IN' });
});
