import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  civilFromDays, daysFromCivil, daysInMonth, isoDayOfWeek, resolveZone, tryResolveZone, wallMs,
} from '../../../src/core/time/timezone.js';

test('civil calendar round-trips against Date.UTC, including years before 100', () => {
  for (const [y, m, d] of [[1970, 1, 1], [2000, 2, 29], [1900, 3, 1], [2024, 12, 31], [1, 1, 1], [-44, 3, 15]] as const) {
    const days = daysFromCivil(y, m, d);
    const date = new Date(0);
    date.setUTCFullYear(y, m - 1, d);
    assert.equal(days * 86_400_000, date.getTime(), `${y}-${m}-${d}`);
    const back = civilFromDays(days);
    assert.deepEqual([back.year, back.month, back.day], [y, m, d]);
  }
  assert.equal(daysInMonth(2000, 2), 29);
  assert.equal(daysInMonth(1900, 2), 28);
  assert.equal(isoDayOfWeek(daysFromCivil(2024, 1, 1)), 1); // a Monday
  assert.equal(isoDayOfWeek(daysFromCivil(2023, 12, 31)), 7); // a Sunday
});

test('offsets of an IANA zone follow DST', () => {
  const paris = resolveZone('Europe/Paris');
  assert.equal(paris.offsetAt(Date.UTC(2021, 0, 15)), 3_600_000);
  assert.equal(paris.offsetAt(Date.UTC(2021, 6, 15)), 7_200_000);
  // Transition instant: 2021-03-28T01:00:00Z
  assert.equal(paris.offsetAt(Date.UTC(2021, 2, 28, 0, 59, 59)), 3_600_000);
  assert.equal(paris.offsetAt(Date.UTC(2021, 2, 28, 1, 0, 0)), 7_200_000);
  const ny = resolveZone('America/New_York');
  assert.equal(ny.offsetAt(Date.UTC(2021, 0, 15)), -5 * 3_600_000);
});

test('instantOf: ordinary time, DST gap (no instant) and overlap (earlier instant, as Joda)', () => {
  const paris = resolveZone('Europe/Paris');
  assert.equal(paris.instantOf(wallMs(2021, 7, 1, 12, 0, 0, 0)), Date.UTC(2021, 6, 1, 10, 0, 0));
  assert.equal(paris.instantOf(wallMs(2021, 3, 28, 2, 30, 0, 0)), undefined);
  assert.equal(paris.instantOf(wallMs(2021, 3, 28, 3, 0, 0, 0)), Date.UTC(2021, 2, 28, 1, 0, 0));
  // 02:30 happens twice on 2021-10-31: 00:30Z (CEST) and 01:30Z (CET).
  assert.equal(paris.instantOf(wallMs(2021, 10, 31, 2, 30, 0, 0)), Date.UTC(2021, 9, 31, 0, 30, 0));
  assert.equal(paris.instantOf(wallMs(2021, 10, 31, 3, 30, 0, 0)), Date.UTC(2021, 9, 31, 2, 30, 0));
});

test('fixed offsets, UTC, and unknown zones', () => {
  assert.equal(resolveZone('UTC').offsetAt(0), 0);
  assert.equal(resolveZone('+05:30').offsetAt(0), 5.5 * 3_600_000);
  assert.equal(resolveZone('-0800').instantOf(wallMs(2020, 1, 1, 0, 0, 0, 0)), Date.UTC(2020, 0, 1, 8));
  assert.equal(tryResolveZone('Mars/Olympus_Mons'), undefined);
  assert.throws(() => resolveZone('Not/AZone'), RangeError);
});
