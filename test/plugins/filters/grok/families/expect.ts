/**
 * Shared by the per-family grok tests: match one line with the standard library in one ECS mode
 * and compare top-level fields exactly, as logstash-patterns-core's specs do with `include`.
 */
import assert from 'node:assert/strict';
import { compileGrok, standardPatterns } from '../../../../../src/plugins/filters/grok/index.js';

export type Mode = 'disabled' | 'v1';
export const MODES: readonly Mode[] = ['disabled', 'v1'];

/** The captures of `%{NAME}` (or any expression) on `line`; fails the test when it does not match. */
export function grok(pattern: string, line: string, ecs: Mode): Record<string, unknown> {
  const out = compileGrok(pattern, { patterns: standardPatterns(ecs) }).match(line);
  assert.ok(out !== null, `${pattern} (${ecs}) should match: ${line}`);
  return out;
}

/** The expression does not match the line in that mode. */
export function noMatch(pattern: string, line: string, ecs: Mode): void {
  assert.equal(compileGrok(pattern, { patterns: standardPatterns(ecs) }).match(line), null, `${pattern} (${ecs}) should not match: ${line}`);
}

/** The captures are exactly `expected`: no field more or less, numbers stay numbers, strings strings. */
export function exactly(actual: Record<string, unknown>, expected: Record<string, unknown>): void {
  assert.deepStrictEqual(actual, expected);
}

/** Every key of `expected` is in `actual` with exactly that value (numbers stay numbers, strings strings). */
export function includes(actual: Record<string, unknown>, expected: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(expected)) assert.deepEqual(actual[k], v, `field ${k}`);
}

/** `actual[key]` is an object containing at least these entries (RSpec's hash_including). */
export function including(actual: unknown, expected: Record<string, unknown>): void {
  assert.ok(actual !== null && typeof actual === 'object', 'expected an object');
  includes(actual as Record<string, unknown>, expected);
}
