/**
 * Elasticsearch output benchmarks, on a private OpenSearch node started from Maven Central
 * (test/servers/opensearch; run test/servers/opensearch/install.sh once):
 *  - bulk body builder: the output's encoder over parsed access-log events, beside
 *    JSON.stringify of the same events joined by newlines and encoded to UTF-8 (the least any
 *    NDJSON writer does), in this process, best CPU time of nine interleaved rounds;
 *  - pipeline → OpenSearch: `logpipe run` stdin → elasticsearch output until every document is
 *    acknowledged, beside a plain bulk load of the same documents (baselines/bulk-load.ts).
 *
 *   BENCH_ES_EVENTS=200000 (default) — documents per run
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Event } from '../src/core/event.js';
import { createBulkEncoder } from '../src/plugins/outputs/elasticsearch/bulk-encoder.js';
import { OpenSearchNode, uniqueName } from '../test/helpers/opensearch.js';
import type { Scenario } from './scenarios.js';

const ACCESS = /^(\S+) \S+ (\S+) \[([^\]]+)\] "(\S+) (\S+) (\S+)" (\d+) (\d+|-) "([^"]*)" "([^"]*)"/;

/** Access-log lines as the events a grok filter would make of them. */
function parsedEvents(lines: string[]): Event[] {
  return lines.map((message) => {
    const m = ACCESS.exec(message);
    const fields: Record<string, unknown> = { message, host: 'bench' };
    if (m) {
      Object.assign(fields, { clientip: m[1], auth: m[2], timestamp: m[3], verb: m[4], request: m[5], httpversion: m[6], response: Number(m[7]), bytes: m[8] === '-' ? 0 : Number(m[8]), referrer: m[9], agent: m[10] });
    }
    return new Event(fields);
  });
}

/** CPU time of this process (user + system): other processes on a busy machine do not count. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function builderFigures(events: Event[]): { builder: number; stringify: number; bytes: number } {
  const batch = 125;
  const encoder = createBulkEncoder({
    index: 'logs-%{+YYYY.MM.dd}', action: 'index', documentId: undefined, routing: undefined, pipeline: undefined, version: undefined, versionType: undefined,
    docAsUpsert: false, upsert: '', retryOnConflict: 1, dataStream: undefined,
  });
  const textEncoder = new TextEncoder();
  let bytes = 0;
  const runBuilder = (): number => {
    const start = cpuSeconds();
    for (let i = 0; i < events.length; i += batch) bytes = (encoder.encode(events.slice(i, i + batch))!.data as { bytes: Uint8Array }).bytes.length;
    return cpuSeconds() - start;
  };
  const runStringify = (): number => {
    const start = cpuSeconds();
    for (let i = 0; i < events.length; i += batch) {
      let text = '';
      const end = Math.min(events.length, i + batch);
      for (let j = i; j < end; j++) text += JSON.stringify(events[j]!.data) + '\n';
      bytes = textEncoder.encode(text).length;
    }
    return cpuSeconds() - start;
  };
  let builder = Infinity;
  let stringify = Infinity;
  for (let round = 0; round < 9; round++) {
    stringify = Math.min(stringify, runStringify());
    builder = Math.min(builder, runBuilder());
  }
  return { builder, stringify, bytes };
}

export const elasticsearchScenario: Scenario = {
  name: 'elasticsearch',
  async run(t) {
    const events = Number(process.env['BENCH_ES_EVENTS'] ?? 200_000);
    const lines = readFileSync(await t.accessLog(t.lines), 'utf8').split('\n').slice(0, events);
    const source = lines.join('\n') + '\n';
    const bytes = Buffer.byteLength(source);

    const parsed = parsedEvents(lines);
    const figures = builderFigures(parsed);
    const none = { code: 0, stderr: '', peakRssMb: process.memoryUsage().rss / 1048576 };
    t.printRow({ scenario: 'events → bulk body', variant: 'baseline (stringify)', events, bytes, m: { ...none, seconds: figures.stringify } });
    t.printRow({ scenario: 'events → bulk body', variant: 'bulk encoder', events, bytes, m: { ...none, seconds: figures.builder }, baseline: { ...none, seconds: figures.stringify } });

    const dir = mkdtempSync(join(tmpdir(), 'logpipe-bench-es-'));
    const log = join(dir, 'access.log');
    writeFileSync(log, source);
    const node = await OpenSearchNode.start({ javaOpts: '-XX:TieredStopAtLevel=4' });
    try {
      // A fresh node is slow until its JIT warmed up: an unmeasured load first, so neither
      // measured run pays for it.
      await t.measure([join(t.root, 'dist', 'bench', 'baselines', 'bulk-load.js'), node.url, uniqueName('bench-warmup')], { stdinFile: log });
      const baseIndex = uniqueName('bench-baseline');
      const baseline = await t.measure([join(t.root, 'dist', 'bench', 'baselines', 'bulk-load.js'), node.url, baseIndex], { stdinFile: log });
      const baseCount = await node.count(baseIndex);
      if (baseCount !== events) baseline.code = baseline.code || 98;
      t.printRow({ scenario: 'stdin → OpenSearch', variant: 'baseline (raw bulk)', events, bytes, m: baseline });
      const index = uniqueName('bench-logpipe');
      const config = `input { stdin {} } output { elasticsearch { hosts => ["${node.url}"] index => "${index}" manage_template => false } }`;
      const m = await t.measure([t.logpipe, 'run', '-e', config, '-w', '1', '--pipeline.batch.size', '1000', '--log.level', 'warn'], { stdinFile: log });
      if ((await node.count(index)) !== events) m.code = m.code || 99;
      t.printRow({ scenario: 'stdin → OpenSearch', variant: 'logpipe -w 1 -b 1000', events, bytes, m, baseline });
    } finally {
      await node.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
