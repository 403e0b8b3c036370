/** One language a contact can speak: its ISO 639-2 code and English name. */
export interface Language {
  code: string;
  name: string;
}

/**
 * Languages offered on the contact form (ISO 639-2 three-letter codes, the ones RapidPro uses),
 * those of the countries TracPro serves plus the widespread ones.
 */
export const LANGUAGES: readonly Language[] = [
  { code: 'ach', name: 'Acoli' }, { code: 'aka', name: 'Akan' }, { code: 'amh', name: 'Amharic' },
  { code: 'ara', name: 'Arabic' }, { code: 'bam', name: 'Bambara' }, { code: 'ben', name: 'Bengali' },
  { code: 'nya', name: 'Chichewa' }, { code: 'zho', name: 'Chinese' }, { code: 'nld', name: 'Dutch' },
  { code: 'eng', name: 'English' }, { code: 'ewe', name: 'Ewe' }, { code: 'ful', name: 'Fula' },
  { code: 'fra', name: 'French' }, { code: 'lug', name: 'Ganda' }, { code: 'deu', name: 'German' },
  { code: 'hau', name: 'Hausa' }, { code: 'hin', name: 'Hindi' }, { code: 'ibo', name: 'Igbo' },
  { code: 'ind', name: 'Indonesian' }, { code: 'ita', name: 'Italian' }, { code: 'kik', name: 'Kikuyu' },
  { code: 'kin', name: 'Kinyarwanda' }, { code: 'kon', name: 'Kongo' }, { code: 'kur', name: 'Kurdish' },
  { code: 'lin', name: 'Lingala' }, { code: 'luo', name: 'Luo' }, { code: 'mlg', name: 'Malagasy' },
  { code: 'nep', name: 'Nepali' }, { code: 'nyn', name: 'Nyankole' }, { code: 'orm', name: 'Oromo' },
  { code: 'pus', name: 'Pashto' }, { code: 'fas', name: 'Persian' }, { code: 'por', name: 'Portuguese' },
  { code: 'run', name: 'Rundi' }, { code: 'rus', name: 'Russian' }, { code: 'sna', name: 'Shona' },
  { code: 'som', name: 'Somali' }, { code: 'sot', name: 'Sotho' }, { code: 'spa', name: 'Spanish' },
  { code: 'swa', name: 'Swahili' }, { code: 'tir', name: 'Tigrinya' }, { code: 'tsn', name: 'Tswana' },
  { code: 'tur', name: 'Turkish' }, { code: 'urd', name: 'Urdu' }, { code: 'vie', name: 'Vietnamese' },
  { code: 'wol', name: 'Wolof' }, { code: 'xho', name: 'Xhosa' }, { code: 'yor', name: 'Yoruba' },
  { code: 'zul', name: 'Zulu' },
];

const BY_CODE = new Map(LANGUAGES.map((l) => [l.code, l]));

/**
 * Whether a code is one of the offered languages.
 * @param code a three-letter code.
 * @returns true when offered.
 */
export function isLanguage(code: string): boolean {
  return BY_CODE.has(code);
}

/**
 * The name of a language in the reader's language when the runtime knows it, else in English.
 * @param code a three-letter code (or null).
 * @param uiLanguage the reader's language (BCP 47), e.g. "fr".
 * @returns the name, the code itself for an unknown code, or null for no code.
 */
export function languageName(code: string | null, uiLanguage = 'en'): string | null {
  if (!code) return null;
  const known = BY_CODE.get(code);
  if (!known) return code;
  try {
    const local = new Intl.DisplayNames([uiLanguage], { type: 'language', fallback: 'none' }).of(code);
    if (local && local !== code) return local.charAt(0).toLocaleUpperCase(uiLanguage) + local.slice(1);
  } catch {
    // An unsupported UI language: the English name will do.
  }
  return known.name;
}

/**
 * The offered languages for a select, named in the reader's language and sorted by that name.
 * @param uiLanguage the reader's language.
 * @returns value/label pairs.
 */
export function languageOptions(uiLanguage = 'en'): { value: string; label: string }[] {
  return LANGUAGES.map((l) => ({ value: l.code, label: `${languageName(l.code, uiLanguage)} (${l.code})` }))
    .sort((a, b) => a.label.localeCompare(b.label, uiLanguage));
}

/**
 * Languages whose English name contains the text (spec §18.4).
 * @param text what was typed; empty gives the first ones.
 * @param limit how many.
 * @returns matching languages.
 */
export function searchLanguages(text: string, limit = 10): Language[] {
  const needle = text.trim().toLowerCase();
  return LANGUAGES.filter((l) => !needle || l.name.toLowerCase().includes(needle) || l.code === needle).slice(0, limit);
}
