import { pgPool } from './pool.js';

/** Responses per status, every status present. */
export type StatusCounts = Record<'E' | 'P' | 'C', number>;

/** The response counters and their unsquashed deltas, as one row set (every read must add both). */
const COUNTERS = (where: string) =>
  `(SELECT region_id, reporter_group_id, status, responses FROM response_counters WHERE ${where}
    UNION ALL SELECT region_id, reporter_group_id, status, responses FROM response_counter_deltas WHERE ${where})`;

function tally(rows: { key: number; status: 'E' | 'P' | 'C'; responses: number }[], keys: number[]): Map<number, StatusCounts> {
  const counts = new Map(keys.map((key) => [key, { E: 0, P: 0, C: 0 }]));
  for (const row of rows) {
    const entry = counts.get(row.key);
    if (entry) entry[row.status] += row.responses;
  }
  return counts;
}

/**
 * A poll run's participation per reporter group (spec §15.1) in one counter read: the active
 * responses of counted contacts in the regions, per status, for each group, and for group 0 —
 * every contact once — which gives the totals over distinct responses (the recommended totals).
 * @param orgId the org.
 * @param pollRunId the poll run.
 * @param regionIds the regions of the region context.
 * @param groupIds the reporter groups.
 * @returns reporter group id (0 = everyone) → counts.
 */
export async function participationByGroup(orgId: number, pollRunId: number, regionIds: number[], groupIds: number[]): Promise<Map<number, StatusCounts>> {
  const keys = [0, ...groupIds];
  const { rows } = await pgPool().query<{ key: number; status: 'E' | 'P' | 'C'; responses: number }>(
    `SELECT reporter_group_id AS key, status::text AS status, sum(responses)::int AS responses
     FROM ${COUNTERS('org_id = $1 AND poll_run_id = $2 AND region_id = ANY($3::int[]) AND reporter_group_id = ANY($4::int[])')} c
     GROUP BY 1, 2`,
    [orgId, pollRunId, regionIds, keys],
  );
  return tally(rows, keys);
}

/**
 * A poll run's participation per region (spec §15.1): the active responses of counted contacts
 * whose region is exactly each region, per status, in one counter read (group 0: each once).
 * @param orgId the org.
 * @param pollRunId the poll run.
 * @param regionIds the regions.
 * @returns region id → counts.
 */
export async function participationByRegion(orgId: number, pollRunId: number, regionIds: number[]): Promise<Map<number, StatusCounts>> {
  const { rows } = await pgPool().query<{ key: number; status: 'E' | 'P' | 'C'; responses: number }>(
    `SELECT region_id AS key, status::text AS status, sum(responses)::int AS responses
     FROM ${COUNTERS('org_id = $1 AND poll_run_id = $2 AND region_id = ANY($3::int[]) AND reporter_group_id = 0')} c
     GROUP BY 1, 2`,
    [orgId, pollRunId, regionIds],
  );
  return tally(rows, regionIds);
}
