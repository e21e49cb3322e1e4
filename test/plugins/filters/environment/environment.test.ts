import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFilter } from '../../../helpers/harness.js';
import { environmentFilter } from '../../../../src/plugins/filters/environment/index.js';

test('environment: variables into [@metadata]; an unset one leaves its field absent', async () => {
  process.env['LOGPIPE_TEST_ROLE'] = 'edge';
  delete process.env['LOGPIPE_TEST_UNSET'];
  const f = await makeFilter(environmentFilter, { add_metadata_from_env: { role: 'LOGPIPE_TEST_ROLE', none: 'LOGPIPE_TEST_UNSET' } });
  const [e] = await f.one({ message: 'x' });
  assert.equal(e!.get('[@metadata][role]'), 'edge');
  assert.equal(e!.get('[@metadata][none]'), undefined);
  assert.equal(e!.get('role'), undefined, 'not a visible field');
});
