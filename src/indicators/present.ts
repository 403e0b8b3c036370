import type { Table } from '../charts/table.js';
import type { DayWindow } from '../db/indicatorReads.js';
import { msg } from '../i18n/msg.js';
import type { IndicatorResult } from './compute.js';
import { questionLabel, type LoadedIndicator } from './definition.js';

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** What presenting needs besides the numbers. */
export interface PresentContext {
  t: Translate;
  /** The page's language, for dates and numbers. */
  language: string;
  /** Names of the regions a split chart may show. */
  regionNames: Map<number, string>;
  /** Where a follow-up point leads (its poll run), or null when it has no page. */
  pollRunUrl: (pollRunId: number) => string | null;
}

/** One area of the chart. */
export interface IndicatorSeries {
  name: string;
  /** baseline: flat line; followUp: the total; region: one region's share, stacked. */
  kind: 'baseline' | 'followUp' | 'region';
  data: number[];
}

/** The chart JSON of an indicator (spec §14.5, with the optional split by region). */
export interface IndicatorChart {
  title: string;
  subtitle: string;
  yAxisTitle: string;
  /** Org-local YYYY-MM-DD of each follow-up poll run. */
  categories: string[];
  series: IndicatorSeries[];
  /** Per category: the follow-up poll run's page, or null. */
  urls: (string | null)[];
  table: Table;
}

/** A row of the summary table: a label and a formatted value. */
export interface SummaryRow {
  label: string;
  value: string;
}

const BASELINE = msg('Baseline');
const FOLLOW_UP = msg('Follow up');

function baselineName(indicator: LoadedIndicator, t: Translate): string {
  if (!indicator.baselinePoll || !indicator.baselineQuestion) return t('Goal');
  return questionLabel(indicator.baselinePoll, indicator.baselineQuestion);
}

/**
 * The chart JSON: the baseline as a flat series, the follow-up sums, and with a split one stacked
 * series per contact region (ordered by name) whose stack equals the follow-up total.
 * @param indicator the indicator.
 * @param result its numbers.
 * @param context translator, language, region names and poll-run links.
 * @returns the chart JSON with its data table.
 */
export function presentChart(indicator: LoadedIndicator, result: IndicatorResult, context: PresentContext): IndicatorChart {
  const { t } = context;
  const categories = result.runs.map((r) => r.day);
  const regions = (result.regions ?? [])
    .map((r) => ({ name: context.regionNames.get(r.regionId) ?? String(r.regionId), data: r.sums }))
    .sort((a, b) => a.name.localeCompare(b.name, context.language, { sensitivity: 'base' }));
  const series: IndicatorSeries[] = [
    { name: t(BASELINE), kind: 'baseline', data: categories.map(() => result.baseline.value) },
    { name: t(FOLLOW_UP), kind: 'followUp', data: result.followUp.sums },
    ...regions.map((r) => ({ name: r.name, kind: 'region' as const, data: r.data })),
  ];
  return {
    title: indicator.name,
    subtitle: `${baselineName(indicator, t)} · ${questionLabel(indicator.followUpPoll, indicator.followUpQuestion)}`,
    yAxisTitle: indicator.yAxisTitle,
    categories,
    series,
    urls: result.runs.map((r) => context.pollRunUrl(r.id)),
    table: {
      columns: [t('Date'), ...series.map((s) => s.name)],
      rows: categories.map((day, i) => [day, ...series.map((s) => s.data[i] ?? 0)]),
    },
  };
}

/**
 * "<Month DD, YYYY> - <Month DD, YYYY>" of a term (spec §14.5); a missing end is taken from the
 * charted poll runs.
 * @param window the term's days.
 * @param days the charted days, for a missing end.
 * @param language the page's language.
 * @returns the label.
 */
export function termLabel(window: DayWindow, days: string[], language: string): string {
  const format = new Intl.DateTimeFormat(language, { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' });
  const show = (day: string | undefined | null) => (day ? format.format(new Date(`${day}T00:00:00Z`)) : '');
  return `${show(window.start ?? days[0])} - ${show(window.end ?? days.at(-1))}`;
}

/**
 * The summary table under the chart (spec §14.5); a goal's response rate is "n/a".
 * @param indicator the indicator.
 * @param result its numbers.
 * @param window the term shown.
 * @param context translator and language.
 * @returns label/value rows.
 */
export function presentSummary(indicator: LoadedIndicator, result: IndicatorResult, window: DayWindow, context: Pick<PresentContext, 't' | 'language'>): SummaryRow[] {
  const { t } = context;
  const number = new Intl.NumberFormat(context.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const show = (value: number | null) => (value === null ? t('n/a') : number.format(value));
  const unit = indicator.yAxisTitle;
  const withUnit = (label: string) => (unit ? `${label} (${unit})` : label);
  return [
    { label: t('Dates'), value: termLabel(window, result.runs.map((r) => r.day), context.language) },
    { label: t('Baseline question'), value: baselineName(indicator, t) },
    { label: withUnit(t('Baseline value')), value: show(result.baseline.value) },
    { label: t('Baseline response rate (%)'), value: show(result.baseline.rate) },
    { label: t('Follow up question'), value: questionLabel(indicator.followUpPoll, indicator.followUpQuestion) },
    { label: withUnit(t('Follow up mean')), value: show(result.followUp.mean) },
    { label: t('Follow up standard deviation'), value: show(result.followUp.stdev) },
    { label: t('Follow up response rate (%)'), value: show(result.followUp.rate) },
  ];
}
