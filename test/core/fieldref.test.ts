import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../../src/core/event.js';
import { fieldRef, parseFieldPath } from '../../src/core/fieldref.js';
import { FieldReferenceError } from '../../src/core/errors.js';

test('parses bare, bracketed and composite references', () => {
  assert.deepEqual(parseFieldPath('message'), ['message']);
  assert.deepEqual(parseFieldPath('[a][b][c]'), ['a', 'b', 'c']);
  assert.deepEqual(parseFieldPath('a[b][c]'), ['a', 'b', 'c']);
  assert.deepEqual(parseFieldPath('a.b'), ['a.b']);
  assert.deepEqual(parseFieldPath('[@metadata][x]'), ['@metadata', 'x']);
});

test('rejects malformed references', () => {
  for (const bad of ['', '[a', '[a]b', 'a]', '[]', '[a][[b]]']) {
    assert.throws(() => parseFieldPath(bad), FieldReferenceError, bad);
  }
});

test('get/set/remove on nested paths create and delete as needed', () => {
  const e = new Event({ message: 'x' });
  const ref = fieldRef('[a][b][c]');
  assert.equal(ref.get(e), undefined);
  assert.equal(ref.has(e), false);
  ref.set(e, 5);
  assert.deepEqual(e.data['a'], { b: { c: 5 } });
  assert.equal(ref.has(e), true);
  assert.equal(ref.remove(e), 5);
  assert.deepEqual(e.data['a'], { b: {} });
  assert.equal(ref.remove(e), undefined);
});

test('array elements are addressed by index, negative from the end', () => {
  const e = new Event({ list: ['a', 'b', 'c'] });
  assert.equal(e.get('[list][0]'), 'a');
  assert.equal(e.get('[list][-1]'), 'c');
  e.set('[list][1]', 'B');
  assert.deepEqual(e.data['list'], ['a', 'B', 'c']);
});

test('@metadata lives apart from the data and is not serialised', () => {
  const e = new Event({ message: 'm' });
  e.set('[@metadata][route]', 'x');
  assert.equal(e.get('[@metadata][route]'), 'x');
  assert.equal(e.data['@metadata'], undefined);
  assert.ok(!JSON.stringify(e).includes('route'));
  assert.deepEqual(e.get('@metadata'), { route: 'x' });
});

test('references are cached: parsing once per distinct text', () => {
  assert.equal(fieldRef('[x][y]'), fieldRef('[x][y]'));
});

test('a hot top-level reference keeps setting the right field (compiled store)', () => {
  const ref = fieldRef('hot "quoted" \\ key');
  for (let i = 0; i < 200; i++) {
    const e = new Event({ message: 'm' });
    ref.set(e, i);
    assert.equal(e.data['hot "quoted" \\ key'], i);
    assert.equal(ref.get(e), i);
  }
});

test('setIfMissing sets exactly what get-then-set would, cold and once compiled (hot), whatever the path holds', () => {
  const shapes: { data: Record<string, unknown>; metadata?: Record<string, unknown> }[] = [
    { data: {} },
    { data: { host: 'kept', a: { b: { c: 'kept' } } }, metadata: { ip: 'kept', input: { tcp: { source: { name: 'kept' } } } } },
    { data: { host: null, a: { b: { c: null } } }, metadata: { ip: null } },
    { data: { a: 'a string where an object goes' }, metadata: { input: 7 } },
    { data: { a: [{ c: 1 }, { c: undefined }] }, metadata: { input: { tcp: null } } },
    { data: { a: null, port: 0 }, metadata: {} },
    { data: { a: { b: [] } } },
  ];
  const refs = ['host', 'port', '[a][b][c]', '[a][1][c]', '[a][-1][c]', '[a][x][c]', '[@metadata][ip]', '[@metadata][input][tcp][source][name]'];
  for (let round = 0; round < 100; round++) {
    for (const text of refs) {
      const ref = fieldRef(text);
      for (const shape of shapes) {
        const expected = new Event(structuredClone(shape.data), shape.metadata && structuredClone(shape.metadata));
        const actual = expected.clone();
        if (ref.get(expected) === undefined) ref.set(expected, 'new');
        ref.setIfMissing(actual, 'new');
        assert.deepEqual(actual.toObjectWithMetadata(), expected.toObjectWithMetadata(), `${text} on ${JSON.stringify(shape)} (round ${round})`);
      }
    }
  }
});
