import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRfc5424 } from '../../../src/protocols/syslog/rfc5424.js';

test('rfc5424: the RFC examples', () => {
  assert.deepEqual(parseRfc5424('<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF\'su root\' failed for lonvick on /dev/pts/8'), {
    priority: 34, version: 1, timestamp: '2003-10-11T22:14:15.003Z', hostname: 'mymachine.example.com', appName: 'su', msgId: 'ID47',
    message: "'su root' failed for lonvick on /dev/pts/8",
  });
  assert.deepEqual(parseRfc5424('<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It\'s time to make the do-nuts.'), {
    priority: 165, version: 1, timestamp: '2003-08-24T05:14:15.000003-07:00', hostname: '192.0.2.1', appName: 'myproc', procId: '8710',
    message: "%% It's time to make the do-nuts.",
  });
  const withSd = parseRfc5424('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"] An application event');
  assert.deepEqual(withSd?.structuredData, {
    'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' },
    'examplePriority@32473': { class: 'high' },
  });
  assert.equal(withSd?.message, 'An application event');
  const sdOnly = parseRfc5424('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3"]');
  assert.equal(sdOnly?.message, '');
  assert.deepEqual(sdOnly?.structuredData, { 'exampleSDID@32473': { iut: '3' } });
});

test('rfc5424: all nil values, and an empty MSG', () => {
  assert.deepEqual(parseRfc5424('<0>1 - - - - - -'), { priority: 0, version: 1, message: '' });
  assert.deepEqual(parseRfc5424('<191>12 - - - - - - x'), { priority: 191, version: 12, message: 'x' });
});

test('rfc5424: escapes in parameter values; a repeated parameter becomes an array; spaces and "]" inside values', () => {
  const m = parseRfc5424('<13>1 - h a p m [id k="a \\"q\\" \\\\ \\] x" k="two" empty=""][id2 t="back\\slash"] msg');
  assert.deepEqual(m?.structuredData, { id: { k: ['a "q" \\ ] x', 'two'], empty: '' }, id2: { t: 'back\\slash' } });
  assert.equal(m?.message, 'msg');
});

test('rfc5424: not 5424 → undefined (RFC 3164 lines, bad PRI, version 0, broken SD)', () => {
  for (const line of [
    '<13>Dec  2 04:21:48 host prog[1]: hello',
    '<13>Dec 2 04:21:48 host prog: hello',
    'no pri at all',
    '<>1 - - - - - -',
    '<192>1 - - - - - -',
    '<1234>1 - - - - - -',
    '<13>0 - - - - - -',
    '<13>1 - - - - -',
    '<13>1  - - - - - -',
    '<13>1 - - - - - [unterminated k="v"',
    '<13>1 - - - - - [id k="unterminated]',
    '<13>1 - - - - - [id k=unquoted]',
    '<13>1 - - - - - [] x',
    '<13>1 - - - - - -x',
    '<13>1 - - - - - [id k="v"]x',
    '',
  ]) assert.equal(parseRfc5424(line), undefined, line);
});
