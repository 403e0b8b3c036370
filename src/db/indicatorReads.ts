import type { PollRunType } from '../generated/prisma/enums.js';
import { both } from './counterReads.js';
import { pgPool } from './pool.js';
import type { FieldFilter } from './responseRows.js';

/**
 * The reads behind indicators (spec §14.2–14.4, §14.6). Every read of answers or responses is
 * bounded by poll run ids (and the question): the (org, poll run, contact) indexes serve them.
 * Both paths count what the counters count: active (non-superseded) responses of active contacts
 * with a region (Q6: superseded responses are excluded).
 */

/** A poll run of an indicator's term. */
export interface TermPollRun {
  id: number;
  type: PollRunType;
  regionId: number | null;
  conductedOn: Date;
  /** Org-local `YYYY-MM-DD` of conductedOn (spec §13.9, Q15). */
  day: string;
}

/** A term in org-local calendar days, both ends included; a missing end is unbounded. */
export interface DayWindow {
  start: string | null;
  end: string | null;
}

/** Whose answers a read counts: contacts of these regions, matching every field filter. */
export interface ContactSelection {
  /** Contact regions; null = every region. */
  regionIds: number[] | null;
  fieldFilters: FieldFilter[];
}

/** Answers and numeric totals of one poll run (of one region when split), as statistics.ts `Totals`. */
export interface TotalsRow {
  pollRunId: number;
  regionId: number | null;
  answers: number;
  count: number;
  sum: string;
  squares: string;
}

/** Selected responses of one poll run (of one region when split). */
export interface ResponsesRow {
  pollRunId: number;
  regionId: number | null;
  responses: number;
}

/** Which stored value a question's answers are charted by (spec §10.2 valueToUse). */
export type ValueColumn = 'value' | 'last_value' | 'sum_value';

/**
 * The poll runs of a poll whose org-local day lies in the window, oldest first (any poll run type;
 * the caller applies the region rules of §12.1).
 * @param orgId the org.
 * @param pollId the poll (tracked or not, §14.2).
 * @param window the term.
 * @param timeZone the org's zone.
 * @returns the poll runs.
 */
export async function termPollRuns(orgId: number, pollId: number, window: DayWindow, timeZone: string): Promise<TermPollRun[]> {
  const { rows } = await pgPool().query<{ id: number; type: PollRunType; region_id: number | null; conducted_on: Date; day: string }>(
    `SELECT id, type, region_id, conducted_on, to_char(conducted_on AT TIME ZONE $5, 'YYYY-MM-DD') AS day
     FROM poll_runs
     WHERE org_id = $1 AND poll_id = $2
       AND ($3::date IS NULL OR conducted_on >= ($3::date)::timestamp AT TIME ZONE $5)
       AND ($4::date IS NULL OR conducted_on < ($4::date + 1)::timestamp AT TIME ZONE $5)
     ORDER BY conducted_on, id`,
    [orgId, pollId, window.start, window.end, timeZone],
  );
  return rows.map((r) => ({ id: r.id, type: r.type, regionId: r.region_id, conductedOn: r.conducted_on, day: r.day }));
}

/** `%text%` for ILIKE, the pattern characters of the text taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The contact conditions of a read over a table aliased `alias` (responses or answers, which both
 * carry the contact's region), with parameters appended to `values`.
 */
function contactConditions(alias: string, selection: ContactSelection, values: unknown[]): string[] {
  const conditions = [`${alias}.region_id IS NOT NULL`];
  if (selection.regionIds) {
    values.push(selection.regionIds);
    conditions.push(`${alias}.region_id = ANY($${values.length}::int[])`);
  }
  if (selection.fieldFilters.length) {
    const matches = selection.fieldFilters.map((filter) => {
      values.push(filter.key, containsPattern(filter.value));
      return `(c.fields ->> $${values.length - 1}) ILIKE $${values.length}`;
    });
    conditions.push(`EXISTS (SELECT 1 FROM contacts c WHERE c.org_id = ${alias}.org_id AND c.id = ${alias}.contact_id AND ${matches.join(' AND ')})`);
  }
  return conditions;
}

const totalsRow = (r: { poll_run_id: number; region_id: number | null; answers: number; count: number; sum: string; squares: string }): TotalsRow => ({
  pollRunId: r.poll_run_id, regionId: r.region_id, answers: r.answers, count: r.count, sum: r.sum, squares: r.squares,
});

/**
 * A question's answer totals per poll run (and per contact region when split) from the
 * precomputed counters plus their deltas. The counters hold both same-day values of numeric
 * questions, so this serves numeric questions without contact field filters.
 * @param orgId the org.
 * @param questionId the question.
 * @param pollRunIds the poll runs.
 * @param mode which same-day value (§10.2).
 * @param regionIds contact regions; null = every region.
 * @param byRegion one row per (poll run, region) instead of per poll run.
 * @returns rows with at least one answer.
 */
export async function counterTotals(orgId: number, questionId: number, pollRunIds: number[], mode: 'use_last' | 'sum', regionIds: number[] | null, byRegion: boolean): Promise<TotalsRow[]> {
  const prefix = mode === 'sum' ? 'sum' : 'last';
  const region = byRegion ? 'region_id' : 'NULL::int';
  const { rows } = await pgPool().query(
    `SELECT poll_run_id, ${region} AS region_id, sum(answers)::int AS answers, sum(count)::int AS count,
            sum(total)::text AS sum, sum(squares)::text AS squares
     FROM ${both('answer_counters', `poll_run_id, region_id, answers, ${prefix}_count AS count, ${prefix}_sum AS total, ${prefix}_squares AS squares`,
       'org_id = $1 AND question_id = $2 AND poll_run_id = ANY($3::int[]) AND reporter_group_id = 0 AND ($4::int[] IS NULL OR region_id = ANY($4::int[]))')} c
     GROUP BY 1, 2 HAVING sum(answers) <> 0`,
    [orgId, questionId, pollRunIds, regionIds],
  );
  return rows.map(totalsRow);
}

/**
 * Selected responses per poll run (and per contact region when split) from the counters.
 * @param orgId the org.
 * @param pollRunIds the poll runs.
 * @param regionIds contact regions; null = every region.
 * @param byRegion one row per (poll run, region).
 * @returns rows with at least one response.
 */
export async function counterResponses(orgId: number, pollRunIds: number[], regionIds: number[] | null, byRegion: boolean): Promise<ResponsesRow[]> {
  const region = byRegion ? 'region_id' : 'NULL::int';
  const { rows } = await pgPool().query<{ poll_run_id: number; region_id: number | null; responses: number }>(
    `SELECT poll_run_id, ${region} AS region_id, sum(responses)::int AS responses
     FROM ${both('response_counters', 'poll_run_id, region_id, responses',
       'org_id = $1 AND poll_run_id = ANY($2::int[]) AND reporter_group_id = 0 AND ($3::int[] IS NULL OR region_id = ANY($3::int[]))')} c
     GROUP BY 1, 2 HAVING sum(responses) <> 0`,
    [orgId, pollRunIds, regionIds],
  );
  return rows.map((r) => ({ pollRunId: r.poll_run_id, regionId: r.region_id, responses: r.responses }));
}

/**
 * A question's answer totals per poll run (and region) from the answers themselves, for contact
 * field filters and non-numeric questions. Numbers are read as the counters read them
 * (tracpro_numeric), so both paths agree.
 * @param orgId the org.
 * @param questionId the question.
 * @param pollRunIds the poll runs.
 * @param column the stored value charted (§10.2).
 * @param selection the contacts.
 * @param byRegion one row per (poll run, region).
 * @returns rows with at least one answer.
 */
export async function answerTotals(orgId: number, questionId: number, pollRunIds: number[], column: ValueColumn, selection: ContactSelection, byRegion: boolean): Promise<TotalsRow[]> {
  const values: unknown[] = [orgId, pollRunIds, questionId];
  const where = ['a.org_id = $1', 'a.poll_run_id = ANY($2::int[])', 'a.question_id = $3', 'a.counted', ...contactConditions('a', selection, values)];
  const region = byRegion ? 'a.region_id' : 'NULL::int';
  const { rows } = await pgPool().query(
    `SELECT a.poll_run_id, ${region} AS region_id, count(*)::int AS answers, count(v.n)::int AS count,
            coalesce(sum(v.n), 0)::text AS sum, coalesce(sum(v.n * v.n), 0)::text AS squares
     FROM answers a CROSS JOIN LATERAL (SELECT tracpro_numeric(a.${column}) AS n) v
     WHERE ${where.join(' AND ')}
     GROUP BY 1, 2`,
    values,
  );
  return rows.map(totalsRow);
}

/**
 * Selected responses per poll run (and region), read from the responses (contact field filters).
 * @param orgId the org.
 * @param pollRunIds the poll runs.
 * @param selection the contacts.
 * @param byRegion one row per (poll run, region).
 * @returns rows with at least one response.
 */
export async function responseCounts(orgId: number, pollRunIds: number[], selection: ContactSelection, byRegion: boolean): Promise<ResponsesRow[]> {
  const values: unknown[] = [orgId, pollRunIds];
  const where = ['r.org_id = $1', 'r.poll_run_id = ANY($2::int[])', 'r.is_active', 'r.contact_counted', ...contactConditions('r', selection, values)];
  const region = byRegion ? 'r.region_id' : 'NULL::int';
  const { rows } = await pgPool().query<{ poll_run_id: number; region_id: number | null; responses: number }>(
    `SELECT r.poll_run_id, ${region} AS region_id, count(*)::int AS responses FROM responses r WHERE ${where.join(' AND ')} GROUP BY 1, 2`,
    values,
  );
  return rows.map((r) => ({ pollRunId: r.poll_run_id, regionId: r.region_id, responses: r.responses }));
}

/** What the baseline of spec §14.4 is made of. */
export interface BaselineRead {
  /** Distinct contacts with a selected baseline response. */
  respondents: number;
  /** Contacts with an answer (their earliest one is kept). */
  answered: number;
  /** Exact decimal text of the sum of the kept answers that are numeric. */
  total: string;
}

/**
 * The baseline of spec §14.4 in one query bounded by the baseline poll runs and question: each
 * contact's earliest answer (by submittedOn) is kept and the numeric ones summed; the respondents
 * are the distinct contacts with a selected response.
 * @param orgId the org.
 * @param questionId the baseline question.
 * @param pollRunIds the baseline poll runs.
 * @param column the stored value charted (§10.2).
 * @param selection the contacts.
 * @returns respondents, answering contacts and the total.
 */
export async function baselineTotals(orgId: number, questionId: number, pollRunIds: number[], column: ValueColumn, selection: ContactSelection): Promise<BaselineRead> {
  const values: unknown[] = [orgId, pollRunIds, questionId];
  const answerWhere = ['a.org_id = $1', 'a.poll_run_id = ANY($2::int[])', 'a.question_id = $3', 'a.counted', ...contactConditions('a', selection, values)];
  const responseWhere = ['r.org_id = $1', 'r.poll_run_id = ANY($2::int[])', 'r.is_active', 'r.contact_counted', ...contactConditions('r', selection, values)];
  const { rows: [row] } = await pgPool().query<{ respondents: number; answered: number; total: string }>(
    `SELECT (SELECT count(DISTINCT r.contact_id) FROM responses r WHERE ${responseWhere.join(' AND ')})::int AS respondents,
            count(k.contact_id)::int AS answered, coalesce(sum(tracpro_numeric(k.value)), 0)::text AS total
     FROM (SELECT DISTINCT ON (a.contact_id) a.contact_id, a.${column} AS value
           FROM answers a WHERE ${answerWhere.join(' AND ')}
           ORDER BY a.contact_id, a.submitted_on, a.id) k`,
    values,
  );
  return { respondents: row!.respondents, answered: row!.answered, total: row!.total };
}

/**
 * The regions of contacts who answered any of the questions in the poll runs (from the counters),
 * for the indicator page's "contact region" choices (spec §17.11).
 * @param orgId the org.
 * @param questionIds the indicator's questions.
 * @param pollRunIds their poll runs in the term.
 * @returns region ids.
 */
export async function answeringRegions(orgId: number, questionIds: number[], pollRunIds: number[]): Promise<number[]> {
  if (!pollRunIds.length) return [];
  const { rows } = await pgPool().query<{ region_id: number }>(
    `SELECT region_id FROM ${both('answer_counters', 'region_id, answers',
      'org_id = $1 AND poll_run_id = ANY($2::int[]) AND question_id = ANY($3::int[]) AND reporter_group_id = 0')} c
     GROUP BY region_id HAVING sum(answers) <> 0`,
    [orgId, pollRunIds, questionIds],
  );
  return rows.map((r) => r.region_id);
}

/** A featured-indicator candidate: its follow-up question and its own term. */
export interface TermQuestion {
  pollId: number;
  questionId: number;
  window: { start: string; end: string };
}

/**
 * Which candidates' follow-up questions have at least one answer in a universal or spoofed poll
 * run of their own term (spec §14.6), in one query; each probe stops at the first answer.
 * @param orgId the org.
 * @param candidates the candidates.
 * @param timeZone the org's zone (terms are org-local days).
 * @returns the indexes of the candidates with an answer.
 */
export async function answeredInTerm(orgId: number, candidates: TermQuestion[], timeZone: string): Promise<Set<number>> {
  if (!candidates.length) return new Set();
  const { rows } = await pgPool().query<{ i: string }>(
    `SELECT k.i FROM unnest($2::int[], $3::int[], $4::date[], $5::date[]) WITH ORDINALITY AS k(poll_id, question_id, start_day, end_day, i)
     WHERE EXISTS (
       SELECT 1 FROM poll_runs p
       WHERE p.org_id = $1 AND p.poll_id = k.poll_id AND p.type IN ('universal', 'spoofed')
         AND p.conducted_on >= (k.start_day)::timestamp AT TIME ZONE $6 AND p.conducted_on < (k.end_day + 1)::timestamp AT TIME ZONE $6
         AND EXISTS (SELECT 1 FROM answers a WHERE a.org_id = $1 AND a.poll_run_id = p.id AND a.question_id = k.question_id))`,
    [orgId, candidates.map((c) => c.pollId), candidates.map((c) => c.questionId), candidates.map((c) => c.window.start), candidates.map((c) => c.window.end), timeZone],
  );
  return new Set(rows.map((r) => Number(r.i) - 1));
}
