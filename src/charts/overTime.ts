import { msg } from '../i18n/msg.js';
import { naturalCompare } from '../polls/rules.js';
import { addTotals, NO_TOTALS, rounded, statisticOf, summaryOf, Exact, type Statistic, type Summary, type Totals } from './statistics.js';
import type { Cell, ChartPollRun, RunCategory, RunResponses, RunTotals, Table } from './table.js';

type Translate = (key: string) => string;

/** One line or area of a chart. */
export interface Series {
  name: string;
  data: number[];
}

/** A numeric question over time (spec §13.3); the page switches between the three metrics. */
export interface NumericPayload {
  kind: 'numeric';
  dates: string[];
  sum: Series[];
  average: Series[];
  /** Standard deviation beside each average series, same order. */
  stdev: Series[];
  'response-rate': Series[];
  pollrunUrls: string[];
  participationUrls: string[];
  table: Table;
}

/** A category's counts over time; each point links to its poll run. */
export interface CategorySeries {
  name: string;
  data: { y: number; url: string }[];
}

/** A multiple-choice question over time (spec §13.4): counts per category, shown as shares. */
export interface CategoricalPayload {
  kind: 'categorical';
  dates: string[];
  series: CategorySeries[];
  pollrunUrls: string[];
  table: Table;
}

const key = (pollRunId: number, regionId: number | null) => `${pollRunId}:${regionId ?? ''}`;

/**
 * The statistic of each poll run (and region), from totals and responses: poll runs without a
 * selected response get none (spec §13.1).
 */
function statistics(totals: RunTotals[], responses: RunResponses[], byRegion: boolean): Map<string, Statistic | null> {
  const sums = new Map<string, Totals>();
  for (const row of totals) {
    const k = key(row.pollRunId, byRegion ? (row.regionId ?? null) : null);
    sums.set(k, addTotals(sums.get(k) ?? NO_TOTALS, row.totals));
  }
  const counts = new Map<string, number>();
  for (const row of responses) {
    const k = key(row.pollRunId, byRegion ? (row.regionId ?? null) : null);
    counts.set(k, (counts.get(k) ?? 0) + row.responses);
  }
  return new Map([...counts].map(([k, n]) => [k, statisticOf(sums.get(k) ?? NO_TOTALS, n)]));
}

/**
 * The summary table of a question over poll runs (spec §13.3), always from unsplit data.
 * @param runs the charted poll runs.
 * @param totals answer totals per poll run (any region rows are added up).
 * @param responses selected responses per poll run.
 * @returns Mean, Standard deviation and Response rate average.
 */
export function summaryOverTime(runs: { id: number }[], totals: RunTotals[], responses: RunResponses[]): Summary {
  const stats = statistics(totals, responses, false);
  return summaryOf(runs.map((run) => stats.get(key(run.id, null)) ?? null));
}

/**
 * Builds the numeric chart (spec §13.3): one series named after the question, or one per region
 * with a selected response (by name, case-insensitive) when split.
 * @param input poll runs, totals and responses (per region when split), the question's name,
 *   region names when split, and the translator for the table's titles.
 * @returns the payload.
 */
export function numericOverTime(input: {
  runs: ChartPollRun[];
  totals: RunTotals[];
  responses: RunResponses[];
  name: string;
  split: Map<number, string> | null;
  t: Translate;
}): NumericPayload {
  const { runs, split, t } = input;
  const stats = statistics(input.totals, input.responses, split !== null);
  const lines: { name: string; regionId: number | null }[] = split
    ? [...new Set(input.responses.filter((r) => r.responses > 0 && r.regionId != null).map((r) => r.regionId!))]
      .map((regionId) => ({ name: split.get(regionId) ?? String(regionId), regionId }))
      .sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.regionId - b.regionId)
    : [{ name: input.name, regionId: null }];
  const metric = (pick: (s: Statistic) => number): Series[] =>
    lines.map((line) => ({ name: line.name, data: runs.map((run) => { const s = stats.get(key(run.id, line.regionId)); return s ? pick(s) : 0; }) }));
  const columns = [t(msg('Date')), ...(split ? [t(msg('Region'))] : []), t(msg('Sum')), t(msg('Average')), t(msg('Standard deviation')), t(msg('Response rate (%)'))];
  const rows: Cell[][] = [];
  for (const run of runs) {
    for (const line of lines) {
      const s = stats.get(key(run.id, line.regionId));
      rows.push([{ text: run.date, href: run.url }, ...(split ? [line.name] : []), s?.sum ?? 0, s?.avg ?? 0, s?.stdev ?? 0, s?.rate ?? 0]);
    }
  }
  return {
    kind: 'numeric',
    dates: runs.map((r) => r.date),
    sum: metric((s) => s.sum),
    average: metric((s) => s.avg),
    stdev: metric((s) => s.stdev),
    'response-rate': metric((s) => s.rate),
    pollrunUrls: runs.map((r) => r.url),
    participationUrls: runs.map((r) => r.participationUrl),
    table: { columns, rows },
  };
}

/**
 * Builds the multiple-choice chart (spec §13.4): one series per category present (null first,
 * then natural order), a count per poll run; the page draws shares of 100 %.
 * @param input poll runs, answers per poll run and category, and the translator.
 * @returns the payload.
 */
export function categoricalOverTime(input: { runs: ChartPollRun[]; categories: RunCategory[]; t: Translate }): CategoricalPayload {
  const { runs, t } = input;
  const counts = new Map<string | null, Map<number, number>>();
  for (const row of input.categories) {
    if (row.answers <= 0) continue;
    const perRun = counts.get(row.category) ?? new Map<number, number>();
    perRun.set(row.pollRunId, (perRun.get(row.pollRunId) ?? 0) + row.answers);
    counts.set(row.category, perRun);
  }
  const categories = [...counts.keys()].sort(naturalCompare);
  const label = (category: string | null) => category ?? t(msg('No category'));
  const series = categories.map((category) => ({
    name: label(category),
    data: runs.map((run) => ({ y: counts.get(category)!.get(run.id) ?? 0, url: run.url })),
  }));
  const totals = runs.map((_, i) => series.reduce((n, s) => n + s.data[i]!.y, 0));
  const rows: Cell[][] = [];
  runs.forEach((run, i) => {
    for (const s of series) {
      const y = s.data[i]!.y;
      if (y > 0) rows.push([{ text: run.date, href: run.url }, s.name, y, rounded(new Exact(y).times(100).div(totals[i]!))]);
    }
  });
  return {
    kind: 'categorical',
    dates: runs.map((r) => r.date),
    series,
    pollrunUrls: runs.map((r) => r.url),
    table: { columns: [t(msg('Date')), t(msg('Category')), t(msg('Answers')), t(msg('Share (%)'))], rows },
  };
}
