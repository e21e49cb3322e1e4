/**
 * The `uuid` filter: stores a random (version 4) UUID in `target`. With
 * `overwrite` false (the default) a field that already exists keeps its
 * value, whatever it is (null included).
 */
import { randomUUID } from 'node:crypto';
import type { Event } from '../../../core/event.js';
import { fieldRef } from '../../../core/fieldref.js';
import { defineFilter } from '../../api.js';
import { COMMON_FILTER_OPTIONS } from '../../common.js';

export const uuidFilter = defineFilter({
  kind: 'filter',
  name: 'uuid',
  description: 'Adds a random version 4 UUID to a field.',
  options: {
    ...COMMON_FILTER_OPTIONS,
    target: { type: 'field_reference', required: true, description: 'Field that receives the UUID.' },
    overwrite: { type: 'boolean', default: false, description: 'Replace a value already present in target.' },
  },
  create(options) {
    const target = fieldRef(options.target);
    const overwrite = options.overwrite;
    return {
      filter(event: Event): boolean {
        if (overwrite || !target.has(event)) target.set(event, randomUUID());
        return true;
      },
    };
  },
});
