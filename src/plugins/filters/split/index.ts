/**
 * split: one event per piece of a string (cut at `terminator`) or per element
 * of an array. Each piece goes into a clone of the event; the original is
 * cancelled. Mirrors logstash-filter-split 3.1.x.
 */
import { fieldRef } from '../../../core/fieldref.js';
import { rubySplit } from '../../../core/ruby-string.js';
import { defineFilter } from '../../api.js';

export const SPLIT_TYPE_FAILURE = '_split_type_failure';

export const splitFilter = defineFilter({
  kind: 'filter',
  name: 'split',
  description: 'Splits a string field at a terminator, or an array field by element, into one event per piece.',
  options: {
    field: { type: 'field_reference', default: 'message', description: 'The field to split: a string (cut at `terminator`) or an array.' },
    target: { type: 'field_reference', description: 'Where each piece goes in the new events; defaults to `field`.' },
    terminator: { type: 'string', default: '\n', description: 'The string to split on (a single space splits on runs of whitespace, as in Logstash).' },
  },
  create(options, ctx) {
    const source = fieldRef(options.field);
    const target = options.target !== undefined ? fieldRef(options.target) : source;
    const hasTarget = options.target !== undefined;
    const terminator = options.terminator;
    const logger = ctx.logger;
    return {
      filter(event, emit) {
        const original = source.get(event);
        let pieces: readonly unknown[];
        if (Array.isArray(original)) {
          // Without a target, Logstash removes the array before cloning so the
          // clones do not each copy it only to overwrite it.
          if (!hasTarget) source.remove(event);
          pieces = original;
        } else if (typeof original === 'string') {
          pieces = rubySplit(original, terminator, true); // Logstash: split(terminator, -1)
          // A string with no terminator in it is left alone (and not decorated).
          if (pieces.length === 1) return false;
        } else {
          logger.warn('Only String and Array types are splittable', {
            field: options.field,
            type: original === null ? 'null' : original === undefined ? 'missing' : typeof original,
          });
          event.tag(SPLIT_TYPE_FAILURE);
          return false;
        }
        for (const piece of pieces) {
          if (piece === null || piece === undefined || piece === '') continue;
          const copy = event.clone();
          target.set(copy, piece);
          emit(copy);
        }
        event.cancel();
        return true;
      },
    };
  },
});
