/**
 * What the Filebeat front end reports besides the AST: errors (nothing starts), warnings about
 * keys Filebeat does not know (errors under --strict) and about keys Filebeat knows that logpipe
 * does not implement (always warnings: Filebeat itself would act on them, so the user must know).
 */
import { ConfigError, type SourceLocation } from '../../core/errors.js';
import { closest } from '../schema.js';

export class Diagnostics {
  readonly errors: ConfigError[] = [];
  readonly warnings: ConfigError[] = [];

  constructor(private readonly strict: boolean) {}

  error(reason: string, location: SourceLocation | undefined, hint?: string): void {
    this.errors.push(new ConfigError(reason, location, hint));
  }

  warn(reason: string, location: SourceLocation | undefined, hint?: string): void {
    this.warnings.push(new ConfigError(reason, location, hint));
  }

  /** A key neither Filebeat nor logpipe knows here: Filebeat ignores it silently, we say so. */
  unknown(path: string, key: string, location: SourceLocation, known: Iterable<string>): void {
    const suggestion = closest(key, known);
    const reason = `unknown setting "${path}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`;
    if (this.strict) this.errors.push(new ConfigError(reason, location, 'remove it, or run without --strict to only warn'));
    else this.warnings.push(new ConfigError(`${reason} (ignored, as Filebeat ignores it)`, location));
  }

  /** A Filebeat setting that logpipe does not implement: always a warning naming what happens instead. */
  unsupported(path: string, location: SourceLocation, consequence: string): void {
    this.warnings.push(new ConfigError(`"${path}" is a Filebeat setting logpipe does not implement: ${consequence}`, location));
  }

  /** A key of the seed's kind, written for Logstash, that means something else (or nothing) here. */
  foreign(path: string, location: SourceLocation, meaning: string): void {
    this.warnings.push(new ConfigError(`"${path}" is not a Filebeat setting (it is Logstash's): ${meaning}`, location));
  }
}
