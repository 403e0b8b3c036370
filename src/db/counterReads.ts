import { pgPool } from './pool.js';

/** Which contacts a counter read covers: regions (null = every region) and one reporter group (0 = everyone). */
export interface CounterScope {
  regionIds: number[] | null;
  reporterGroupId: number;
}

export const EVERYONE: CounterScope = { regionIds: null, reporterGroupId: 0 };

/** Per poll run: answers, and the count, sum and sum of squares of the numeric values of a same-day mode. */
export interface NumericTotals {
  pollRunId: number;
  answers: number;
  count: number;
  sum: string;
  squares: string;
}

/**
 * Keyed rows plus the deltas not yet folded in: every read sees every committed change.
 * @param table the counter table.
 * @param columns the columns to read (the same from both tables).
 * @param where the condition, applied to both tables.
 * @returns a parenthesised subquery to alias in a FROM clause.
 */
export function both(table: 'answer_counters' | 'response_counters', columns: string, where: string): string {
  const deltas = table === 'answer_counters' ? 'answer_counter_deltas' : 'response_counter_deltas';
  return `(SELECT ${columns} FROM ${table} WHERE ${where} UNION ALL SELECT ${columns} FROM ${deltas} WHERE ${where})`;
}

/** The scope's condition, given the numbers of its two query parameters. */
export const scopeSql = (group: number, regions: number) => `reporter_group_id = $${group} AND ($${regions}::int[] IS NULL OR region_id = ANY($${regions}::int[]))`;

/**
 * The numeric totals of a question per poll run, for one same-day mode (D5: both are stored, so
 * switching the org's mode changes only which columns are read).
 * @param orgId the org.
 * @param questionId the question.
 * @param pollRunIds the poll runs.
 * @param mode the org's same-day mode.
 * @param scope regions and reporter group.
 * @returns one row per poll run with answers.
 */
export async function numericTotals(orgId: number, questionId: number, pollRunIds: number[], mode: 'use_last' | 'sum', scope: CounterScope = EVERYONE): Promise<NumericTotals[]> {
  const prefix = mode === 'sum' ? 'sum' : 'last';
  const columns = `poll_run_id, answers, ${prefix}_count AS count, ${prefix}_sum AS total, ${prefix}_squares AS squares`;
  const { rows } = await pgPool().query<{ poll_run_id: number; answers: number; count: number; sum: string; squares: string }>(
    `SELECT poll_run_id, sum(answers)::int AS answers, sum(count)::int AS count, sum(total)::text AS sum, sum(squares)::text AS squares
     FROM ${both('answer_counters', columns, `org_id = $1 AND question_id = $2 AND poll_run_id = ANY($3::int[]) AND ${scopeSql(4, 5)}`)} c
     GROUP BY poll_run_id HAVING sum(answers) <> 0 ORDER BY poll_run_id`,
    [orgId, questionId, pollRunIds, scope.reporterGroupId, scope.regionIds],
  );
  return rows.map((r) => ({ pollRunId: r.poll_run_id, answers: r.answers, count: r.count, sum: r.sum, squares: r.squares }));
}

/**
 * Active responses of counted contacts per poll run and status (spec §12.4 statusCounts).
 * @param orgId the org.
 * @param pollRunIds the poll runs.
 * @param scope regions and reporter group.
 * @returns poll run id → {E, P, C}, every poll run present.
 */
export async function responseStatusCounts(orgId: number, pollRunIds: number[], scope: CounterScope = EVERYONE): Promise<Map<number, Record<'E' | 'P' | 'C', number>>> {
  const { rows } = await pgPool().query<{ poll_run_id: number; status: 'E' | 'P' | 'C'; responses: number }>(
    `SELECT poll_run_id, status::text AS status, sum(responses)::int AS responses
     FROM ${both('response_counters', 'poll_run_id, status, responses', `org_id = $1 AND poll_run_id = ANY($2::int[]) AND ${scopeSql(3, 4)}`)} c
     GROUP BY poll_run_id, status`,
    [orgId, pollRunIds, scope.reporterGroupId, scope.regionIds],
  );
  const counts = new Map(pollRunIds.map((id) => [id, { E: 0, P: 0, C: 0 }]));
  for (const row of rows) counts.get(row.poll_run_id)![row.status] = row.responses;
  return counts;
}
