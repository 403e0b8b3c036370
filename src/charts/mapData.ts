import { categorize, OTHER, type StoredRule } from '../polls/rules.js';
import { moments, type Totals } from './statistics.js';

/** Fill colours of map categories, by index in the question's category list (spec §13.7). */
export const MAP_PALETTE = [
  '#006837', '#1F49BF', '#762a83', '#A7082C', '#FF8200', '#FFD100',
  '#94D192', '#92c5de', '#c2a5cf', '#F2A2B3', '#f7cca0', '#FFFFBF',
] as const;

/** Fill of a boundary without data. */
export const NO_DATA_COLOUR = '#c2aa7e';

/** What a boundary shows: its category, and for numeric questions the average. */
export interface BoundaryData {
  category: string;
  /** The average rounded to 2 decimals, formatted with two decimals and thousands separators. */
  average?: string;
  /** The same average as a number (for sorting and tests). */
  value?: number;
}

/** The map JSON of a question (spec §13.7). */
export interface MapPayload {
  mapData: Record<string, BoundaryData>;
  allCategories: string[];
  /** Category → fill colour. */
  colours: Record<string, string>;
  noDataColour: string;
}

/**
 * Colours the categories in list order, cycling the palette.
 * @param categories the question's category list (§11.5).
 * @returns category → colour.
 */
export function categoryColours(categories: string[]): Record<string, string> {
  return Object.fromEntries(categories.map((c, i) => [c, MAP_PALETTE[i % MAP_PALETTE.length]!]));
}

/**
 * Numeric map data (spec §13.7 step 2): per boundary with numeric values, the mean rounded to two
 * decimals and the category the question's rules give that average.
 * @param byBoundary boundary id → totals of the answers of contacts in regions linked to it.
 * @param rules the question's stored rules.
 * @param language the reader's language, for the displayed average.
 * @returns boundary id → data (boundaries without a numeric value are left out).
 */
export function numericMapData(byBoundary: Map<number, Totals>, rules: StoredRule[], language: string): Record<string, BoundaryData> {
  const format = new Intl.NumberFormat(language, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const data: Record<string, BoundaryData> = {};
  for (const [boundaryId, totals] of byBoundary) {
    const m = moments(totals);
    if (!m) continue;
    const average = m.mean.toDecimalPlaces(2).toFixed(2);
    data[boundaryId] = { average: format.format(average as unknown as number), value: Number(average), category: categorize(rules, average) };
  }
  return data;
}

/**
 * Multiple-choice map data (spec §13.7 step 3): per boundary the most frequent category, ties going
 * to the one earliest in the category list; empty categories are ignored.
 * @param byBoundary boundary id → category → answers.
 * @param allCategories the question's category list.
 * @returns boundary id → data.
 */
export function categoricalMapData(byBoundary: Map<number, Map<string | null, number>>, allCategories: string[]): Record<string, BoundaryData> {
  const rank = (category: string) => {
    const i = allCategories.indexOf(category);
    return i === -1 ? allCategories.length : i;
  };
  const data: Record<string, BoundaryData> = {};
  for (const [boundaryId, counts] of byBoundary) {
    let best: [string, number] | null = null;
    for (const [category, answers] of counts) {
      if (!category || answers <= 0) continue;
      if (!best || answers > best[1] || (answers === best[1] && rank(category) < rank(best[0]))) best = [category, answers];
    }
    if (best) data[boundaryId] = { category: best[0] };
  }
  return data;
}

/**
 * The map JSON, or null when no boundary got data (spec §13.7 step 5).
 * @param mapData boundary id → data.
 * @param allCategories the question's category list (ends with "Other").
 * @returns the payload or null.
 */
export function mapPayload(mapData: Record<string, BoundaryData>, allCategories: string[]): MapPayload | null {
  if (!Object.keys(mapData).length) return null;
  const categories = allCategories.length ? allCategories : [OTHER];
  return { mapData, allCategories: categories, colours: categoryColours(categories), noDataColour: NO_DATA_COLOUR };
}
