import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { ageFilter } from '../../../../src/plugins/filters/age/index.js';
import { Event } from '../../../../src/core/event.js';
import { Timestamp } from '../../../../src/core/timestamp.js';

test('age: seconds since @timestamp into [@metadata][age] (or target)', async () => {
  const f = await makeFilter(ageFilter, {});
  const old = new Event({ '@timestamp': new Timestamp(Date.now() - 90_000) });
  const [e] = await f.one(old);
  const age = e!.get('[@metadata][age]') as number;
  assert.ok(age >= 90 && age < 95, `age ${age}`);
  const g = await makeFilter(ageFilter, { target: 'age_s' });
  const [n] = await g.one(new Event({ '@timestamp': new Timestamp(Date.now() + 10_000) }));
  assert.ok((n!.get('age_s') as number) < 0, 'an event from the future has a negative age');
});
