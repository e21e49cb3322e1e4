import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderReference } from '../../src/cli/plugins.js';
import { builtinRegistry } from '../../src/plugins/builtins.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

test('docs/configuration.md matches the plugin schemas (regenerate with `npm run docs`)', () => {
  const onDisk = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
  assert.equal(onDisk, renderReference(builtinRegistry()));
});

test('every registered plugin has a description and every option one too', () => {
  for (const d of builtinRegistry().all()) {
    assert.ok(d.description.length > 10, `${d.kind} ${d.name}`);
    for (const [name, spec] of Object.entries(d.options)) assert.ok(spec.description.length > 0, `${d.name}.${name}`);
  }
});
