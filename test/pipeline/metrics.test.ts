import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIGURE, FIGURES_PER_PLUGIN, PipelineMetrics, WorkerFigures } from '../../src/pipeline/metrics.js';

test('worker figures: slots per kind in graph order; take() hands over what was counted and starts again', () => {
  const w = new WorkerFigures(1, 2, 1);
  assert.deepEqual([w.inputSlot(0), w.filterSlot(0), w.filterSlot(1), w.outputSlot(0)], [0, 1, 2, 3]);
  w.record(w.filterSlot(1), 10, 8, 1.5);
  w.record(w.filterSlot(1), 5, 5, 0.5);
  w.failed(w.filterSlot(1), 2);
  const first = w.take();
  assert.equal(first.length, 4 * FIGURES_PER_PLUGIN);
  const at = 2 * FIGURES_PER_PLUGIN;
  assert.deepEqual([first[at + FIGURE.IN], first[at + FIGURE.OUT], first[at + FIGURE.MS], first[at + FIGURE.FAILURES]], [15, 13, 2, 2]);
  assert.ok(w.take().every((v) => v === 0), 'counting starts again from zero');
  assert.equal(first[at + FIGURE.IN], 15, 'a taken array is not reused');
});

test('pipeline metrics: sums figures from every result per plugin id', () => {
  const m = new PipelineMetrics({ inputs: [{ id: 'in', name: 'stdin' }], filters: ['f1', { id: 'f2', name: 'mutate' }], outputs: [{ id: 'out', name: 'file' }] });
  const a = new WorkerFigures(1, 2, 1);
  const b = new WorkerFigures(1, 2, 1);
  a.record(a.inputSlot(0), 1, 100, 2);
  a.record(a.filterSlot(0), 100, 99, 3);
  a.failed(a.filterSlot(0));
  b.record(b.filterSlot(0), 50, 50, 1);
  b.record(b.outputSlot(0), 50, 49, 4);
  b.failed(b.outputSlot(0));
  m.add(a.take());
  m.add(b.take());
  m.add(undefined);
  assert.deepEqual(m.snapshot(), {
    in: { kind: 'input', name: 'stdin', eventsIn: 1, eventsOut: 100, durationMs: 2, failures: 0 },
    f1: { kind: 'filter', eventsIn: 150, eventsOut: 149, durationMs: 4, failures: 1 },
    f2: { kind: 'filter', name: 'mutate', eventsIn: 0, eventsOut: 0, durationMs: 0, failures: 0 },
    out: { kind: 'output', name: 'file', eventsIn: 50, eventsOut: 49, durationMs: 4, failures: 1 },
  });
  assert.throws(() => m.add(new Float64Array(3 * FIGURES_PER_PLUGIN)), RangeError, 'a layout from another graph is refused');
});

test('pipeline metrics from a graph: ids and plugin names in the workers\' slot order', () => {
  const p = (id: string, name: string) => ({ id, definition: { name } });
  const m = PipelineMetrics.forGraph({ inputs: [p('i', 'stdin')], filterList: [p('g', 'grok')], outputList: [p('o', 'stdout')] });
  const w = new WorkerFigures(1, 1, 1);
  w.record(w.filterSlot(0), 3, 2, 0);
  m.add(w.take());
  assert.deepEqual(Object.keys(m.snapshot()), ['i', 'g', 'o']);
  assert.equal(m.snapshot()['g']!.name, 'grok');
  assert.equal(m.snapshot()['g']!.eventsOut, 2);
});
