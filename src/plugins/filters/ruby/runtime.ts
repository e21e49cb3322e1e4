/**
 * One CRuby interpreter (WebAssembly, WASI) holding one ruby filter's code: built from the
 * npm package's `ruby+stdlib.wasm`, which carries the standard library in an embedded
 * file system, so nothing is read or fetched outside node_modules. The compiled module is
 * shared by every interpreter of the thread (compiling is the slow part of loading).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import { RubyVM, type RbValue } from '@ruby/wasm-wasi';
import { RUBY_PRELUDE } from './prelude-rb.js';

/** Where npm put the interpreter. */
export function rubyWasmPath(): string {
  return createRequire(import.meta.url).resolve('@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm');
}

let compiled: Promise<WebAssembly.Module> | undefined;

/** The interpreter's module, compiled once per thread. */
export function rubyModule(): Promise<WebAssembly.Module> {
  if (compiled === undefined) {
    // V8 first runs WebAssembly on its baseline compiler and moves hot functions to the optimising
    // one after a budget of work. The interpreter's few huge functions (the bytecode loop, the GC)
    // then took seconds of slow running under load before being optimised: tier up sooner.
    v8.setFlagsFromString('--wasm-tiering-budget=10000');
    compiled = WebAssembly.compile(readFileSync(rubyWasmPath()));
  }
  return compiled;
}

/** A Ruby exception raised while setting a script up (message and first backtrace lines). */
export class RubySetupError extends Error {}

/** A log line the script wrote through `logger`. */
export type RubyLogLine = [level: string, message: string, fields: Record<string, unknown> | null];

export interface RubyBatchResult {
  /** Per input event: 0 (unchanged) or [flags, ops, produced, error]. */
  r: Array<0 | [number, RubyOp[], Array<[Record<string, unknown>, Record<string, unknown> | null]>, string | null]>;
  l: RubyLogLine[];
}

export type RubyOp = [0, string, unknown] | [1, string] | [2, string] | [3] | [4];
export const FLAG_EXCEPTION = 1;

/** Ruby's bundled gems (csv, base64, …) live outside the default load path when gems are off. */
const SETUP = String.raw`
$LOAD_PATH.concat(Dir.glob('/usr/local/lib/ruby/gems/*/gems/*/lib').sort)
`;

// Without a guard, node:wasi warns once per process that it is experimental.
let warningFiltered = false;
function quietWasiWarning(): void {
  if (warningFiltered) return;
  warningFiltered = true;
  const original = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (text.includes('WASI is an experimental feature')) return;
    (original as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}

export class RubyRuntime {
  private constructor(
    private readonly vm: RubyVM,
    private readonly filter: RbValue,
  ) {}

  /** Boots an interpreter with the prelude loaded and one filter object (`id` names its logger). */
  static async create(id: string, compiledModule?: WebAssembly.Module): Promise<RubyRuntime> {
    quietWasiWarning();
    const module = compiledModule ?? (await rubyModule());
    // Imported here, after the warning filter: node:wasi warns when it is loaded.
    const { WASI } = await import('node:wasi');
    const wasi = new WASI({ version: 'preview1', returnOnExit: true, env: { TZ: process.env['TZ'] ?? 'UTC' } });
    // --disable-gems: RubyGems' own boot costs about a second; the stdlib is on the load path anyway.
    const { vm } = await RubyVM.instantiateModule({ module, wasip1: wasi, args: ['ruby.wasm', '-EUTF-8', '--disable-gems', '-e_=0'] });
    vm.eval(SETUP);
    vm.eval(RUBY_PRELUDE);
    const filter = vm.eval(`LogStashRubyFilter.new(${JSON.stringify(id)})`);
    return new RubyRuntime(vm, filter);
  }

  /** Calls a method of the filter object with string/JSON arguments; Ruby errors become RubySetupError. */
  private call(method: string, ...args: unknown[]): RbValue {
    const values = args.map((a) => this.vm.eval(`JSON.parse(${rubyString(JSON.stringify(a))})`));
    try {
      return this.filter.call(method, ...values);
    } catch (e) {
      throw new RubySetupError(firstLines((e as Error).message));
    }
  }

  inline(init: string | undefined, code: string, label: string): void {
    this.call('__inline', init ?? null, code, label);
  }

  script(source: string, path: string, params: Record<string, unknown>): void {
    this.call('__script', source, path, params);
  }

  /** Runs a script's `test` blocks: how many there were and the failures. */
  test(source: string, path: string): { count: number; failures: string[] } {
    const [count, failures] = JSON.parse(this.call('__test', source, path).call('to_json').toString()) as [number, string[]];
    return { count, failures };
  }

  /** Log lines written during setup. */
  drainLogs(): RubyLogLine[] {
    return JSON.parse(this.filter.call('__drain_logs').toString()) as RubyLogLine[];
  }

  /**
   * Runs the filter over a batch (`input`: the wire format of prelude-rb.ts). `stepMs`: when
   * set, the runner calls globalThis.__logpipeRubyStep before an event once that many ms passed
   * since the last call (0: before every event), the watchdog's heartbeat.
   */
  run(input: string, stepMs: number | undefined): RubyBatchResult {
    const slot = globalThis as { __logpipeRubyInput?: string };
    slot.__logpipeRubyInput = input;
    try {
      const step = stepMs === undefined ? this.nil() : this.vm.eval(String(Math.max(0, Math.floor(stepMs))));
      return JSON.parse(this.filter.call('__run', step).toString()) as RubyBatchResult;
    } finally {
      slot.__logpipeRubyInput = undefined;
    }
  }

  private nilValue: RbValue | undefined;
  private nil(): RbValue {
    return (this.nilValue ??= this.vm.eval('nil'));
  }
}

/** A Ruby string literal for any text. */
function rubyString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The message and the first few backtrace lines of a Ruby error as the package formats it. */
function firstLines(message: string): string {
  return message.split('\n').slice(0, 4).join('\n');
}
