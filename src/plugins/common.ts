/**
 * Options every plugin of a kind accepts (Logstash's base classes). The
 * framework, not the plugin, acts on them: decorations in
 * src/pipeline/filter-runner.ts, input decoration in src/pipeline/worker-core.ts.
 */
import type { Schema } from '../config/schema.js';

const ECS = ['disabled', 'v1', 'v8'] as const;

export const COMMON_PLUGIN_OPTIONS = {
  id: { type: 'string', description: 'Unique id of this plugin instance, shown in logs and metrics.' },
  enable_metric: { type: 'boolean', default: true, description: 'Accepted for compatibility; metrics are always collected.' },
  ecs_compatibility: { type: 'string', values: ECS, description: 'Field naming: disabled (legacy names), v1 or v8 (ECS). Defaults to pipeline.ecs_compatibility.' },
} as const satisfies Schema;

export const COMMON_INPUT_OPTIONS = {
  ...COMMON_PLUGIN_OPTIONS,
  type: { type: 'string', description: 'Sets the `type` field of events that have none.' },
  tags: { type: 'string_list', description: 'Tags added to every event.' },
  add_field: { type: 'hash', description: 'Fields added to every event (sprintf on values).' },
} as const satisfies Schema;

export const COMMON_FILTER_OPTIONS = {
  ...COMMON_PLUGIN_OPTIONS,
  add_field: { type: 'hash', description: 'On success: fields to add; an existing field becomes an array. Keys and values are sprintf templates.' },
  remove_field: { type: 'string_list', description: 'On success: fields to remove (sprintf templates).' },
  add_tag: { type: 'string_list', description: 'On success: tags to add (sprintf templates).' },
  remove_tag: { type: 'string_list', description: 'On success: tags to remove (sprintf templates).' },
  periodic_flush: { type: 'boolean', default: false, description: 'Accepted for compatibility; filters that hold events flush at shutdown.' },
} as const satisfies Schema;

export const COMMON_OUTPUT_OPTIONS = {
  ...COMMON_PLUGIN_OPTIONS,
  workers: { type: 'number', ignored: 'output workers follow pipeline.workers', description: 'Ignored; outputs run for every pipeline worker.' },
} as const satisfies Schema;

export const COMMON_CODEC_OPTIONS = {
  id: { type: 'string', description: 'Unique id of this codec instance.' },
  enable_metric: { type: 'boolean', default: true, description: 'Accepted for compatibility.' },
  ecs_compatibility: { type: 'string', values: ECS, description: 'Field naming mode for this codec.' },
} as const satisfies Schema;
