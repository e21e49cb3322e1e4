/**
 * dissect: splits fields by literal delimiters (see dissector.ts), then applies
 * `convert_datatype` (int / float). A text that does not match its dissection
 * (a delimiter missing, or an empty text) gets `tag_on_failure` and nothing from
 * that mapping is set; a missing source field is only logged, as in Logstash.
 */
import { ConfigError, type SourceLocation } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { fieldRef, type FieldRef } from '../../../core/fieldref.js';
import { Timestamp } from '../../../core/timestamp.js';
import { defineFilter } from '../../api.js';
import { DissectPatternError, Dissector } from './dissector.js';

const DATATYPES = ['int', 'float'] as const;
type Datatype = (typeof DATATYPES)[number];

const INT_RE = /^[+-]?\d+$/;
// Java's Double.parseDouble, minus hex floats and NaN/Infinity (JSON cannot carry them).
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?$/;

interface Mapping {
  source: FieldRef;
  dissector: Dissector;
  /** Field references of the keys known at create() (normal and append fields). */
  refs: Map<string, FieldRef>;
}

export const dissectFilter = defineFilter({
  kind: 'filter',
  name: 'dissect',
  description: 'Extracts fields by splitting text on literal delimiters (no regular expressions).',
  options: {
    mapping: { type: 'hash', default: {}, description: 'Dissections: { source_field => "%{a} %{b}..." }.' },
    convert_datatype: { type: 'hash', default: {}, description: 'Conversions after dissection: { field => "int" | "float" }.' },
    tag_on_failure: { type: 'string_list', default: ['_dissectfailure'], description: 'Tags added when a text does not match its dissection.' },
  },
  create(options, ctx) {
    const mappings: Mapping[] = [];
    for (const [field, pattern] of Object.entries(options.mapping)) {
      if (typeof pattern !== 'string') {
        throw new ConfigError(`dissect: the mapping for "${field}" must be a string`, ctx.location);
      }
      if (pattern === '') continue; // Logstash ignores empty dissections
      let dissector: Dissector;
      try {
        dissector = new Dissector(pattern);
      } catch (e) {
        if (e instanceof DissectPatternError) throw new ConfigError(`dissect: ${e.message}`, ctx.location);
        throw e;
      }
      const refs = new Map<string, FieldRef>();
      for (const f of dissector.fields) {
        if (f.kind === 'normal' || f.kind === 'append') refs.set(f.key, toRef(f.key, ctx.location));
      }
      mappings.push({ source: toRef(field, ctx.location), dissector, refs });
    }
    const conversions = Object.entries(options.convert_datatype).map(([field, type]) => {
      if (typeof type !== 'string' || !(DATATYPES as readonly string[]).includes(type)) {
        throw new ConfigError(`dissect: convert_datatype for "${field}" must be "int" or "float", got ${JSON.stringify(type)}`, ctx.location);
      }
      return { field, ref: toRef(field, ctx.location), type: type as Datatype };
    });
    const tags = options.tag_on_failure;
    const logger = ctx.logger;

    // The mapping being applied; read by `emit` (avoids a closure per event).
    let current: Mapping | undefined;
    const existing = (event: Event, key: string): unknown => fieldRef(key).get(event);
    const emit = (event: Event, key: string, value: string): void => event.set(current!.refs.get(key) ?? fieldRef(key), value);
    const apply = (event: Event, m: Mapping): boolean => {
      const raw = m.source.get(event);
      if (raw === undefined) {
        logger.debug('Dissector mapping, key not found in event', { key: m.source.text });
        return true;
      }
      const text = typeof raw === 'string' ? raw
        : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw)
        : raw instanceof Timestamp ? raw.toISOString() : undefined;
      if (text === undefined) return false;
      current = m;
      return m.dissector.dissect(text, event, existing, emit);
    };

    return {
      filter(event) {
        let ok = true;
        try {
          for (const m of mappings) if (!apply(event, m)) ok = false;
        } catch (e) {
          logger.warn('Dissect threw an exception', { exception: (e as Error).message });
          ok = false;
        }
        if (!ok) {
          for (const t of tags) event.tag(t);
          return false;
        }
        for (const c of conversions) convert(event, c.field, c.ref, c.type, logger);
        return true;
      },
    };
  },
});

function toRef(text: string, location: SourceLocation | undefined): FieldRef {
  try {
    return fieldRef(text);
  } catch (e) {
    throw new ConfigError(`dissect: invalid field reference "${text}": ${(e as Error).message}`, location);
  }
}

function convert(event: Event, field: string, ref: FieldRef, type: Datatype, logger: { warn(msg: string): void }): void {
  const value = ref.get(event);
  if (value === undefined || value === null) {
    event.tag(`_dataconversionnullvalue_${field}_${type}`);
    return;
  }
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  let converted: number | undefined;
  if (text !== undefined) {
    if (type === 'int') {
      if (INT_RE.test(text)) converted = Number(text);
    } else {
      const t = text.trim();
      if (FLOAT_RE.test(t)) converted = parseFloat(t);
    }
  }
  if (converted === undefined || !Number.isFinite(converted)) {
    logger.warn(`Dissector datatype conversion, value cannot be coerced, key: ${field}, value: ${String(value)}`);
    event.tag(`_dataconversionuncoercible_${field}_${type}`);
    return;
  }
  ref.set(event, converted);
}
