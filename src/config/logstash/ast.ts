/**
 * AST of the Logstash configuration language (LSCL). Produced by parser.ts,
 * consumed by the compiler (src/config/compile.ts). Every node carries its
 * source location so later errors can point at file:line:column.
 */
import type { SourceLocation } from '../../core/errors.js';
import type { Setting } from '../values.js';

export type SectionType = 'input' | 'filter' | 'output';

export interface ConfigSource {
  /** File path as given, or "config string" for -e. */
  name: string;
  text: string;
}

export interface ConfigAst {
  /** Sections in source order, files in load order. */
  sections: SectionNode[];
  sources: ConfigSource[];
  /**
   * Constructs logpipe accepts but Logstash's grammar refuses (logpipe's
   * extensions and leniencies), in source order: `check --strict` reports them.
   */
  notLogstash?: NotLogstashFinding[];
}

/** One place where real Logstash would refuse the config that logpipe accepted. */
export interface NotLogstashFinding {
  location: SourceLocation;
  reason: string;
}

export interface SectionNode {
  kind: 'section';
  type: SectionType;
  body: StatementNode[];
  location: SourceLocation;
}

export type StatementNode = PluginNode | IfNode;

export interface PluginNode {
  kind: 'plugin';
  name: string;
  /** Settings in source order (repeats kept; the validator merges them). */
  settings: Setting[];
  location: SourceLocation;
}

/** `if c1 {..} else if c2 {..} else {..}`: one branch per condition. */
export interface IfNode {
  kind: 'if';
  branches: { condition: ConditionNode; body: StatementNode[]; location: SourceLocation }[];
  elseBody?: StatementNode[];
  location: SourceLocation;
}

export type BooleanOperator = 'and' | 'or' | 'xor' | 'nand';
export type CompareOperator = '==' | '!=' | '<' | '>' | '<=' | '>=';

export type ConditionNode =
  | { kind: 'boolean'; op: BooleanOperator; left: ConditionNode; right: ConditionNode; location: SourceLocation }
  | { kind: 'not'; operand: ConditionNode; location: SourceLocation }
  | { kind: 'compare'; op: CompareOperator; left: RValueNode; right: RValueNode; location: SourceLocation }
  | { kind: 'match'; negate: boolean; left: RValueNode; pattern: RegexNode; location: SourceLocation }
  | { kind: 'in'; negate: boolean; left: RValueNode; right: RValueNode; location: SourceLocation }
  /** A lone rvalue: true when the field exists and is not null/false (or the literal is truthy). */
  | { kind: 'truthy'; value: RValueNode; location: SourceLocation };

export interface RegexNode {
  kind: 'regex';
  /** Pattern source between the slashes (or the string's content after =~ "..."). */
  source: string;
  location: SourceLocation;
}

export type RValueNode =
  | { kind: 'field'; reference: string; location: SourceLocation }
  | { kind: 'string'; value: string; location: SourceLocation }
  | { kind: 'number'; value: number; location: SourceLocation }
  | RegexNode
  | { kind: 'array'; items: RValueNode[]; location: SourceLocation }
  | { kind: 'call'; name: string; args: RValueNode[]; location: SourceLocation };
