import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogRateLimiter } from '../../src/core/rate-limit.js';

test('rate limiter: one line per key per interval, then the count held back', () => {
  let t = 1_000;
  const limiter = new LogRateLimiter(10_000, () => t);
  assert.equal(limiter.allow('grok_1'), 0, 'the first line goes out');
  t += 5_000;
  assert.equal(limiter.allow('grok_1'), undefined);
  assert.equal(limiter.allow('grok_1'), undefined);
  assert.equal(limiter.allow('mutate_2'), 0, 'keys are independent');
  t += 4_999;
  assert.equal(limiter.allow('grok_1'), undefined, 'still inside the interval');
  t += 1;
  assert.equal(limiter.allow('grok_1'), 3, 'the next line reports the three held back');
  assert.equal(limiter.allow('grok_1'), undefined, 'a new interval starts at that line');
  t += 10_000;
  assert.equal(limiter.allow('grok_1'), 1);
  assert.equal(limiter.allow('mutate_2'), 0);
});
