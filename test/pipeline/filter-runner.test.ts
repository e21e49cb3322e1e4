import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../../src/core/event.js';
import { defineFilter } from '../../src/plugins/api.js';
import { makeFilter } from '../helpers/harness.js';

/** A fake filter for the runner's own logic: succeeds when [ok] is true, can emit copies and cancel. */
const fake = defineFilter({
  kind: 'filter',
  name: 'fake',
  description: 'test double',
  options: { copies: { type: 'number', default: 0, description: '' } },
  create(options) {
    return {
      filter(event, emit) {
        if (event.get('cancel')) event.cancel();
        for (let i = 0; i < options.copies; i++) {
          const c = event.clone();
          c.set('copy', i);
          emit(c);
        }
        return event.get('ok') === true;
      },
    };
  },
});

test('decorations apply on success only, in Logstash order', async () => {
  const f = await makeFilter(fake, {
    add_field: { 'from_%{src}': 'v-%{src}', existing: 'second' },
    remove_field: ['gone'],
    add_tag: ['t_%{src}'],
    remove_tag: ['old'],
  });
  const [ok, failed] = await f.run([
    { ok: true, src: 'a', existing: 'first', gone: 1, tags: ['old', 'keep'] },
    { ok: false, src: 'b', gone: 1, tags: ['old'] },
  ]);
  assert.equal(ok!.get('from_a'), 'v-a');
  assert.deepEqual(ok!.get('existing'), ['first', 'second']);
  assert.equal(ok!.has('gone'), false);
  assert.deepEqual(ok!.get('tags'), ['keep', 't_a']);
  assert.equal(failed!.has('from_b'), false);
  assert.equal(failed!.get('gone'), 1);
  assert.deepEqual(failed!.get('tags'), ['old']);
});

test('emitted events follow their parent and get the decorations; cancelled events leave', async () => {
  const f = await makeFilter(fake, { copies: 2, add_tag: ['seen'] });
  const out = await f.run([new Event({ ok: true, n: 1 }), new Event({ ok: true, n: 2, cancel: true })]);
  assert.deepEqual(out.map((e) => [e.get('n'), e.get('copy') ?? null]), [[1, null], [1, 0], [1, 1], [2, 0], [2, 1]]);
  assert.ok(out.every((e) => e.hasTag('seen')));
});
