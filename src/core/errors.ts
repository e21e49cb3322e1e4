/**
 * Typed errors. Anything that comes from configuration carries the place it
 * came from, so every message can point at file:line:column.
 */

export interface SourceLocation {
  /** File name as the user gave it, or "config string" for -e. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

export function formatLocation(loc: SourceLocation | undefined): string {
  return loc ? `${loc.file}:${loc.line}:${loc.column}` : '<unknown>';
}

export class LogpipeError extends Error {
  override name = 'LogpipeError';
}

/** A configuration the user wrote is wrong; the pipeline must not start. */
export class ConfigError extends LogpipeError {
  override name = 'ConfigError';
  constructor(
    readonly reason: string,
    readonly location?: SourceLocation,
    /** What to do instead, when we know. */
    readonly hint?: string,
    /** Source excerpt with a caret under the offending column. */
    readonly excerpt?: string,
  ) {
    super(ConfigError.render(reason, location, hint, excerpt));
  }

  static render(reason: string, location?: SourceLocation, hint?: string, excerpt?: string): string {
    let text = location ? `${formatLocation(location)}: ${reason}` : reason;
    if (excerpt) text += `\n${excerpt}`;
    if (hint) text += `\nhint: ${hint}`;
    return text;
  }
}

/** A field reference or sprintf template that cannot be parsed. */
export class FieldReferenceError extends LogpipeError {
  override name = 'FieldReferenceError';
}

/**
 * Setting names whose values are never shown in excerpts: every option of type
 * password (the registry adds them) and anything named like a secret, so a
 * misspelled `pasword => "..."` is hidden too.
 */
const secretSettingNames = new Set<string>();
const SECRET_LIKE = /pa?s+w|pwd|secret|token|credential|api_?key|private/i;

export function registerSecretSettingName(name: string): void {
  secretSettingNames.add(name);
}

/** Replaces the values of secret settings on a source line with asterisks of the same length (columns stay right). */
export function redactSecrets(line: string): string {
  return line.replace(/([A-Za-z0-9_@-]+)(\s*=>\s*)("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|[^\s{}\[\],]+)/g,
    (match, name: string, arrow: string, value: string) =>
      secretSettingNames.has(name) || SECRET_LIKE.test(name) ? name + arrow + '*'.repeat(value.length) : match);
}

/** Builds the two-line "source line + caret" excerpt used in config errors; secret values are masked. */
export function caretExcerpt(sourceText: string, line: number, column: number): string {
  const lines = sourceText.split('\n');
  const text = redactSecrets((lines[line - 1] ?? '').replace(/\t/g, ' '));
  const gutter = `${line} | `;
  return `${gutter}${text}\n${' '.repeat(gutter.length + Math.max(0, column - 1))}^`;
}
