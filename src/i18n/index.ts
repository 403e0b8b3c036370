import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type TFunction } from 'i18next';

export const SUPPORTED_LANGUAGES = ['en', 'fr', 'es', 'fa', 'ps'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];
export const RTL_LANGUAGES = new Set<string>(['fa', 'ps']);
/** Each language's name in itself, for the switcher. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English', fr: 'Français', es: 'Español', fa: 'فارسی', ps: 'پښتو',
};

const localeDir = fileURLToPath(new URL('../../locale', import.meta.url));

/**
 * Reads one language's catalogue (keys are the English source text).
 * @param language the code.
 * @returns key → translation (empty strings are untranslated).
 */
export function readCatalogue(language: string): Record<string, string> {
  return JSON.parse(readFileSync(path.join(localeDir, language, 'translation.json'), 'utf8')) as Record<string, string>;
}

let ready = false;

/**
 * Initialises i18next synchronously from locale/. Missing or empty translations fall back to the
 * English key itself.
 * @returns the i18next instance.
 */
export function initI18n(): typeof i18next {
  if (ready) return i18next;
  const resources = Object.fromEntries(
    SUPPORTED_LANGUAGES.map((lng) => {
      const entries = Object.entries(readCatalogue(lng)).filter(([, v]) => v !== '');
      return [lng, { translation: Object.fromEntries(entries) }];
    }),
  );
  void i18next.init({
    resources,
    initAsync: false,
    lng: 'en',
    fallbackLng: false,
    supportedLngs: [...SUPPORTED_LANGUAGES],
    keySeparator: false,
    nsSeparator: false,
    returnEmptyString: false,
    interpolation: { escapeValue: false },
  });
  ready = true;
  return i18next;
}

/**
 * A translation function bound to one language.
 * @param language the code.
 * @returns t(key, options).
 */
export function translator(language: string): TFunction {
  return initI18n().getFixedT(language);
}

/**
 * Picks the best supported language from an Accept-Language header.
 * @param header the header value.
 * @returns a supported code, or null.
 */
export function fromAcceptLanguage(header: string | undefined): Language | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { code: (tag ?? '').trim().toLowerCase().split('-')[0] ?? '', q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return (ranked.find((entry) => isSupported(entry.code))?.code as Language | undefined) ?? null;
}

/**
 * Tells whether a code is a supported UI language.
 * @param code the code.
 * @returns true for en, fr, es, fa, ps.
 */
export function isSupported(code: unknown): code is Language {
  return typeof code === 'string' && (SUPPORTED_LANGUAGES as readonly string[]).includes(code);
}
