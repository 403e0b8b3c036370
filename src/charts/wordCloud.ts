import stopwordLists from 'stopword';

/** Most words a cloud shows (spec §13.5). */
export const WORD_CLOUD_SIZE = 50;

/** One word of a cloud and how often it was used. */
export interface Word {
  text: string;
  weight: number;
}

/**
 * Languages with a stop-word list: ISO 639-1 code, the stopword package's list, and the ISO 639-2
 * codes (terminology and bibliographic) contacts carry. A contact's language goes 639-2 → 639-1 →
 * list (spec §13.5); a language without a row has no stop words.
 */
const LANGUAGES: [iso1: string, list: string, ...iso2: string[]][] = [
  ['af', 'afr', 'afr'], ['ar', 'ara', 'ara'], ['bg', 'bul', 'bul'], ['bn', 'ben', 'ben'], ['br', 'bre', 'bre'],
  ['ca', 'cat', 'cat'], ['cs', 'ces', 'ces', 'cze'], ['da', 'dan', 'dan'], ['de', 'deu', 'deu', 'ger'],
  ['el', 'ell', 'ell', 'gre'], ['en', 'eng', 'eng'], ['eo', 'epo', 'epo'], ['es', 'spa', 'spa'], ['et', 'est', 'est'],
  ['eu', 'eus', 'eus', 'baq'], ['fa', 'fas', 'fas', 'per'], ['fi', 'fin', 'fin'], ['fr', 'fra', 'fra', 'fre'],
  ['ga', 'gle', 'gle'], ['gl', 'glg', 'glg'], ['gu', 'guj', 'guj'], ['ha', 'hau', 'hau'], ['he', 'heb', 'heb'],
  ['hi', 'hin', 'hin'], ['hr', 'hrv', 'hrv'], ['hu', 'hun', 'hun'], ['hy', 'hye', 'hye', 'arm'], ['id', 'ind', 'ind'],
  ['it', 'ita', 'ita'], ['ja', 'jpn', 'jpn'], ['ko', 'kor', 'kor'], ['ku', 'kur', 'kur'], ['la', 'lat', 'lat'],
  ['lt', 'lit', 'lit'], ['lv', 'lav', 'lav'], ['mr', 'mar', 'mar'], ['ms', 'msa', 'msa', 'may'], ['my', 'mya', 'mya', 'bur'],
  ['nb', 'nob', 'nob', 'nor'], ['nl', 'nld', 'nld', 'dut'], ['pa', 'panGu', 'pan'], ['pl', 'pol', 'pol'], ['pt', 'por', 'por'],
  ['ro', 'ron', 'ron', 'rum'], ['ru', 'rus', 'rus'], ['sk', 'slk', 'slk', 'slo'], ['sl', 'slv', 'slv'], ['so', 'som', 'som'],
  ['st', 'sot', 'sot'], ['sv', 'swe', 'swe'], ['sw', 'swa', 'swa'], ['th', 'tha', 'tha'], ['tl', 'tgl', 'tgl'],
  ['tr', 'tur', 'tur'], ['uk', 'ukr', 'ukr'], ['ur', 'urd', 'urd'], ['vi', 'vie', 'vie'], ['yo', 'yor', 'yor'],
  ['zh', 'zho', 'zho', 'chi'], ['zu', 'zul', 'zul'],
];

const ISO1_BY_ISO2 = new Map(LANGUAGES.flatMap(([iso1, , ...codes]) => codes.map((code) => [code, iso1] as const)));
const LIST_BY_ISO1 = new Map(LANGUAGES.map(([iso1, list]) => [iso1, list]));
const loaded = new Map<string, ReadonlySet<string>>();
const NONE: ReadonlySet<string> = new Set();

/**
 * The stop words of a contact's language.
 * @param language an ISO 639-2 code, or null.
 * @returns the lower-case stop words (empty for a language without a list).
 */
export function stopWordsFor(language: string | null): ReadonlySet<string> {
  const iso1 = language ? ISO1_BY_ISO2.get(language.toLowerCase()) : undefined;
  if (!iso1) return NONE;
  let words = loaded.get(iso1);
  if (!words) {
    words = new Set((stopwordLists[LIST_BY_ISO1.get(iso1)!] ?? []).map((w) => w.toLowerCase()));
    loaded.set(iso1, words);
  }
  return words;
}

// Anything but a letter (with its combining marks, so Persian or Hindi words stay whole), a digit,
// an underscore, an apostrophe or a hyphen separates words.
const SEPARATORS = /[^\p{L}\p{M}\p{N}_'-]+/u;

/**
 * The words of an answer (spec §13.5): lower-cased, split on separators, longer than one character.
 * @param text the answer's value.
 * @returns the words in order.
 */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().split(SEPARATORS).filter((word) => [...word].length > 1);
}

/**
 * Counts words over answers in order; the first appearance of a word breaks ties.
 */
export class WordCounter {
  private readonly counts = new Map<string, number>();

  /**
   * Counts the words of one answer value, less the stop words of the contact's language.
   * @param value the answer's value (null is skipped).
   * @param language the contact's ISO 639-2 language.
   * @param answers how many answers gave this value in this language.
   */
  add(value: string | null, language: string | null, answers = 1): void {
    if (value === null) return;
    const stop = stopWordsFor(language);
    for (const word of wordsOf(value)) {
      if (!stop.has(word)) this.counts.set(word, (this.counts.get(word) ?? 0) + answers);
    }
  }

  /**
   * The most used words, by count descending, ties in order of first appearance.
   * @param limit how many to keep.
   * @returns the words.
   */
  top(limit = WORD_CLOUD_SIZE): Word[] {
    // Maps keep insertion order (first appearance) and the sort is stable.
    return [...this.counts].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([text, weight]) => ({ text, weight }));
  }
}

/**
 * The word cloud of spec §13.5.
 * @param answers the answers in order, each with its contact's language.
 * @param limit how many words to keep.
 * @returns at most `limit` words.
 */
export function wordCloud(answers: Iterable<{ value: string | null; language: string | null; answers?: number }>, limit = WORD_CLOUD_SIZE): Word[] {
  const counter = new WordCounter();
  for (const answer of answers) counter.add(answer.value, answer.language, answer.answers ?? 1);
  return counter.top(limit);
}
