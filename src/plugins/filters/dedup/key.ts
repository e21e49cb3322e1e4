/**
 * The dedup key: a sprintf template, plus the field references it uses so an
 * event missing one of them can be told apart (a missing field would leave the
 * literal `%{...}` text in the key and make unrelated events collide).
 */
import type { Event } from '../../../core/event.js';
import { fieldRef, type FieldRef } from '../../../core/fieldref.js';
import { compileTemplate } from '../../../core/sprintf.js';

export interface KeyBuilder {
  /** The key, or undefined when a referenced field is missing or the key is empty. */
  (event: Event): string | undefined;
}

/** Field references of `%{field}` pieces (not `%{+date}` nor `%{{time}}`). */
export function templateFields(template: string): FieldRef[] {
  const refs: FieldRef[] = [];
  let pos = 0;
  for (;;) {
    const start = template.indexOf('%{', pos);
    if (start === -1) break;
    if (template[start + 2] === '{') {
      const close = template.indexOf('}}', start + 3);
      if (close === -1) break;
      pos = close + 2;
      continue;
    }
    const close = template.indexOf('}', start + 2);
    if (close === -1) break;
    const inner = template.slice(start + 2, close);
    pos = close + 1;
    if (inner.startsWith('+')) continue;
    try {
      refs.push(fieldRef(inner));
    } catch {
      // Not a field reference: sprintf keeps it literally, so it cannot be missing.
    }
  }
  return refs;
}

export function compileKey(template: string): KeyBuilder {
  const render = compileTemplate(template);
  const refs = templateFields(template);
  return (event) => {
    for (const ref of refs) {
      const v = ref.get(event);
      if (v === undefined || v === null) return undefined;
    }
    const key = render(event);
    return key === '' ? undefined : key;
  };
}
