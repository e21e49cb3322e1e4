/** Runs a scaffolded filter section through the real pipeline (src/testing/engine.ts) on the sample records. */
import { compileGraph } from '../config/compile.js';
import { parseConfig } from '../config/logstash/parser.js';
import { defaultSettings } from '../pipeline/settings.js';
import { builtinRegistry } from '../plugins/builtins.js';
import { freezeClock } from '../testing/clock.js';
import { TestEngine } from '../testing/engine.js';
import type { Fields } from '../testing/cases.js';

/** The instant the clock is frozen at while verifying: an event still carrying it got no date. */
export const VERIFY_NOW = Date.UTC(2000, 0, 1);

/** Each record's events after the filters (empty when a filter dropped it), as JSON. */
export async function runFilters(filterSection: string, records: readonly string[]): Promise<Fields[][]> {
  const text = `input { stdin { } }\nfilter {\n${filterSection}\n}\noutput { stdout { } }\n`;
  const sources = [{ name: 'scaffold', text }];
  const graph = compileGraph(parseConfig(sources), { registry: builtinRegistry() });
  const settings = defaultSettings();
  settings.logLevel = 'error';
  const thaw = freezeClock(VERIFY_NOW);
  const previousTz = process.env['TZ'];
  process.env['TZ'] = 'UTC';
  try {
    const engine = await TestEngine.create({ graph, sources, settings, inputOptions: graph.inputs[0]!.options, capture: 'filters' });
    try {
      const out: Fields[][] = [];
      for (const record of records) {
        const captured = await engine.run({ name: '', lines: [], events: [{ message: record }], fields: {}, expected: [], expectedOutputs: [] });
        out.push(captured.map((c) => c.fields));
      }
      return out;
    } finally {
      await engine.close();
    }
  } finally {
    thaw();
    if (previousTz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = previousTz;
  }
}
