/** beats_add_tags: Filebeat's add_tags processor (appends to the list at `target`, default `tags`). */
import { defineFilter } from '../../api.js';
import { dottedRef, processorFilter, setErrorMessage, WHEN_OPTION } from '../../beats-processors.js';

export const beatsAddTagsFilter = defineFilter({
  kind: 'filter',
  name: 'beats_add_tags',
  description: "Filebeat's add_tags processor: appends `tags` to the list at `target` (default `tags`).",
  options: {
    tags: { type: 'string_list', required: true, description: 'Tags to append.' },
    target: { type: 'string', default: 'tags', description: 'List field the tags are appended to.' },
    when: WHEN_OPTION,
  },
  create(options) {
    const tags = options.tags;
    const target = dottedRef(options.target === '' ? 'tags' : options.target);
    return processorFilter(options.when, (event) => {
      const current = target.get(event);
      if (current === undefined || current === null) target.set(event, [...tags]);
      else if (Array.isArray(current)) current.push(...tags);
      else if (typeof current === 'string') target.set(event, [current, ...tags]);
      else setErrorMessage(event, `add_tags: ${options.target} is not a list of tags`);
    });
  },
});
