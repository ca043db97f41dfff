// The console's own catalogues (English, Spanish), loaded with the console's code so the trader's
// first load does not carry them. `ct` follows the app's current language; missing keys fall back
// to English, then to the key.
import { lang } from '../lib/i18n.svelte.ts';
import { en } from './i18n/en.ts';
import { es } from './i18n/es.ts';

const catalogues: Record<string, Record<string, string>> = { en, es };

export function ct(key: string, vars: Record<string, string | number> = {}): string {
  const text = catalogues[lang()]?.[key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}
