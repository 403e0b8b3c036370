import { readCatalogue, SUPPORTED_LANGUAGES } from './index.js';

/** The keys every language must translate at least: navigation, sign-in and home (fa and ps may stop there). */
export const CORE_KEYS = [
  'Home', 'Users', 'Organizations', 'Site management', 'My profile', 'Switch organization', 'Sign out', 'Language', 'Menu',
  'Main navigation', 'Sign in', 'E-mail', 'Password', 'Forgot your password?', 'Wrong e-mail or password.', 'Welcome',
  'Choose an organization', 'People in this organization', 'TracPro', 'Page not found', 'Not allowed',
];

/** Languages that must be complete. */
export const COMPLETE_LANGUAGES = ['en', 'fr', 'es'];

export interface LanguageCoverage {
  language: string;
  translated: number;
  total: number;
  share: number;
  missingCore: string[];
}

/**
 * Measures how much of each catalogue is translated, against the English catalogue's keys.
 * @returns one row per supported language.
 */
export function catalogueCoverage(): LanguageCoverage[] {
  const keys = Object.keys(readCatalogue('en'));
  return SUPPORTED_LANGUAGES.map((language) => {
    const catalogue = readCatalogue(language);
    const translated = keys.filter((k) => (catalogue[k] ?? '') !== '').length;
    const missingCore = CORE_KEYS.filter((k) => !catalogue[k]);
    return { language, translated, total: keys.length, share: keys.length ? translated / keys.length : 1, missingCore };
  });
}
