import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIGURE, FIGURES_PER_PLUGIN, figuresBytes, PipelineMetrics, WorkerFigures } from '../../src/pipeline/metrics.js';

test('worker figures: slots per kind in graph order, added per batch step', () => {
  const w = new WorkerFigures(1, 2, 1);
  assert.deepEqual([w.inputSlot(0), w.filterSlot(0), w.filterSlot(1), w.outputSlot(0)], [0, 1, 2, 3]);
  w.record(w.filterSlot(1), 10, 8, 1.5);
  w.record(w.filterSlot(1), 5, 5, 0.5);
  w.failed(w.filterSlot(1), 2);
  const read = w.read();
  assert.equal(read.length, 4 * FIGURES_PER_PLUGIN);
  const at = 2 * FIGURES_PER_PLUGIN;
  assert.deepEqual([read[at + FIGURE.IN], read[at + FIGURE.OUT], read[at + FIGURE.MS], read[at + FIGURE.FAILURES]], [15, 13, 2, 2]);
  w.record(w.filterSlot(1), 1, 1, 0);
  assert.equal(read[at + FIGURE.IN], 15, 'read() hands out a copy');
});

test('pipeline metrics: the sum of every worker\'s shared cells, per plugin id, read when asked', () => {
  const m = new PipelineMetrics({ inputs: [{ id: 'in', name: 'stdin' }], filters: ['f1', { id: 'f2', name: 'mutate' }], outputs: [{ id: 'out', name: 'file' }] });
  assert.equal(m.cellBytes, figuresBytes(4));
  const cellsA = new SharedArrayBuffer(m.cellBytes);
  const cellsB = new SharedArrayBuffer(m.cellBytes);
  m.watch(cellsA);
  m.watch(cellsB);
  const a = new WorkerFigures(1, 2, 1, cellsA);
  const b = new WorkerFigures(1, 2, 1, cellsB);
  a.record(a.inputSlot(0), 1, 100, 2);
  a.record(a.filterSlot(0), 100, 99, 3);
  a.failed(a.filterSlot(0));
  b.record(b.filterSlot(0), 50, 50, 1);
  b.record(b.outputSlot(0), 50, 49, 4);
  b.failed(b.outputSlot(0));
  assert.deepEqual(m.snapshot(), {
    in: { kind: 'input', name: 'stdin', eventsIn: 1, eventsOut: 100, durationMs: 2, failures: 0 },
    f1: { kind: 'filter', eventsIn: 150, eventsOut: 149, durationMs: 4, failures: 1 },
    f2: { kind: 'filter', name: 'mutate', eventsIn: 0, eventsOut: 0, durationMs: 0, failures: 0 },
    out: { kind: 'output', name: 'file', eventsIn: 50, eventsOut: 49, durationMs: 4, failures: 1 },
  });
  // A thread replacing one the watchdog cut off counts on in the same cells.
  const replacement = new WorkerFigures(1, 2, 1, cellsA);
  replacement.record(replacement.filterSlot(0), 10, 10, 0);
  assert.equal(m.snapshot()['f1']!.eventsIn, 160);
  assert.throws(() => m.watch(new SharedArrayBuffer(figuresBytes(3))), RangeError, 'a layout from another graph is refused');
  assert.throws(() => new WorkerFigures(1, 1, 1, cellsA), RangeError);
});

test('pipeline metrics from a graph: ids and plugin names in the workers\' slot order', () => {
  const p = (id: string, name: string) => ({ id, definition: { name } });
  const m = PipelineMetrics.forGraph({ inputs: [p('i', 'stdin')], filterList: [p('g', 'grok')], outputList: [p('o', 'stdout')] });
  const cells = new SharedArrayBuffer(m.cellBytes);
  m.watch(cells);
  const w = new WorkerFigures(1, 1, 1, cells);
  w.record(w.filterSlot(0), 3, 2, 0);
  assert.deepEqual(Object.keys(m.snapshot()), ['i', 'g', 'o']);
  assert.equal(m.snapshot()['g']!.name, 'grok');
  assert.equal(m.snapshot()['g']!.eventsOut, 2);
});
