import type { Totals } from '../charts/statistics.js';
import { both, scopeSql, type CounterScope } from './counterReads.js';
import { pgPool } from './pool.js';

/**
 * Reads behind the dashboard charts (spec §13). Without contact-field filters every aggregate comes
 * from the precomputed counters (keyed rows plus pending deltas), which count the answers and
 * responses of active responses of counted contacts. Contact fields live on contacts, so with such
 * filters the same aggregates are computed from answers (or responses) joined to their contacts,
 * bounded by the poll runs and question(s) and counting the same rows (`answers.counted`,
 * `responses.is_active AND contact_counted`). Values that need the text itself (histograms, word
 * clouds) are always read from answers, grouped by value so only distinct values travel.
 */

/** Whose answers a chart reads: regions and a reporter group (as counters key them) and contact fields. */
export interface ChartSelection extends CounterScope {
  /** Data-field key → text the contact's value must contain, case-insensitively (spec §20.2). */
  fields: Record<string, string>;
}

/** Which same-day value numeric statistics use (spec §10.2). */
export type SameDayMode = 'use_last' | 'sum';

/** What totals and counts may be grouped by. */
export type TotalsKey = 'question' | 'pollRun' | 'region' | 'category';

/** Answer totals of one group; only the keys asked for are set. */
export interface GroupedTotals {
  questionId?: number;
  pollRunId?: number;
  regionId?: number;
  /** null: no category. */
  category?: string | null;
  totals: Totals;
}

/** Selected responses of one group (all statuses). */
export interface GroupedResponses {
  pollRunId?: number;
  regionId?: number;
  responses: number;
}

const COLUMNS: Record<TotalsKey, string> = { question: 'question_id', pollRun: 'poll_run_id', region: 'region_id', category: 'category' };

const hasFields = (selection: ChartSelection) => Object.keys(selection.fields).length > 0;

/** The contact-field condition on contacts `c`, given the numbers of the keys and texts parameters. */
const fieldsSql = (keys: number, texts: number) =>
  `NOT EXISTS (SELECT 1 FROM unnest($${keys}::text[], $${texts}::text[]) f(k, v) WHERE strpos(lower(coalesce(c.fields->>f.k, '')), lower(f.v)) = 0)`;

/** The region and reporter-group condition on a row of answers or responses `x`. */
const rowScopeSql = (alias: string, group: number, regions: number) =>
  `($${regions}::int[] IS NULL OR ${alias}.region_id = ANY($${regions}::int[])) AND ($${group}::int = 0 OR $${group}::int = ANY(${alias}.group_ids))`;

const fieldParams = (selection: ChartSelection) => [Object.keys(selection.fields), Object.values(selection.fields)];

function groupedRow(row: Record<string, unknown>, by: TotalsKey[]) {
  return {
    ...(by.includes('question') && { questionId: row.question_id as number }),
    ...(by.includes('pollRun') && { pollRunId: row.poll_run_id as number }),
    ...(by.includes('region') && { regionId: row.region_id as number }),
    ...(by.includes('category') && { category: (row.category as string) || null }),
  };
}

/**
 * Answer totals (answers, and count, sum and squares of numeric values) of questions in poll runs,
 * grouped as asked.
 * @param orgId the org.
 * @param query questions, poll runs, the same-day mode (§10.2), the selection and the grouping.
 * @returns one row per non-empty group.
 */
export async function answerTotals(
  orgId: number,
  query: { questionIds: number[]; pollRunIds: number[]; mode: SameDayMode; selection: ChartSelection; by: TotalsKey[] },
): Promise<GroupedTotals[]> {
  const { questionIds, pollRunIds, mode, selection, by } = query;
  if (!questionIds.length || !pollRunIds.length || !by.length) return [];
  const keys = by.map((k) => COLUMNS[k]).join(', ');
  const prefix = mode === 'sum' ? 'sum' : 'last';
  let sql: string;
  let params: unknown[];
  if (!hasFields(selection)) {
    const columns = `question_id, poll_run_id, region_id, category, answers, ${prefix}_count AS count, ${prefix}_sum AS total, ${prefix}_squares AS squares`;
    sql = `SELECT ${keys}, sum(answers)::int AS answers, sum(count)::int AS count, sum(total)::text AS sum, sum(squares)::text AS squares
           FROM ${both('answer_counters', columns, `org_id = $1 AND question_id = ANY($2::int[]) AND poll_run_id = ANY($3::int[]) AND ${scopeSql(4, 5)}`)} c
           GROUP BY ${keys} HAVING sum(answers) <> 0`;
    params = [orgId, questionIds, pollRunIds, selection.reporterGroupId, selection.regionIds];
  } else {
    sql = `SELECT ${by.map((k) => (k === 'category' ? `coalesce(a.category, '') AS category` : `a.${COLUMNS[k]}`)).join(', ')},
                  count(*)::int AS answers, count(n.v)::int AS count, coalesce(sum(n.v), 0)::text AS sum, coalesce(sum(n.v * n.v), 0)::text AS squares
           FROM answers a JOIN contacts c ON c.org_id = a.org_id AND c.id = a.contact_id
           CROSS JOIN LATERAL (SELECT tracpro_numeric(a.${prefix}_value) AS v) n
           WHERE a.org_id = $1 AND a.question_id = ANY($2::int[]) AND a.poll_run_id = ANY($3::int[]) AND a.counted AND a.region_id IS NOT NULL
             AND ${rowScopeSql('a', 4, 5)} AND ${fieldsSql(6, 7)}
           GROUP BY ${by.map((_, i) => i + 1).join(', ')}`;
    params = [orgId, questionIds, pollRunIds, selection.reporterGroupId, selection.regionIds, ...fieldParams(selection)];
  }
  const { rows } = await pgPool().query<Record<string, unknown> & { answers: number; count: number; sum: string; squares: string }>(sql, params);
  return rows.map((row) => ({ ...groupedRow(row, by), totals: { answers: row.answers, count: row.count, sum: row.sum, squares: row.squares } }));
}

/**
 * Selected responses (active, of counted contacts, every status) of poll runs, grouped as asked.
 * @param orgId the org.
 * @param query poll runs, the selection and the grouping (poll run and/or region).
 * @returns one row per non-empty group.
 */
export async function responseCounts(
  orgId: number,
  query: { pollRunIds: number[]; selection: ChartSelection; by: ('pollRun' | 'region')[] },
): Promise<GroupedResponses[]> {
  const { pollRunIds, selection, by } = query;
  if (!pollRunIds.length || !by.length) return [];
  const keys = by.map((k) => COLUMNS[k]).join(', ');
  const { rows } = hasFields(selection)
    ? await pgPool().query<Record<string, unknown> & { responses: number }>(
      `SELECT ${by.map((k) => `r.${COLUMNS[k]}`).join(', ')}, count(*)::int AS responses
       FROM responses r JOIN contacts c ON c.org_id = r.org_id AND c.id = r.contact_id
       WHERE r.org_id = $1 AND r.poll_run_id = ANY($2::int[]) AND r.is_active AND r.contact_counted AND r.region_id IS NOT NULL
         AND ${rowScopeSql('r', 3, 4)} AND ${fieldsSql(5, 6)}
       GROUP BY ${by.map((_, i) => i + 1).join(', ')}`,
      [orgId, pollRunIds, selection.reporterGroupId, selection.regionIds, ...fieldParams(selection)],
    )
    : await pgPool().query<Record<string, unknown> & { responses: number }>(
      `SELECT ${keys}, sum(responses)::int AS responses
       FROM ${both('response_counters', 'poll_run_id, region_id, responses', `org_id = $1 AND poll_run_id = ANY($2::int[]) AND ${scopeSql(3, 4)}`)} c
       GROUP BY ${keys} HAVING sum(responses) <> 0`,
      [orgId, pollRunIds, selection.reporterGroupId, selection.regionIds],
    );
  return rows.map((row) => ({ ...groupedRow(row, by), responses: row.responses }));
}

/** The answers' condition shared by value reads: question, poll runs, counted, selection. */
function answersWhere(selection: ChartSelection): string {
  return `a.org_id = $1 AND a.question_id = $2 AND a.poll_run_id = ANY($3::int[]) AND a.counted AND a.region_id IS NOT NULL
          AND ${rowScopeSql('a', 4, 5)}${hasFields(selection) ? ` AND ${fieldsSql(6, 7)}` : ''}`;
}

const valueParams = (orgId: number, questionId: number, pollRunIds: number[], selection: ChartSelection) =>
  [orgId, questionId, pollRunIds, selection.reporterGroupId, selection.regionIds, ...(hasFields(selection) ? fieldParams(selection) : [])];

/**
 * The numeric values a question's answers use (one same-day mode), each with how many answers
 * gave it, for histograms.
 * @param orgId the org.
 * @param query the question, poll runs, the value column and the selection.
 * @returns [value, answers] pairs of values that parse as numbers.
 */
export async function numericValueCounts(
  orgId: number,
  query: { questionId: number; pollRunIds: number[]; mode: SameDayMode; selection: ChartSelection },
): Promise<[string, number][]> {
  const { questionId, pollRunIds, mode, selection } = query;
  if (!pollRunIds.length) return [];
  const column = mode === 'sum' ? 'a.sum_value' : 'a.last_value';
  const { rows } = await pgPool().query<{ value: string; answers: number }>(
    `SELECT ${column} AS value, count(*)::int AS answers
     FROM answers a${hasFields(selection) ? ' JOIN contacts c ON c.org_id = a.org_id AND c.id = a.contact_id' : ''}
     WHERE ${answersWhere(selection)} AND tracpro_numeric(${column}) IS NOT NULL
     GROUP BY 1`,
    valueParams(orgId, questionId, pollRunIds, selection),
  );
  return rows.map((r) => [r.value, r.answers]);
}

/** Equal answer texts of contacts of one language, in order of first appearance. */
export interface TextGroup {
  value: string;
  language: string | null;
  answers: number;
}

/**
 * The raw values of a question's answers with their contacts' languages, for word clouds: equal
 * texts in one language are grouped and ordered by their first answer, so counting words over
 * the groups in order finds each word's first appearance as counting answer by answer would.
 * @param orgId the org.
 * @param query the question, poll runs and the selection.
 * @returns the groups in order.
 */
export async function answerTextGroups(orgId: number, query: { questionId: number; pollRunIds: number[]; selection: ChartSelection }): Promise<TextGroup[]> {
  const { questionId, pollRunIds, selection } = query;
  if (!pollRunIds.length) return [];
  const { rows } = await pgPool().query<TextGroup>(
    `SELECT a.value, c.language, count(*)::int AS answers
     FROM answers a JOIN contacts c ON c.org_id = a.org_id AND c.id = a.contact_id
     WHERE ${answersWhere(selection)}
     GROUP BY a.value, c.language ORDER BY min(a.id)`,
    valueParams(orgId, questionId, pollRunIds, selection),
  );
  return rows;
}

/**
 * A fingerprint of the counted answers of a question in poll runs within the selection's regions
 * and group, for cache versions: the answers and numeric totals per poll run, region, day and
 * category (deltas folded in, so a squash alone does not change it), plus the newest pending delta
 * row, which moves with every change until the next squash, even one that leaves every count as it
 * was (an answer's text replaced).
 * @param orgId the org.
 * @param query the question, poll runs and the selection (its contact fields do not enter).
 * @returns an opaque text.
 */
export async function answerFingerprint(orgId: number, query: { questionId: number; pollRunIds: number[]; selection: CounterScope }): Promise<string> {
  const where = `org_id = $1 AND question_id = $2 AND poll_run_id = ANY($3::int[])`;
  const { rows: [row] } = await pgPool().query<{ counts: string | null; pending: string | null }>(
    `SELECT (SELECT md5(string_agg(concat_ws(':', poll_run_id, region_id, local_day, category, answers, last_sum, sum_sum), ',' ORDER BY poll_run_id, region_id, local_day, category))
             FROM (SELECT poll_run_id, region_id, local_day, category, sum(answers) AS answers, sum(last_sum) AS last_sum, sum(sum_sum) AS sum_sum
                   FROM ${both('answer_counters', 'poll_run_id, region_id, local_day, category, answers, last_sum, sum_sum', `${where} AND ${scopeSql(4, 5)}`)} c
                   GROUP BY 1, 2, 3, 4 HAVING sum(answers) <> 0) k) AS counts,
            (SELECT max(id)::text FROM answer_counter_deltas WHERE ${where}) AS pending`,
    [orgId, query.questionId, query.pollRunIds, query.selection.reporterGroupId, query.selection.regionIds],
  );
  return `${row?.counts ?? 'none'}:${row?.pending ?? ''}`;
}
