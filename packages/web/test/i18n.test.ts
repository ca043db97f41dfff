// The two catalogues stay complete and consistent: every English key has a Spanish text and the
// other way round, both use the same {placeholders}, Spanish texts are translations (not English
// copied over), and every literal key the screens ask for exists.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { en } from '../src/i18n/en.ts';
import { es } from '../src/i18n/es.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Keys whose Spanish text may equal the English one (the same word, or only placeholders). */
const SAME_IN_BOTH = new Set([
  'common.no',
  'book.sats',
  'chat.title',
  'create.sats',
  'node.relays',
  'node.maintenanceOff',
  'restore.details',
  'err.invalid_input',
  'err.not_allowed',
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : /\.(svelte|ts)$/.test(d.name) ? [join(dir, d.name)] : [],
  );
}

describe('i18n catalogues', () => {
  it('every key is in both catalogues', () => {
    assert.deepEqual(
      Object.keys(en).filter((k) => !(k in es)),
      [],
      'missing in es.ts',
    );
    assert.deepEqual(
      Object.keys(es).filter((k) => !(k in en)),
      [],
      'missing in en.ts',
    );
  });

  it('both texts of a key use the same placeholders', () => {
    const differ = Object.keys(en)
      .filter((k) => k in es)
      .filter((k) => placeholders(en[k] as string).join() !== placeholders(es[k] as string).join())
      .map((k) => `${k}: ${placeholders(en[k] as string)} vs ${placeholders(es[k] as string)}`);
    assert.deepEqual(differ, []);
  });

  it('the Spanish texts are translations, not empty or English copied over', () => {
    const suspicious = Object.keys(es).filter(
      (k) => (es[k] as string).trim() === '' || (es[k] === en[k] && !SAME_IN_BOTH.has(k)),
    );
    assert.deepEqual(suspicious, []);
  });

  it('every key the screens name literally exists', () => {
    const src = fileURLToPath(new URL('../src/', import.meta.url));
    const used = new Set<string>();
    for (const file of sourceFiles(src)) {
      if (file.includes(`${join('src', 'i18n')}`)) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\('([a-z][\w.-]*)'/g)) used.add(m[1] as string);
    }
    assert.ok(used.size > 100, `found the keys the screens use (${used.size})`);
    assert.deepEqual(
      [...used].filter((k) => !(k in en)),
      [],
    );
  });

  it('placeholder mismatches and missing keys are caught (the checks can fail)', () => {
    assert.notEqual(placeholders('{n} de {of}').join(), placeholders('{n} of {total}').join());
    assert.deepEqual(placeholders('Monto en {c}'), placeholders('Amount in {c}'));
  });
});
