import { msg } from '../i18n/msg.js';
import { naturalCompare } from '../polls/rules.js';
import { histogram, type WeightedValue } from './histogram.js';
import type { Table } from './table.js';
import type { Word } from './wordCloud.js';

type Translate = (key: string) => string;

/** Counts per label, drawn as horizontal bars or a pie (spec §13.6, D7). */
export interface CountsPayload {
  kind: 'bar' | 'pie';
  categories: string[];
  data: number[];
  table: Table;
}

/** An open-ended question's word cloud beside its words table (spec §13.5). */
export interface WordCloudPayload {
  kind: 'wordcloud';
  words: Word[];
  table: Table;
}

function counts(kind: 'bar' | 'pie', categories: string[], data: number[], column: string, t: Translate): CountsPayload {
  return { kind, categories, data, table: { columns: [column, t(msg('Answers'))], rows: categories.map((c, i) => [c, data[i]!]) } };
}

/**
 * The histogram of a numeric question's answers in one poll run (spec §13.6.1), as bars.
 * @param values the answers' values with how many answers gave each.
 * @param t the translator.
 * @returns the payload (empty without numeric values).
 */
export function histogramChart(values: Iterable<WeightedValue>, t: Translate): CountsPayload {
  const { categories, data } = histogram(values);
  return counts('bar', categories, data, t(msg('Range')), t);
}

/**
 * Answers per category that occurs, in natural order (spec §13.6): a pie for multiple-choice
 * questions (D7), bars for menu, keypad and recording questions.
 * @param kind pie or bar.
 * @param rows answers per category (null: no category).
 * @param t the translator.
 * @returns the payload.
 */
export function categoryChart(kind: 'bar' | 'pie', rows: { category: string | null; answers: number }[], t: Translate): CountsPayload {
  const byCategory = new Map<string | null, number>();
  for (const row of rows) if (row.answers > 0) byCategory.set(row.category, (byCategory.get(row.category) ?? 0) + row.answers);
  const ordered = [...byCategory.keys()].sort(naturalCompare);
  return counts(kind, ordered.map((c) => c ?? t(msg('No category'))), ordered.map((c) => byCategory.get(c)!), t(msg('Category')), t);
}

/**
 * The word cloud and its table.
 * @param words the cloud's words (spec §13.5).
 * @param t the translator.
 * @returns the payload.
 */
export function wordCloudChart(words: Word[], t: Translate): WordCloudPayload {
  return { kind: 'wordcloud', words, table: { columns: [t(msg('Word')), t(msg('Count'))], rows: words.map((w) => [w.text, w.weight]) } };
}
