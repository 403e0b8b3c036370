import { addTotals, Exact, NO_TOTALS, overallMean, overallStdev, rounded, statisticOf, type Totals } from '../charts/statistics.js';
import {
  answeringRegions, answerTotals, baselineTotals, counterResponses, counterTotals, responseCounts, termPollRuns,
  type BaselineRead, type ContactSelection, type DayWindow, type ResponsesRow, type TermPollRun, type TotalsRow, type ValueColumn,
} from '../db/indicatorReads.js';
import type { FieldFilter } from '../db/responseRows.js';
import type { QuestionTypeName } from '../polls/rules.js';
import { visibleForRegion, type RegionLinks } from '../pollruns/startRules.js';
import type { OrgSettings } from '../tenancy/orgSettings.js';

/** A question an indicator reads, with what decides how its answers are charted. */
export interface IndicatorQuestion {
  pollId: number;
  questionId: number;
  type: QuestionTypeName;
}

/** What an indicator compares: a baseline question or a goal, against a follow-up question. */
export interface IndicatorDefinition {
  /** Null when the indicator has a goal instead. */
  baseline: IndicatorQuestion | null;
  /** Decimal text of the goal, or null. */
  goal: string | null;
  followUp: IndicatorQuestion;
}

/** Where and whose data an indicator shows: the org and the reader's region context (spec §5.1, §12.1). */
export interface IndicatorScope {
  orgId: number;
  timeZone: string;
  sameDayMode: OrgSettings['sameDayMode'];
  /** The current region R, or null for "All regions" (then only universal and spoofed poll runs). */
  regionId: number | null;
  includeSubregions: boolean;
  /** The org's active region tree (poll run visibility). */
  links: RegionLinks;
  /** The data regions: contacts' regions shown; null = every region. */
  dataRegionIds: number[] | null;
}

/** The indicator page's filters (spec §17.11). */
export interface IndicatorFilters {
  window: DayWindow;
  /** A goal typed on the page: replaces the baseline (decimal text), or null. */
  goal: string | null;
  /** One contact region (already checked to be among the data regions), or null for all of them. */
  contactRegionId: number | null;
  fieldFilters: FieldFilter[];
  /** The follow-up series split by contact region as well. */
  splitByRegion: boolean;
}

/** A charted follow-up poll run. */
export interface ChartedRun {
  id: number;
  /** Org-local YYYY-MM-DD. */
  day: string;
}

/** The follow-up of one contact region, for the split chart. */
export interface RegionSeries {
  regionId: number;
  /** Per charted poll run: the §13.1 sum of that region's answers (0 without responses). */
  sums: number[];
}

/** An indicator's numbers (spec §14.3–14.5). */
export interface IndicatorResult {
  runs: ChartedRun[];
  baseline: {
    value: number;
    /** Null for a goal ("n/a"). */
    rate: number | null;
    /** True when a goal stands for the baseline. */
    isGoal: boolean;
  };
  followUp: {
    sums: number[];
    rates: number[];
    mean: number;
    stdev: number;
    rate: number;
  };
  /** Only when split by region: one entry per region with at least one selected response. */
  regions: RegionSeries[] | null;
}

/**
 * Which poll runs an indicator charts for a region context (spec §14.2): with a current region R,
 * those visible for R (§12.1); for "All regions", universal and spoofed ones only.
 * @param runs the poll runs of the term.
 * @param scope the region context.
 * @returns the charted poll runs, in order.
 */
export function chartedPollRuns(runs: TermPollRun[], scope: Pick<IndicatorScope, 'regionId' | 'includeSubregions' | 'links'>): TermPollRun[] {
  if (scope.regionId === null) return runs.filter((r) => r.type === 'universal' || r.type === 'spoofed');
  return runs.filter((r) => visibleForRegion(r, scope.regionId, scope.includeSubregions, scope.links));
}

/**
 * The stored value a question is charted by (spec §10.2).
 * @param type the question's type.
 * @param mode the org's same-day mode.
 * @returns the column.
 */
export function valueColumn(type: QuestionTypeName, mode: OrgSettings['sameDayMode']): ValueColumn {
  if (type !== 'numeric') return 'value';
  return mode === 'sum' ? 'sum_value' : 'last_value';
}

/**
 * The baseline of spec §14.4: a goal (rate "n/a"), or the sum of each contact's earliest numeric
 * answer with the share of respondents who answered (0 without respondents).
 * @param read the baseline totals, or null when there is a goal.
 * @param goal the goal's decimal text, or null.
 * @returns value and rate, each rounded to one decimal.
 */
export function baselineOf(read: BaselineRead | null, goal: string | null): IndicatorResult['baseline'] {
  if (goal !== null) return { value: rounded(new Exact(goal)), rate: null, isGoal: true };
  if (!read) return { value: 0, rate: 0, isGoal: false };
  const rate = read.respondents ? rounded(new Exact(read.answered).times(100).div(read.respondents)) : 0;
  return { value: rounded(new Exact(read.total)), rate, isGoal: false };
}

const totalsOf = (row: TotalsRow | undefined): Totals => (row ? { answers: row.answers, count: row.count, sum: row.sum, squares: row.squares } : NO_TOTALS);

/**
 * The follow-up series of spec §14.3: per poll run the §13.1 sum (0 without responses); mean and
 * standard deviation of the sums and the mean response rate over every charted poll run.
 * @param runs the charted poll runs.
 * @param totals answer totals per poll run.
 * @param responses selected responses per poll run.
 * @returns sums, rates and the summary.
 */
export function followUpOf(runs: ChartedRun[], totals: TotalsRow[], responses: ResponsesRow[]): IndicatorResult['followUp'] {
  const totalsByRun = new Map(totals.map((t) => [t.pollRunId, t]));
  const responsesByRun = new Map(responses.map((r) => [r.pollRunId, r.responses]));
  const statistics = runs.map((run) => statisticOf(totalsOf(totalsByRun.get(run.id)), responsesByRun.get(run.id) ?? 0));
  const sums = statistics.map((s) => s?.sum ?? 0);
  const rates = statistics.map((s) => s?.rate ?? 0);
  return { sums, rates, mean: overallMean(sums), stdev: overallStdev(sums), rate: overallMean(rates) };
}

/**
 * The follow-up split by contact region: for each region with at least one selected response, the
 * §13.1 sum of its answers per poll run. Sums add up, so the regions stack to the follow-up total.
 * @param runs the charted poll runs.
 * @param totals answer totals per (poll run, region).
 * @param responses selected responses per (poll run, region).
 * @returns one series per region (unordered).
 */
export function regionSeriesOf(runs: ChartedRun[], totals: TotalsRow[], responses: ResponsesRow[]): RegionSeries[] {
  const key = (runId: number, regionId: number | null) => `${runId}|${regionId}`;
  const totalsByKey = new Map(totals.map((t) => [key(t.pollRunId, t.regionId), t]));
  const responsesByKey = new Map(responses.map((r) => [key(r.pollRunId, r.regionId), r.responses]));
  const regionIds = [...new Set(responses.filter((r) => r.regionId !== null).map((r) => r.regionId!))];
  return regionIds.map((regionId) => ({
    regionId,
    sums: runs.map((run) => statisticOf(totalsOf(totalsByKey.get(key(run.id, regionId))), responsesByKey.get(key(run.id, regionId)) ?? 0)?.sum ?? 0),
  }));
}

/** Whose contacts the reads select: one chosen region, else the data regions; field filters. */
export function contactSelection(scope: IndicatorScope, filters: Pick<IndicatorFilters, 'contactRegionId' | 'fieldFilters'>): ContactSelection {
  return { regionIds: filters.contactRegionId !== null ? [filters.contactRegionId] : scope.dataRegionIds, fieldFilters: filters.fieldFilters };
}

/**
 * Follow-up totals and responses per poll run (and region): from the counters when they can
 * answer (a numeric question, no contact field filter), else from the answers themselves.
 */
async function followUpReads(scope: IndicatorScope, question: IndicatorQuestion, runIds: number[], selection: ContactSelection, byRegion: boolean) {
  if (question.type === 'numeric' && !selection.fieldFilters.length) {
    return Promise.all([
      counterTotals(scope.orgId, question.questionId, runIds, scope.sameDayMode, selection.regionIds, byRegion),
      counterResponses(scope.orgId, runIds, selection.regionIds, byRegion),
    ]);
  }
  return Promise.all([
    answerTotals(scope.orgId, question.questionId, runIds, valueColumn(question.type, scope.sameDayMode), selection, byRegion),
    responseCounts(scope.orgId, runIds, selection, byRegion),
  ]);
}

/**
 * Computes an indicator for a reader (spec §14.2–14.5). The follow-up poll runs decide the chart:
 * without any in the window there is no chart and no summary (null).
 * @param definition the indicator's questions and goal.
 * @param scope the org and region context.
 * @param filters the page's filters (a goal typed there replaces the indicator's).
 * @returns the result, or null for "no data".
 */
export async function computeIndicator(definition: IndicatorDefinition, scope: IndicatorScope, filters: IndicatorFilters): Promise<IndicatorResult | null> {
  const followUpRuns = chartedPollRuns(await termPollRuns(scope.orgId, definition.followUp.pollId, filters.window, scope.timeZone), scope);
  if (!followUpRuns.length) return null;
  const runs = followUpRuns.map((r) => ({ id: r.id, day: r.day }));
  const runIds = runs.map((r) => r.id);
  const selection = contactSelection(scope, filters);
  const goal = filters.goal ?? definition.goal;
  const [[totals, responses], baselineRead] = await Promise.all([
    followUpReads(scope, definition.followUp, runIds, selection, filters.splitByRegion),
    goal === null && definition.baseline ? readBaseline(scope, definition.baseline, filters.window, selection) : null,
  ]);
  return {
    runs,
    baseline: baselineOf(baselineRead, goal),
    followUp: filters.splitByRegion ? followUpOf(runs, ...perPollRun(totals, responses)) : followUpOf(runs, totals, responses),
    regions: filters.splitByRegion ? regionSeriesOf(runs, totals, responses) : null,
  };
}

/** Adds per-region rows up to per-poll-run rows (sums, counts and squares add exactly). */
function perPollRun(totals: TotalsRow[], responses: ResponsesRow[]): [TotalsRow[], ResponsesRow[]] {
  const runTotals = new Map<number, TotalsRow>();
  for (const row of totals) {
    const seen = runTotals.get(row.pollRunId);
    runTotals.set(row.pollRunId, seen ? { ...seen, ...addTotals(totalsOf(seen), totalsOf(row)) } : { ...row, regionId: null });
  }
  const runResponses = new Map<number, number>();
  for (const row of responses) runResponses.set(row.pollRunId, (runResponses.get(row.pollRunId) ?? 0) + row.responses);
  return [[...runTotals.values()], [...runResponses].map(([pollRunId, count]) => ({ pollRunId, regionId: null, responses: count }))];
}

async function readBaseline(scope: IndicatorScope, question: IndicatorQuestion, window: DayWindow, selection: ContactSelection): Promise<BaselineRead> {
  const runs = chartedPollRuns(await termPollRuns(scope.orgId, question.pollId, window, scope.timeZone), scope);
  if (!runs.length) return { respondents: 0, answered: 0, total: '0' };
  return baselineTotals(scope.orgId, question.questionId, runs.map((r) => r.id), valueColumn(question.type, scope.sameDayMode), selection);
}

/**
 * The contact regions the indicator page offers (spec §17.11): regions of contacts who answered
 * either question in the term's charted poll runs, within the data regions.
 * @param definition the indicator's questions.
 * @param scope the org and region context.
 * @param window the term.
 * @returns region ids (unordered).
 */
export async function answeringRegionIds(definition: IndicatorDefinition, scope: IndicatorScope, window: DayWindow): Promise<number[]> {
  const questions = [definition.followUp, ...(definition.baseline ? [definition.baseline] : [])];
  const runs = await Promise.all(questions.map(async (q) => chartedPollRuns(await termPollRuns(scope.orgId, q.pollId, window, scope.timeZone), scope)));
  const regionIds = await answeringRegions(scope.orgId, questions.map((q) => q.questionId), [...new Set(runs.flat().map((r) => r.id))]);
  const shown = scope.dataRegionIds ? new Set(scope.dataRegionIds) : null;
  return regionIds.filter((id) => !shown || shown.has(id));
}
