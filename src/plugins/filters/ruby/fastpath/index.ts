/**
 * The ruby filter's fast path: a snippet within the translatable subset (translate.ts) runs as
 * JavaScript, on a copy-on-write view of the event; an event whose values the translation
 * cannot handle exactly (RubyFallback) is left untouched and handed to the interpreter.
 */
import type { Event } from '../../../../core/event.js';
import { EventView } from './event-view.js';
import { R, RubyFallback, type SnippetEvent } from './helpers.js';
import { isTranslation, translateRuby } from './translate.js';

export { translateRuby, isTranslation, type Translation, type TranslationFailure } from './translate.js';
export { OutsideSubset } from './lexer.js';

export interface FastPath {
  /** Runs the snippet on the event: true when done, false when the interpreter must run it (the event is unchanged). */
  run(event: Event): boolean;
}

/** The fast path for inline `code` (no `init`), or undefined when the code is outside the subset. */
export function compileFastPath(code: string): FastPath | undefined {
  const translation = translateRuby(code);
  if (!isTranslation(translation)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- our own translator's output
  const snippet = new Function('event', 'R', `'use strict';\n${translation.body}`) as (event: SnippetEvent, helpers: typeof R) => void;
  const view = new EventView();
  return {
    run(event) {
      view.reset(event);
      try {
        snippet(view, R);
      } catch (e) {
        if (e instanceof RubyFallback) return false;
        throw e;
      }
      view.commit();
      return true;
    },
  };
}
