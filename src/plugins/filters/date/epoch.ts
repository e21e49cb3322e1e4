/**
 * The numeric formats of the date filter, as Logstash's UnixEpochParser,
 * UnixMillisEpochParser and TAI64NParser. Each returns a Timestamp or
 * undefined when the value does not parse.
 */
import { Timestamp } from '../../../core/timestamp.js';

/** Java's Integer.MAX_VALUE: Logstash refuses larger UNIX seconds. */
const MAX_EPOCH_SECONDS = 2_147_483_647;
/** Java's Long.parseLong accepts an optional sign and decimal digits. */
const JAVA_LONG = /^[+-]?\d+$/;

/**
 * UNIX: seconds, integer or fractional. A string keeps up to 3 fraction digits
 * as milliseconds (further digits are kept as nanoseconds here); a float is
 * truncated to milliseconds, as Java's `(long)(value * 1000)`.
 */
export function parseUnix(value: unknown): Timestamp | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    if (Number.isInteger(value)) return value > MAX_EPOCH_SECONDS ? undefined : new Timestamp(value * 1000);
    if (Math.trunc(value) > MAX_EPOCH_SECONDS) return undefined;
    return new Timestamp(Math.trunc(value * 1000));
  }
  if (typeof value !== 'string') return undefined;
  const dot = value.indexOf('.');
  const whole = dot === -1 ? value : value.slice(0, dot);
  if (!JAVA_LONG.test(whole)) return undefined;
  const seconds = Number(whole);
  if (seconds > MAX_EPOCH_SECONDS) return undefined;
  if (dot === -1) return new Timestamp(seconds * 1000);
  const fraction = value.slice(dot + 1);
  if (fraction === '') return new Timestamp(seconds * 1000);
  if (!/^\d+$/.test(fraction)) return undefined;
  // Logstash adds the fraction as is, even to a negative whole part (-1.5 → -500 ms).
  const millis = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const nanos = fraction.length > 3 && seconds >= 0 ? Number(fraction.slice(3, 9).padEnd(6, '0')) : 0;
  return new Timestamp(seconds * 1000 + millis, nanos);
}

/** UNIX_MS: integer milliseconds; a float is truncated (Java's longValue()). */
export function parseUnixMs(value: unknown): Timestamp | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? new Timestamp(Math.trunc(value)) : undefined;
  if (typeof value !== 'string' || !JAVA_LONG.test(value)) return undefined;
  const ms = Number(value);
  return Number.isSafeInteger(ms) ? new Timestamp(ms) : undefined;
}

/**
 * TAI64N: `@` (optional), 16 hex digits of seconds (TAI64 label, epoch at
 * 2^62), 8 hex digits of nanoseconds. Like Logstash, 10 s are subtracted for
 * TAI−UTC and anything after the 24 digits is ignored.
 */
export function parseTai64n(value: unknown): Timestamp | undefined {
  if (typeof value !== 'string') return undefined;
  const start = value.startsWith('@') ? 1 : 0;
  const secHex = value.slice(start, start + 16);
  const nanoHex = value.slice(start + 16, start + 24);
  if (!/^[0-9a-fA-F]{16}$/.test(secHex) || !/^[0-9a-fA-F]{8}$/.test(nanoHex)) return undefined;
  const label = BigInt('0x' + secHex);
  if (label >= 1n << 63n) return undefined; // Java's Long.parseLong(…, 16) overflows
  const nanos = Number.parseInt(nanoHex, 16);
  if (nanos > 0x7fffffff) return undefined; // Integer.parseInt overflow, as Logstash
  const seconds = Number(label & ((1n << 62n) - 1n)) - 10;
  const ms = seconds * 1000 + Math.floor(nanos / 1_000_000);
  return new Timestamp(ms, nanos % 1_000_000);
}
