/**
 * environment: copies environment variables of the logpipe process into `[@metadata]`.
 * Mirrors logstash-filter-environment 3.0 (`add_metadata_from_env`). The values are read once,
 * at start, as Logstash reads them when the pipeline starts; a variable that is not set leaves
 * its field absent.
 */
import { fieldRef, type FieldRef } from '../../../core/fieldref.js';
import { defineFilter } from '../../api.js';

export const environmentFilter = defineFilter({
  kind: 'filter',
  name: 'environment',
  description: 'Adds environment variables of the logpipe process to [@metadata].',
  options: {
    add_metadata_from_env: { type: 'hash', default: {}, description: 'Metadata field name → environment variable name, e.g. { "host_role" => "ROLE" } sets [@metadata][host_role].' },
  },
  create(options) {
    const values: [FieldRef, string][] = [];
    for (const [field, variable] of Object.entries(options.add_metadata_from_env as Record<string, unknown>)) {
      const value = process.env[String(variable)];
      if (value !== undefined) values.push([fieldRef(`[@metadata][${field}]`), value]);
    }
    return {
      filter(event) {
        for (const [ref, value] of values) ref.set(event, value);
        return true;
      },
    };
  },
});
