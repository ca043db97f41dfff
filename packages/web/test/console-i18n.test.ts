// The console's catalogues: every literal key the console's code asks for exists; Spanish has every
// English key, with the same {placeholders}.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { en } from '../src/console/i18n/en.ts';
import { es } from '../src/console/i18n/es.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const DIR = fileURLToPath(new URL('../src/console/', import.meta.url));

describe('console: catalogues', () => {
  it('every literal key in the console code is in the English catalogue', () => {
    const used = new Set<string>();
    for (const file of readdirSync(DIR).filter((f) => /\.(svelte|ts)$/.test(f))) {
      for (const m of readFileSync(DIR + file, 'utf8').matchAll(/\bct\('([^']+)'/g)) used.add(m[1] as string);
    }
    assert.ok(used.size > 100, `found ${used.size} keys`);
    assert.deepEqual(
      [...used].filter((k) => !(k in en)),
      [],
    );
  });

  it('Spanish has every English key and nothing else', () => {
    assert.deepEqual(Object.keys(es).sort(), Object.keys(en).sort());
  });

  it('each translation keeps the placeholders of the English text', () => {
    for (const [key, text] of Object.entries(en)) {
      assert.deepEqual(placeholders(es[key] ?? ''), placeholders(text), key);
    }
  });
});
