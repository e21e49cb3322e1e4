import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { syslogPriFilter } from '../../../../src/plugins/filters/syslog_pri/index.js';

test('syslog_pri: decodes syslog_pri into codes and labels (legacy names)', async () => {
  const f = await makeFilter(syslogPriFilter, {});
  const [e] = await f.one({ syslog_pri: '165' });
  assert.equal(e!.get('syslog_facility_code'), 20);
  assert.equal(e!.get('syslog_severity_code'), 5);
  assert.equal(e!.get('syslog_facility'), 'local4');
  assert.equal(e!.get('syslog_severity'), 'notice');
});

test('syslog_pri: ECS names read [log][syslog][priority] and write [log][syslog][facility|severity]', async () => {
  for (const ecs of ['v1', 'v8'] as const) {
    const f = await makeFilter(syslogPriFilter, {}, { ecs });
    const [e] = await f.one({ log: { syslog: { priority: 30 } } });
    assert.deepEqual(e!.get('[log][syslog]'), {
      priority: 30,
      facility: { code: 3, name: 'daemon' },
      severity: { code: 6, name: 'informational' },
    }, ecs);
    assert.equal(e!.get('syslog_facility_code'), undefined);
  }
});

test('syslog_pri: a missing field means priority 13 (user-level notice), and the filter still matches', async () => {
  const f = await makeFilter(syslogPriFilter, { add_tag: ['pri_done'] });
  const [e] = await f.one({ message: 'no pri here' });
  assert.equal(e!.get('syslog_facility_code'), 1);
  assert.equal(e!.get('syslog_severity_code'), 5);
  assert.equal(e!.get('syslog_facility'), 'user-level');
  assert.equal(e!.get('syslog_severity'), 'notice');
  assert.ok(e!.hasTag('pri_done'));
});

test('syslog_pri: custom field name, an array takes its first element, use_labels false sets codes only', async () => {
  const f = await makeFilter(syslogPriFilter, { syslog_pri_field_name: '[raw][pri]', use_labels: false });
  const [e] = await f.one({ raw: { pri: ['0', '191'] } });
  assert.equal(e!.get('syslog_facility_code'), 0);
  assert.equal(e!.get('syslog_severity_code'), 0);
  assert.equal(e!.get('syslog_facility'), undefined);
  assert.equal(e!.get('syslog_severity'), undefined);
});

test('syslog_pri: text is read as Ruby to_i does (leading integer, else 0); custom labels; out-of-range labels are not set', async () => {
  const f = await makeFilter(syslogPriFilter, { facility_labels: ['k', 'u'], severity_labels: ['E', 'A', 'C', 'R', 'W', 'N', 'I', 'D'] });
  const [a] = await f.one({ syslog_pri: '14 trailing' });
  assert.equal(a!.get('syslog_facility'), 'u');
  assert.equal(a!.get('syslog_severity'), 'I');
  const [b] = await f.one({ syslog_pri: 'junk' });
  assert.equal(b!.get('syslog_facility_code'), 0);
  assert.equal(b!.get('syslog_facility'), 'k');
  const [c] = await f.one({ syslog_pri: 191 });
  assert.equal(c!.get('syslog_facility_code'), 23);
  assert.equal(c!.get('syslog_facility'), undefined);
  assert.equal(c!.get('syslog_severity'), 'D');
});

test('syslog_pri: a value with no integer form (a hash) fails that event only, tagged by the pipeline', async () => {
  const f = await makeFilter(syslogPriFilter, {});
  const out = await f.run([{ syslog_pri: { x: 1 } }, { syslog_pri: '34' }]);
  assert.ok(out[0]!.hasTag('_filter_error'));
  assert.equal(out[1]!.get('syslog_severity'), 'critical');
  assert.equal(out[1]!.get('syslog_facility'), 'security/authorization');
});
