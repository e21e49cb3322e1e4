/**
 * clone: one copy of the event per entry of `clones`, emitted after the
 * original. Legacy mode sets `type` on each copy; ECS mode adds the name as a
 * tag instead (logstash-filter-clone 4.1+). The original is left untouched and
 * does not receive the decorations; the copies do.
 */
import { defineFilter } from '../../api.js';

export const cloneFilter = defineFilter({
  kind: 'filter',
  name: 'clone',
  description: 'Emits a copy of each event per name in `clones` (the copy gets `type`, or a tag in ECS mode).',
  options: {
    clones: { type: 'string_list', required: true, description: 'One copy per entry; the entry becomes the copy\'s `type` (ECS off) or a tag (ECS on).' },
  },
  create(options, ctx) {
    const clones = options.clones;
    if (clones.length === 0) ctx.logger.warn('the "clones" option is empty, so no clones will be created');
    const useTags = ctx.ecs !== 'disabled';
    return {
      filter(event, emit) {
        for (const name of clones) {
          const copy = event.clone();
          if (useTags) copy.tag(name);
          else copy.data['type'] = name;
          emit(copy);
        }
        // Logstash never calls filter_matched on the original.
        return false;
      },
    };
  },
});
