/**
 * syslog_pri: decodes a syslog PRI value (facility × 8 + severity) held in a field into facility
 * and severity codes and, with use_labels, their names (Logstash's logstash-filter-syslog_pri).
 * A missing (or false) field means RFC 3164's default priority 13; an array uses its first element.
 */
import { fieldRef } from '../../../core/fieldref.js';
import { defineFilter } from '../../api.js';
import { DEFAULT_PRIORITY, labelAt, rubyToInteger, splitPriority } from '../../../protocols/syslog/priority.js';
import { FILTER_FACILITY_LABELS, FILTER_SEVERITY_LABELS } from '../../../protocols/syslog/labels.js';

export const syslogPriFilter = defineFilter({
  kind: 'filter',
  name: 'syslog_pri',
  description: 'Decodes a syslog PRI field into facility and severity codes and names.',
  options: {
    syslog_pri_field_name: { type: 'field_reference', description: 'Field holding the PRI value. Default: syslog_pri, or [log][syslog][priority] with ECS.' },
    use_labels: { type: 'boolean', default: true, description: 'Also set the facility and severity names.' },
    facility_labels: { type: 'string_list', default: [...FILTER_FACILITY_LABELS], description: 'Facility names, indexed by facility code.' },
    severity_labels: { type: 'string_list', default: [...FILTER_SEVERITY_LABELS], description: 'Severity names, indexed by severity code.' },
  },
  create(options, ctx) {
    const ecs = ctx.ecs !== 'disabled';
    const source = fieldRef(options.syslog_pri_field_name ?? (ecs ? '[log][syslog][priority]' : 'syslog_pri'));
    const facilityCode = fieldRef(ecs ? '[log][syslog][facility][code]' : 'syslog_facility_code');
    const severityCode = fieldRef(ecs ? '[log][syslog][severity][code]' : 'syslog_severity_code');
    const facilityName = fieldRef(ecs ? '[log][syslog][facility][name]' : 'syslog_facility');
    const severityName = fieldRef(ecs ? '[log][syslog][severity][name]' : 'syslog_severity');
    const { use_labels: useLabels, facility_labels: facilityLabels, severity_labels: severityLabels } = options;

    return {
      filter(event) {
        let raw = source.get(event);
        let priority: number | undefined;
        // Ruby truthiness: nil and false mean "no priority".
        if (raw === undefined || raw === null || raw === false) priority = DEFAULT_PRIORITY;
        else {
          if (Array.isArray(raw)) raw = raw[0];
          priority = rubyToInteger(raw);
          if (priority === undefined) throw new Error(`syslog_pri: ${source.text} is not a number (${JSON.stringify(raw)})`);
        }
        const { facility, severity } = splitPriority(priority);
        severityCode.set(event, severity);
        facilityCode.set(event, facility);
        if (useLabels) {
          const f = labelAt(facilityLabels, facility);
          if (f !== undefined) facilityName.set(event, f);
          const s = labelAt(severityLabels, severity);
          if (s !== undefined) severityName.set(event, s);
        }
        return true;
      },
    };
  },
});
