// Message catalogues (English, Spanish). `t` reads the current language reactively, so every
// string on screen follows a language change. Missing keys fall back to English, then to the key.
import { en } from '../i18n/en.ts';
import { es } from '../i18n/es.ts';

export type Lang = 'en' | 'es';
const catalogues: Record<Lang, Record<string, string>> = { en, es };

const current = $state<{ lang: Lang }>({ lang: 'en' });

export function setLang(lang: Lang): void {
  current.lang = lang;
  document.documentElement.lang = lang;
}

export function lang(): Lang {
  return current.lang;
}

export function t(key: string, vars: Record<string, string | number> = {}): string {
  const text = catalogues[current.lang][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}
