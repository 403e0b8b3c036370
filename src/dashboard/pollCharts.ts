import { categoricalMapData, mapPayload, numericMapData, type MapPayload } from '../charts/mapData.js';
import { categoricalOverTime, numericOverTime, summaryOverTime, type CategoricalPayload, type NumericPayload } from '../charts/overTime.js';
import { categoryChart, histogramChart, wordCloudChart, type CountsPayload, type WordCloudPayload } from '../charts/pollRunCharts.js';
import { addTotals, NO_TOTALS, pollRunSummaryOf, statisticOf, type Summary, type Totals } from '../charts/statistics.js';
import type { ChartPollRun } from '../charts/table.js';
import { answerTotals, responseCounts, type ChartSelection, type SameDayMode } from '../db/chartReads.js';
import { msg } from '../i18n/msg.js';
import { allCategories, type QuestionTypeName, type StoredRule } from '../polls/rules.js';
import type { RegionContext } from '../regions/context.js';
import type { ContactFilters } from './filters.js';
import { cachedNumericValueCounts, cachedWordCloud } from './chartCache.js';

type Translate = (key: string) => string;

/**
 * Chart data of poll questions (spec §13): picks the chart of each question type, reads what it
 * needs (src/db/chartReads.ts) and shapes it with the pure builders of src/charts.
 */

/** A question as charts need it. */
export interface ChartQuestion {
  id: number;
  name: string;
  type: QuestionTypeName;
  rules: StoredRule[];
}

/** Chart of a question over time (poll page, §13.3–13.5), or none for menu, keypad and recording. */
export type OverTimeKind = 'numeric' | 'categorical' | 'wordcloud' | null;
/** Chart of a question in one poll run (§13.6, D7). */
export type PollRunKind = 'bar' | 'pie' | 'wordcloud';

/**
 * The over-time chart a question type gets.
 * @param type the question's type.
 * @returns its kind, or null for none.
 */
export function overTimeKind(type: QuestionTypeName): OverTimeKind {
  if (type === 'numeric') return 'numeric';
  if (type === 'multiple_choice') return 'categorical';
  if (type === 'open') return 'wordcloud';
  return null;
}

/**
 * The poll-run chart a question type gets: a histogram for numeric, a pie for multiple choice,
 * a word cloud for open-ended, category bars for the rest.
 * @param type the question's type.
 * @returns its kind.
 */
export function pollRunKind(type: QuestionTypeName): PollRunKind {
  if (type === 'open') return 'wordcloud';
  return type === 'multiple_choice' ? 'pie' : 'bar';
}

/**
 * Whether a question type can have a map (§13.7: numeric and multiple choice).
 * @param type the question's type.
 * @returns true when it can.
 */
export function hasMapKind(type: QuestionTypeName): boolean {
  return type === 'numeric' || type === 'multiple_choice';
}

/**
 * The selection of a page: the region context's data regions (null: every region), a reporter
 * group and contact fields.
 * @param regions the request's region context.
 * @param filters the page's contact filters.
 * @returns the selection.
 */
export function chartSelection(regions: Pick<RegionContext, 'dataRegionIds'>, filters: ContactFilters): ChartSelection {
  return { regionIds: regions.dataRegionIds ? [...regions.dataRegionIds] : null, reporterGroupId: filters.group ?? 0, fields: filters.contact };
}

/** A question's answers in the selection and its summary table. */
export interface QuestionSummary {
  answers: number;
  summary: Summary;
}

/**
 * Per question: answers in the selection and the summary table over the charted poll runs
 * (§13.3), in two reads for every question at once.
 * @param orgId the org.
 * @param query questions, charted poll runs, same-day mode and selection.
 * @returns question id → answers and summary (questions without answers are absent).
 */
export async function overTimeSummaries(
  orgId: number,
  query: { questionIds: number[]; pollRunIds: number[]; mode: SameDayMode; selection: ChartSelection },
): Promise<Map<number, QuestionSummary>> {
  const [totals, responses] = await Promise.all([
    answerTotals(orgId, { ...query, by: ['question', 'pollRun'] }),
    responseCounts(orgId, { pollRunIds: query.pollRunIds, selection: query.selection, by: ['pollRun'] }),
  ]);
  const runs = query.pollRunIds.map((id) => ({ id }));
  const perRun = responses.map((r) => ({ pollRunId: r.pollRunId!, responses: r.responses }));
  const summaries = new Map<number, QuestionSummary>();
  for (const questionId of query.questionIds) {
    const rows = totals.filter((t) => t.questionId === questionId).map((t) => ({ pollRunId: t.pollRunId!, totals: t.totals }));
    const answers = rows.reduce((n, r) => n + r.totals.answers, 0);
    if (answers) summaries.set(questionId, { answers, summary: summaryOverTime(runs, rows, perRun) });
  }
  return summaries;
}

/**
 * Per question, in one poll run: answers in the selection and the summary table (§13.6).
 * @param orgId the org.
 * @param query questions, the poll run, same-day mode and selection.
 * @returns question id → answers and summary (questions without answers are absent).
 */
export async function pollRunSummaries(
  orgId: number,
  query: { questionIds: number[]; pollRunId: number; mode: SameDayMode; selection: ChartSelection },
): Promise<Map<number, QuestionSummary>> {
  const pollRunIds = [query.pollRunId];
  const [totals, responses] = await Promise.all([
    answerTotals(orgId, { ...query, pollRunIds, by: ['question'] }),
    responseCounts(orgId, { pollRunIds, selection: query.selection, by: ['pollRun'] }),
  ]);
  const selected = responses[0]?.responses ?? 0;
  return new Map(totals.map((t) => [t.questionId!, { answers: t.totals.answers, summary: pollRunSummaryOf(statisticOf(t.totals, selected)) }]));
}

/** What an over-time chart needs besides the question. */
export interface OverTimeOptions {
  runs: ChartPollRun[];
  mode: SameDayMode;
  selection: ChartSelection;
  /** Region id → name, when numeric charts are split by region. */
  split: Map<number, string> | null;
  t: Translate;
}

/**
 * A question's chart over the poll runs of the poll page (§13.3–13.5).
 * @param orgId the org.
 * @param question the question.
 * @param options poll runs, mode, selection, split and translator.
 * @returns the payload, or null for a type without one.
 */
export async function overTimeChart(orgId: number, question: ChartQuestion, options: OverTimeOptions): Promise<NumericPayload | CategoricalPayload | WordCloudPayload | null> {
  const { runs, mode, selection, split, t } = options;
  const pollRunIds = runs.map((r) => r.id);
  const base = { questionIds: [question.id], pollRunIds, mode, selection };
  switch (overTimeKind(question.type)) {
    case 'numeric': {
      const by = split ? (['pollRun', 'region'] as const) : (['pollRun'] as const);
      const [totals, responses] = await Promise.all([
        answerTotals(orgId, { ...base, by: [...by] }),
        responseCounts(orgId, { pollRunIds, selection, by: [...by] }),
      ]);
      return numericOverTime({
        runs, name: question.name, split, t,
        totals: totals.map((r) => ({ pollRunId: r.pollRunId!, regionId: r.regionId ?? null, totals: r.totals })),
        responses: responses.map((r) => ({ pollRunId: r.pollRunId!, regionId: r.regionId ?? null, responses: r.responses })),
      });
    }
    case 'categorical': {
      const rows = await answerTotals(orgId, { ...base, by: ['pollRun', 'category'] });
      return categoricalOverTime({ runs, t, categories: rows.map((r) => ({ pollRunId: r.pollRunId!, category: r.category ?? null, answers: r.totals.answers })) });
    }
    case 'wordcloud':
      return wordCloudChart(await cachedWordCloud(orgId, question.id, pollRunIds, selection), t);
    default:
      return null;
  }
}

/**
 * A question's chart in one poll run (§13.6, D7).
 * @param orgId the org.
 * @param question the question.
 * @param options the poll run, mode, selection and translator.
 * @returns the payload.
 */
export async function pollRunChart(
  orgId: number,
  question: ChartQuestion,
  options: { pollRunId: number; mode: SameDayMode; selection: ChartSelection; t: Translate },
): Promise<CountsPayload | WordCloudPayload> {
  const { pollRunId, mode, selection, t } = options;
  const kind = pollRunKind(question.type);
  if (kind === 'wordcloud') return wordCloudChart(await cachedWordCloud(orgId, question.id, [pollRunId], selection), t);
  if (question.type === 'numeric') return histogramChart(await cachedNumericValueCounts(orgId, { questionId: question.id, pollRunIds: [pollRunId], mode, selection }), t);
  const rows = await answerTotals(orgId, { questionIds: [question.id], pollRunIds: [pollRunId], mode, selection, by: ['category'] });
  return categoryChart(kind, rows.map((r) => ({ category: r.category ?? null, answers: r.totals.answers })), t);
}

/** A map with the boundaries to draw and its data table. */
export interface QuestionMap extends MapPayload {
  /** Boundaries of the regions shown (drawn, grey without data). */
  boundaryIds: number[];
  table: { columns: string[]; rows: (string | number)[][] };
}

/** What a map needs besides the question. */
export interface MapOptions {
  pollRunIds: number[];
  mode: SameDayMode;
  selection: ChartSelection;
  /** Region id → its boundary id, for the regions shown that have one. */
  boundaryOfRegion: Map<number, number>;
  /** Boundary id → name. */
  boundaryNames: Map<number, string>;
  language: string;
  t: Translate;
}

/**
 * Per question and region: answers by category with numeric totals, for maps and map tabs.
 * @param orgId the org.
 * @param query questions, poll runs, mode and selection.
 * @returns question id → rows.
 */
async function regionRows(orgId: number, query: { questionIds: number[]; pollRunIds: number[]; mode: SameDayMode; selection: ChartSelection }) {
  const rows = await answerTotals(orgId, { ...query, by: ['question', 'region', 'category'] });
  const byQuestion = new Map<number, { regionId: number; category: string | null; totals: Totals }[]>();
  for (const row of rows) {
    const list = byQuestion.get(row.questionId!) ?? [];
    list.push({ regionId: row.regionId!, category: row.category ?? null, totals: row.totals });
    byQuestion.set(row.questionId!, list);
  }
  return byQuestion;
}

/**
 * Which questions have map data (§13.7, §22.3: the map tab appears only then), in one read.
 * @param orgId the org.
 * @param questions the page's questions.
 * @param options poll runs, mode, selection and region boundaries.
 * @returns the ids of questions with a map.
 */
export async function questionsWithMaps(orgId: number, questions: ChartQuestion[], options: Pick<MapOptions, 'pollRunIds' | 'mode' | 'selection' | 'boundaryOfRegion'>): Promise<Set<number>> {
  const mappable = questions.filter((q) => hasMapKind(q.type));
  if (!mappable.length || !options.boundaryOfRegion.size) return new Set();
  const rows = await regionRows(orgId, { ...options, questionIds: mappable.map((q) => q.id) });
  return new Set(mappable.filter((q) => (rows.get(q.id) ?? []).some((r) => options.boundaryOfRegion.has(r.regionId)
    && (q.type === 'numeric' ? r.totals.count > 0 : Boolean(r.category)))).map((q) => q.id));
}

/**
 * A question's map (§13.7): per boundary the rule category of the numeric average, or the leading
 * category; answers of regions without a boundary are left out.
 * @param orgId the org.
 * @param question a numeric or multiple-choice question.
 * @param options poll runs, mode, selection, boundaries and translator.
 * @returns the map, or null when no boundary has data.
 */
export async function questionMap(orgId: number, question: ChartQuestion, options: MapOptions): Promise<QuestionMap | null> {
  if (!hasMapKind(question.type)) return null;
  const { boundaryOfRegion, boundaryNames, t } = options;
  const rows = ((await regionRows(orgId, { ...options, questionIds: [question.id] })).get(question.id) ?? [])
    .filter((r) => boundaryOfRegion.has(r.regionId));
  const categories = allCategories(question.rules, rows.filter((r) => r.totals.answers > 0).map((r) => r.category));
  let data;
  if (question.type === 'numeric') {
    const byBoundary = new Map<number, Totals>();
    for (const r of rows) {
      const boundary = boundaryOfRegion.get(r.regionId)!;
      byBoundary.set(boundary, addTotals(byBoundary.get(boundary) ?? NO_TOTALS, r.totals));
    }
    data = numericMapData(byBoundary, question.rules, options.language);
  } else {
    const byBoundary = new Map<number, Map<string | null, number>>();
    for (const r of rows) {
      const boundary = boundaryOfRegion.get(r.regionId)!;
      const counts = byBoundary.get(boundary) ?? new Map<string | null, number>();
      counts.set(r.category, (counts.get(r.category) ?? 0) + r.totals.answers);
      byBoundary.set(boundary, counts);
    }
    data = categoricalMapData(byBoundary, categories);
  }
  const payload = mapPayload(data, categories);
  if (!payload) return null;
  const boundaryIds = [...new Set(boundaryOfRegion.values())];
  const numeric = question.type === 'numeric';
  const rowsOut = boundaryIds
    .filter((id) => payload.mapData[id])
    .map((id) => [boundaryNames.get(id) ?? String(id), ...(numeric ? [payload.mapData[id]!.average!] : []), payload.mapData[id]!.category])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  const columns = [t(msg('Boundary')), ...(numeric ? [t(msg('Average'))] : []), t(msg('Category'))];
  return { ...payload, boundaryIds, table: { columns, rows: rowsOut } };
}
