/**
 * Values between events and SQL drivers, for the lookups that read rows into events
 * (jdbc_streaming, jdbc_static): a driver's value as an event value, an event value as a bound one.
 */
import { Timestamp } from '../../../core/timestamp.js';
import type { QueryValue } from './drivers.js';

/** A driver value as an event value: timestamps as Timestamp, bytes as UTF-8 text, big integers as numbers when exact. */
export function eventValue(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : new Timestamp(value.getTime());
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  return value;
}

/** An event value as a bound query value. */
export function boundValue(value: unknown): QueryValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Timestamp) return new Date(value.epochMs);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}
